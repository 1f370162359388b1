/* sim/tui/tui.c: the ncurses front end (tui.h). One loop: advance the live
 * run by a slice (sized by the speed and the wall clock, never more than
 * about a frame's worth of wall time), poll the keys with no wait while it
 * runs, redraw at most 30 times a second. Everything it shows comes from
 * the live API (run/live.h) and the loaded scenario's names. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <curses.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mrsim/alloc.h"
#include "mrsim/error.h"
#include "out/human.h"
#include "run/build.h"
#include "tui/screen.h"
#include "tui/tui.h"

/* Every string here is display text cut at its panel's width on purpose. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

#define S ((mr_time)1000000000)
#define MAX_LINES 256
#define MAX_LOG 512
#define MAX_POPUP 64

static volatile sig_atomic_t got_signal;
static int screen_open;

static void on_stop(int sig)
{
    got_signal = sig;
}

/* A fatal signal: the terminal back to normal, then the default action. */
static void on_fatal(int sig)
{
    if (screen_open)
        endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const double speeds[] = {1, 10, 60, 600, INFINITY};
static const char *const speed_names[] = {"x1", "x10", "x60", "x600", "max"};
enum { NSPEEDS = 5 };

/* What a topology line stands for: something a fault can aim at. */
typedef struct target {
    mr_target_kind kind;
    char name[96];
    int zones; /* a region's */
} target;

typedef enum mode {
    MODE_RUN,
    MODE_MENU,   /* a popup menu: which one in menu_kind */
    MODE_PROMPT, /* a line of input */
    MODE_HELP,
    MODE_DETAILS,
    MODE_CONFIRM_QUIT,
} mode;

enum menu_kind { MENU_KIND, MENU_ZONE, MENU_SEVERITY, MENU_MODE, MENU_PEER, MENU_DURATION };
enum prompt_kind { PROMPT_GOTO, PROMPT_FILTER, PROMPT_WRITE };

typedef struct ui {
    mr_live *lv;
    const mr_tui_opts *opts;
    int paused, speed;
    int ended;
    mr_time goal; /* run until (g, S), then pause; -1: none */
    double rate;  /* simulated seconds per wall second, measured */
    double run_wall; /* wall seconds spent running so far */
    double adv_wall; /* when the last slice at a finite speed was taken; 0: none since a pause */
    double rate_t0;
    mr_time rate_sim0;
    int nocolor;
    /* topology */
    mr_scr_line topo[MAX_LINES];
    target tgt[MAX_LINES];
    size_t ntopo;
    int sel;
    /* per-cluster load: offers and the time they were read */
    double *offers;
    double *load;
    mr_time offers_t;
    /* chart */
    double *share;
    unsigned char *fault;
    size_t cap_share;
    size_t nchart;  /* columns of share / fault in use */
    int per_column; /* windows per column */
    int chart;      /* MR_CHART_*: which the panel shows (c) */
    int focus;      /* MR_PANEL_*: where the keys act (tab) */
    size_t log_scroll, metrics_scroll;
    double *p99;            /* p99 latency per column (ms) */
    unsigned char *p99_fault;
    size_t cap_p99, np99;
    int per_p99;
    double **served; /* per region: requests per column */
    size_t cap_served, nserved;
    int per_served;
    /* metrics, log */
    mr_scr_line metrics[24];
    size_t nmetrics;
    mr_scr_line log[MAX_LOG];
    size_t nlog;
    char filter[64];
    char status[160]; /* the last action's outcome, shown in the key line */
    /* popups */
    mode mode;
    int menu_kind;
    mr_scr_line popup[MAX_POPUP];
    int pval[MAX_POPUP]; /* what each menu line means */
    size_t npopup;
    int popup_sel;
    char popup_title[96];
    int prompt_kind;
    char input[128];
    mr_live_fault pending;
    char pending_target[96], pending_peer[96];
    char saved_path[256];
    struct mr_screen **scrp; /* to draw a message before a long call */
} ui;

/* ---- formatting --------------------------------------------------------- */

/* h:mm:ss, and from a day on "Nd hh:mm:ss" (a year read "8760:00:00"). */
static void hms(mr_time t, char *buf, size_t n)
{
    long long s = (long long)(t / S);
    if (s >= 86400)
        snprintf(buf, n, "%lldd %02lld:%02lld:%02lld", s / 86400, s / 3600 % 24, s / 60 % 60,
                 s % 60);
    else
        snprintf(buf, n, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
}

/* ---- gathering the snapshot ----------------------------------------------- */

static void add_line(ui *u, const char *text, unsigned char attr, const target *t)
{
    if (u->ntopo >= MAX_LINES)
        return;
    mr_scr_line *l = &u->topo[u->ntopo];
    snprintf(l->text, sizeof l->text, "%s", text);
    l->attr = attr;
    l->selectable = t != NULL;
    if (t)
        u->tgt[u->ntopo] = *t;
    else
        memset(&u->tgt[u->ntopo], 0, sizeof u->tgt[0]);
    u->ntopo++;
}

static double stat_of(const mr_report *r, uint32_t id, const char *metric)
{
    return r ? mr_report_find_from(r, id, metric) : NAN;
}

/* A store's copy in region r: its primary at start, a replica, or one of
 * an account's regions. */
static int store_in(const mr_sc_datastore *ds, size_t r)
{
    if (ds->primary == r)
        return 1;
    for (size_t k = 0; k < ds->nreplicas; k++)
        if (ds->replicas[k].region == r)
            return 1;
    for (size_t k = 0; k < ds->regions.n; k++)
        if (ds->regions.v[k] == r)
            return 1;
    return 0;
}

/* The topology lines for a panel `width` columns wide (the marker's
 * excluded): every state from the live view (mr_live_read: the
 * components' status and their series as they stand now). */
static void build_topology(ui *u, const mr_live_view *v, int width)
{
    const mr_scenario *sc = mr_live_scenario(u->lv);
    u->ntopo = 0;
    char buf[256];
    /* Per-cluster load: requests routed to it since the last read (its
     * `served` series: the queue's offers, or at aggregate fidelity the
     * hub's expected offers), over at least half a simulated second. */
    double dt = (double)(v->now - u->offers_t) / 1e9;
    for (size_t c = 0; c < sc->nclusters; c++) {
        double o = stat_of(v->status, mr_build_cluster_id(sc, c), "served");
        if (!isnan(o) && dt > 0.5) {
            u->load[c] = (o - u->offers[c]) / dt;
            u->offers[c] = o;
        } else if (!isnan(o) && v->now < u->offers_t) {
            u->offers[c] = o; /* rebuilt from an earlier time */
        }
    }
    if (dt > 0.5 || v->now < u->offers_t)
        u->offers_t = v->now;
    for (size_t r = 0; r < sc->nregions; r++) {
        const mr_sc_region *reg = &sc->regions[r];
        double down = stat_of(v->status, (uint32_t)r, "down");
        double part = stat_of(v->status, (uint32_t)r, "partial");
        const char *state = down > 0 ? "DOWN" : part > 0 ? "partial outage" : "up";
        snprintf(buf, sizeof buf, "%s (%d zones)  %s", reg->name, reg->zones, state);
        target t = {.kind = MR_TARGET_REGION, .zones = reg->zones};
        snprintf(t.name, sizeof t.name, "%s", reg->name);
        add_line(u, buf, down > 0 ? MR_ATTR_BAD : part > 0 ? MR_ATTR_WARN : MR_ATTR_OK, &t);
        for (size_t c = 0; c < sc->nclusters; c++) {
            const mr_sc_cluster *cl = &sc->clusters[c];
            if (cl->region != r)
                continue;
            uint32_t id = mr_build_cluster_id(sc, c);
            double cdown = stat_of(v->status, id, "down"), deg = stat_of(v->status, id, "degraded");
            double pods = stat_of(v->status, id, "pods_serving");
            double starting = stat_of(v->status, id, "pods_starting");
            double prov = stat_of(v->status, id, "nodes_provisioning");
            double nodes = stat_of(v->status, id, "nodes_ready");
            int busy = starting > 0 || prov > 0;
            mr_scr_cluster cs = {.name = cl->name,
                                 .state = cdown > 0 ? "DOWN"
                                          : deg > 0 ? "degraded"
                                          : busy    ? "starting"
                                          : pods > 0 ? "up"
                                                     : "idle",
                                 .role = mr_role_names[cl->role],
                                 .rps = u->load[c],
                                 .pods = isnan(pods) ? 0 : (int)pods,
                                 .starting = isnan(starting) ? 0 : (int)starting,
                                 .nodes = isnan(nodes) ? 0 : (int)nodes,
                                 .provisioning = isnan(prov) ? 0 : (int)prov};
            mr_scr_cluster_text(&cs, width, buf, sizeof buf);
            target t2 = {.kind = MR_TARGET_CLUSTER};
            snprintf(t2.name, sizeof t2.name, "%s", cl->name);
            add_line(u, buf,
                     cdown > 0        ? MR_ATTR_BAD
                     : deg > 0 || busy ? MR_ATTR_WARN
                     : pods > 0       ? MR_ATTR_OK
                                      : MR_ATTR_DIM,
                     &t2);
        }
        for (size_t d = 0; d < sc->ndatastores; d++) {
            const mr_sc_datastore *ds = &sc->datastores[d];
            if (!store_in(ds, r))
                continue;
            uint32_t sid = mr_build_store_id(sc, d);
            double pr = stat_of(v->status, sid, "primary_region");
            double up = stat_of(v->status, sid, "primary_up");
            double sw = stat_of(v->status, sid, "switching");
            double fo = stat_of(v->report, sid, "failovers");
            mr_scr_store ss = {.name = ds->name,
                               .kind = ds->model ? ds->model->kind : "?",
                               .primary_here = isnan(pr) ? ds->primary == r : (size_t)pr == r,
                               .up = !(up == 0),
                               .switching = sw > 0,
                               .failovers = isnan(fo) ? 0 : (int)fo,
                               .lag_s = stat_of(v->status, sid, "lag_s")};
            mr_scr_store_text(&ss, width, buf, sizeof buf);
            target t3 = {.kind = MR_TARGET_DATASTORE};
            snprintf(t3.name, sizeof t3.name, "%s", ds->name);
            add_line(u, buf,
                     !ss.primary_here ? MR_ATTR_DIM
                     : !ss.up         ? MR_ATTR_BAD
                     : ss.switching || ss.failovers ? MR_ATTR_WARN
                                                     : MR_ATTR_OK,
                     &t3);
        }
    }
    const mr_sc_traffic *tr = &sc->traffic;
    uint32_t tid = mr_build_traffic_id(sc);
    snprintf(buf, sizeof buf, "traffic: %s", tr->model ? tr->model->kind : "?");
    target tt = {.kind = MR_TARGET_TRAFFIC};
    add_line(u, buf, MR_ATTR_NORMAL, &tt);
    const char *epname[64];
    double share[64];
    size_t nep = tr->nendpoints < 64 ? tr->nendpoints : 64;
    for (size_t e = 0; e < tr->nendpoints; e++) {
        char m[48];
        snprintf(m, sizeof m, "endpoint%zu_degraded", e);
        double dg = stat_of(v->status, tid, m);
        snprintf(m, sizeof m, "endpoint%zu_healthy_share", e);
        double hs = stat_of(v->status, tid, m);
        char extra[48] = "";
        if (!isnan(hs) && hs < 1)
            snprintf(extra, sizeof extra, " (healthy at %.0f%% of edges)", 100 * hs);
        snprintf(buf, sizeof buf, "  endpoint %-10s %s%s", sc->clusters[tr->endpoints[e].cluster].name,
                 /* Plain DNS has no health verdict: say so, not "-". */
                 isnan(dg) ? "not probed" : dg > 0 ? "Degraded" : "Online", extra);
        add_line(u, buf, isnan(dg) ? MR_ATTR_DIM : dg > 0 ? MR_ATTR_WARN : MR_ATTR_OK, NULL);
    }
    for (size_t p = 0; p < sc->nresolvers; p++) {
        /* The pool's answer shares: its series "answer_share/CLUSTER"
         * under "resolvers/POOL" (none under Front Door: anycast). */
        char comp[128];
        snprintf(comp, sizeof comp, "resolvers/%s", sc->resolvers[p].name);
        size_t have = 0;
        for (size_t e = 0; e < nep; e++) {
            char m[128];
            epname[e] = sc->clusters[tr->endpoints[e].cluster].name;
            snprintf(m, sizeof m, "answer_share/%s", epname[e]);
            share[e] = v->status ? mr_report_find(v->status, comp, m) : NAN;
            have += !isnan(share[e]);
        }
        mr_scr_resolver_text(sc->resolvers[p].name, epname, share, have ? nep : 0, width, buf,
                             sizeof buf);
        add_line(u, buf, MR_ATTR_NORMAL, NULL);
    }
    for (size_t d = 0; d < sc->ndependencies; d++) {
        char comp[128];
        snprintf(comp, sizeof comp, "dependencies/%s", sc->dependencies[d].name);
        double down = v->status ? mr_report_find(v->status, comp, "down") : NAN;
        mr_scr_dependency_text(sc->dependencies[d].name,
                               sc->dependencies[d].model ? sc->dependencies[d].model->kind : "?",
                               down > 0, width, buf, sizeof buf);
        target td = {.kind = MR_TARGET_DEPENDENCY};
        snprintf(td.name, sizeof td.name, "%s", sc->dependencies[d].name);
        add_line(u, buf, down > 0 ? MR_ATTR_BAD : MR_ATTR_OK, &td);
    }
    if (u->sel < 0 || (size_t)u->sel >= u->ntopo || !u->topo[u->sel].selectable)
        for (size_t i = 0; i < u->ntopo; i++)
            if (u->topo[i].selectable) {
                u->sel = (int)i;
                break;
            }
}

static void build_metrics(ui *u, const mr_live_view *v)
{
    u->nmetrics = 0;
    char a[64], b[64];
#define METRIC(at_, ...)                                                                           \
    do {                                                                                           \
        if (u->nmetrics < sizeof u->metrics / sizeof u->metrics[0]) {                              \
            snprintf(u->metrics[u->nmetrics].text, sizeof u->metrics[0].text, __VA_ARGS__);        \
            u->metrics[u->nmetrics++].attr = (at_);                                                \
        }                                                                                          \
    } while (0)
    /* The run table's units and names (sim/out/human.h, the metric names
     * without their unit suffix): what the panel shows reads as what
     * `mrsim run` prints for the written session. */
    const double *m = v->metrics;
    METRIC(MR_ATTR_NORMAL, "availability  %s", mr_hu_percent(a, sizeof a, m[MR_METRIC_AVAILABILITY]));
    METRIC(MR_ATTR_NORMAL, "downtime      %s", mr_hu_duration(a, sizeof a, m[MR_METRIC_DOWNTIME_S]));
    /* ">=" where `mrsim run` prints it: an episode or a group not
     * recovered makes the figure a lower bound. */
    int rto_lb, crto_lb;
    mr_live_lower_bounds(v, &rto_lb, &crto_lb);
    METRIC(MR_ATTR_NORMAL, "rto           %s%s", rto_lb ? ">=" : "",
           mr_hu_duration(a, sizeof a, m[MR_METRIC_RTO_S]));
    METRIC(MR_ATTR_NORMAL, "client_rto    %s%s", crto_lb ? ">=" : "",
           mr_hu_duration(a, sizeof a, m[MR_METRIC_CLIENT_RTO_S]));
    METRIC(MR_ATTR_NORMAL, "lost_writes   %-9s rpo %s", mr_hu_count(a, sizeof a, m[MR_METRIC_LOST_WRITES]),
           mr_hu_duration(b, sizeof b, m[MR_METRIC_RPO_S]));
    METRIC(MR_ATTR_NORMAL, "latency_p99   %s", mr_hu_ms(a, sizeof a, m[MR_METRIC_LATENCY_MS_P99]));
    METRIC(MR_ATTR_NORMAL, "cost_month    %s", mr_hu_usd(a, sizeof a, m[MR_METRIC_COST_USD_MONTH], 1));
    /* The latest episode: elapsed, and its milestones. */
    size_t nep = 0, nms = 0;
    const mr_episode_record *ep = mr_report_episodes(v->report, &nep);
    const mr_milestone_record *ms = mr_report_milestones(v->report, &nms);
    if (nep > 0) {
        const mr_episode_record *e = &ep[nep - 1];
        const mr_scenario *sc = mr_live_scenario(u->lv);
        double el = mr_time_to_s(v->now) - e->start_s;
        int open = isnan(e->end_s) || e->end_s > mr_time_to_s(v->now);
        METRIC(open ? MR_ATTR_WARN : MR_ATTR_NORMAL, "episode %zu: %s, %s %s", nep,
               e->fault < sc->nfaults ? sc->faults[e->fault].name : "?",
               open ? "in force for" : "lasted",
               mr_hu_duration(a, sizeof a, open ? el : e->end_s - e->start_s));
        for (size_t i = 0; i < nms; i++)
            if (ms[i].episode == nep - 1 && !isnan(ms[i].t_s))
                METRIC(MR_ATTR_NORMAL, "  +%s %s%s%s", mr_hu_duration(a, sizeof a, ms[i].t_s),
                       mr_milestone_label(ms[i].what),
                       ms[i].component[0] ? " " : "", ms[i].component);
    }
    size_t ninj = mr_live_injected_count(u->lv);
    if (ninj > 0)
        METRIC(mr_live_unsaved(u->lv) ? MR_ATTR_WARN : MR_ATTR_NORMAL, "injected faults   %zu%s",
               ninj, mr_live_unsaved(u->lv) ? " (not written: w)" : " (written)");
#undef METRIC
}

/* Sets fault[c] (c < n) for each column of k slots of w seconds in which
 * a fault episode was in force (n bytes cleared first). */
static void mark_faults(const mr_live_view *v, double w, size_t k, unsigned char *fault, size_t n)
{
    if (n > 0)
        memset(fault, 0, n);
    size_t nep = 0;
    const mr_episode_record *ep = mr_report_episodes(v->report, &nep);
    for (size_t e = 0; e < nep && w > 0 && n > 0; e++) {
        double end = isnan(ep[e].end_s) ? mr_time_to_s(v->now) : ep[e].end_s;
        size_t a = (size_t)(ep[e].start_s / w), b = (size_t)ceil(end / w);
        if (b <= a) /* an instant one (a store failover) still marks its window */
            b = a + 1;
        for (size_t c = a / k; c <= (b - 1) / k && c < n; c++)
            fault[c] = 1;
    }
}

/* The chart's columns: one per SLO window while they fit, else the whole
 * run so far with k windows per column, the worst of them shown (a miss
 * never averages away) and shaded when a fault was in force in any. */
static void build_chart(ui *u, const mr_live_view *v, int cols)
{
    size_t nwin = v->nwin;
    size_t k = cols > 0 && nwin > (size_t)cols ? (nwin + (size_t)cols - 1) / (size_t)cols : 1;
    size_t n = (nwin + k - 1) / k;
    if (n > u->cap_share) {
        u->cap_share = n + 64;
        u->share = mr_xrealloc(u->share, u->cap_share * sizeof *u->share);
        u->fault = mr_xrealloc(u->fault, u->cap_share);
    }
    /* Per column, not per window: a year has 3 million windows, and a
     * pass over them every frame cost more than the run. */
    for (size_t c = 0; c < n; c++)
        u->share[c] = mr_live_window_worst(u->lv, c * k, (c + 1) * k < nwin ? (c + 1) * k : nwin);
    if (n > 0)
        memset(u->fault, 0, n);
    mark_faults(v, mr_time_to_s(v->window), k, u->fault, n);
    u->nchart = n;
    u->per_column = (int)k;
}

/* The p99 latency columns: one per period while they fit, else the
 * largest p99 of k periods per column (a spike never averages away; the
 * p99 of their union is not kept), shaded where a fault was in force. */
static void build_p99(ui *u, const mr_live_view *v, int cols)
{
    size_t np = mr_live_periods(u->lv);
    size_t k = cols > 0 && np > (size_t)cols ? (np + (size_t)cols - 1) / (size_t)cols : 1;
    size_t n = (np + k - 1) / k;
    if (n > u->cap_p99 || u->p99 == NULL) {
        u->cap_p99 = n + 64;
        u->p99 = mr_xrealloc(u->p99, u->cap_p99 * sizeof *u->p99);
        u->p99_fault = mr_xrealloc(u->p99_fault, u->cap_p99);
    }
    for (size_t c = 0; c < n; c++) {
        double worst = NAN;
        for (size_t i = c * k; i < (c + 1) * k && i < np; i++) {
            double p = mr_live_latency_p99(u->lv, i);
            if (!isnan(p) && !(p <= worst))
                worst = p;
        }
        u->p99[c] = worst;
    }
    mark_faults(v, mr_time_to_s(mr_live_period(u->lv)), k, u->p99_fault, n);
    u->np99 = n;
    u->per_p99 = (int)k;
}

/* The requests-per-region columns: one per period while they fit, else
 * the mean of k periods per column (a column reads "per window" still). */
static void build_served(ui *u, int cols)
{
    const mr_scenario *sc = mr_live_scenario(u->lv);
    size_t np = mr_live_periods(u->lv);
    size_t k = cols > 0 && np > (size_t)cols ? (np + (size_t)cols - 1) / (size_t)cols : 1;
    size_t n = (np + k - 1) / k;
    if (n > u->cap_served || u->served == NULL) {
        u->cap_served = n + 64;
        for (size_t r = 0; r < sc->nregions; r++)
            u->served[r] = mr_xrealloc(u->served[r], u->cap_served * sizeof **u->served);
    }
    for (size_t r = 0; r < sc->nregions; r++)
        for (size_t c = 0; c < n; c++) {
            double sum = 0;
            size_t m = 0;
            for (size_t i = c * k; i < (c + 1) * k && i < np; i++, m++)
                sum += mr_live_served(u->lv, i, r);
            u->served[r][c] = m ? sum / (double)m : NAN;
        }
    u->nserved = n;
    u->per_served = (int)k;
}

/* The traffic layer's latest verdict change per endpoint, as the status
 * reports it (a verdict reaches the event log as a message only when a
 * failover policy listens): time and text, for build_log to merge. */
typedef struct seen {
    mr_time t;
    char text[96];
} seen;

static size_t endpoint_changes(const ui *u, const mr_live_view *v, seen *out, size_t cap)
{
    const mr_scenario *sc = mr_live_scenario(u->lv);
    uint32_t tid = mr_build_traffic_id(sc);
    size_t n = 0;
    for (size_t e = 0; e < sc->traffic.nendpoints && n < cap; e++) {
        char m[48];
        snprintf(m, sizeof m, "endpoint%zu_changed_s", e);
        double t = stat_of(v->status, tid, m);
        snprintf(m, sizeof m, "endpoint%zu_degraded", e);
        double dg = stat_of(v->status, tid, m);
        if (isnan(t) || t < 0 || isnan(dg))
            continue;
        out[n].t = (mr_time)llround(t * 1e9);
        snprintf(out[n].text, sizeof out[n].text, "endpoint %s %s (probes)",
                 sc->clusters[sc->traffic.endpoints[e].cluster].name, dg > 0 ? "Degraded" : "Online");
        n++;
    }
    return n;
}

static void build_log(ui *u, const mr_live_view *v)
{
    size_t n = mr_live_log_count(u->lv);
    u->nlog = 0;
    seen ch[16];
    size_t nch = endpoint_changes(u, v, ch, 16);
    /* The newest MAX_LOG that pass the filter, oldest first. */
    size_t keep[MAX_LOG];
    size_t nk = 0;
    char text[200];
    for (size_t i = n; i-- > 0 && nk < MAX_LOG;) {
        const mr_live_event *e = mr_live_log_at(u->lv, i);
        mr_live_event_text(u->lv, e, text, sizeof text);
        if (u->filter[0] && !strstr(text, u->filter))
            continue;
        keep[nk++] = i;
    }
    for (size_t j = nk + 1; j-- > 0;) {
        mr_time et = j > 0 ? mr_live_log_at(u->lv, keep[j - 1])->t : MR_TIME_NEVER;
        /* The endpoint changes that came before this entry. */
        for (size_t c = 0; c < nch; c++) {
            if (ch[c].t > et || ch[c].t < 0 || u->nlog >= MAX_LOG ||
                (u->filter[0] && !strstr(ch[c].text, u->filter)))
                continue;
            /* Said already by the message itself (a failover policy
             * listens): once. */
            char t0[32];
            hms(ch[c].t, t0, sizeof t0);
            char line[200];
            snprintf(line, sizeof line, "%s  %s", t0, ch[c].text);
            int dup = 0;
            for (size_t q = 0; q < u->nlog && !dup; q++)
                dup = strcmp(u->log[q].text, line) == 0;
            for (size_t jj = j; jj-- > 0 && !dup;) {
                const mr_live_event *nx = mr_live_log_at(u->lv, keep[jj]);
                if (nx->t != ch[c].t)
                    break;
                char nt[200];
                mr_live_event_text(u->lv, nx, nt, sizeof nt);
                dup = strcmp(nt, ch[c].text) == 0;
            }
            if (dup) {
                ch[c].t = -1;
                continue;
            }
            char t[32];
            hms(ch[c].t, t, sizeof t);
            mr_scr_line *l = &u->log[u->nlog++];
            snprintf(l->text, sizeof l->text, "%s  %s", t, ch[c].text);
            l->attr = strstr(ch[c].text, "Degraded") ? MR_ATTR_WARN : MR_ATTR_OK;
            ch[c].t = -1;
        }
        if (j == 0 || u->nlog >= MAX_LOG)
            break;
        const mr_live_event *e = mr_live_log_at(u->lv, keep[j - 1]);
        char t[32];
        hms(e->t, t, sizeof t);
        mr_live_event_text(u->lv, e, text, sizeof text);
        mr_scr_line *l = &u->log[u->nlog++];
        snprintf(l->text, sizeof l->text, "%s  %s", t, text);
        l->attr = strstr(text, "Degraded") || strncmp(text, "fault", 5) == 0 ? MR_ATTR_WARN
                  : strstr(text, "Online") || strncmp(text, "repaired", 8) == 0 ? MR_ATTR_OK
                                                                                : MR_ATTR_NORMAL;
    }
}

/* ---- drawing -------------------------------------------------------------- */

static attr_t attrs[MR_ATTR_COUNT];

static void init_attrs(int color)
{
    if (color) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_GREEN, -1);
        init_pair(2, COLOR_YELLOW, -1);
        init_pair(3, COLOR_RED, -1);
        init_pair(4, COLOR_CYAN, -1);
        init_pair(5, COLOR_BLACK, COLOR_CYAN);
        attrs[MR_ATTR_TITLE] = A_BOLD;
        attrs[MR_ATTR_OK] = COLOR_PAIR(1);
        attrs[MR_ATTR_WARN] = COLOR_PAIR(2) | A_BOLD;
        attrs[MR_ATTR_BAD] = COLOR_PAIR(3) | A_BOLD;
        attrs[MR_ATTR_DIM] = A_DIM;
        attrs[MR_ATTR_SELECT] = A_REVERSE;
        attrs[MR_ATTR_SHADE] = COLOR_PAIR(4);
        attrs[MR_ATTR_TARGET] = COLOR_PAIR(4);
    } else {
        /* Monochrome or NO_COLOR: every state is in words too. */
        attrs[MR_ATTR_TITLE] = A_BOLD;
        attrs[MR_ATTR_WARN] = A_BOLD;
        attrs[MR_ATTR_BAD] = A_BOLD | A_UNDERLINE;
        attrs[MR_ATTR_SELECT] = A_REVERSE;
    }
}

