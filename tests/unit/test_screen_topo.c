/* tests/unit/test_screen_topo.c: the topology lines of the TUI's screen
 * model (sim/tui/screen.h: clusters, stores, resolver pools, dependencies)
 * at the widths of an 80 x 24 screen (the panel is 80 / 2 = 40 columns,
 * 39 after the selection marker) and of a 160 x 48 one (79), and laid out
 * on those screens. Each expected line is the format of screen.c written
 * out by hand; the lengths that decide which variant fits are counted in
 * the comments. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tui/screen.h"

#define W80 39  /* 80 / 2 - 1 */
#define W100 49 /* 100 / 2 - 1 */
#define W160 79 /* 160 / 2 - 1 */

static const mr_scr_cluster weu = {.name = "aks-weu",
                                   .state = "up",
                                   .role = "active",
                                   .rps = 1842.4,
                                   .pods = 76,
                                   .nodes = 19};

/* In full: "  " + "aks-weu  " (%-9s) + " " + "up      " (%-8s) + " " +
 * " 1842/s" (%5.0f) + "  76 pods" + "  19 nodes" + "  active": 55 columns.
 * At 79 all of it; at 49 without the nodes (45); at 39 without the role
 * either (37). */
Test(screen_topo, cluster_line_abbreviates_nodes_then_role)
{
    char buf[256];
    mr_scr_cluster_text(&weu, W160, buf, sizeof buf);
    cr_expect_str_eq(buf, "  aks-weu   up        1842/s  76 pods  19 nodes  active");
    mr_scr_cluster_text(&weu, W100, buf, sizeof buf);
    cr_expect_str_eq(buf, "  aks-weu   up        1842/s  76 pods  active");
    mr_scr_cluster_text(&weu, W80, buf, sizeof buf);
    cr_expect_str_eq(buf, "  aks-weu   up        1842/s  76 pods");
    /* Starting pods and provisioning nodes read "+N"; no load yet: blank. */
    mr_scr_cluster c = weu;
    c.state = "starting";
    c.rps = NAN;
    c.starting = 4;
    c.provisioning = 2;
    mr_scr_cluster_text(&c, W160, buf, sizeof buf);
    cr_expect_str_eq(buf, "  aks-weu   starting   76+4 pods  19+2 nodes  active");
}

/* The primary's line: "  store orders (sql) primary up, 1 failover" is 43
 * columns: whole at 49 and 79, without the kind at 39 (37). A replica's:
 * "  store orders (sql) replica" (28) + "  lag 474 ms" (12) = 40: without
 * the kind at 39 (34). A primary that is not up says DOWN. */
Test(screen_topo, store_lines_primary_replica_lag)
{
    char buf[256];
    mr_scr_store p = {.name = "orders", .kind = "sql", .primary_here = 1, .up = 1,
                      .failovers = 1, .lag_s = 0.474};
    mr_scr_store_text(&p, W100, buf, sizeof buf);
    cr_expect_str_eq(buf, "  store orders (sql) primary up, 1 failover");
    mr_scr_store_text(&p, W80, buf, sizeof buf);
    cr_expect_str_eq(buf, "  store orders primary up, 1 failover");
    mr_scr_store r = p;
    r.primary_here = 0;
    mr_scr_store_text(&r, W160, buf, sizeof buf);
    cr_expect_str_eq(buf, "  store orders (sql) replica  lag 474 ms");
    mr_scr_store_text(&r, W80, buf, sizeof buf);
    cr_expect_str_eq(buf, "  store orders replica  lag 474 ms");
    mr_scr_store d = {.name = "orders", .kind = "sql", .primary_here = 1, .up = 0, .lag_s = NAN};
    mr_scr_store_text(&d, W80, buf, sizeof buf);
    cr_expect_str_eq(buf, "  store orders (sql) primary DOWN");
    d.switching = 1;
    mr_scr_store_text(&d, W80, buf, sizeof buf);
    cr_expect_str_eq(buf, "  store orders primary failing over"); /* 41 with the kind */
}

/* "resolvers isp-eu " (17) + " aks-weu 92%" (12) + " aks-neu 7%" (11) =
 * 40: whole at 49; at 39 the pool's name alone: "isp-eu:" (7) + 23 = 30.
 * With a third endpoint at 39: "isp-eu:" + 23 + " aks-xyz 1%" would make
 * 41: cut, " ..." (30 + 4 = 34). No shares (Front Door): said so. */
