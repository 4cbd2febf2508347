/* The error type of the library: what went wrong (-errno), a message for the user, and,
 * where it helps, what the error is about (an event spec, a file, a command), the byte of
 * it the message points at, and the module's class of failure (e.g. a recording's stage).
 * Functions return the code and fill a struct error the caller passed (which may be NULL);
 * cmd/ turns it into one line. */
#ifndef UTIL_ERROR_H
#define UTIL_ERROR_H

struct error {
	int code;		/* -errno, 0 when no error */
	int kind;		/* the module's class of failure, 0 when unset */
	int pos;		/* byte of `what` the message is about, -1 when none */
	char what[512];		/* the event spec, path or command the error is about */
	char msg[1024];		/* room for a message that names two paths */
};

/* Set code and message (what/kind/pos untouched); returns @code. @e may be NULL. */
int error__set(struct error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Set what the error is about; returns e->code (0 if @e is NULL). */
int error__what(struct error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* -ENOMEM with the message "out of memory". */
int error__nomem(struct error *e);
void error__clear(struct error *e);

#endif