static void keys_line(const ui *u, int w, char *buf, size_t n)
{
    if (u->status[0]) {
        snprintf(buf, n, " %s", u->status);
        return;
    }
    switch (u->mode) {
    case MODE_MENU:
        snprintf(buf, n, " up/down choose  enter select  esc cancel");
        break;
    case MODE_PROMPT:
        snprintf(buf, n, " type, enter to accept, esc to cancel");
        break;
    case MODE_HELP:
    case MODE_DETAILS:
        snprintf(buf, n, " any key closes");
        break;
    case MODE_CONFIRM_QUIT:
        snprintf(buf, n, " w write the session   q quit without writing   esc stay");
        break;
    default:
        if (u->ended) {
            snprintf(buf, n, " ended  w write  enter details  tab panel  / filter  ? help  q quit");
        } else {
            /* The keys that fit, the rarer dropped first (? lists them all). */
            const char *run = u->paused ? "run" : "pause";
            char v[3][200];
            snprintf(v[0], sizeof v[0],
                     " space %s  +- speed  s/S step  g until  f fault  r repair  w write  c chart"
                     "  tab panel  / filter  ? help  q quit",
                     run);
            snprintf(v[1], sizeof v[1],
                     " space %s  +- speed  s/S step  g until  f fault  r repair  w write"
                     "  tab panel  ? help  q quit",
                     run);
            snprintf(v[2], sizeof v[2],
                     " space %s  +- speed  f fault  r repair  w write  tab panel  ? help  q quit",
                     run);
            int i = 0;
            while (i < 2 && (int)strlen(v[i]) > w)
                i++;
            snprintf(buf, n, "%s", v[i]);
        }
    }
}

