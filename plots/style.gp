# plots/style.gp: the look every mrsim figure shares; each figure script
# loads it first. Change the palette, fonts or sizes here and every figure
# follows. mrsim sets, with -e before the script runs:
#   datafile   the TSV the figure draws (written by mrsim beside the figure)
#   outfile    where the figure goes
#   fmt        png | svg | pdf | dumb
#   term_spec  the terminal mrsim chose for fmt (size 1280 x 720 for png)
#   subtitle   the scenario and the replications, for the title
#   plotdir    this folder
# and per figure the variables its script documents.

set terminal @term_spec
set output outfile
set encoding utf8
set datafile separator "\t"
set datafile missing "nan"

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every
# common colour-vision deficiency. A variant keeps its index (its order in
# the database), so its colour, in every figure.
array okabe[8] = [0xE69F00, 0x56B4E9, 0x009E73, 0xCC79A7, 0x0072B2, 0xD55E00, 0xF0E442, 0x000000]
colour(i) = okabe[int(i) % 8 + 1]
# Text in a variant's colour (a panel's title): the palette's yellow is
# for lines and fills; as text on white it is hardly legible, so text
# takes a dark shade of the same hue (0x8C7E00).
textcolour(i) = int(i) % 8 == 6 ? 0x8C7E00 : colour(i)
# Dash types by variant too, so that a grey print still tells them apart.
dash(i) = int(i) % 5 + 1

grey = 0x666666
if (fmt eq 'dumb') {
    set key outside bottom center horizontal
} else {
    set key outside bottom center horizontal noenhanced font ',12' samplen 2
    set border 3 lc rgb grey lw 1
    set tics nomirror textcolor rgb '#333333'
    set grid ytics lc rgb '#dddddd' lw 1 dt solid
}

# Rows the legend below a plot takes (outside bottom, horizontal): its
# entries laid out in as many columns as the longest name lets fit across
# the figure (gnuplot's choice, estimated on the safe side: 9 px a
# character at font 12 within 1,000 px, ten more for the sample); too many
# rows only leaves a blank line. keyrows(n, len): n entries, the longest
# len characters.
keycols(len) = int(1000 / ((len + 10) * 9.0)) > 0 ? int(1000 / ((len + 10) * 9.0)) : 1
keyrows(n, len) = int(ceil(n * 1.0 / keycols(len)))
# The longest of the variables name0.. name<n-1>.
longest(n) = (_l = 0, sum [_i = 0:n - 1] (_l = strlen(value(sprintf('name%d', _i))) > _l ? strlen(value(sprintf('name%d', _i))) : _l, 0), _l)

