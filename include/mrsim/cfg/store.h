/* include/mrsim/cfg/store.h: what every data store kind
 * shares: how it fails over. */
#ifndef MRSIM_CFG_STORE_H
#define MRSIM_CFG_STORE_H


#define MR_FAILOVER_MODE_MAP(X) X(AUTOMATIC, "automatic") X(MANUAL, "manual")

typedef enum mr_failover_mode {
#define X(c, s) MR_FAILOVER_##c,
    MR_FAILOVER_MODE_MAP(X)
#undef X
} mr_failover_mode;

#endif