Test(screen_topo, resolver_pool_answer_shares)
{
    char buf[256];
    const char *ep[] = {"aks-weu", "aks-neu", "aks-xyz"};
    const double share[] = {0.92, 0.07, 0.01};
    mr_scr_resolver_text("isp-eu", ep, share, 2, W100, buf, sizeof buf);
    cr_expect_str_eq(buf, "resolvers isp-eu  aks-weu 92% aks-neu 7%");
    mr_scr_resolver_text("isp-eu", ep, share, 2, W80, buf, sizeof buf);
    cr_expect_str_eq(buf, "isp-eu: aks-weu 92% aks-neu 7%");
    mr_scr_resolver_text("isp-eu", ep, share, 3, W80, buf, sizeof buf);
    cr_expect_str_eq(buf, "isp-eu: aks-weu 92% aks-neu 7% ...");
    mr_scr_resolver_text("isp-eu", ep, share, 0, W160, buf, sizeof buf);
    cr_expect_str_eq(buf, "resolvers isp-eu (no endpoint answers: Front Door's anycast)");
}

Test(screen_topo, dependency_state_in_words)
{
    char buf[256];
    mr_scr_dependency_text("entra-id", "identity", 0, W80, buf, sizeof buf);
    cr_expect_str_eq(buf, "dependency entra-id (identity)  up");
    mr_scr_dependency_text("entra-id", "identity", 1, W80, buf, sizeof buf);
    cr_expect_str_eq(buf, "dependency entra-id (identity)  DOWN");
    /* 48 columns with the kind: without it at 39. */
    mr_scr_dependency_text("container-registry-x", "registry", 1, W80, buf, sizeof buf);
    cr_expect_str_eq(buf, "dependency container-registry-x  DOWN");
}

/* The lines laid out: the topology panel from row 2, each after its
 * marker column; at 80 x 24 the 39-column texts end within the panel
 * (column 39 is the last before the divider at 40), at 160 x 48 the
 * 79-column ones (divider at 80). */
static void check_layout(int w, int h, int width)
{
    mr_scr_line l[4];
    mr_scr_cluster_text(&weu, width, l[0].text, sizeof l[0].text);
    mr_scr_store s = {.name = "orders", .kind = "sql", .primary_here = 0, .lag_s = 0.474};
    mr_scr_store_text(&s, width, l[1].text, sizeof l[1].text);
    const char *ep[] = {"aks-weu", "aks-neu"};
    const double share[] = {0.92, 0.07};
    mr_scr_resolver_text("isp-eu", ep, share, 2, width, l[2].text, sizeof l[2].text);
    mr_scr_dependency_text("acr", "registry", 1, width, l[3].text, sizeof l[3].text);
    for (int i = 0; i < 4; i++) {
        l[i].attr = i == 3 ? MR_ATTR_BAD : MR_ATTR_NORMAL;
        l[i].selectable = 1;
    }
    const double sh[] = {1.0};
    mr_scr_state st = {.header = "h", .topo = l, .ntopo = 4, .selected = 3, .share = sh,
                       .nshare = 1, .target = 0.99, .keys = "k", .popup_sel = -1};
    mr_screen *scr = mr_screen_new(w, h);
    mr_screen_layout(scr, &st);
    char row[512], want[600];
    for (int i = 0; i < 4; i++) {
        mr_screen_row(scr, 2 + i, row);
        snprintf(want, sizeof want, "%c%s", i == 3 ? '>' : ' ', l[i].text);
        cr_expect_eq(strncmp(row, want, strlen(want)), 0, "%dx%d row %d: '%s', not '%s'", w, h,
                     2 + i, row, want);
        cr_expect_eq(row[w / 2], '|', "%dx%d row %d: the divider moved", w, h, 2 + i);
    }
    /* The dependency's state in words, in the attribute of the selection. */
    const char *p = strstr(row, "DOWN");
    cr_assert_not_null(p);
    cr_expect_eq(mr_screen_at(scr, (int)(p - row), 5)->attr, MR_ATTR_SELECT);
    mr_screen_free(scr);
}

Test(screen_topo, lines_laid_out_at_80x24)
{
    check_layout(80, 24, W80);
}

Test(screen_topo, lines_laid_out_at_160x48)
{
    check_layout(160, 48, W160);
}

/* The requests-per-region chart (c): the chart's rows (6 at 80 x 24, 14 at
 * 160 x 48: test_screen.c) split into one band per region, 3 or 7 rows
 * each; bars on the scale of the largest column shown (100): westeurope's
 * 100 fills its band, northeurope's 50 fills round(0.5 x 3) = 2 (lround:
 * half away from zero) or round(3.5) = 4; a column of 0 shows '_' on its
 * band's bottom row. The chart starts at column w / 2 + 1, its bars 6
 * columns later. */
