/* What every command shares: the common options (-i, -f, -q, -v, --[no-]demangle), the
 * ownership check of the files a command reads, the exit path (the reader of stdout gone, a
 * write error on stdout) and the one hint for a refused perf_event_open or ring-buffer mapping
 * (kernel.perf_event_paranoid, ulimit -n, the locked-memory limit). Linked into each command
 * from the archive build/libcmd.a, so a command links only the pieces it calls (one file each
 * here); not a command itself. Messages go to stderr as "PROG: ..." through util/log: a main
 * calls log_set_prog first. */
#ifndef CMD_COMMON_H
#define CMD_COMMON_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

struct error;

/* getopt values of the long-only common options, apart from each command's own (256 up). */
enum {
	CMD_OPT_DEMANGLE = 0x1000,
	CMD_OPT_NO_DEMANGLE,
	CMD_OPT_SYMFS,
	CMD_OPT_ARCHIVE,
	CMD_OPT_BUILDID_DIR,
	CMD_OPT_NO_DEBUGINFOD,
};

/* The common options as entries of a command's long-option table. A command lists those it
 * takes, in place (getopt's "ambiguous" message names the candidates in table order), and
 * their letters in its short-option string; its help text stays its own. */
#define CMD_LOPT_INPUT		{ "input", required_argument, NULL, 'i' }
#define CMD_LOPT_FORCE		{ "force", no_argument, NULL, 'f' }
#define CMD_LOPT_QUIET		{ "quiet", no_argument, NULL, 'q' }
#define CMD_LOPT_VERBOSE	{ "verbose", no_argument, NULL, 'v' }
#define CMD_LOPT_DEMANGLE	{ "demangle", no_argument, NULL, CMD_OPT_DEMANGLE }
#define CMD_LOPT_NO_DEMANGLE	{ "no-demangle", no_argument, NULL, CMD_OPT_NO_DEMANGLE }
#define CMD_LOPT_THREADS	{ "threads", required_argument, NULL, 'j' }
/* where the readers find the recording's files (symbols/symfs.h): cmd__symbol_sources() */
#define CMD_LOPT_SYMFS		{ "symfs", required_argument, NULL, CMD_OPT_SYMFS }
#define CMD_LOPT_ARCHIVE	{ "archive", required_argument, NULL, CMD_OPT_ARCHIVE }
#define CMD_LOPT_BUILDID_DIR	{ "buildid-dir", required_argument, NULL, CMD_OPT_BUILDID_DIR }
/* the readers: never ask the servers of $DEBUGINFOD_URLS (symbols/debuginfod.h) */
#define CMD_LOPT_NO_DEBUGINFOD	{ "no-debuginfod", no_argument, NULL, CMD_OPT_NO_DEBUGINFOD }

struct cmd_common {
	const char *input;	/* -i FILE */
	bool force;		/* -f: read a file of another user */
	bool quiet;		/* -q: errors only; wins over -v */
	int verbose;		/* -v, repeatable: one log level more each */
	bool demangle;		/* --no-demangle clears it, --demangle sets it */
	unsigned int threads;	/* -j N (the reading tools); 0: cmd__threads() says */
	const char *symfs;	/* --symfs DIR: the recording's files under DIR */
	const char *archive;	/* --archive FILE: a parchive archive, unpacked for the run */
};

#define CMD_COMMON_DEFAULTS { .input = "perf.data", .demangle = true }

/* What a command's option parsing returns when the command is to run; else the exit code. */
#define CMD_RUN (-1)
/* The exit code of a usage error (a bad option, a bad value, a missing argument), perf's. */
#define CMD_USAGE 129

/* A usage error: "PROG: MESSAGE" when @fmt is not NULL (NULL: getopt said what is wrong),
 * then "see 'PROG --help'", on stderr. Returns CMD_USAGE. */
int cmd__parse_u64(const char *s, uint64_t *out);
struct record_opts;
int cmd__parse_call_graph(const char *s, struct record_opts *o);
int cmd__usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* getopt_long, and perf's --list-opts for every command: when the next argument is
 * --list-opts, the long options of @lo ("--NAME " each, and --list-opts) go to stdout and the
 * command exits (the completion script asks each command this way). getopt's messages
 * ("unrecognized option", "requires an argument") go under the command's name ("pprobe: ..."),
 * not argv[0]'s path or a subcommand's word (pstat report); argv[0] is left as it was. */
int cmd__getopt(int argc, char **argv, const char *shortopts, const struct option *lo);

/* An option getopt_long returned: 0 when it is a common one (now in @c), -1 when not (the
 * command's usage error, '?' included). */
int cmd__option(struct cmd_common *c, int opt, const char *arg);
/* After the options, in the readers: --symfs, and --archive unpacked into a temporary
 * directory removed at exit, made the symbol directory. 0, or 1 (the exit code) after
 * saying what is wrong. */
int cmd__symbol_sources(const struct cmd_common *c);
/* After the options: the log level they ask for (-q: errors only, else warnings + -v). */
void cmd__log_level(const struct cmd_common *c);
/* A reading tool's heap, before it reads: grown once in huge pages (util/mem.h); @grows:
 * the tool's memory grows to its end (preport), and its big blocks (util/bigblock.h) are
 * mappings that go back to the kernel when they are freed. */
void cmd__reading_heap(bool grows);
/* The reading tools' -j: the number given, else the online CPUs. */
unsigned int cmd__threads(const struct cmd_common *c);
/* The name a reading tool's progress line goes under (the program's) when stderr is a
 * terminal and not -q; NULL otherwise. */
const char *cmd__progress(const struct cmd_common *c);

/* 0 when @path may be read. A missing file is refused with how to record one; unless -f,
 * a file owned by another user than us or root is refused, as perf refuses it: 1 (the
 * exit code) after saying so. */
int cmd__check_owner(const struct cmd_common *c, const char *path);

/* The end of a command, @ret being the library's 0 or -errno: the reader of stdout gone away
 * (-EPIPE, or a failed write to a closed pipe whatever the code) is a quiet 0; another error
 * is one line (@err's message, else strerror) and 1; on success, cmd__flush_stdout(). Returns
 * the exit code. */
int cmd__exit(int ret, const struct error *err);
/* Exit codes of a command that runs a program, one rule for all, a shell's: the program's own
 * status when it ran (workload__exit_code: the code, 128+N when signal N killed it);
 * cmd__exec_exit(-errno of the failed exec): 127 when it was not found, 126 when it was
 * found but cannot be executed. */
int cmd__exec_exit(int err);
/* Flush stdout and check it: 0, also when the reader went away (EPIPE); 1 after
 * "write error: ..." when output was lost (a full disk, an I/O error). */
int cmd__flush_stdout(void);

/* Why @event could not be opened, in one line with what to do. EACCES/EPERM: the value of
 * kernel.perf_event_paranoid and the setting that allows it (0 CPU-wide, 1 per task) or
 * root; EMFILE: ulimit -n; else strerror. @verb: "sample" or "count"; @cpu_wide: -a or -C. */
void cmd__open_error(const char *verb, const char *event, bool cpu_wide, int err);
/* Why the ring buffers could not be mapped (@pages: pages per CPU, as text). EPERM/ENOMEM:
 * the locked-memory limits (kernel.perf_event_mlock_kb, ulimit -l) and how to raise them. */
void cmd__mmap_error(const char *pages, int err);

#endif
