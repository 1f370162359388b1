# plots/lag.gp: the realised replication lag of each data store over time
# (what monitoring shows: now minus the replica's applied position, the
# largest over its replicas, seen every 10 s), one panel a store, a line a
# variant (mean over the replications that have it), log scale, the fault
# as a shaded span.
# Data (mrsim plot, lag.tsv): block s x ncand + i, store s and variant i:
#   t  lag_s  colour-index   (t in tunit; a lag of 0 at the 1 ms floor)
# then a block of the faults' mean start and end.
# Variables: vecnote (' (replication 0)' when only its vectors were kept);
# tunit; nstores, store0..; ncand, name0.., colour0.., tag0.. (why a
# candidate was picked when not all fit), pickednote, storenote; nfaults,
# fault0_start, fault0_end..; faultlabel.
load plotdir.'/style.gp'

# What was left out (more candidates than lines, more stores than
# panels) on a third title line.
note = pickednote.(pickednote ne '' && storenote ne '' ? '; ' : '').storenote
set multiplot layout nstores, 1 title 'Realised replication lag per data store, '.faultlabel."\n".subtitle.vecnote.(note eq '' ? '' : "\n".note) font ',16' noenhanced
set logscale y 10
set format y '%g'
set ylabel 'lag (s, log)'
# Every panel the same width, the legend in the right margin of them all
# (a terminal: the legend beside each panel, its own width).
if (fmt eq 'dumb') {
    set key outside right top vertical
} else {
    set lmargin at screen 0.10
    set rmargin at screen 0.85
    set key at screen 0.99, screen 0.86 right top vertical noenhanced font ',12' samplen 2
}
do for [f = 0:nfaults - 1] {
    set object f + 1 rectangle from value(sprintf('fault%d_start', f)), graph 0 \
        to value(sprintf('fault%d_end', f)), graph 1 fc rgb '#999999' fs solid 0.2 noborder behind
}
do for [s = 0:nstores - 1] {
    set title value(sprintf('store%d', s)) font ',13' noenhanced
    if (s == nstores - 1) { set xlabel 'time since start ('.tunit.')' offset 0, 0.3 } else { unset xlabel }
    plot for [i = 0:ncand - 1] datafile index s * ncand + i using 1:2 with steps \
         lc rgb colour(value(sprintf('colour%d', i))) lw 2 dt dash(value(sprintf('colour%d', i))) \
         title (s == 0 ? value(sprintf('name%d', i)).(value(sprintf('tag%d', i)) eq '' ? '' : ' ('.value(sprintf('tag%d', i)).')') : '')
}
unset multiplot
