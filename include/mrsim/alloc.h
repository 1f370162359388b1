/* include/mrsim/alloc.h: the one allocator of the kernel and the models.
 * Running out of memory is fatal (house rule 7): these never return NULL.
 * Before aborting they call the fatal hook, so the terminal UI can restore
 * the terminal first. Tests can make the Nth allocation fail. */
#ifndef MRSIM_ALLOC_H
#define MRSIM_ALLOC_H

#include <stddef.h>

void *mr_xmalloc(size_t n);
void *mr_xcalloc(size_t count, size_t size);
void *mr_xrealloc(void *p, size_t n);
char *mr_xstrdup(const char *s);

/* Sets the function called once before an out-of-memory abort (NULL: none).
 * Process-wide; set it before starting threads. */
void mr_set_fatal_hook(void (*hook)(void));

/* Test hook: the nth allocation from now (1 = the next one) fails as if the
 * system were out of memory; 0 disables. Process-wide, thread-safe. */
void mr_alloc_fail_after(long n);

/* Prints "mrsim: fatal: MESSAGE" on stderr, runs the fatal hook, aborts.
 * For internal invariants that must hold in release builds too. */
_Noreturn void mr_fatal(const char *fmt, ...);

#endif
