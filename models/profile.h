/* models/profile.h: private to models/. The daily profile of a client
 * population's request rate (docs/model.md "DNS caches and clients": a Poisson process whose
 * rate can follow a daily profile), written once for both fidelities:
 * request fidelity thins arrivals by it (clients.c), aggregate fidelity
 * integrates it (clients_agg.c). A constant profile is 1; a diurnal one is
 * a cosine of period one day between trough and peak, at its peak at
 * peak_at (mod one day). The rate is cfg->rate times the profile. */
#ifndef MRSIM_MODELS_PROFILE_H
#define MRSIM_MODELS_PROFILE_H

#include <math.h>

#include "mrsim/simtime.h"
#include "mrsim/cfg/clients.h"

static const double MR_PROFILE_TWO_PI = 6.28318530717958647692;

/* The rate multiplier at time t. */
static inline double mr_profile_at(const mr_clients_cfg *cfg, mr_time t)
{
    if (cfg->profile != MR_PROFILE_DIURNAL)
        return 1;
    double phase = (double)((t - cfg->peak_at) % MR_DAY) / (double)MR_DAY;
    return cfg->trough + (cfg->peak - cfg->trough) * 0.5 * (1 + cos(MR_PROFILE_TWO_PI * phase));
}

/* The largest multiplier over a day (the thinning bound). */
static inline double mr_profile_max(const mr_clients_cfg *cfg)
{
    if (cfg->profile != MR_PROFILE_DIURNAL)
        return 1;
    return cfg->peak > cfg->trough ? cfg->peak : cfg->trough;
}

/* The integral of the multiplier from 0 to t, in seconds (closed form), so
 * that an interval's mean costs one sine per end. */
static inline double mr_profile_integral(const mr_clients_cfg *cfg, mr_time t)
{
    double ts = mr_time_to_s(t);
    if (cfg->profile != MR_PROFILE_DIURNAL)
        return ts;
    double amp = (cfg->peak - cfg->trough) * 0.5, day = mr_time_to_s(MR_DAY);
    double phase = (double)((t - cfg->peak_at) % MR_DAY) / (double)MR_DAY;
    double phase0 = (double)((-cfg->peak_at) % MR_DAY) / (double)MR_DAY;
    return (cfg->trough + amp) * ts + amp * day / MR_PROFILE_TWO_PI *
                                          (sin(MR_PROFILE_TWO_PI * phase) -
                                           sin(MR_PROFILE_TWO_PI * phase0));
}

#endif
