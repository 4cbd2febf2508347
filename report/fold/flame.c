/* Owns the flame graph's geometry and SVG: node totals, which frames are wide enough to
 * draw, their boxes (flame or icicle), colors, escaped labels and hover titles. The
 * interactive part lives in report/fold/flame_js.c. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/fold/flame.h"
#include "report/fold/offcpu.h"
#include "util/hash.h"

#define XPAD 10
#define YPAD_TOP 62		/* title, subtitle, buttons */
#define YPAD_BOTTOM 34		/* details line */
#define FONT_SIZE 12
#define FONT_WIDTH 0.59		/* average glyph width per font-size unit (Verdana) */

int flame__parse_colors(const char *s, enum flame_colors *c)
{
	if (!strcmp(s, "hash") || !strcmp(s, "hot"))
		*c = FLAME_C_HASH;
	else if (!strcmp(s, "dso"))
		*c = FLAME_C_DSO;
	else if (!strcmp(s, "kernel"))
		*c = FLAME_C_KERNEL;
	else
		return -EINVAL;
	return 0;
}

struct flame {
	const struct fold *f;
	const struct flame_opts *o;
	FILE *out;
	uint64_t (*tot)[2];	/* inclusive values per node and profile */
	int *depth;		/* -1: not drawn */
	double scale;		/* pixels per unit of the drawn profile */
	int p;			/* the profile that gives widths */
	int height, max_depth;
	double max_delta;
	int err;
	uint8_t *cold;		/* per node: off-CPU only (blues); NULL without off-CPU frames */
};

/* FNV-1a of the text, finished with a multiply-xorshift so that the bits the palette
 * reads (0-47) all depend on every byte. A frame's colour is this function of its name:
 * changing it recolours every graph. */
