/* tests/unit/test_screen.c: the TUI's screen model (sim/tui/screen.h): a
 * snapshot laid out as text cells at 80 x 24 and 160 x 48. Expected
 * positions follow from the layout rules of screen.c: the log takes
 * (h - 2) / 3 rows, the top panels the rest below the header, the topology
 * the left half (w / 2 columns, its lines from row 2), the chart the right
 * half from column w / 2 + 1 with a 6-column label, its bars in rows
 * 2 .. 1 + rows, rows = top / 2 - 1. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "tui/screen.h"

static const mr_scr_line topo[] = {
    {"westeurope (3 zones)  DOWN", 4, 1},
    {"  aks-weu  active   0/64 pods  DOWN", 4, 1},
    {"northeurope (3 zones)  up", 2, 1},
    {"  aks-neu  standby 64/64 pods  up", 2, 1},
    {"traffic_manager (priority)", 0, 1},
    {"  endpoint aks-weu  Degraded", 3, 1},
    {"  endpoint aks-neu  Online", 2, 1},
};

static mr_scr_state state(const double *share, size_t n)
{
    mr_scr_state st = {.header = "mrsim tui  active-passive-tm  seed 7  0:12:00  x60",
                       .topo = topo,
                       .ntopo = sizeof topo / sizeof *topo,
                       .selected = 0,
                       .share = share,
                       .nshare = n,
                       .target = 0.99,
                       .keys = "space pause  + - speed  q quit",
                       .popup_sel = -1};
    return st;
}

static void expect_row_starts(const mr_screen *s, int y, const char *text)
{
    char buf[512];
    mr_screen_row(s, y, buf);
    cr_expect_eq(strncmp(buf, text, strlen(text)), 0, "row %d is '%s', not '%s...'", y, buf, text);
}

/* '#' cells of column x between rows y0 and y1. */
static int bar_cells(const mr_screen *s, int x, int y0, int y1)
{
    int n = 0;
    for (int y = y0; y <= y1; y++)
        n += mr_screen_at(s, x, y)->ch == '#';
    return n;
}

static void check_size(int w, int h, int want_rows, int want_cells)
{
    const double share[] = {0.95};
    mr_scr_state st = state(share, 1);
    mr_screen *s = mr_screen_new(w, h);
    mr_screen_layout(s, &st);
    expect_row_starts(s, 0, "mrsim tui  active-passive-tm  seed 7");
    /* The focus is on the topology (MR_PANEL_TOPOLOGY, 0): "=[ Title ]=". */
    expect_row_starts(s, 1, "=[ Topology ]==");
    /* The topology lines from row 2, the selection marked with '>'. */
    expect_row_starts(s, 2, ">westeurope (3 zones)  DOWN");
    expect_row_starts(s, 3, "   aks-weu  active   0/64 pods  DOWN");
    expect_row_starts(s, 7, "   endpoint aks-weu  Degraded");
    expect_row_starts(s, 8, "   endpoint aks-neu  Online");
    /* The Degraded endpoint: in words and in the warning attribute, at
     * 1 (the marker) + strlen("  endpoint aks-weu  ") = 21. */
    cr_expect_eq(mr_screen_at(s, 21, 7)->ch, 'D');
    cr_expect_eq(mr_screen_at(s, 21, 7)->attr, MR_ATTR_WARN);
    cr_expect_eq(mr_screen_at(s, 21, 8)->attr, MR_ATTR_OK);
    /* The chart: rows = top / 2 - 1; the bar of 0.95 with a 0.99 target
     * (floor 1 - 10 x 0.01 = 0.9) fills (0.95 - 0.9) / 0.1 x rows cells. */
    int rows = mr_screen_chart_rows(w, h);
    cr_expect_eq(rows, want_rows);
    int x = w / 2 + 1 + 6;
    cr_expect_eq(bar_cells(s, x, 2, 1 + rows), want_cells);
    /* From the bottom up, below the target: the miss attribute. */
    cr_expect_eq(mr_screen_at(s, x, 1 + rows)->attr, MR_ATTR_BAD);
    cr_expect_eq(mr_screen_at(s, x, 1 + rows - want_cells)->ch, ' ');
    /* The target line, round(0.9 x rows) from the bottom, in the empty
     * columns. */
    int t = (int)lround(0.9 * rows);
    cr_expect_eq(mr_screen_at(s, x + 5, 2 + rows - t)->ch, '-');
    expect_row_starts(s, h - 1, "space pause  + - speed  q quit");
    mr_screen_free(s);
}