static void draw(ui *u, mr_screen **scr)
{
    int h, w;
    getmaxyx(stdscr, h, w);
    if (*scr == NULL || (*scr)->w != w || (*scr)->h != h) {
        mr_screen_free(*scr);
        *scr = mr_screen_new(w, h);
    }
    const mr_live_view *v = mr_live_read(u->lv);
    u->ended = v->ended;
    build_topology(u, v, w / 2 - 1);
    build_metrics(u, v);
    build_chart(u, v, w - (w / 2 + 1) - 6);
    if (u->chart == MR_CHART_SERVED)
        build_served(u, w - (w / 2 + 1) - 6);
    if (u->chart == MR_CHART_P99)
        build_p99(u, v, w - (w / 2 + 1) - 6);
    build_log(u, v);
    const mr_scenario *sc = mr_live_scenario(u->lv);
    mr_scr_state st = {0};
    char now[32], hz[32];
    hms(v->now, now, sizeof now);
    hms(v->horizon, hz, sizeof hz);
    char rate[64] = "";
    if (!u->paused && !u->ended && u->rate > 0)
        snprintf(rate, sizeof rate, "  %.0fx wall", u->rate);
    else if (u->ended && u->run_wall > 0)
        snprintf(rate, sizeof rate, "  ran %.3f s", u->run_wall);
    /* Too long for the width (80 columns, a year's times): "mrsim tui"
     * goes first, then the horizon; the time, speed and rate stay. */
    for (int k = 0; k < 3; k++) {
        char hzp[40] = "";
        if (k < 2)
            snprintf(hzp, sizeof hzp, " / %s", hz);
        snprintf(st.header, sizeof st.header, " %s%s%s%s  seed %llu  %s%s  %s%s%s",
                 k == 0 ? "mrsim tui  " : "", sc->name, u->opts->variant ? "  variant " : "",
                 u->opts->variant ? u->opts->variant : "", (unsigned long long)mr_live_seed(u->lv),
                 now, hzp, u->ended ? "ENDED" : u->paused ? "paused" : speed_names[u->speed], rate,
                 u->goal >= 0 && !u->ended ? "  (running to a time)" : "");
        if ((int)strlen(st.header) <= w)
            break;
    }
    st.topo = u->topo;
    st.ntopo = u->ntopo;
    st.selected = u->sel;
    st.share = u->share;
    st.fault = u->fault;
    st.nshare = u->nchart;
    st.per_column = u->per_column;
    st.target = sc->slo.success_target;
    st.chart = u->chart;
    const char *rname[64];
    for (size_t r = 0; r < sc->nregions && r < 64; r++)
        rname[r] = sc->regions[r].name;
    st.served = (const double *const *)u->served;
    st.region = rname;
    st.nregions = sc->nregions < 64 ? sc->nregions : 64;
    st.nserved = u->nserved;
    st.per_served = u->per_served;
    st.p99 = u->p99;
    st.p99_fault = u->p99_fault;
    st.np99 = u->np99;
    st.per_p99 = u->per_p99;
    st.no_latency = sc->run.fidelity == MR_FIDELITY_AGGREGATE;
    st.metrics = u->metrics;
    st.nmetrics = u->nmetrics;
    st.log = u->log;
    st.nlog = u->nlog;
    st.filter = u->filter;
    st.focus = u->focus;
    /* Kept within what there is, so that k after a long scroll answers at once. */
    int logrows = (h - 2) / 3 - 1;
    size_t oldest = mr_screen_log_first(u->nlog, logrows, 0);
    if (u->log_scroll > oldest)
        u->log_scroll = oldest;
    st.log_scroll = u->log_scroll;
    if (u->metrics_scroll >= u->nmetrics)
        u->metrics_scroll = u->nmetrics ? u->nmetrics - 1 : 0;
    st.metrics_scroll = u->metrics_scroll;
    char keys[200];
    keys_line(u, w, keys, sizeof keys);
    st.keys = keys;
    st.popup_sel = -1;
    mr_scr_line prompt_line;
    if (u->mode == MODE_MENU || u->mode == MODE_HELP || u->mode == MODE_DETAILS ||
        u->mode == MODE_CONFIRM_QUIT) {
        st.popup_title = u->popup_title;
        st.popup = u->popup;
        st.npopup = u->npopup;
        st.popup_sel = u->mode == MODE_MENU || u->mode == MODE_CONFIRM_QUIT ? u->popup_sel : -1;
    } else if (u->mode == MODE_PROMPT) {
        snprintf(prompt_line.text, sizeof prompt_line.text, "%s_", u->input);
        prompt_line.attr = MR_ATTR_NORMAL;
        st.popup_title = u->popup_title;
        st.popup = &prompt_line;
        st.npopup = 1;
    }
    mr_screen_layout(*scr, &st);
    for (int y = 0; y < h; y++) {
        move(y, 0);
        for (int x = 0; x < w; x++) {
            const mr_cell *c = mr_screen_at(*scr, x, y);
            /* The last cell of the last row would scroll some terminals. */
            if (y == h - 1 && x == w - 1)
                break;
            addch((chtype)(unsigned char)c->ch | attrs[c->attr]);
        }
    }
    refresh();
}

