/* include/mrsim/error.h: error codes. Every fallible call returns int rc:
 * MR_OK (0) or a negative MR_E* code, and a call that fails has changed
 * nothing. The list is an X-macro so names and messages cannot drift. */
#ifndef MRSIM_ERROR_H
#define MRSIM_ERROR_H

#define MR_ERRNO_MAP(X)                                                        \
    X(OK, 0, "success")                                                        \
    X(EINVAL, -1, "invalid argument")                                          \
    X(EPAST, -2, "event time is before the current simulated time")            \
    X(EDELAY, -3, "negative delay")                                            \
    X(ENOCOMP, -4, "no component with that id")                                \
    X(ESTALE, -5, "event handle is not pending (already fired or cancelled)") \
    X(ERANGE, -6, "value out of range")                                        \
    X(EEXIST, -7, "name already in use")                                       \
    X(ENOENT, -8, "no such name")                                              \
    X(EBUSY, -9, "events or pool blocks still live")                           \
    X(ESTATE, -10, "call not allowed in the current state")                    \
    X(EIO, -11, "input or output failure")                                     \
    X(ESCENARIO, -12, "invalid scenario")                                      \
    X(EMODEL, -13, "a model reported a failure")                               \
    X(EEMPTY, -14, "nothing pending")                                          \
    X(EINTR, -15, "interrupted")

enum mr_errno {
#define MR_ERRNO_ENUM(name, value, text) MR_##name = (value),
    MR_ERRNO_MAP(MR_ERRNO_ENUM)
#undef MR_ERRNO_ENUM
};

/* A fixed English message for rc; "unknown error" for a code not in the map. */
const char *mr_strerror(int rc);

/* The code's name without prefix ("EPAST"); "UNKNOWN" for a code not in the map. */
const char *mr_errname(int rc);

#endif