/* 80 x 24: log 22 / 3 = 7 rows, top 15, chart rows 15 / 2 - 1 = 6;
 * 0.95 fills 0.5 x 6 = 3 cells. */
Test(screen, layout_at_80x24)
{
    check_size(80, 24, 6, 3);
}

/* 160 x 48: log 46 / 3 = 15 rows, top 31, chart rows 31 / 2 - 1 = 14;
 * 0.95 fills 0.5 x 14 = 7 cells. */
Test(screen, layout_at_160x48)
{
    check_size(160, 48, 14, 7);
}

/* Full success fills the column (rows cells); an outage (0) none but the
 * floor mark '_'; a window without requests shows '.'. */
Test(screen, bar_heights_at_the_extremes)
{
    cr_expect_eq(mr_screen_bar(1.0, 0.99, 6), 6);
    cr_expect_eq(mr_screen_bar(0.0, 0.99, 6), 0);
    cr_expect_eq(mr_screen_bar(NAN, 0.99, 6), 0);
    /* 0.99 target: floor 0.9; 0.99 is 0.9 of the way: round(5.4) = 5. */
    cr_expect_eq(mr_screen_bar(0.99, 0.99, 6), 5);
    cr_expect_float_eq(mr_screen_chart_floor(0.99), 0.9, 1e-12);
    cr_expect_float_eq(mr_screen_chart_floor(0.5), 0.0, 0);
    const double share[] = {1.0, 0.0, NAN};
    mr_scr_state st = state(share, 3);
    mr_screen *s = mr_screen_new(80, 24);
    mr_screen_layout(s, &st);
    int x = 47, bottom = 7;
    cr_expect_eq(bar_cells(s, x, 2, bottom), 6);
    cr_expect_eq(bar_cells(s, x + 1, 2, bottom), 0);
    cr_expect_eq(mr_screen_at(s, x + 1, bottom)->ch, '_');
    cr_expect_eq(mr_screen_at(s, x + 2, bottom)->ch, '.');
    mr_screen_free(s);
}

/* Too small: a request to enlarge, nothing else. */
Test(screen, too_small_asks_for_room)
{
    const double share[] = {1.0};
    mr_scr_state st = state(share, 1);
    mr_screen *s = mr_screen_new(60, 20);
    mr_screen_layout(s, &st);
    char buf[128];
    mr_screen_row(s, 10, buf);
    cr_expect_not_null(strstr(buf, "needs 80x24 (now 60x20)"), "%s", buf);
    mr_screen_free(s);
}

/* A popup over the middle: its title in the top border, the selected line
 * marked. */
Test(screen, popup_menu)
{
    const mr_scr_line items[] = {{"region_outage", 0, 1}, {"zone_outage", 0, 1}};
    const double share[] = {1.0};
    mr_scr_state st = state(share, 1);
    st.popup_title = "Inject on westeurope";
    st.popup = items;
    st.npopup = 2;
    st.popup_sel = 1;
    mr_screen *s = mr_screen_new(80, 24);
    mr_screen_layout(s, &st);
    /* Height 2 + 2 = 4 rows from (24 - 4) / 2 = 10. */
    char buf[128];
    mr_screen_row(s, 10, buf);
    cr_expect_not_null(strstr(buf, "+- Inject on westeurope -"), "%s", buf);
    mr_screen_row(s, 12, buf);
    cr_expect_not_null(strstr(buf, "|> zone_outage"), "%s", buf);
    mr_screen_free(s);
}