/* ---- menus ----------------------------------------------------------------- */

static void popup_add(ui *u, const char *text, int val)
{
    if (u->npopup >= MAX_POPUP)
        return;
    snprintf(u->popup[u->npopup].text, sizeof u->popup[0].text, "%s", text);
    u->popup[u->npopup].attr = MR_ATTR_NORMAL;
    u->popup[u->npopup].selectable = 1;
    u->pval[u->npopup++] = val;
}

static void open_menu(ui *u, int kind, const char *title)
{
    u->mode = MODE_MENU;
    u->menu_kind = kind;
    u->npopup = 0;
    u->popup_sel = 0;
    snprintf(u->popup_title, sizeof u->popup_title, "%s", title);
}

static void menu_kinds(ui *u)
{
    const target *t = &u->tgt[u->sel];
    char title[128];
    snprintf(title, sizeof title, "Inject on %s",
             t->kind == MR_TARGET_TRAFFIC ? "the traffic layer" : t->name);
    open_menu(u, MENU_KIND, title);
    for (int k = 0; k < MR_FAULT_KIND_COUNT; k++) {
        mr_target_kind tk = mr_fault_kind_target((mr_fault_kind)k);
        if (tk == t->kind || (tk == MR_TARGET_ZONE && t->kind == MR_TARGET_REGION && t->zones > 0))
            popup_add(u, mr_fault_kind_name((mr_fault_kind)k), k);
    }
}