static uint64_t color_hash(const char *s, size_t n)
{
	uint64_t h = hash_bytes(s, n);

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

/* three values in [0, 1] from a hash */
static void hash_unit(uint64_t h, double v[3])
{
	v[0] = (double)(h & 0xffff) / 65535.0;
	v[1] = (double)((h >> 16) & 0xffff) / 65535.0;
	v[2] = (double)((h >> 32) & 0xffff) / 65535.0;
}

struct rgb {
	int r, g, b;
};

static struct rgb warm(const double v[3])
{
	return (struct rgb){ 200 + (int)(55 * v[0]), 40 + (int)(180 * v[1]), (int)(40 * v[2]) };
}

static struct rgb hsv(double h, double s, double v)
{
	double c = v * s, x = c * (1 - fabs(fmod(h * 6, 2) - 1)), m = v - c, r, g, b;
	int i = (int)(h * 6) % 6;

	switch (i) {
	case 0: r = c; g = x; b = 0; break;
	case 1: r = x; g = c; b = 0; break;
	case 2: r = 0; g = c; b = x; break;
	case 3: r = 0; g = x; b = c; break;
	case 4: r = x; g = 0; b = c; break;
	default: r = c; g = 0; b = x; break;
	}
	return (struct rgb){ (int)((r + m) * 255), (int)((g + m) * 255), (int)((b + m) * 255) };
}

static struct rgb color_of(const struct flame *fl, uint32_t node)
{
	const struct fold *f = fl->f;
	const struct fold_name *nm;
	double v[3];

	if (node == FOLD_ROOT)
		return (struct rgb){ 220, 210, 200 };
	nm = &f->names[f->nodes[node].name];
	if (fl->o->diff) {
		uint64_t tb = fl->tot[FOLD_ROOT][0], ta = fl->tot[FOLD_ROOT][1];
		double d = (ta ? (double)fl->tot[node][1] / (double)ta : 0) -
			   (tb ? (double)fl->tot[node][0] / (double)tb : 0);
		double r = fl->max_delta > 0 ? fabs(d) / fl->max_delta : 0;
		int c = (int)lround(225 * (1 - r));

		if (d > 0)
			return (struct rgb){ 255, c, c };
		if (d < 0)
			return (struct rgb){ c, c, 255 };
		return (struct rgb){ 235, 235, 235 };
	}
	hash_unit(color_hash(nm->s, nm->len), v);
	if (fl->cold && fl->cold[node])
		return (struct rgb){ 50 + (int)(60 * v[0]), 80 + (int)(80 * v[1]), 190 + (int)(65 * v[2]) };
	if (fl->o->colors == FLAME_C_DSO) {
		const char *dso = nm->dso != FOLD_NONE ? f->dsos[nm->dso].name : NULL;

		if (!dso)
			return nm->kind == FOLD_K_COMM ? warm(v) :
			       (struct rgb){ 180 + (int)(40 * v[0]), 180 + (int)(40 * v[0]),
					     180 + (int)(40 * v[0]) };
		return hsv((double)(color_hash(dso, strlen(dso)) % 360) / 360.0, 0.45,
			   0.78 + 0.2 * v[0]);
	}
	if (fl->o->colors == FLAME_C_KERNEL) {
		switch (nm->kind) {
		case FOLD_K_KERNEL:
			return (struct rgb){ 230 + (int)(25 * v[0]), 130 + (int)(60 * v[1]), 60 };
		case FOLD_K_JIT:
			return (struct rgb){ 50 + (int)(60 * v[0]), 180 + (int)(60 * v[1]), 50 + (int)(50 * v[2]) };
		case FOLD_K_INLINE:
			return (struct rgb){ 70 + (int)(50 * v[0]), 190 + (int)(50 * v[1]), 190 + (int)(50 * v[1]) };
		case FOLD_K_UNKNOWN:
			return (struct rgb){ 170 + (int)(40 * v[0]), 170 + (int)(40 * v[0]), 170 + (int)(40 * v[0]) };
		default:
			return warm(v);
		}
	}
	return warm(v);
}

/* XML text: markup characters escaped, control bytes and broken UTF-8 become '?', so any
 * symbol name keeps the document well-formed. */
static void put_text(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&': fputs("&amp;", out); continue;
		case '<': fputs("&lt;", out); continue;
		case '>': fputs("&gt;", out); continue;
		case '"': fputs("&quot;", out); continue;
		case '\'': fputs("&apos;", out); continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			putc('?', out);
		} else if (c < 0x80) {
			putc(c, out);
		} else {
			int len = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
			bool ok = len && i + (size_t)len <= n;

			for (int k = 1; ok && k < len; k++)
				ok = ((unsigned char)s[i + k] & 0xc0) == 0x80;
			if (!ok || c >= 0xf5) {
				putc('?', out);
				continue;
			}
			fwrite(s + i, 1, (size_t)len, out);
			i += (size_t)len - 1;
		}
	}
}

static void put_count(FILE *out, uint64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);

	for (int i = 0; i < n; i++) {
		putc(tmp[i], out);
		if ((n - i - 1) % 3 == 0 && i != n - 1)
			putc(',', out);
	}
}

static void put_title(struct flame *fl, uint32_t node, const char *name, size_t len)
{
	FILE *out = fl->out;
	const char *unit = fl->o->unit ? fl->o->unit : "samples";
	uint64_t all = fl->tot[FOLD_ROOT][fl->p];

	fputs("<title>", out);
	put_text(out, name, len);
	if (fl->o->diff) {
		uint64_t tb = fl->tot[FOLD_ROOT][0], ta = fl->tot[FOLD_ROOT][1];
		double sb = tb ? 100.0 * (double)fl->tot[node][0] / (double)tb : 0;
		double sa = ta ? 100.0 * (double)fl->tot[node][1] / (double)ta : 0;

		fputs(" (", out);
		put_count(out, fl->tot[node][0]);
		fputs(" before, ", out);
		put_count(out, fl->tot[node][1]);
		fprintf(out, " after %s; %.2f%% -&gt; %.2f%%, %+.2f%%)", unit, sb, sa, sa - sb);
	} else {
		fputs(" (", out);
		put_count(out, fl->tot[node][fl->p]);
		fprintf(out, " %s, %.2f%%)", unit,
			all ? 100.0 * (double)fl->tot[node][fl->p] / (double)all : 0.0);
	}
	fputs("</title>", out);
}

