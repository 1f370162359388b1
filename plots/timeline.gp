# plots/timeline.gp: the success ratio over time, per variant: the mean over
# replications as a line and the 5-95% band across them, the fault as a
# shaded span.
# Data (mrsim plot, timeline.tsv): one block a variant,
#   t_min  mean  p5  p95  colour-index
# then a block of the faults' mean start and end (start_min end_min fault).
# Variables: nblocks; name0.., colour0.. (each block's variant and colour);
# nfaults; fault0_start, fault0_end.. (minutes); faultlabel.
load plotdir.'/style.gp'

set title 'Success ratio over time, '.faultlabel."\n".subtitle font ',16' noenhanced
set xlabel 'time since start (min)' offset 0, 0.3
set bmargin 6
set ylabel 'success ratio per SLO window'
set yrange [0:1.05]
set ytics 0.1
set format y '%.1f'
do for [f = 0:nfaults - 1] {
    set object f + 1 rectangle from value(sprintf('fault%d_start', f)), graph 0 \
        to value(sprintf('fault%d_end', f)), graph 1 fc rgb '#999999' fs solid 0.2 noborder behind
}
if (nfaults > 0) {
    set label 1 'fault' at value('fault0_start'), graph 0.04 offset 0.5, 0 textcolor rgb '#555555' font ',11'
}
plot for [i = 0:nblocks - 1] datafile index i using 1:3:4 with filledcurves \
         fc rgb colour(value(sprintf('colour%d', i))) fs transparent solid 0.2 noborder notitle, \
     for [i = 0:nblocks - 1] datafile index i using 1:2 with steps \
         lc rgb colour(value(sprintf('colour%d', i))) lw 2.5 dt dash(value(sprintf('colour%d', i))) \
         title value(sprintf('name%d', i))