static void menu_durations(ui *u)
{
    open_menu(u, MENU_DURATION, "For how long");
    static const int mins[] = {1, 5, 10, 20, 30, 45, 60, 120};
    char b[32];
    for (size_t i = 0; i < sizeof mins / sizeof *mins; i++) {
        snprintf(b, sizeof b, "%d min", mins[i]);
        popup_add(u, b, mins[i]);
    }
    popup_add(u, "until repaired (r)", -1);
}

static void do_inject(ui *u)
{
    u->pending.target = u->pending_target[0] ? u->pending_target : NULL;
    u->pending.peer = u->pending_peer[0] ? u->pending_peer : NULL;
    char now[32];
    hms(mr_live_now(u->lv), now, sizeof now);
    snprintf(u->status, sizeof u->status, "injecting: re-running the replication to %s ...", now);
    u->mode = MODE_RUN;
    draw(u, u->scrp); /* an injection re-runs the replication so far: say so first */
    mr_diag *d = mr_diag_new();
    size_t idx = 0;
    int rc = mr_live_inject(u->lv, &u->pending, &idx, d);
    if (rc == MR_OK) {
        const mr_live_injected *in = mr_live_injected_at(u->lv, idx);
        snprintf(u->status, sizeof u->status, "injected %s: %s %s", in->name,
                 mr_fault_kind_name(in->kind), in->target);
    } else {
        snprintf(u->status, sizeof u->status, "not injected: %s",
                 mr_diag_count(d) ? mr_diag_line(d, 0) : mr_strerror(rc));
    }
    mr_diag_free(d);
}

