# plots/rpo.gp: what each data store lost at its failovers, per variant:
# the RPO (s) and the lost writes of every replication as dots, their mean
# with its 95% CI as a bar with caps. A store with no forced failover
# shows at 0.
# Data (mrsim plot, rpo.tsv): block 0 the RPO dots (x value colour-index
# store variant), block 1 the RPO means (x mean ci95_lo ci95_hi
# colour-index store variant), blocks 2 and 3 the same for lost writes.
# x: the store's index plus the variant's offset.
# Variables: nstores, store0..; ncand, name0.., colour0..
load plotdir.'/style.gp'

set multiplot layout 1, 2 title "RPO and lost writes per data store (each replication a dot; mean and 95% CI)\n".subtitle font ',16' noenhanced margins 0.08, 0.98, 0.2, 0.84 spacing 0.1
set xrange [-0.5:nstores - 0.5]
set yrange [0:*]
set xtics () scale 0
do for [s = 0:nstores - 1] { set xtics add (value(sprintf('store%d', s)) s) }
set style arrow 1 heads size screen 0.006, 90 lc rgb '#000000' lw 1.5
unset key
set title 'RPO (s)' font ',14'
set xlabel 'data store'
plot datafile index 0 using 1:2:(colour($3)) with points pt 7 ps 0.7 lc rgb variable notitle, \
     datafile index 1 using 1:2:(colour($5)) with points pt 5 ps 1.6 lc rgb variable notitle, \
     datafile index 1 using 1:3:(0):($4 - $3) with vectors arrowstyle 1 notitle
set title 'Lost writes' font ',14'
set key at screen 0.5, 0.05 center horizontal noenhanced font ',12' samplen 2
plot datafile index 2 using 1:2:(colour($3)) with points pt 7 ps 0.7 lc rgb variable notitle, \
     datafile index 3 using 1:2:(colour($5)) with points pt 5 ps 1.6 lc rgb variable notitle, \
     datafile index 3 using 1:3:(0):($4 - $3) with vectors arrowstyle 1 notitle, \
     for [k = 0:ncand - 1] NaN with points pt 5 ps 1.6 lc rgb colour(value(sprintf('colour%d', k))) \
         title value(sprintf('name%d', k))
unset multiplot