static int draw(struct flame *fl, uint32_t node, double x)
{
	const struct fold *f = fl->f;
	const char *name = node == FOLD_ROOT ? "all" : f->names[f->nodes[node].name].s;
	size_t len = node == FOLD_ROOT ? 3 : f->names[f->nodes[node].name].len;
	double w = (double)fl->tot[node][fl->p] * fl->scale, y, cx = x;
	int d = fl->depth[node], fit;
	struct rgb c = color_of(fl, node);
	uint32_t *kids;
	size_t n;

	y = fl->o->icicle ? YPAD_TOP + d * fl->o->frame_height
			  : fl->height - YPAD_BOTTOM - (d + 1) * fl->o->frame_height;
	fputs("<g class=\"f\">", fl->out);
	put_title(fl, node, name, len);
	fprintf(fl->out, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" "
		"fill=\"rgb(%d,%d,%d)\" rx=\"2\" ry=\"2\"/>", x, y, w, fl->o->frame_height - 1.0,
		c.r, c.g, c.b);
	fprintf(fl->out, "<text x=\"%.2f\" y=\"%.1f\">", x + 3, y + fl->o->frame_height - 4.5);
	fit = (int)(w / (FONT_SIZE * FONT_WIDTH));
	if (fit >= 3) {
		if ((size_t)fit >= len) {
			put_text(fl->out, name, len);
		} else {
			put_text(fl->out, name, (size_t)fit - 2);
			fputs("..", fl->out);
		}
	}
	fputs("</text></g>\n", fl->out);
	kids = fold__children_by_name(f, node, &n);
	if (!kids && n)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		uint32_t k = kids[i];

		if (fl->depth[k] >= 0) {
			int ret = draw(fl, k, cx);

			if (ret) {
				free(kids);
				return ret;
			}
		}
		cx += (double)fl->tot[k][fl->p] * fl->scale;
	}
	free(kids);
	return 0;
}

static void put_header(struct flame *fl)
{
	const struct flame_opts *o = fl->o;
	FILE *out = fl->out;
	const char *title = o->title ? o->title :
			    o->diff ? "Differential Flame Graph" :
			    o->icicle ? "Icicle Graph" : "Flame Graph";
	int w = o->width;

	fprintf(out, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		"xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
		"onload=\"init(evt)\" data-xpad=\"%d\" data-icicle=\"%d\" data-font=\"%d\">\n",
		w, fl->height, w, fl->height, XPAD, o->icicle ? 1 : 0, FONT_SIZE);
	fputs("<!-- drawn by pfold: click a frame to zoom, Ctrl-F or Search to highlight, "
	      "Esc to reset; ?s=REGEX in the URL searches on load -->\n", out);
	fprintf(out, "<defs><linearGradient id=\"bg\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">"
		"<stop stop-color=\"#eeeeee\" offset=\"5%%\"/><stop stop-color=\"%s\" offset=\"95%%\"/>"
		"</linearGradient></defs>\n", o->diff ? "#e0e0ff" : "#eeeeb0");
	fprintf(out, "<style type=\"text/css\">%s</style>\n", flame__style);
	fprintf(out, "<script type=\"text/ecmascript\"><![CDATA[%s]]></script>\n", flame__script);
	fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"url(#bg)\"/>\n",
		w, fl->height);
	fprintf(out, "<text id=\"title\" x=\"%d\" y=\"24\">", w / 2);
	put_text(out, title, strlen(title));
	fputs("</text>\n", out);
	fprintf(out, "<text id=\"subtitle\" x=\"%d\" y=\"42\">", w / 2);
	if (o->subtitle)
		put_text(out, o->subtitle, strlen(o->subtitle));
	fputs("</text>\n", out);
	if (o->facts) {
		fprintf(out, "<text id=\"facts\" x=\"%d\" y=\"56\">", w / 2);
		put_text(out, o->facts, strlen(o->facts));
		fputs("</text>\n", out);
	}
	fprintf(out, "<text id=\"unzoom\" class=\"btn hide\" x=\"%d\" y=\"24\">Reset Zoom</text>\n",
		XPAD);
	fprintf(out, "<text id=\"search\" class=\"btn\" x=\"%d\" y=\"24\">Search</text>\n",
		w - XPAD - 100);
	fprintf(out, "<text id=\"matched\" x=\"%d\" y=\"%d\"> </text>\n", w - XPAD - 100,
		fl->height - 14);
	fprintf(out, "<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n", XPAD, fl->height - 14);
}

