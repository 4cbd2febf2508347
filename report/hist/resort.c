/* Owns the order in which preport prints its entries: perf report's output resort.
 *
 * perf inserts the entries, taken in the order of its entry tree, one by one into a
 * red-black tree keyed by its output comparator (an entry that compares equal goes to the
 * right of the one it meets), then walks that tree in order. Its comparator is not a total
 * order (with call chains, "caller above callee of equal period" applies only within one
 * thread), so the printed order depends on the tree's shape: a plain sort gets the rows of
 * equal overhead in another order. This file builds the same tree (standard bottom-up
 * red-black insertion, the algorithm the kernel's rbtree uses) and reads it back. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "report/hist/resort.h"

#define NIL UINT32_MAX

struct rbt {
	uint32_t *left, *right, *parent;
	uint8_t *red;
	uint32_t root;
};

static void rotate_left(struct rbt *t, uint32_t x)
{
	uint32_t y = t->right[x], p = t->parent[x];

	t->right[x] = t->left[y];
	if (t->left[y] != NIL)
		t->parent[t->left[y]] = x;
	t->parent[y] = p;
	if (p == NIL)
		t->root = y;
	else if (t->left[p] == x)
		t->left[p] = y;
	else
		t->right[p] = y;
	t->left[y] = x;
	t->parent[x] = y;
}

static void rotate_right(struct rbt *t, uint32_t x)
{
	uint32_t y = t->left[x], p = t->parent[x];

	t->left[x] = t->right[y];
	if (t->right[y] != NIL)
		t->parent[t->right[y]] = x;
	t->parent[y] = p;
	if (p == NIL)
		t->root = y;
	else if (t->right[p] == x)
		t->right[p] = y;
	else
		t->left[p] = y;
	t->right[y] = x;
	t->parent[x] = y;
}

static void fixup(struct rbt *t, uint32_t z)
{
	while (t->parent[z] != NIL && t->red[t->parent[z]]) {
		uint32_t p = t->parent[z], g = t->parent[p];

		if (p == t->left[g]) {
			uint32_t u = t->right[g];

			if (u != NIL && t->red[u]) {		/* recolor, go up */
				t->red[p] = t->red[u] = 0;
				t->red[g] = 1;
				z = g;
				continue;
			}
			if (z == t->right[p]) {			/* inner child: straighten */
				z = p;
				rotate_left(t, z);
				p = t->parent[z];
			}
			t->red[p] = 0;
			t->red[g] = 1;
			rotate_right(t, g);
		} else {
			uint32_t u = t->left[g];

			if (u != NIL && t->red[u]) {
				t->red[p] = t->red[u] = 0;
				t->red[g] = 1;
				z = g;
				continue;
			}
			if (z == t->left[p]) {
				z = p;
				rotate_right(t, z);
				p = t->parent[z];
			}
			t->red[p] = 0;
			t->red[g] = 1;
			rotate_left(t, g);
		}
	}
	t->red[t->root] = 0;
}

int resort__tree(void **v, size_t nr, int (*cmp)(const void *a, const void *b))
{
	struct rbt t = { .root = NIL };
	void **out = NULL;
	uint32_t *stack = NULL;
	size_t n = 0, sp = 0;
	int err = -ENOMEM;

	if (nr < 2)
		return 0;
	if (nr >= NIL)
		return -E2BIG;
	t.left = malloc(nr * sizeof(*t.left));
	t.right = malloc(nr * sizeof(*t.right));
	t.parent = malloc(nr * sizeof(*t.parent));
	t.red = malloc(nr);
	out = malloc(nr * sizeof(*out));
	stack = malloc(nr * sizeof(*stack));
	if (!t.left || !t.right || !t.parent || !t.red || !out || !stack)
		goto out;
	for (uint32_t i = 0; i < nr; i++) {
		uint32_t x = t.root, y = NIL;
		bool go_left = false;

		while (x != NIL) {
			y = x;
			go_left = cmp(&v[i], &v[x]) < 0;
			x = go_left ? t.left[x] : t.right[x];
		}
		t.left[i] = t.right[i] = NIL;
		t.parent[i] = y;
		t.red[i] = 1;
		if (y == NIL)
			t.root = i;
		else if (go_left)
			t.left[y] = i;
		else
			t.right[y] = i;
		fixup(&t, i);
	}
	/* in-order walk */
	for (uint32_t x = t.root; x != NIL || sp;) {
		while (x != NIL) {
			stack[sp++] = x;
			x = t.left[x];
		}
		x = stack[--sp];
		out[n++] = v[x];
		x = t.right[x];
	}
	for (size_t i = 0; i < nr; i++)
		v[i] = out[i];
	err = 0;
out:
	free(t.left);
	free(t.right);
	free(t.parent);
	free(t.red);
	free(out);
	free(stack);
	return err;
}
