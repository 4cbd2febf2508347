/* Threads of the recorded machine by tid: their current comm and the maps of their
 * process (shared with the group leader). A thread replaced by a later FORK of the same
 * tid moves to a dead list, so pointers handed out stay valid for the whole session. */
#ifndef REPORT_SESSION_THREAD_H
#define REPORT_SESSION_THREAD_H

#include <stdbool.h>
#include <stdint.h>

struct maps;

struct thread {
	int32_t pid, tid, ppid;
	const char *comm;	/* ":TID" until a COMM (or fork from a named parent) */
	const char *first_comm;	/* the comm that replaced ":TID" (perf renames what was
				 * counted under ":TID" to it), NULL while unset */
	bool comm_set;
	struct maps *maps;
	struct thread *next_dead;	/* the retired threads (threads__remove) */
	char dflt_comm[16];
	void *priv;		/* for the tools (e.g. per-thread report state) */
};

struct threads;

struct threads *threads__new(void);
void threads__free(struct threads *t);
struct thread *threads__find(struct threads *t, int32_t tid);
/* Find by tid or create; a thread of another process shares pid's leader maps. */
struct thread *threads__findnew(struct threads *t, int32_t pid, int32_t tid);
/* Retire a thread (kept alive until threads__free). */
void threads__remove(struct threads *t, struct thread *th);
/* Set the comm (interned in the threads' string pool: equal comms share one copy). 0 or
 * -ENOMEM. */
int thread__set_comm(struct threads *t, struct thread *th, const char *comm);

#endif
