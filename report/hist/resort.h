/* perf report's output resort: a red-black tree insertion in a given order, read in order. */
#ifndef REPORT_HIST_RESORT_H
#define REPORT_HIST_RESORT_H

#include <stdbool.h>
#include <stddef.h>

/* Reorders v[0..nr) to the in-order walk of a red-black tree into which v[0], v[1], ... were
 * inserted in that order, an element going left of a node when cmp(&elem, &node) < 0 and
 * right otherwise (ties go right). cmp has qsort's signature. 0, or -ENOMEM (v unchanged). */
int resort__tree(void **v, size_t nr, int (*cmp)(const void *a, const void *b));

#endif
