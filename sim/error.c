/* sim/error.c: messages and names of the MR_E* codes, generated from the
 * same X-macro list as the enum. */
#include "mrsim/error.h"

const char *mr_strerror(int rc)
{
    switch (rc) {
#define MR_ERRNO_TEXT(name, value, text)                                                \
    case MR_##name:                                                                     \
        return text;
        MR_ERRNO_MAP(MR_ERRNO_TEXT)
#undef MR_ERRNO_TEXT
    }
    return "unknown error";
}

const char *mr_errname(int rc)
{
    switch (rc) {
#define MR_ERRNO_NAME(name, value, text)                                                \
    case MR_##name:                                                                     \
        return #name;
        MR_ERRNO_MAP(MR_ERRNO_NAME)
#undef MR_ERRNO_NAME
    }
    return "UNKNOWN";
}