static void check_served(int w, int h, int per, int half)
{
    const double a[] = {100, 0}, b[] = {0, 50};
    const double *const served[] = {a, b};
    const char *const names[] = {"westeurope", "northeurope"};
    const double sh[] = {1.0, 1.0};
    mr_scr_state st = {.header = "h", .share = sh, .nshare = 2, .target = 0.99, .keys = "k",
                       .popup_sel = -1, .selected = -1, .chart = MR_CHART_SERVED,
                       .served = served, .region = names, .nregions = 2, .nserved = 2,
                       .per_served = 1};
    mr_screen *s = mr_screen_new(w, h);
    mr_screen_layout(s, &st);
    int x = w / 2 + 1, top = 2;
    char row[512];
    mr_screen_row(s, 1, row);
    cr_expect_not_null(strstr(row, "Requests/window (max 100)"), "%s", row);
    mr_screen_row(s, top, row);
    cr_expect_eq(strncmp(row + x, "weste|", 6), 0, "%s", row + x);
    mr_screen_row(s, top + per, row);
    cr_expect_eq(strncmp(row + x, "north|", 6), 0, "%s", row + x);
    int n0 = 0, n1 = 0, m0 = 0, m1 = 0;
    for (int r = 0; r < per; r++) {
        n0 += mr_screen_at(s, x + 6, top + r)->ch == '#';
        n1 += mr_screen_at(s, x + 6, top + per + r)->ch == '#';
        m0 += mr_screen_at(s, x + 7, top + r)->ch == '#';
        m1 += mr_screen_at(s, x + 7, top + per + r)->ch == '#';
    }
    cr_expect_eq(n0, per);
    cr_expect_eq(n1, 0);
    cr_expect_eq(mr_screen_at(s, x + 6, top + 2 * per - 1)->ch, '_');
    cr_expect_eq(m0, 0);
    cr_expect_eq(mr_screen_at(s, x + 7, top + per - 1)->ch, '_');
    cr_expect_eq(m1, half);
    cr_expect_eq(mr_screen_served_bar(50, 100, per), half);
    mr_screen_free(s);
}

Test(screen_topo, served_chart_at_80x24)
{
    check_served(80, 24, 3, 2);
}

Test(screen_topo, served_chart_at_160x48)
{
    check_served(160, 48, 7, 4);
}

/* The p99 latency chart (c, after the success ratio): columns 20, 200,
 * none (NaN, under a fault), 2000 ms. The scale's ends are the 1-2-5
 * values around the columns: lo 20, hi 2000 (labels "20ms", "2s"); on a
 * log scale of `rows` rows 20 fills 1 cell, 2000 all, and 200, half-way in
 * log, 1 + round(0.5 x (rows - 1)): 1 + round(2.5) = 4 of 6 at 80 x 24,
 * 1 + round(6.5) = 8 of 14 at 160 x 48 (lround: half away from zero). The
 * NaN column shows '.' on the bottom row and the fault's ':' above it. */
static void check_p99(int w, int h, int rows, int mid)
{
    const double p99[] = {20, 200, NAN, 2000};
    const unsigned char fault[] = {0, 0, 1, 0};
    const double sh[] = {1.0};
    mr_scr_state st = {.header = "h", .share = sh, .nshare = 1, .target = 0.99, .keys = "k",
                       .popup_sel = -1, .selected = -1, .chart = MR_CHART_P99, .p99 = p99,
                       .p99_fault = fault, .np99 = 4, .per_p99 = 1};
    mr_screen *s = mr_screen_new(w, h);
    mr_screen_layout(s, &st);
    int x = w / 2 + 1, top = 2;
    char row[512];
    mr_screen_row(s, 1, row);
    cr_expect_not_null(strstr(row, "p99 latency, ms (log, max 2000)"), "%s", row);
    mr_screen_row(s, top, row);
    cr_expect_eq(strncmp(row + x, "   2s|", 6), 0, "%s", row + x);
    mr_screen_row(s, top + rows - 1, row);
    cr_expect_eq(strncmp(row + x, " 20ms|", 6), 0, "%s", row + x);
    int fill[4] = {0};
    for (int c = 0; c < 4; c++)
        for (int r = 0; r < rows; r++)
            fill[c] += mr_screen_at(s, x + 6 + c, top + r)->ch == '#';
    cr_expect_eq(fill[0], 1);
    cr_expect_eq(fill[1], mid);
    cr_expect_eq(fill[2], 0);
    cr_expect_eq(fill[3], rows);
    cr_expect_eq(mr_screen_at(s, x + 8, top + rows - 1)->ch, '.');
    cr_expect_eq(mr_screen_at(s, x + 8, top)->ch, ':');
    cr_expect_eq(mr_screen_at(s, x + 8, top)->attr, MR_ATTR_SHADE);
    cr_expect_eq(mr_screen_p99_bar(200, 20, 2000, rows), mid);
    /* At aggregate fidelity: words, no bar. */
    st.no_latency = 1;
    mr_screen_layout(s, &st);
    int words = 0;
    for (int r = 0; r < rows; r++) {
        mr_screen_row(s, top + r, row);
        words += strstr(row + x, "no latency at aggregate fidelity") != NULL;
        cr_expect_null(strchr(row + x, '#'), "%s", row + x);
    }
    cr_expect_eq(words, 1);
    mr_screen_free(s);
}

