/* The one logging function of the library: levelled messages to stderr, raised by -v. */
#ifndef UTIL_LOG_H
#define UTIL_LOG_H

enum log_level {
	LOG_ERROR = 0,
	LOG_WARN  = 1,
	LOG_INFO  = 2,
	LOG_DEBUG = 3,
};

/* Messages above this level are dropped; commands raise it once per -v. */
void log_set_level(int level);
int log_get_level(void);
/* Prefix for every message, normally the command's name. */
void log_set_prog(const char *prog);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define pr_err(...)   log_msg(LOG_ERROR, __VA_ARGS__)
#define pr_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
