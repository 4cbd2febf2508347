/* The inline test program of preport_inline.t and unwind_inline.t (built by build_inl in
 * lib.sh): always_inline levels in the executable and, with -DLIB, in a shared library,
 * built -O2 -fomit-frame-pointer so only DWARF unwinds through it. */
#include <stdlib.h>
#ifdef LIB
static volatile long y;
static inline __attribute__((always_inline)) void lib_deep(long i) { for (int k = 0; k < 16; k++) y += i ^ k; }
static inline __attribute__((always_inline)) void lib_mid(long i) { lib_deep(i); y ^= i; }
__attribute__((noinline)) void lib_work(long n) { for (long i = 0; i < n; i++) lib_mid(i); }
#else
void lib_work(long n);
static volatile long x;
static inline __attribute__((always_inline)) void deep(long i) { for (int k = 0; k < 16; k++) x += i ^ k; }
static inline __attribute__((always_inline)) void mid(long i) { deep(i); x ^= i; }
__attribute__((noinline)) void work(long n) { for (long i = 0; i < n; i++) mid(i); }
__attribute__((noinline)) void outer(long n) { work(n); lib_work(n); x++; }
int main(int argc, char **argv) { outer(argc > 1 ? atol(argv[1]) : INL_N); return 0; }
#endif
