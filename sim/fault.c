/* sim/fault.c: the names of the fault kinds and their targets
 * (include/mrsim/fault.h), generated from the one X-macro list. */
#include <stddef.h>

#include "mrsim/fault.h"

#define NAME2(c, s) s,
#define NAME3(c, s, t) s,
const char *const mr_fault_kind_names[] = {MR_FAULT_KIND_MAP(NAME3) NULL};
const char *const mr_target_kind_names[] = {MR_TARGET_KIND_MAP(NAME2) NULL};
#undef NAME2
#undef NAME3

const char *mr_fault_kind_name(mr_fault_kind kind)
{
    return (unsigned)kind < MR_FAULT_KIND_COUNT ? mr_fault_kind_names[kind] : "?";
}

mr_target_kind mr_fault_kind_target(mr_fault_kind kind)
{
    static const mr_target_kind targets[] = {
#define X(c, s, t) MR_TARGET_##t,
        MR_FAULT_KIND_MAP(X)
#undef X
    };
    return (unsigned)kind < MR_FAULT_KIND_COUNT ? targets[kind] : MR_TARGET_REGION;
}