static void menu_select(ui *u)
{
    int val = u->pval[u->popup_sel];
    const target *t = &u->tgt[u->sel];
    const mr_scenario *sc = mr_live_scenario(u->lv);
    char b[64];
    switch (u->menu_kind) {
    case MENU_KIND:
        memset(&u->pending, 0, sizeof u->pending);
        u->pending.kind = (mr_fault_kind)val;
        u->pending.severity = 1;
        snprintf(u->pending_target, sizeof u->pending_target, "%s", t->name);
        u->pending_peer[0] = '\0';
        if (val == MR_FAULT_ZONE_OUTAGE) {
            open_menu(u, MENU_ZONE, "Which zone");
            for (int z = 1; z <= t->zones; z++) {
                snprintf(b, sizeof b, "zone %d", z);
                popup_add(u, b, z);
            }
        } else if (val == MR_FAULT_GRAY_FAILURE) {
            open_menu(u, MENU_SEVERITY, "Severity: share of requests failed");
            popup_add(u, "10%", 10);
            popup_add(u, "25%", 25);
            popup_add(u, "50%", 50);
            popup_add(u, "100%", 100);
            popup_add(u, "inverted: probes fail, requests pass", -1);
        } else if (val == MR_FAULT_DATASTORE_FAILOVER) {
            open_menu(u, MENU_MODE, "Failover mode");
            popup_add(u, "forced (may lose writes)", 0);
            popup_add(u, "planned (waits for catch-up)", 1);
        } else if (val == MR_FAULT_NETWORK_PARTITION) {
            open_menu(u, MENU_PEER, "Cut it off from");
            popup_add(u, "the clients", -1);
            for (size_t r = 0; r < sc->nregions; r++)
                if (strcmp(sc->regions[r].name, t->name) != 0)
                    popup_add(u, sc->regions[r].name, (int)r);
        } else {
            menu_durations(u);
        }
        break;
    case MENU_ZONE:
        u->pending.zone = val;
        menu_durations(u);
        break;
    case MENU_SEVERITY:
        if (val < 0)
            u->pending.invert = 1;
        else
            u->pending.severity = val / 100.0;
        menu_durations(u);
        break;
    case MENU_MODE: /* a failover is a single action: no duration */
        u->pending.planned = val;
        do_inject(u);
        break;
    case MENU_PEER:
        snprintf(u->pending_peer, sizeof u->pending_peer, "%s", val < 0 ? "" : sc->regions[val].name);
        menu_durations(u);
        break;
    case MENU_DURATION:
        u->pending.duration = val < 0 ? MR_LIVE_UNTIL_REPAIRED : (mr_time)val * 60 * S;
        do_inject(u);
        break;
    }
}