Test(screen_topo, p99_chart_at_80x24)
{
    check_p99(80, 24, 6, 4);
}

Test(screen_topo, p99_chart_at_160x48)
{
    check_p99(160, 48, 14, 8);
}

/* The scale: 1-2-5 values around the least and largest positive column,
 * NaN skipped: 37 and 140 ms between 20 and 200; all equal (50): 50 to
 * the next step, 100; none: 0. Labels fit 5 characters. */
Test(screen_topo, p99_scale_and_labels)
{
    double lo = 0, hi = 0;
    const double a[] = {NAN, 37, 140};
    cr_assert_eq(mr_screen_p99_scale(a, 3, &lo, &hi), 1);
    cr_expect_eq(lo, 20);
    cr_expect_eq(hi, 200);
    const double b[] = {50, 50};
    cr_assert_eq(mr_screen_p99_scale(b, 2, &lo, &hi), 1);
    cr_expect_eq(lo, 50);
    cr_expect_eq(hi, 100);
    const double c[] = {NAN};
    cr_expect_eq(mr_screen_p99_scale(c, 1, &lo, &hi), 0);
    char buf[16];
    mr_screen_ms_label(500, buf, sizeof buf);
    cr_expect_str_eq(buf, "500ms");
    mr_screen_ms_label(5000, buf, sizeof buf);
    cr_expect_str_eq(buf, "5s");
    mr_screen_ms_label(0.5, buf, sizeof buf);
    cr_expect_str_eq(buf, "0.5ms");
}

/* Focus and scrolling at 80 x 24: the log takes (24 - 2) / 3 = 7 rows from
 * row 1 + 15 = 16, its title there and 6 lines below (17 .. 22). Ten
 * lines: at scroll 0 the newest six (L4 .. L9) from row 17; scrolled back
 * 3, L1 .. L6 and "3 newer below" in the title; scrolled past the oldest,
 * L0 first. The focused panel's title reads "=[ ... ]=", the others
 * "-- ... --". */
Test(screen_topo, focus_and_log_scroll_at_80x24)
{
    mr_scr_line log[10];
    for (int i = 0; i < 10; i++) {
        snprintf(log[i].text, sizeof log[i].text, "L%d", i);
        log[i].attr = MR_ATTR_NORMAL;
        log[i].selectable = 0;
    }
    const double sh[] = {1.0};
    mr_scr_state st = {.header = "h", .share = sh, .nshare = 1, .target = 0.99, .keys = "k",
                       .popup_sel = -1, .selected = -1, .log = log, .nlog = 10,
                       .focus = MR_PANEL_LOG};
    mr_screen *s = mr_screen_new(80, 24);
    char row[128];
    mr_screen_layout(s, &st);
    mr_screen_row(s, 16, row);
    cr_expect_eq(strncmp(row, "=[ Event log ]===", 17), 0, "%s", row);
    mr_screen_row(s, 1, row);
    cr_expect_eq(strncmp(row, "-- Topology --", 14), 0, "%s", row);
    mr_screen_row(s, 17, row);
    cr_expect_eq(strncmp(row, " L4 ", 4), 0, "%s", row);
    mr_screen_row(s, 22, row);
    cr_expect_eq(strncmp(row, " L9 ", 4), 0, "%s", row);
    st.log_scroll = 3;
    mr_screen_layout(s, &st);
    mr_screen_row(s, 16, row);
    cr_expect_eq(strncmp(row, "=[ Event log (3 newer below) ]=", 31), 0, "%s", row);
    mr_screen_row(s, 17, row);
    cr_expect_eq(strncmp(row, " L1 ", 4), 0, "%s", row);
    st.log_scroll = 99;
    mr_screen_layout(s, &st);
    mr_screen_row(s, 17, row);
    cr_expect_eq(strncmp(row, " L0 ", 4), 0, "%s", row);
    cr_expect_eq(mr_screen_log_first(10, 6, 99), 0);
    cr_expect_eq(mr_screen_log_first(10, 6, 0), 4);
    /* The chart focused: its title on the right half, from column 41. */
    st.focus = MR_PANEL_CHART;
    mr_screen_layout(s, &st);
    mr_screen_row(s, 1, row);
    cr_expect_eq(strncmp(row + 41, "=[ Success per window (SLO 99%) ]=", 34), 0, "%s", row);
    mr_screen_free(s);
}
