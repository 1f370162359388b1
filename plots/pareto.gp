# plots/pareto.gp: run-rate cost against downtime per variant or sweep point,
# each with its 95% CI both ways; the Pareto front (nobody both cheaper and
# less down) joined, the dominated points faded.
# Data (mrsim plot, pareto.tsv): block 0, a row a candidate:
#   variant colour-index cost cost_lo cost_hi downtime down_lo down_hi front
# block 1, the front by cost: cost downtime.
# Variables: nrows; name0.., colour0.., front0.. (block 0's rows in order);
# numbered (1: more than four candidates or long names: the points carry
# their row's number and the legend below names them).
load plotdir.'/style.gp'

set title "Run-rate cost against downtime (lower left is better; the line joins the Pareto front)\n".subtitle font ',16' noenhanced
set xlabel 'run-rate cost (USD per month)'
set ylabel 'downtime in the drill (min)'
set format x '$%.0f'
# The cost axis follows the data (a sweep's points may differ by a few
# percent: from $0 they would stand on one another); a scatter, not bars.
set xrange [*:*]
# A dominated point in its colour, faded (alpha 0xA0 of 0xFF: pngcairo and
# svg draw it see-through), and named so, since fading alone is easy to miss.
shade(i, front) = colour(i) + (int(front) ? 0 : 0xA0000000)
set yrange [0:*]
set offsets graph 0.05, graph 0.15, graph 0.1, graph 0.05
if (numbered) {
    set key outside bottom center horizontal
    set bmargin 4 + keyrows(nrows, longest(nrows) + 16)
    plot datafile index 1 using 1:2 with lines lc rgb '#444444' lw 1.5 dt 2 notitle, \
         datafile index 0 using 3:6:4:5:7:8:(shade($2, $9)) with xyerrorbars lc rgb variable lw 1.5 pt 7 ps 1.8 notitle, \
         datafile index 0 using 3:6:(sprintf('%d', $0 + 1)) with labels offset 1.0, 1.0 left font ',13' notitle, \
         for [i = 0:nrows - 1] NaN with points pt 7 ps 1.5 lc rgb colour(value(sprintf('colour%d', i))) \
             title sprintf('%d: %s%s', i + 1, value(sprintf('name%d', i)), value(sprintf('front%d', i)) ? '' : ' (dominated)')
} else {
    unset key
    plot datafile index 1 using 1:2 with lines lc rgb '#444444' lw 1.5 dt 2 notitle, \
         datafile index 0 using 3:6:4:5:7:8:(shade($2, $9)) with xyerrorbars lc rgb variable lw 1.5 pt 7 ps 1.8 notitle, \
         datafile index 0 using 3:6:(strcol(1).(int($9) ? '' : ' (dominated)')) with labels offset 1.2, 1.2 left noenhanced font ',12' notitle
}
