# plots/client-rto-cdf.gp: the distribution of client RTO per variant (what
# one group of users, a population behind one resolver, lives through): the
# Kaplan-Meier estimate of P(recovered by t). A curve that stops below 1
# has that share of groups censored (not recovered when the episode ended).
# Data (mrsim plot, client-rto-cdf.tsv): one block a variant,
#   client_rto_s  cdf  colour-index
# Variables: nblocks; name0.., colour0...
load plotdir.'/style.gp'

set title "Client RTO per group of users (Kaplan-Meier; a curve ending below 1: groups not recovered)\n".subtitle font ',16' noenhanced
set xlabel 'client RTO (s, log scale)' offset 0, 0.3
set bmargin 6
set ylabel 'share of groups recovered'
set logscale x 10
set format x '%g'
set yrange [0:1.02]
set ytics 0.1
set format y '%.1f'
set grid xtics ytics lc rgb '#dddddd'
plot for [i = 0:nblocks - 1] datafile index i using 1:2 with steps \
         lc rgb colour(value(sprintf('colour%d', i))) lw 2.5 dt dash(value(sprintf('colour%d', i))) \
         title value(sprintf('name%d', i))
