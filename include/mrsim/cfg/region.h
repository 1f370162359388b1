/* include/mrsim/cfg/region.h: the configuration of a region
 * (models/region.c) as the builder hands it. */
#ifndef MRSIM_CFG_REGION_H
#define MRSIM_CFG_REGION_H

#include <stdint.h>

#define MR_MAX_REGIONS 32
#define MR_MAX_ZONES 3 /* docs/reference.md §9: zonal regions have three zones */

/* A region. Arrays indexed by region (round trips, partitions) use its
 * index, its position among the scenario's regions, never its component
 * id. */
typedef struct mr_region_cfg {
    int64_t index; /* 0 .. regions - 1 */
    int64_t zones;
    int64_t faults; /* component id of the fault injector (ramps); -1: none */
} mr_region_cfg;

#endif
