# plots/dns-stale.gp: the share of resolvers still answering the failed
# endpoint against the time since the traffic layer changed its answer
# (its detection of the fault), log time axis: the TTL's cliff, then the
# tail of resolvers that hold answers past it (Flavel et al.).
# Data (mrsim plot, dns-stale.tsv): one block a variant (and resolver pool):
#   seconds-since-change  share (mean over the replications, each aligned
#   on its own detection)
# Variables: vecnote (' (replication 0)' when only its vectors were kept);
# nblocks; name0.., colour0..
load plotdir.'/style.gp'

set title "Resolvers still answering the failed endpoint after the DNS answer changed\n".subtitle.vecnote font ',16' noenhanced
set xlabel 'time since the answer changed (s, log scale)' offset 0, 0.3
set ylabel 'resolvers answering it (%)'
set logscale x 10
set xrange [1:*]
set yrange [0:*]
set format x '%g'
# Room under the axis label for the legend's rows (two entries a row at
# the longest names, a sweep's).
set bmargin 4 + ceil(nblocks / 2.0)
plot for [i = 0:nblocks - 1] datafile index i using 1:($2 * 100) with steps \
         lc rgb colour(value(sprintf('colour%d', i))) lw 2.5 dt dash(value(sprintf('colour%d', i))) \
         title value(sprintf('name%d', i))
