/* models/redis.c: Azure Cache for Redis: cache-aside in front of a store of record, geo-replicated, cold after failover.
 * The behaviour is the single-primary store of store_primary.c; this file
 * names the kind. */
#include "mrsim/error.h"
#include "store.h"

static int redis_init(mr_component *self, mr_diag *diag)
{
    int rc = mr_pstore_init(self, diag);
    if (rc != MR_OK)
        return rc;
    ((mr_pstore_state *)self->state)->flavor = MR_PSTORE_REDIS;
    return MR_OK;
}

const mr_model mr_model_redis = {
    .kind = "redis",
    .summary = "Azure Cache for Redis: cache-aside in front of a store of record, geo-replicated, cold after failover",
    .cfg_size = sizeof(mr_pstore_cfg),
    .state_size = sizeof(mr_pstore_state),
    .init = redis_init,
    .link = mr_pstore_link,
    .start = mr_pstore_start,
    .handle = mr_pstore_handle,
    .report = mr_pstore_report,
    .event_name = mr_pstore_event_name,
    .fini = mr_pstore_fini,
};
