/* Threads of the recorded machine by tid: their current comm and the maps of their
 * process (shared with the group leader). A thread replaced by a later FORK of the same
 * tid moves to a dead list, so pointers handed out stay valid for the whole session.
 *
 * Long live sessions (ptop) and the streaming tools (pfold, pscript, pannotate) opt in to
 * reclaiming: threads__set_reclaim(), then exited and replaced threads wait on a list until
 * threads__reclaim() frees those that have waited a whole round and that the caller no
 * longer refers to. preport, which refers to them all, has only their maps freed
 * (threads__reclaim_maps). */
#ifndef REPORT_SESSION_THREAD_H
#define REPORT_SESSION_THREAD_H

#include <stdbool.h>
#include <stdint.h>

struct maps;

struct thread {
	int32_t pid, tid, ppid;
	const char *comm;	/* ":TID" (dflt_comm, in the thread: with reclaiming, its address
				 * may come back as another thread's) until a COMM (or fork from
				 * a named parent) sets one interned for the session */
	const char *first_comm;	/* the comm that replaced ":TID" (perf renames what was
				 * counted under ":TID" to it), NULL while unset */
	bool comm_set;
	struct maps *maps;
	struct thread *next_dead;	/* the retired threads (threads__remove) */
	struct thread *next_exited;	/* reclaiming: the exited or retired threads */
	bool exited;			/* reclaiming: on the exited list */
	bool retired;			/* no longer in the table (threads__remove) */
	uint32_t exit_round;		/* reclaiming: the round it exited in */
	uint64_t seq;			/* creation order in the session (threads of one tid,
					 * used again, sort by it, not by address) */
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
/* Reclaiming (off by default): exited (threads__exit) and retired threads are freed by
 * threads__reclaim() instead of being kept until threads__free. */
void threads__set_reclaim(struct threads *t, bool on);
/* The thread exited (an EXIT record): with reclaiming, it stays findable for this round and
 * the next (late samples still resolve), then threads__reclaim() may free it. Without
 * reclaiming, nothing changes. */
void threads__exit(struct threads *t, struct thread *th);
/* Free the threads that exited or were retired before the previous call and for which
 * @in_use (NULL: none is) says false; those it says true of lose their maps (->maps NULL) and
 * leave the table (its pid, tid, comm stay for the caller). A process's leader waits for its
 * other threads (they share its maps). Starts a new round. Returns how many were freed. */
size_t threads__reclaim(struct threads *t, bool (*in_use)(void *ctx, const struct thread *th),
			void *ctx);
/* threads__reclaim() for a caller that keeps pointers to any thread: of the threads that
 * exited or were retired before the previous call, only the maps are freed (->maps NULL;
 * a leader waits for its other threads as above). The threads leave the table and stay, as
 * they are otherwise, until threads__free. Starts a new round. Returns how many lost their
 * maps. */
size_t threads__reclaim_maps(struct threads *t);
/* Set the comm (interned in the threads' string pool: equal comms share one copy). 0 or
 * -ENOMEM. */
int thread__set_comm(struct threads *t, struct thread *th, const char *comm);

#endif
