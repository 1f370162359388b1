# plots/metrics.gp: the headline metrics side by side, one panel a metric,
# a bar a variant (mean) with its 95% confidence interval.
# Data: one block a panel (mrsim plot, metrics.tsv):
#   variant  colour-index  mean  ci95_lo  ci95_hi
# Variables: npanels, panel0 .. panelN (each panel's title with its unit).
load plotdir.'/style.gp'

# Two rows at most, so that each panel stays tall enough to read.
cols = npanels <= 3 ? npanels : int((npanels + 1) / 2)
rows = int((npanels + cols - 1) / cols)
spare = rows * cols > npanels
# The candidates are told apart by colour, named once in the legend (in
# the grid's spare cell, or under the panels): labels under every bar
# would collide in narrow panels.
if (!spare) { set multiplot layout rows, cols title 'Headline metrics per candidate (mean, 95% CI): '.subtitle font ',16' noenhanced margins 0.06, 0.98, 0.14, 0.88 spacing 0.07, 0.12 } \
else { set multiplot layout rows, cols title 'Headline metrics per candidate (mean, 95% CI): '.subtitle font ',16' noenhanced }
set style fill solid 0.85 border -1
set boxwidth 0.7
unset xtics
set xrange [-0.6:ncand - 0.4]
set yrange [0:*]
unset key
# The 95% CI as a bar with caps (no marker over the bar's top).
set style arrow 1 heads size screen 0.006, 90 lc rgb '#000000' lw 1.5
set ytics scale 0.5
do for [i = 0:npanels - 1] {
    set title value(sprintf('panel%d', i)) font ',14' noenhanced
    plot datafile index i using 0:3:(colour($2)) with boxes lc rgb variable notitle, \
         '' index i using 0:4:(0):($5 - $4) with vectors arrowstyle 1 notitle
}
unset title; unset tics; unset border; unset grid
set xrange [0:1]; set yrange [0:1]
if (spare) {
    # Swatch first, names left-aligned from the cell's left edge: centred,
    # a sweep's long names pushed the swatches off the figure.
    keyfont = longest(ncand) > 30 ? ',11' : ',13'
    set key at graph 0.02, graph 0.5 left center vertical reverse Left noenhanced \
        font keyfont samplen 2 spacing 1.4
} else {
    set multiplot next
    set origin 0, 0; set size 1, 0.1
    set key center center horizontal noenhanced font ',13' samplen 2
}
plot for [k = 0:ncand - 1] NaN with boxes fs solid 0.85 lc rgb colour(value(sprintf('colour%d', k))) \
     title value(sprintf('name%d', k))
unset multiplot
