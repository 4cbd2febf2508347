/* Owns the per-process view check (mount namespace and root against ours, kept per pid),
 * opening files through /proc/PID/root, and the JIT maps of namespaced processes (their /tmp
 * held open while they run, the map copied out at the end). See sampler/nsinfo.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sampler/nsinfo.h"
#include "sampler/synth.h"
#include "util/array.h"
#include "util/hash.h"
#include "util/htab.h"
#include "util/log.h"

enum ns_view { VIEW_OURS = 1, VIEW_OTHER, VIEW_GONE };

struct ns_proc {
	int32_t pid, nspid;
	uint8_t view;
	int tmp_fd;		/* its /tmp (O_PATH), where its JIT map will be; else -1 */
};

struct nsinfo {
	struct ns_proc *procs;
	size_t nr, cap;
	struct htab tab;	/* hash_u64(pid) -> index + 1 */
	struct stat self_mnt, self_root;
	int self_ok;
};

struct nsinfo *nsinfo__new(void)
{
	struct nsinfo *ns = calloc(1, sizeof(*ns));

	if (!ns)
		return NULL;
	ns->self_ok = !stat("/proc/self/ns/mnt", &ns->self_mnt) && !stat("/", &ns->self_root);
	return ns;
}

void nsinfo__free(struct nsinfo *ns)
{
	if (!ns)
		return;
	for (size_t i = 0; i < ns->nr; i++)
		if (ns->procs[i].tmp_fd >= 0)
			close(ns->procs[i].tmp_fd);
	free(ns->procs);
	htab__exit(&ns->tab);
	free(ns);
}

int32_t nsinfo__nspid(int32_t pid)
{
	char buf[256], *last;

	if (synth__status_field(pid, "NSpid", buf, sizeof(buf)))
		return pid;
	buf[strcspn(buf, "\n")] = 0;
	last = strrchr(buf, '\t');
	last = last ? last + 1 : buf;
	return *last ? (int32_t)strtol(last, NULL, 10) : pid;
}

static bool same_inode(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static uint8_t view_of(const struct nsinfo *ns, int32_t pid)
{
	char path[64];
	struct stat mnt, root;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	if (stat(path, &mnt))
		return VIEW_GONE;
	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	if (stat(path, &root))
		return VIEW_GONE;
	if (ns->self_ok && same_inode(&mnt, &ns->self_mnt) && same_inode(&root, &ns->self_root))
		return VIEW_OURS;
	return VIEW_OTHER;
}

/* The entry of @pid, its view read on first sight (pids are reused only after the process
 * is gone, and then its records are no longer coming). */
static struct ns_proc *proc_of(struct nsinfo *ns, int32_t pid)
{
	uint64_t h = hash_u64((uint32_t)pid);
	struct htab_slot *s;
	struct ns_proc *p;
	size_t pos;

	htab__for_each_hash(&ns->tab, h, s, pos)
		if (ns->procs[s->val - 1].pid == pid)
			return &ns->procs[s->val - 1];
	if (ARRAY_GROW(ns->procs, ns->cap, ns->nr + 1) ||
	    htab__insert(&ns->tab, h, (uintptr_t)ns->nr + 1))
		return NULL;
	p = &ns->procs[ns->nr++];
	*p = (struct ns_proc){ .pid = pid, .nspid = pid, .view = view_of(ns, pid), .tmp_fd = -1 };
	if (p->view != VIEW_GONE)
		p->nspid = nsinfo__nspid(pid);
	if (p->view == VIEW_OTHER || p->nspid != pid)
		pr_debug("pid %d: %s, pid %d inside", (int)pid,
			 p->view == VIEW_OTHER ? "another mount namespace or root" : "same files",
			 (int)p->nspid);
	return p;
}

/* The JIT writes its map when it likes, perhaps after this record is read, and its /tmp
 * may be a mount that ends with the namespace: hold that directory, read the map at the end. */
static void open_jit_dir(struct ns_proc *p)
{
	char path[64];

	if (p->tmp_fd >= 0 || p->view == VIEW_GONE || (p->view == VIEW_OURS && p->nspid == p->pid))
		return;
	snprintf(path, sizeof(path), "/proc/%d/root/tmp", (int)p->pid);
	p->tmp_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

int nsinfo__open(void *arg, int32_t pid, const char *name)
{
	struct nsinfo *ns = arg;
	struct ns_proc *p = pid > 0 ? proc_of(ns, pid) : NULL;
	char path[4096 + 32];
	struct stat here, there;
	int fd;

	if (!p)
		return -ENOENT;
	if (!strncmp(name, "//anon", 6) || !strncmp(name, "[anon", 5)) {
		open_jit_dir(p);
		return -ENOENT;
	}
	if (p->view != VIEW_OTHER || name[0] != '/')
		return -EEXIST;
	snprintf(path, sizeof(path), "/proc/%d/root%s", (int)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &there) || !S_ISREG(there.st_mode) ||
	    (!stat(name, &here) && same_inode(&here, &there))) {
		close(fd);
		return -EEXIST;
	}
	pr_debug("%s: read as pid %d sees it, %s", name, (int)pid, path);
	return fd;
}

static int copy_fd(int in, const char *to)
{
	char buf[65536];
	off_t off = 0;
	ssize_t n;
	int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644), ret = 0;

	if (out < 0)
		return -errno;
	while ((n = pread(in, buf, sizeof(buf), off)) > 0) {
		if (write(out, buf, (size_t)n) != n) {
			ret = -EIO;
			break;
		}
		off += n;
	}
	if (n < 0)
		ret = -errno;
	if (close(out) && !ret)
		ret = -errno;
	if (ret)
		unlink(to);
	return ret;
}

int nsinfo__copy_jit_maps(struct nsinfo *ns)
{
	int n = 0;

	for (size_t i = 0; ns && i < ns->nr; i++) {
		struct ns_proc *p = &ns->procs[i];
		char from[32], to[64];
		int ret, fd;

		if (p->tmp_fd < 0)
			continue;
		snprintf(from, sizeof(from), "perf-%d.map", (int)p->nspid);
		fd = openat(p->tmp_fd, from, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;	/* no JIT map: anonymous code of another kind */
		snprintf(to, sizeof(to), "/tmp/perf-%d.map", (int)p->pid);
		ret = copy_fd(fd, to);
		close(fd);
		if (!ret)
			n++;
		else if (ret != -EEXIST)
			pr_warn("cannot copy the JIT map of pid %d (its perf-%d.map) to %s: %s",
				(int)p->pid, (int)p->nspid, to, strerror(-ret));
	}
	return n;
}
