# plots/timeline.gp: the success ratio over time, per variant: the mean over
# replications as a line and the 5-95% band across them, the fault as a
# shaded span.
# Data (mrsim plot, timeline.tsv): one block a variant,
#   t  mean  p5  p95  colour-index   (t in tunit: min, h or days)
# then a block of the faults' mean start and end (start end fault, in tunit).
# then, when the database has them, a block of recovery milestones (first
# episode, mean time): t  y  point-type  colour-index  milestone.
# Variables: tunit; nblocks; name0.., colour0.. (each block's variant and colour);
# ymin (the y axis' lower end); nfaults; fault0_start, fault0_end.. (in tunit); faultlabel; nmarks,
# marksindex (the milestones' block).
load plotdir.'/style.gp'

set title 'Success ratio over time, '.faultlabel."\n".subtitle font ',16' noenhanced
set xlabel 'time since start ('.tunit.')' offset 0, 0.3
# Room under the axis label for the legend's rows: the variants and the
# milestones' five shapes.
set bmargin 4 + keyrows(nblocks + (nmarks > 0 ? 5 : 0), longest(nblocks))
set ylabel 'success ratio per SLO window'
# The lower end follows the data, so that shallow dips of a long run show.
set yrange [ymin:1.02]
set ytics autofreq
set format y '%.1f'
do for [f = 0:nfaults - 1] {
    set object f + 1 rectangle from value(sprintf('fault%d_start', f)), graph 0 \
        to value(sprintf('fault%d_end', f)), graph 1 fc rgb '#999999' fs solid 0.2 noborder behind
}
if (nfaults > 0) {
    set label 1 'fault' at value('fault0_start'), graph 0.04 offset 0.5, 0 textcolor rgb '#555555' font ',11'
}
mpt(q) = int(word("9 7 5 13 3", q))
mtitle(q) = q == 1 ? 'detected' : q == 2 ? '95% routed' : q == 3 ? 'standby ready' : \
            q == 4 ? 'store failover' : 'recovered'
# The milestones' legend: one entry per marker shape (plotdir/../sim/out/plot.c
# names the point types: detected 9, 95% routed 7, standby ready 5, store
# failover 13, recovered 3).
plot for [i = 0:nblocks - 1] datafile index i using 1:3:4 with filledcurves \
         fc rgb colour(value(sprintf('colour%d', i))) fs transparent solid 0.2 noborder notitle, \
     for [i = 0:nblocks - 1] datafile index i using 1:2 with steps \
         lc rgb colour(value(sprintf('colour%d', i))) lw 2.5 dt dash(value(sprintf('colour%d', i))) \
         title value(sprintf('name%d', i)), \
     for [j = 1:(nmarks > 0)] datafile index marksindex using 1:2:3:(colour($4)) with points \
         pt variable lc rgb variable ps 2 lw 2 notitle, \
     for [q = 1:(nmarks > 0 ? 5 : 0)] NaN with points pt mpt(q) ps 1.6 lc rgb '#333333' \
         title mtitle(q)
