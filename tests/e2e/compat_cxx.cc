// compat_cxx.t's workload: a C++ program whose allocation functions are aliases of one
// another (operator new/new[] and xalloc at one address; operator delete/delete[], xfree and
// cfree_ at another), and which calls a shared library through its PLT in a hot loop.
// Built as the library (-DLIB) and the program, by ld.bfd and by lld.
#include <cstddef>
#include <cstdlib>

extern "C" int plt_a(int x);
extern "C" int plt_b(int x);

#ifdef LIB
extern "C" int plt_a(int x) { return x * 3 + 1; }
extern "C" int plt_b(int x) { return x ^ (x >> 3); }
#else
static char arena[1 << 22];
static size_t arena_used;
static volatile unsigned long sink;

extern "C" __attribute__((noinline, used)) void *xalloc(size_t n)
{
	for (unsigned long i = 0; i < 2000; i++)	// the allocator's own time
		sink += i * n;
	if (arena_used + n > sizeof(arena))
		arena_used = 0;
	void *p = arena + arena_used;
	arena_used += (n + 15) & ~(size_t)15;
	return p;
}

extern "C" __attribute__((noinline, used)) void xfree(void *p)
{
	for (unsigned long i = 0; i < 1500; i++)
		sink += i ^ (unsigned long)p;
}

// the aliases, as an allocator library defines them
void *operator new(size_t n) __attribute__((alias("xalloc")));
void *operator new[](size_t n) __attribute__((alias("xalloc")));
void operator delete(void *p) noexcept __attribute__((alias("xfree")));
void operator delete[](void *p) noexcept __attribute__((alias("xfree")));
extern "C" void cfree_(void *p) __attribute__((alias("xfree")));

struct node {
	node *next;
	long v;
};

__attribute__((noinline)) static long churn(int n)
{
	long s = 0;
	node *head = nullptr;

	for (int i = 0; i < n; i++) {
		node *x = new node{ head, i };
		head = x;
		int *a = new int[8];
		a[0] = i;
		s += a[0];
		delete[] a;
	}
	while (head) {
		node *nx = head->next;
		s += head->v;
		operator delete(head);
		head = nx;
	}
	return s;
}

__attribute__((noinline)) static long plt_loop(int n)
{
	long s = 0;

	for (int i = 0; i < n; i++)
		s += plt_a(i) + plt_b(i);
	return s;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 100;
	long s = 0;

	for (int r = 0; r < rounds; r++) {
		s += churn(200);
		s += plt_loop(200000);
	}
	return s == 42;
}
#endif
