/* include/mrsim/cfg/slo.h: the configuration of the SLO
 * collector (models/slo.c) as the builder hands it: the windows, the
 * warm-up and the targets every success ratio is measured against. */
#ifndef MRSIM_CFG_SLO_H
#define MRSIM_CFG_SLO_H

#include <stdint.h>

#include "mrsim/simtime.h"

typedef struct mr_slo_cfg {
    mr_time window, warmup, horizon, stable_for;
    double success_target;
    int64_t resolvers; /* resolvers of every pool */
    /* Client RTO's groups (docs/model.md): one per client population and
     * resolver of its pool, population p's from its cfg's group_base; and
     * the populations, for the per-population figures. */
    int64_t groups, populations;
    int64_t aggregate; /* 1: counts come from mr__slo_integrate (sparse windows) */
} mr_slo_cfg;


#endif
