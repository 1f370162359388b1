# plots/sweep.gp: each headline metric against the first swept key, one
# line per value of the second, with 95% CI bars.
# Data (mrsim plot, sweep.tsv): block panel x ngroups + g (group g of a
# panel): x label mean ci95_lo ci95_hi group-index.
# Variables: npanels, panel0..; ngroups; xkey, gkey (the swept keys);
# numeric (1 when the first key's values are numbers: durations in s).
load plotdir.'/style.gp'

cols = npanels <= 2 ? npanels : (npanels <= 4 ? 2 : 3)
rows = int((npanels + cols - 1) / cols)
set multiplot layout rows, cols title 'Sweep of '.xkey.(gkey ne '' ? ' and '.gkey : '').': '.subtitle font ',16' noenhanced
set xlabel xkey.(numeric ? ' (s)' : '') noenhanced
set yrange [0:*]
if (numeric) { set logscale x 10; set format x '%g' }
# The legend goes in the first empty cell of the grid when there is one
# (never over the data), else under the last panel.
spare = rows * cols > npanels
do for [m = 0:npanels - 1] {
    set title value(sprintf('panel%d', m)) font ',14' noenhanced
    if (m == npanels - 1 && !spare) { set key outside bottom center horizontal noenhanced } else { unset key }
    if (numeric) {
        plot for [g = 0:ngroups - 1] datafile index m * ngroups + g using 1:3:4:5 with yerrorlines \
                 lc rgb colour(g) lw 2 pt 7 dt dash(g) \
                 title (gkey ne '' ? gkey.' = '.value(sprintf('group%d', g)) : 'all')
    } else {
        plot for [g = 0:ngroups - 1] datafile index m * ngroups + g using 1:3:4:5:xtic(2) with yerrorlines \
                 lc rgb colour(g) lw 2 pt 7 dt dash(g) \
                 title (gkey ne '' ? gkey.' = '.value(sprintf('group%d', g)) : 'all')
    }
}
if (spare) {
    unset title; unset xlabel; unset ylabel; unset tics; unset border; unset grid
    unset logscale x
    set xrange [0:1]; set yrange [0:1]
    set key center center vertical noenhanced font ',13' samplen 3 spacing 1.5
    plot for [g = 0:ngroups - 1] NaN with linespoints lc rgb colour(g) lw 2 pt 7 dt dash(g) \
         title (gkey ne '' ? gkey.' = '.value(sprintf('group%d', g)) : 'all')
}
unset multiplot