/* inclusive totals (children always have larger ids than their parents), drawable
 * frames and their depth, and the largest share change for the differential palette */
static void layout(struct flame *fl)
{
	const struct fold *f = fl->f;
	uint64_t tb, ta;

	for (size_t i = 0; i < f->nr_nodes; i++) {
		fl->tot[i][0] = fold__value(&f->nodes[i], 0, fl->o->period);
		fl->tot[i][1] = fold__value(&f->nodes[i], 1, fl->o->period);
	}
	for (size_t i = f->nr_nodes; i-- > 1;) {
		uint32_t p = f->nodes[i].parent;

		fl->tot[p][0] += fl->tot[i][0];
		fl->tot[p][1] += fl->tot[i][1];
	}
	fl->scale = fl->tot[FOLD_ROOT][fl->p] ?
		    (double)(fl->o->width - 2 * XPAD) / (double)fl->tot[FOLD_ROOT][fl->p] : 0;
	tb = fl->tot[FOLD_ROOT][0];
	ta = fl->tot[FOLD_ROOT][1];
	fl->depth[FOLD_ROOT] = 0;
	fl->max_depth = 0;
	for (size_t i = 1; i < f->nr_nodes; i++) {
		int pd = fl->depth[f->nodes[i].parent];
		double w = (double)fl->tot[i][fl->p] * fl->scale;

		if (pd < 0 || w < fl->o->minwidth || w <= 0) {
			fl->depth[i] = -1;
			continue;
		}
		fl->depth[i] = pd + 1;
		if (fl->depth[i] > fl->max_depth)
			fl->max_depth = fl->depth[i];
		if (fl->o->diff) {
			double d = (ta ? (double)fl->tot[i][1] / (double)ta : 0) -
				   (tb ? (double)fl->tot[i][0] / (double)tb : 0);

			if (fabs(d) > fl->max_delta)
				fl->max_delta = fabs(d);
		}
	}
}

int flame__write(const struct fold *f, const struct flame_opts *opts, FILE *out)
{
	struct flame_opts o = *opts;
	struct flame fl = { .f = f, .o = &o, .out = out };
	int ret;

	if (o.width <= 2 * XPAD + 10)
		o.width = 1200;
	if (o.frame_height <= 2)
		o.frame_height = 16;
	if (o.minwidth < 0)
		o.minwidth = 0;
	fl.p = o.diff ? 1 : 0;
	fl.tot = malloc(f->nr_nodes * sizeof(*fl.tot));
	fl.depth = malloc(f->nr_nodes * sizeof(*fl.depth));
	if (!fl.tot || !fl.depth) {
		ret = -ENOMEM;
		goto out;
	}
	layout(&fl);
	if (!o.diff)
		fl.cold = fold_offcpu__cold(f, 0, o.period);
	fl.height = (fl.max_depth + 1) * o.frame_height + YPAD_TOP + YPAD_BOTTOM;
	put_header(&fl);
	fputs("<g id=\"frames\">\n", out);
	ret = draw(&fl, FOLD_ROOT, XPAD);
	fputs("</g>\n</svg>\n", out);
	if (!ret && (fflush(out) || ferror(out)))
		ret = -EIO;
out:
	free(fl.tot);
	free(fl.depth);
	free(fl.cold);
	return ret;
}

uint32_t flame__rgb(const struct fold *f, uint32_t node, enum flame_colors colors)
{
	struct flame_opts o = { .colors = colors };
	struct flame fl = { .f = f, .o = &o };
	struct rgb c = color_of(&fl, node);

	return (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | (uint32_t)c.b;
}
