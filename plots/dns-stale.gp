# plots/dns-stale.gp: the share of resolvers, and of requests, still
# answering the failed endpoint against the time since the traffic layer
# changed its answer (its detection of the fault), log time axis: the
# TTL's cliff, then the tail of resolvers that hold answers past it
# (Flavel et al.), and what that tail weighs in requests.
# Data (mrsim plot, dns-stale.tsv): one block a variant (and resolver pool):
#   seconds-since-change  resolver-share  request-share (means over the
#   replications, each aligned on its own detection; the requests' share is
#   that of the SLO window holding the instant; nan where none has it)
# Variables: vecnote (' (replication 0)' when only its vectors were kept);
# stepnote (the vectors' sampling step when coarser than a minute);
# nblocks; name0.., colour0..; pickednote (which candidates are shown
# when not all fit: the names then say why each was picked)
# Resolvers and requests differ by line style, not colour (a variant keeps
# its colour and dash): resolvers a thick step line, requests a thin line
# with open circles; two black entries in the legend say which is which.
load plotdir.'/style.gp'
lastmark = -1000

set title "Resolvers and requests still on the failed endpoint after the DNS answer changed\n".subtitle.vecnote.stepnote.(pickednote eq '' ? '' : "\n".pickednote) font ',16' noenhanced
set xlabel 'time since the answer changed (s, log scale)' offset 0, 0.3
set ylabel 'still answering it (%)'
set logscale x 10
set xrange [1:*]
set yrange [0:105]
set format x '%g'
# Room under the axis label for the legend's rows (the variants and the
# two style entries).
set bmargin 4 + keyrows(nblocks + 2, longest(nblocks) > 24 ? longest(nblocks) : 24)
# The requests' share is per SLO window: a thin step line, with an open
# circle at most six times a decade (the log axis would crowd one a row).
mark(x) = floor(6 * log10(x))
plot for [i = 0:nblocks - 1] datafile index i using 1:($2 * 100) with steps \
         lc rgb colour(value(sprintf('colour%d', i))) lw 3 dt dash(value(sprintf('colour%d', i))) \
         title value(sprintf('name%d', i)), \
     for [i = 0:nblocks - 1] datafile index i using 1:($3 * 100) with steps \
         lc rgb colour(value(sprintf('colour%d', i))) lw 1.2 dt dash(value(sprintf('colour%d', i))) \
         notitle, \
     for [i = 0:nblocks - 1] datafile index i \
         using 1:(m = mark($1), y = (m != lastmark ? $3 * 100 : NaN), lastmark = m, y) \
         with points lc rgb colour(value(sprintf('colour%d', i))) pt 6 ps 1.1 notitle, \
     NaN with steps lc rgb '#000000' lw 3 title 'resolvers (thick)', \
     NaN with linespoints lc rgb '#000000' lw 1.2 pt 6 ps 1.1 title 'requests (thin, circles)'