static void show_help(ui *u)
{
    u->mode = MODE_HELP;
    u->npopup = 0;
    snprintf(u->popup_title, sizeof u->popup_title, "Keys");
    static const char *const lines[] = {
        "space        pause / resume",
        "+ -          speed up / down (x1 x10 x60 x600 max)",
        "s / S        step one event / one SLO window",
        "g            run until a simulated time (h:mm:ss, or 90m, 2h, 30d)",
        "c            chart: success ratio / p99 latency / requests per region",
        "tab S-tab    move the focus: topology, chart, metrics, event log",
        "up down j k  in the focused panel: the selection, the chart, scroll",
        "left right   the selection by group (h l); PgUp PgDn: the log",
        "enter        details of the selection (report and state)",
        "f            inject a fault on the selection",
        "r            repair the selection's injected faults now",
        "w            write the session as a scenario (mrsim run replays it)",
        "/            filter the event log (empty: no filter)",
        "? F1         this help",
        "q F10        quit (asks when injected faults are not written)",
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        popup_add(u, lines[i], 0);
}

static void show_details(ui *u)
{
    const target *t = &u->tgt[u->sel];
    const mr_live_view *v = mr_live_read(u->lv);
    u->mode = MODE_DETAILS;
    u->npopup = 0;
    snprintf(u->popup_title, sizeof u->popup_title, "%s (%s)",
             t->kind == MR_TARGET_TRAFFIC ? "traffic" : t->name, mr_target_kind_names[t->kind]);
    /* The component whose name is the target's, or ends with "/NAME". */
    char b[160];
    for (int pass = 0; pass < 2; pass++) {
        const mr_report *r = pass == 0 ? v->status : v->report;
        for (size_t i = 0; u->npopup < MAX_POPUP; i++) {
            const char *comp, *metric;
            double val;
            if (!mr_report_get(r, i, &comp, &metric, &val))
                break;
            uint32_t src = mr_report_source(r, i);
            const char *cname = mr_live_component_name(u->lv, src);
            size_t ln = strlen(cname), tn = strlen(t->name);
            int match = t->kind == MR_TARGET_TRAFFIC
                            ? src == mr_build_traffic_id(mr_live_scenario(u->lv))
                            : (strcmp(cname, t->name) == 0 ||
                               (ln > tn && cname[ln - tn - 1] == '/' &&
                                strcmp(cname + ln - tn, t->name) == 0));
            if (!match)
                continue;
            snprintf(b, sizeof b, "%-6s %-28s %.6g", pass == 0 ? "now" : "report", metric, val);
            popup_add(u, b, 0);
        }
    }
    if (u->npopup == 0)
        popup_add(u, "(nothing reported)", 0);
}

static void open_prompt(ui *u, int kind, const char *title, const char *initial)
{
    u->mode = MODE_PROMPT;
    u->prompt_kind = kind;
    snprintf(u->popup_title, sizeof u->popup_title, "%s", title);
    if (initial != u->input)
        snprintf(u->input, sizeof u->input, "%s", initial);
}

/* "1:30:00", "90:00", "5400", "90m", "1.5h", "30s" -> ns; -1 when bad. */
static mr_time parse_when(const char *s)
{
    int h = 0, m = 0, sec = 0;
    char unit = 0;
    double x;
    if (sscanf(s, "%d:%d:%d", &h, &m, &sec) == 3)
        return ((mr_time)h * 3600 + m * 60 + sec) * S;
    if (sscanf(s, "%d:%d", &m, &sec) == 2)
        return ((mr_time)m * 60 + sec) * S;
    int k = sscanf(s, "%lf%c", &x, &unit);
    if (k < 1 || x < 0)
        return -1;
    double mult = k == 1 || unit == 's' ? 1
                  : unit == 'm'         ? 60
                  : unit == 'h'         ? 3600
                  : unit == 'd'         ? 86400
                                        : -1;
    return mult < 0 ? -1 : (mr_time)llround(x * mult * 1e9);
}

static void default_session_path(const ui *u, char *buf, size_t n)
{
    const char *base = strrchr(u->opts->file, '/');
    base = base ? base + 1 : u->opts->file;
    size_t len = strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
        len -= 5;
    snprintf(buf, n, "%.*s-session.yaml", (int)len, base);
}

static void prompt_accept(ui *u)
{
    u->mode = MODE_RUN;
    switch (u->prompt_kind) {
    case PROMPT_GOTO: {
        mr_time t = parse_when(u->input);
        if (t < 0 || t <= mr_live_now(u->lv)) {
            snprintf(u->status, sizeof u->status, "not a time ahead of now: '%s'", u->input);
        } else {
            u->goal = t;
            u->paused = 0;
        }
        break;
    }
    case PROMPT_FILTER:
        snprintf(u->filter, sizeof u->filter, "%s", u->input);
        break;
    case PROMPT_WRITE: {
        mr_diag *d = mr_diag_new();
        int rc = mr_live_write(u->lv, u->input, d);
        if (rc == MR_OK) {
            snprintf(u->saved_path, sizeof u->saved_path, "%s", u->input);
            snprintf(u->status, sizeof u->status, "wrote %s: mrsim run %s --seed %llu -n 1",
                     u->input, u->input, (unsigned long long)mr_live_seed(u->lv));
        } else {
            snprintf(u->status, sizeof u->status, "not written: %s",
                     mr_diag_count(d) ? mr_diag_line(d, 0) : mr_strerror(rc));
        }
        mr_diag_free(d);
        break;
    }
    }
}

/* ---- keys ----------------------------------------------------------------- */

static void move_sel(ui *u, int dir, int by_group)
{
    int i = u->sel;
    for (int n = 0; n < (int)u->ntopo; n++) {
        i += dir;
        if (i < 0 || i >= (int)u->ntopo)
            return;
        if (!u->topo[i].selectable)
            continue;
        /* A group starts at a line that does not begin with a space. */
        if (by_group && u->topo[i].text[0] == ' ')
            continue;
        u->sel = i;
        return;
    }
}

/* Returns 1 to quit. */
static int key(ui *u, int ch)
{
    if (ch != ERR && ch != KEY_RESIZE)
        u->status[0] = '\0';
    switch (u->mode) {
    case MODE_HELP:
    case MODE_DETAILS:
        u->mode = MODE_RUN;
        return 0;
    case MODE_CONFIRM_QUIT:
        if (ch == 'q' || ch == KEY_F(10))
            return 1;
        if (ch == 'w') {
            default_session_path(u, u->input, sizeof u->input);
            open_prompt(u, PROMPT_WRITE, "Write the session to", u->input);
        } else if (ch == 27) {
            u->mode = MODE_RUN;
        }
        return 0;
    case MODE_MENU:
        /* Up from the first line wraps to the last ("until repaired"). */
        if (ch == KEY_UP || ch == 'k')
            u->popup_sel = u->popup_sel > 0 ? u->popup_sel - 1 : (int)u->npopup - 1;
        else if (ch == KEY_DOWN || ch == 'j')
            u->popup_sel = u->popup_sel + 1 < (int)u->npopup ? u->popup_sel + 1 : 0;
        else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
            menu_select(u);
        else if (ch == 27 || ch == 'q')
            u->mode = MODE_RUN;
        return 0;
    case MODE_PROMPT: {
        size_t n = strlen(u->input);
        if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
            prompt_accept(u);
        else if (ch == 27)
            u->mode = MODE_RUN;
        else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && n > 0)
            u->input[n - 1] = '\0';
        else if (ch >= 32 && ch < 127 && n + 1 < sizeof u->input) {
            u->input[n] = (char)ch;
            u->input[n + 1] = '\0';
        }
        return 0;
    }
    default:
        break;
    }
    switch (ch) {
    case ' ':
        u->paused = !u->paused;
        u->goal = -1;
        break;
    case '+':
    case '=':
        u->speed = u->speed + 1 < NSPEEDS ? u->speed + 1 : u->speed;
        break;
    case '-':
        u->speed = u->speed > 0 ? u->speed - 1 : 0;
        break;
    case 's':
        u->paused = 1;
        mr_live_step(u->lv, NULL);
        break;
    case 'S': {
        u->paused = 1;
        const mr_scenario *sc = mr_live_scenario(u->lv);
        mr_time w = sc->slo.window, now = mr_live_now(u->lv);
        mr_live_run_until(u->lv, (now / w + 1) * w, NULL);
        break;
    }
    case 'c':
        u->chart = (u->chart + 1) % MR_CHART_COUNT;
        break;
    case 'g':
        open_prompt(u, PROMPT_GOTO, "Run until (h:mm:ss, 90m, 2h, 30d)", "");
        break;
    case KEY_UP:
    case 'k':
    case KEY_DOWN:
    case 'j': {
        /* Up and down in the focused panel: the selection, the chart
         * shown, the metrics, the log (up: older). */
        int up = ch == KEY_UP || ch == 'k';
        if (u->focus == MR_PANEL_TOPOLOGY)
            move_sel(u, up ? -1 : 1, 0);
        else if (u->focus == MR_PANEL_CHART)
            u->chart = (u->chart + (up ? MR_CHART_COUNT - 1 : 1)) % MR_CHART_COUNT;
        else if (u->focus == MR_PANEL_METRICS)
            u->metrics_scroll = up ? (u->metrics_scroll ? u->metrics_scroll - 1 : 0)
                                   : u->metrics_scroll + 1;
        else
            u->log_scroll = up ? u->log_scroll + 1 : (u->log_scroll ? u->log_scroll - 1 : 0);
        break;
    }
    case KEY_PPAGE:
    case KEY_NPAGE:
        if (u->focus == MR_PANEL_LOG) {
            size_t page = 10;
            u->log_scroll = ch == KEY_PPAGE ? u->log_scroll + page
                            : u->log_scroll > page ? u->log_scroll - page
                                                   : 0;
        }
        break;
    case '\t':
        u->focus = (u->focus + 1) % MR_PANEL_COUNT;
        break;
    case KEY_BTAB:
        u->focus = (u->focus + MR_PANEL_COUNT - 1) % MR_PANEL_COUNT;
        break;
    case KEY_RIGHT:
    case 'l':
        u->focus = MR_PANEL_TOPOLOGY;
        move_sel(u, 1, 1);
        break;
    case KEY_LEFT:
    case 'h':
        u->focus = MR_PANEL_TOPOLOGY;
        move_sel(u, -1, 1);
        break;
    case '\n':
    case '\r':
    case KEY_ENTER:
        if (u->sel >= 0)
            show_details(u);
        break;
    case 'f':
        if (u->ended)
            snprintf(u->status, sizeof u->status, "the run has ended: nothing to inject");
        else if (u->sel >= 0)
            menu_kinds(u);
        break;
    case 'r': {
        if (u->sel < 0)
            break;
        const target *t = &u->tgt[u->sel];
        mr_diag *d = mr_diag_new();
        size_t n = 0;
        snprintf(u->status, sizeof u->status, "repairing: re-running the replication ...");
        draw(u, u->scrp);
        int rc = mr_live_repair(u->lv, t->kind == MR_TARGET_TRAFFIC ? "" : t->name, &n, d);
        if (rc != MR_OK)
            snprintf(u->status, sizeof u->status, "not repaired: %s",
                     mr_diag_count(d) ? mr_diag_line(d, 0) : mr_strerror(rc));
        else if (n == 0)
            snprintf(u->status, sizeof u->status,
                     "no injected fault in force on it (the file's own faults keep their times)");
        else
            snprintf(u->status, sizeof u->status, "repaired %zu fault%s", n, n == 1 ? "" : "s");
        mr_diag_free(d);
        break;
    }
    case 'w':
        default_session_path(u, u->input, sizeof u->input);
        open_prompt(u, PROMPT_WRITE, "Write the session to", u->input);
        break;
    case '/':
        open_prompt(u, PROMPT_FILTER, "Filter the event log", u->filter);
        break;
    case '?':
    case KEY_F(1):
        show_help(u);
        break;
    case 'q':
    case KEY_F(10):
        if (mr_live_unsaved(u->lv)) {
            u->mode = MODE_CONFIRM_QUIT;
            u->npopup = 0;
            u->popup_sel = -1;
            snprintf(u->popup_title, sizeof u->popup_title, "Injected faults not written");
            popup_add(u, "w  write the session first", 0);
            popup_add(u, "q  quit without writing", 0);
            popup_add(u, "esc  stay", 0);
            return 0;
        }
        return 1;
    default:
        break;
    }
    return 0;
}

