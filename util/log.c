/* Owns the logging level and the single sink (stderr) for library diagnostics. */
#include <stdarg.h>
#include <stdio.h>

#include "util/log.h"

static int log_level = LOG_WARN;
static const char *log_prog = "prof";

void log_set_level(int level) { log_level = level; }
int log_get_level(void) { return log_level; }
void log_set_prog(const char *prog) { log_prog = prog; }

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if ((int)level > log_level)
		return;
	fprintf(stderr, "%s: ", log_prog);
	if (level == LOG_WARN)
		fputs("warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
