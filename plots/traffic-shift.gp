# plots/traffic-shift.gp: where the requests were served over time, one
# panel a variant: each region's share of the requests served, stacked
# (the bands add up to 1), the fault as a shaded span.
# Data (mrsim plot, traffic-shift.tsv): one block a variant,
#   t  share-of-region-0 .. share-of-region-R-1  top-0 .. top-R-1
# (t in tunit; top-r: the running sum of the shares up to region r, the
# band's upper edge), then a block of the faults' mean start and end.
# Variables: vecnote (' (replication 0)' when only its vectors were kept);
# tunit; nblocks; name0.., colour0.., tag0.. (each panel's variant, its
# colour, and why it was picked when not all fit: pickednote says so);
# nregions; region0..; nfaults; fault0_start, fault0_end..;
# faultlabel.
# Here the colours tell the regions apart (the variants are the panels,
# each titled in its own colour): region r takes the palette's colour r + 4
# so that it is not mistaken for the first variants' colours.
load plotdir.'/style.gp'

rcolour(r) = colour(int(r) + 4)
top(r) = column(2 + nregions + r)
low(r) = r == 0 ? 0 : column(2 + nregions + r - 1)
# Beyond three variants the panels go two abreast, so each keeps a
# readable height.
ncols = (nblocks > 3 && fmt ne 'dumb') ? 2 : 1
nrows = int(ceil(nblocks * 1.0 / ncols))
# More candidates than panels: a third title line says which are shown
# (pickednote), each panel's title why (tag0..: first, last, best, worst,
# between).
set multiplot layout nrows, ncols title 'Share of requests served per region, '.faultlabel."\n".subtitle.vecnote.(pickednote eq '' ? '' : "\n".pickednote) font ',16' noenhanced
set yrange [0:1]
set ytics 0.5
set format y '%g'
set ylabel 'share'
set xrange [*:*]
# Every panel the same width, the legend in the right margin of them all
# (a terminal: the legend beside each panel, its own width).
if (fmt eq 'dumb') {
    set key outside right top vertical
} else {
    set lmargin at screen 0.07
    set rmargin at screen (ncols == 1 ? 0.85 : 0.44)
    set key at screen 0.99, screen 0.86 right top vertical noenhanced font ',12' samplen 2
}
do for [f = 0:(fmt eq 'dumb' ? -1 : nfaults - 1)] {
    set object f + 1 rectangle from value(sprintf('fault%d_start', f)), graph 0 \
        to value(sprintf('fault%d_end', f)), graph 1 fc rgb '#000000' fs transparent solid 0.18 noborder front
}
do for [i = 0:nblocks - 1] {
    tg = value(sprintf('tag%d', i))
    set title value(sprintf('name%d', i)).(tg eq '' ? '' : ' ('.tg.')') font ',13' noenhanced textcolor rgb textcolour(value(sprintf('colour%d', i)))
    if (i >= nblocks - ncols) { set xlabel 'time since start ('.tunit.')' offset 0, 0.3 } else { unset xlabel }
    if (fmt ne 'dumb' && ncols == 2) {
        # The right panel ends where the single column does (0.85): the
        # legend's names need the margin beyond it.
        set lmargin at screen (i % 2 == 0 ? 0.07 : 0.49)
        set rmargin at screen (i % 2 == 0 ? 0.44 : 0.85)
    }
    # The legend once, beside the first panel (the others keep its margin).
    # A terminal has no fill: each band's upper edge as a line instead.
    if (fmt eq 'dumb') {
    plot for [r = 0:nregions - 1] datafile index i using 1:(top(r)) with lines \
             lc rgb rcolour(r) title (i == 0 ? value(sprintf('region%d', r)) : '')
    } else {
    plot for [r = 0:nregions - 1] datafile index i using 1:(low(r)):(top(r)) with filledcurves \
             fc rgb rcolour(r) fs solid 0.75 noborder title (i == 0 ? value(sprintf('region%d', r)) : ''), \
         for [f = 1:(nfaults > 0 && i == 0)] NaN with boxes fs transparent solid 0.18 lc rgb '#000000' title 'fault'
    }
}
unset multiplot