/* ---- the loop --------------------------------------------------------------- */

/* Advances by about `budget` seconds of wall time at the current speed. */
static void advance(ui *u, double budget)
{
    if (u->paused || mr_live_ended(u->lv) || u->mode != MODE_RUN)
        return;
    mr_time now = mr_live_now(u->lv);
    int ended = 0;
    if (u->goal >= 0 && now >= u->goal) {
        u->goal = -1;
        u->paused = 1;
        return;
    }
    double sp = u->goal >= 0 ? INFINITY : speeds[u->speed];
    if (isinf(sp)) {
        /* As fast as it goes: slices of simulated time sized so that one
         * takes a few milliseconds, until the budget is spent. */
        static mr_time chunk = S;
        double t0 = wall();
        while (!ended && wall() - t0 < budget) {
            mr_time to = mr_live_now(u->lv) + chunk;
            if (u->goal >= 0 && to > u->goal)
                to = u->goal;
            double c0 = wall();
            mr_live_run_until(u->lv, to, &ended);
            double took = wall() - c0;
            /* No cap but the horizon: a year at aggregate fidelity passes
             * an hour of simulated time in microseconds, and a cap of an
             * hour made its 8,760 slices cost more than the run. */
            if (took < 0.002 && chunk < mr_live_horizon(u->lv))
                chunk *= 2;
            else if (took > 0.008 && chunk > S / 1000)
                chunk /= 2;
            if (u->goal >= 0 && mr_live_now(u->lv) >= u->goal)
                break;
        }
    } else {
        /* x1 .. x600: as much simulated time as the wall clock moved since
         * the last slice (at most a quarter second of it, after a long
         * frame), so the speed is what it says however cheap the run. */
        (void)budget;
        double w = wall();
        double dtw = u->adv_wall > 0 ? w - u->adv_wall : 1.0 / 30;
        u->adv_wall = w;
        if (dtw > 0.25)
            dtw = 0.25;
        mr_live_advance(u->lv, (mr_time)(sp * dtw * 1e9), &ended);
    }
}

int mr_tui_run(mr_live *lv, const mr_tui_opts *opts)
{
    ui *u = mr_xcalloc(1, sizeof *u);
    u->lv = lv;
    u->opts = opts;
    u->speed = 2; /* x60: a two-hour drill in two minutes */
    u->paused = 1;
    u->goal = -1;
    u->sel = -1;
    const mr_scenario *sc = mr_live_scenario(lv);
    u->offers = mr_xcalloc(sc->nclusters ? sc->nclusters : 1, sizeof *u->offers);
    u->load = mr_xcalloc(sc->nclusters ? sc->nclusters : 1, sizeof *u->load);
    u->served = mr_xcalloc(sc->nregions ? sc->nregions : 1, sizeof *u->served);
    for (size_t c = 0; c < sc->nclusters; c++)
        u->load[c] = NAN;
    const char *nc = getenv("NO_COLOR");
    u->nocolor = nc != NULL && nc[0] != '\0';

    struct sigaction sa = {0};
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGSEGV, on_fatal);
    signal(SIGBUS, on_fatal);
    signal(SIGFPE, on_fatal);
    signal(SIGABRT, on_fatal);

    if (initscr() == NULL) {
        fprintf(stderr, "mrsim: error: tui: cannot set up the terminal\n");
        free(u);
        return 1;
    }
    screen_open = 1;
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    init_attrs(!u->nocolor && has_colors());

    mr_screen *scr = NULL;
    u->scrp = &scr;
    double last_draw = 0, frame = 1.0 / 30, draw_cost = 0;
    double rate_w0 = wall();
    mr_time rate_s0 = mr_live_now(lv);
    int quit = 0;
    draw(u, &scr);
    while (!quit && !got_signal) {
        int running = !u->paused && !mr_live_ended(lv) && u->mode == MODE_RUN;
        double t = wall();
        if (!running)
            u->adv_wall = 0;
        int flat_out = running && (u->goal >= 0 || isinf(speeds[u->speed]));
        /* The slice: most of a frame, and at least three times what the
         * last frame took to draw, so that drawing (a report of every
         * component, the chart over every window so far) never takes more
         * than a quarter of the time at max speed, however long the run. */
        if (running)
            advance(u, frame * 0.8 > 3 * draw_cost ? frame * 0.8 : 3 * draw_cost);
        /* The measured rate, over about a second. */
        double tw = wall();
        if (tw - rate_w0 >= 1.0) {
            u->rate = running ? mr_time_to_s(mr_live_now(lv) - rate_s0) / (tw - rate_w0) : 0;
            rate_w0 = tw;
            rate_s0 = mr_live_now(lv);
        }
        /* The end shows at once: nothing more to run. */
        int ended_now = mr_live_ended(lv) && !u->ended;
        if (tw - last_draw >= frame || ended_now) {
            double d0 = wall();
            draw(u, &scr);
            last_draw = wall();
            draw_cost = last_draw - d0;
        }
        /* Keys: no wait while the simulation runs flat out (max, run
         * until), the rest of the frame otherwise. */
        int wait_ms = flat_out ? 0 : (int)((frame - (wall() - t)) * 1000);
        timeout(wait_ms > 0 ? wait_ms : 0);
        int ch = getch();
        int handled = 0;
        while (ch != ERR && !quit) {
            if (ch != KEY_RESIZE)
                quit = key(u, ch);
            handled = 1;
            timeout(0);
            ch = getch();
        }
        if (handled)
            last_draw = 0; /* a key's effect shows at once */
        /* Wall time while running (slices, the frames drawn meanwhile,
         * keys): the header's figure at the end (bench/README.md). */
        if (running)
            u->run_wall += (ended_now ? tw : wall()) - t;
    }
    mr_screen_free(scr);
    endwin();
    screen_open = 0;
    int status = got_signal ? 130 : 0;
    if (u->saved_path[0])
        printf("mrsim: session written to %s (replay: mrsim run %s --seed %llu -n 1)\n",
               u->saved_path, u->saved_path, (unsigned long long)mr_live_seed(lv));
    free(u->offers);
    free(u->load);
    free(u->share);
    free(u->fault);
    free(u->p99);
    free(u->p99_fault);
    for (size_t r = 0; r < mr_live_scenario(lv)->nregions; r++)
        free(u->served[r]); /* the scenario now: sc was replaced at an injection */
    free(u->served);
    free(u);
    return status;
}
