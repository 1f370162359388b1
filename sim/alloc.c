/* sim/alloc.c: the allocator of the kernel and the models. Out of memory is
 * fatal: print, run the fatal hook (the TUI restores the terminal), abort.
 * A test hook makes the Nth allocation fail so the fatal path is tested. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrsim/alloc.h"

static void (*fatal_hook)(void);
static atomic_long fail_countdown;

void mr_set_fatal_hook(void (*hook)(void))
{
    fatal_hook = hook;
}

void mr_alloc_fail_after(long n)
{
    atomic_store(&fail_countdown, n > 0 ? n : 0);
}

_Noreturn void mr_fatal(const char *fmt, ...)
{
    va_list ap;
    fputs("mrsim: fatal: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (fatal_hook)
        fatal_hook();
    abort();
}

/* True when the test hook says this allocation must fail. The common case
 * (hook off) is one relaxed load. */
static int injected_failure(void)
{
    long n = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
    while (n > 0) {
        if (atomic_compare_exchange_weak(&fail_countdown, &n, n - 1))
            return n == 1;
    }
    return 0;
}

static void *checked(void *p, size_t n)
{
    if (p == NULL)
        mr_fatal("out of memory (allocating %zu bytes)", n);
    return p;
}

void *mr_xmalloc(size_t n)
{
    if (injected_failure())
        return checked(NULL, n);
    return checked(malloc(n ? n : 1), n);
}

void *mr_xcalloc(size_t count, size_t size)
{
    if (size != 0 && count > (size_t)-1 / size)
        mr_fatal("allocation size overflow (%zu x %zu)", count, size);
    if (injected_failure())
        return checked(NULL, count * size);
    return checked(calloc(count ? count : 1, size ? size : 1), count * size);
}

void *mr_xrealloc(void *p, size_t n)
{
    if (injected_failure())
        return checked(NULL, n);
    return checked(realloc(p, n ? n : 1), n);
}

char *mr_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = mr_xmalloc(n);
    memcpy(d, s, n);
    return d;
}
