/* Owns writing a JSON string literal (report/fold/json.h). */
#include <stdbool.h>

#include "report/fold/json.h"

/* Length of a well-formed UTF-8 sequence at s[i] (2-4), or 0. */
static int utf8_len(const unsigned char *s, size_t i, size_t n)
{
	unsigned char c = s[i];
	int len = c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;

	if (!len || i + (size_t)len > n)
		return 0;
	for (int k = 1; k < len; k++)
		if ((s[i + k] & 0xc0) != 0x80)
			return 0;
	return len;
}

void fold_json__str(FILE *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	putc('"', out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		int len;

		if (c == '"' || c == '\\') {
			putc('\\', out);
			putc(c, out);
		} else if (c < 0x20 || c == '<' || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
		} else if (c < 0x80) {
			putc(c, out);
		} else if ((len = utf8_len(s, i, n))) {
			fwrite(s + i, 1, (size_t)len, out);
			i += (size_t)len - 1;
		} else {
			fputs("\\ufffd", out);
		}
	}
	putc('"', out);
}
