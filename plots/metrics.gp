# plots/metrics.gp: the headline metrics side by side, one panel a metric,
# a bar a variant (mean) with its 95% confidence interval.
# Data: one block a panel (mrsim plot, metrics.tsv):
#   variant  colour-index  mean  ci95_lo  ci95_hi
# Variables: npanels, panel0 .. panelN (each panel's title with its unit).
load plotdir.'/style.gp'

cols = npanels <= 3 ? npanels : (npanels == 4 ? 2 : 3)
rows = int((npanels + cols - 1) / cols)
set multiplot layout rows, cols title 'Headline metrics per variant (mean, 95% CI): '.subtitle font ',16' noenhanced
set style fill solid 0.85 border -1
set boxwidth 0.6
set xtics rotate by -20 noenhanced font ',11'
set yrange [0:*]
unset key
do for [i = 0:npanels - 1] {
    set title value(sprintf('panel%d', i)) font ',14' noenhanced
    plot datafile index i using 0:3:(colour($2)):xtic(1) with boxes lc rgb variable notitle, \
         '' index i using 0:3:4:5 with yerrorbars lc rgb '#000000' lw 1.5 pt 7 ps 0 notitle
}
unset multiplot
