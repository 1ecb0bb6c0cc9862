// SPDX-License-Identifier: GPL-2.0
/*
 * A strict walk over the configuration file's text before json-c builds
 * its objects. json-c (0.16, even with JSON_TOKENER_STRICT) accepts single
 * quotes, NaN, raw control characters in strings and keeps the last of two
 * equal keys; this walk refuses them, as RFC 8259 does, and keeps the line
 * of every value by its path ("cards[0].vgpus[1].profile") so that errors
 * about values can name the line, which json-c does not keep.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov_cfg.h"

#define MAX_DEPTH 32

struct walk {
	const char *s;
	size_t n, i, line_start;
	int line, depth;
	struct jmap *map;
	struct jerr *err;
};

static int col_at(const struct walk *w, size_t at)
{
	int col = 1;
	size_t k;

	/* characters, not bytes: UTF-8 continuation bytes do not count */
	for (k = w->line_start; k < at && k < w->n; k++)
		if (((unsigned char)w->s[k] & 0xc0) != 0x80)
			col++;
	return col;
}

static int bad(struct walk *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct walk *w, const char *fmt, ...)
{
	va_list ap;

	if (w->err->line)	/* the first error only */
		return -1;
	w->err->line = w->line;
	w->err->col = col_at(w, w->i);
	va_start(ap, fmt);
	vsnprintf(w->err->msg, sizeof(w->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static void ws(struct walk *w)
{
	while (w->i < w->n) {
		char c = w->s[w->i];

		if (c == '\n') {
			w->line++;
			w->line_start = w->i + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			return;
		}
		w->i++;
	}
}

static int record(struct walk *w, const char *path, int line)
{
	struct jloc *v;

	if (w->map->n == w->map->cap) {
		int cap = w->map->cap ? 2 * w->map->cap : 64;

		v = realloc(w->map->v, (size_t)cap * sizeof(*v));
		if (!v)
			return bad(w, "out of memory");
		w->map->v = v;
		w->map->cap = cap;
	}
	v = &w->map->v[w->map->n];
	v->path = strdup(path);
	if (!v->path)
		return bad(w, "out of memory");
	v->line = line;
	w->map->n++;
	return 0;
}

static void put_utf8(char **o, unsigned int cp)
{
	char *p = *o;

	if (cp < 0x80) {
		*p++ = (char)cp;
	} else if (cp < 0x800) {
		*p++ = (char)(0xc0 | cp >> 6);
		*p++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*p++ = (char)(0xe0 | cp >> 12);
		*p++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*p++ = (char)(0xf0 | cp >> 18);
		*p++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*p++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (char)(0x80 | (cp & 0x3f));
	}
	*o = p;
}

static int hex4(struct walk *w, unsigned int *cp)
{
	unsigned int v = 0;
	int k;

	for (k = 0; k < 4; k++) {
		char c = w->i < w->n ? w->s[w->i] : 0;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned int)(c - 'A' + 10);
		else
			return bad(w, "\\u wants 4 hex digits");
		w->i++;
	}
	*cp = v;
	return 0;
}

/* a string at w->i ('"'); its decoded text in *out (malloc) when out */
static int string(struct walk *w, char **out)
{
	char *buf = NULL, *o = NULL;
	size_t esc;

	if (out) {
		size_t k = w->i + 1;

		/* the raw text up to the closing quote: decoded, never longer */
		while (k < w->n && w->s[k] != '"')
			k += w->s[k] == '\\' ? 2 : 1;
		buf = malloc(k - w->i + 1);
		if (!buf)
			return bad(w, "out of memory");
		o = buf;
	}
	w->i++;
	for (;;) {
		unsigned char c;

		if (w->i >= w->n) {
			free(buf);
			return bad(w, "the file ends inside a string");
		}
		c = (unsigned char)w->s[w->i];
		if (c == '"') {
			w->i++;
			break;
		}
		if (c < 0x20) {
			free(buf);
			return bad(w, c == '\n' ? "a string does not end on its line" :
				   "a control character in a string (write it as an escape)");
		}
		if (c != '\\') {
			if (o)
				*o++ = (char)c;
			w->i++;
			continue;
		}
		esc = w->i++;
		c = w->i < w->n ? (unsigned char)w->s[w->i] : 0;
		w->i++;
		switch (c) {
		case '"': case '\\': case '/':
			break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u': {
			unsigned int cp, lo;

			if (hex4(w, &cp))
				goto err;
			if (cp >= 0xd800 && cp < 0xdc00 && w->i + 1 < w->n &&
			    w->s[w->i] == '\\' && w->s[w->i + 1] == 'u') {
				w->i += 2;
				if (hex4(w, &lo))
					goto err;
				if (lo < 0xdc00 || lo > 0xdfff) {
					w->i = esc;
					bad(w, "\\u%04x is not the second half of a surrogate pair", lo);
					goto err;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xd800 && cp < 0xe000) {
				w->i = esc;
				bad(w, "\\u%04x: half of a surrogate pair alone", cp);
				goto err;
			}
			if (!cp) {
				w->i = esc;
				bad(w, "\\u0000 (NUL) in a string");
				goto err;
			}
			if (o)
				put_utf8(&o, cp);
			continue;
		}
		default:
			w->i = esc;
			bad(w, "\\%c is not a JSON escape", c >= 0x20 && c < 0x7f ? c : '?');
			goto err;
		}
		if (o)
			*o++ = (char)c;
	}
	if (out) {
		*o = 0;
		*out = buf;
	}
	return 0;
err:
	free(buf);
	return -1;
}

/* what is at w->i is not what the grammar wants there */
static int unexpected(struct walk *w, const char *want)
{
	if (w->i >= w->n)
		return bad(w, "the file ends where %s is expected", want);
	if (w->s[w->i] == '/')
		return bad(w, "comments are not JSON");
	if (w->s[w->i] == '\'')
		return bad(w, "single quotes are not JSON: strings and names take double quotes");
	return bad(w, "%s expected", want);
}

static bool digit(const struct walk *w)
{
	return w->i < w->n && w->s[w->i] >= '0' && w->s[w->i] <= '9';
}

static int number(struct walk *w)
{
	size_t start = w->i;

	if (w->s[w->i] == '-')
		w->i++;
	if (!digit(w))
		return bad(w, "a digit expected");
	if (w->s[w->i] == '0') {
		w->i++;
		if (digit(w)) {
			w->i = start;
			return bad(w, "a number does not start with 0 (no octal in JSON)");
		}
	}
	while (digit(w))
		w->i++;
	if (w->i < w->n && w->s[w->i] == '.') {
		w->i++;
		if (!digit(w))
			return bad(w, "a digit expected after the decimal point");
		while (digit(w))
			w->i++;
	}
	if (w->i < w->n && (w->s[w->i] == 'e' || w->s[w->i] == 'E')) {
		w->i++;
		if (w->i < w->n && (w->s[w->i] == '+' || w->s[w->i] == '-'))
			w->i++;
		if (!digit(w))
			return bad(w, "a digit expected in the exponent");
		while (digit(w))
			w->i++;
	}
	return 0;
}

static int value(struct walk *w, const char *path);

/* path of a member or element: "key", "a.key", "a[3]" */
static char *child(const char *path, const char *key, int index)
{
	size_t len = strlen(path) + (key ? strlen(key) : 12) + 3;
	char *p = malloc(len);

	if (!p)
		return NULL;
	if (key)
		snprintf(p, len, "%s%s%s", path, path[0] ? "." : "", key);
	else
		snprintf(p, len, "%s[%d]", path, index);
	return p;
}

struct seen_key {
	char *key;
	int line;
};

static int object(struct walk *w, const char *path)
{
	struct seen_key *keys = NULL;
	int nkeys = 0, ret = -1, k;

	w->i++;
	ws(w);
	if (w->i < w->n && w->s[w->i] == '}') {
		w->i++;
		return 0;
	}
	for (;;) {
		char *key = NULL, *cp;
		struct seen_key *nk;
		int line;

		ws(w);
		if (w->i >= w->n) {
			bad(w, "the file ends inside an object");
			goto out;
		}
		if (w->s[w->i] == '}') {
			bad(w, "a comma before '}' (trailing commas are not JSON)");
			goto out;
		}
		if (w->s[w->i] != '"') {
			unexpected(w, "a name in double quotes");
			goto out;
		}
		line = w->line;
		if (string(w, &key))
			goto out;
		for (k = 0; k < nkeys; k++)
			if (!strcmp(keys[k].key, key))
				break;
		cp = child(path, key, 0);
		if (!cp || record(w, cp, line)) {
			free(cp);
			free(key);
			goto out;
		}
		if (k < nkeys && w->err->ndup < MAX_DUPS) {
			struct jdup *d = &w->err->dup[w->err->ndup++];

			snprintf(d->path, sizeof(d->path), "%s", cp);
			d->line = line;
			d->first_line = keys[k].line;
		}
		nk = realloc(keys, (size_t)(nkeys + 1) * sizeof(*keys));
		if (!nk) {
			free(cp);
			free(key);
			bad(w, "out of memory");
			goto out;
		}
		keys = nk;
		keys[nkeys].key = key;
		keys[nkeys++].line = line;
		ws(w);
		if (w->i >= w->n || w->s[w->i] != ':') {
			free(cp);
			unexpected(w, "':' after the name");
			goto out;
		}
		w->i++;
		ws(w);
		if (value(w, cp)) {
			free(cp);
			goto out;
		}
		free(cp);
		ws(w);
		if (w->i < w->n && w->s[w->i] == ',') {
			w->i++;
			continue;
		}
		if (w->i < w->n && w->s[w->i] == '}') {
			w->i++;
			ret = 0;
			goto out;
		}
		unexpected(w, "',' or '}'");
		goto out;
	}
out:
	for (k = 0; k < nkeys; k++)
		free(keys[k].key);
	free(keys);
	return ret;
}

static int array(struct walk *w, const char *path)
{
	int index = 0;

	w->i++;
	ws(w);
	if (w->i < w->n && w->s[w->i] == ']') {
		w->i++;
		return 0;
	}
	for (;; index++) {
		char *cp;
		int ret;

		ws(w);
		if (w->i < w->n && w->s[w->i] == ']')
			return bad(w, "a comma before ']' (trailing commas are not JSON)");
		cp = child(path, NULL, index);
		if (!cp)
			return bad(w, "out of memory");
		ret = record(w, cp, w->line) || value(w, cp);
		free(cp);
		if (ret)
			return -1;
		ws(w);
		if (w->i < w->n && w->s[w->i] == ',') {
			w->i++;
			continue;
		}
		if (w->i < w->n && w->s[w->i] == ']') {
			w->i++;
			return 0;
		}
		return unexpected(w, "',' or ']'");
	}
}

static int literal(struct walk *w)
{
	static const char *const words[] = { "true", "false", "null" };
	size_t k, len = 0;

	while (w->i + len < w->n &&
	       ((w->s[w->i + len] >= 'a' && w->s[w->i + len] <= 'z') ||
		(w->s[w->i + len] >= 'A' && w->s[w->i + len] <= 'Z')))
		len++;
	for (k = 0; k < 3; k++)
		if (len == strlen(words[k]) && !strncmp(w->s + w->i, words[k], len)) {
			w->i += len;
			return 0;
		}
	if ((len == 3 && !strncmp(w->s + w->i, "NaN", 3)) ||
	    (len == 8 && !strncmp(w->s + w->i, "Infinity", 8)))
		return bad(w, "%.*s is not a JSON number", (int)len, w->s + w->i);
	if (!len)
		return bad(w, "a value expected");
	return bad(w, "'%.*s' is not a JSON value (strings take double quotes)",
		   (int)(len > 20 ? 20 : len), w->s + w->i);
}

static int value(struct walk *w, const char *path)
{
	int ret;

	if (w->i >= w->n)
		return bad(w, "the file ends where a value is expected");
	switch (w->s[w->i]) {
	case '{':
	case '[':
		if (++w->depth > MAX_DEPTH)
			return bad(w, "nested deeper than %d levels", MAX_DEPTH);
		ret = w->s[w->i] == '{' ? object(w, path) : array(w, path);
		w->depth--;
		return ret;
	case '"':
		return string(w, NULL);
	case '\'':
	case '/':
		return unexpected(w, "a value");
	case '-':
		if (w->i + 1 < w->n && w->s[w->i + 1] == 'I') {
			w->i++;
			return literal(w);
		}
		/* fall through */
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return number(w);
	case ',':
		return bad(w, "a value expected before ','");
	default:
		return literal(w);
	}
}

int json_strict_scan(const char *text, size_t len, struct jmap *map, struct jerr *err)
{
	struct walk w = { .s = text, .n = len, .line = 1, .map = map, .err = err };

	memset(err, 0, sizeof(*err));
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		w.i = 3;	/* a UTF-8 byte order mark */
	ws(&w);
	if (w.i < w.n && w.s[w.i] == '/')
		return bad(&w, "comments are not JSON");
	if (record(&w, "", w.line) || value(&w, ""))
		return -1;
	ws(&w);
	if (w.i < w.n && w.s[w.i] == '/')
		return bad(&w, "comments are not JSON");
	if (w.i < w.n)
		return bad(&w, "more text after the end of the JSON value");
	return 0;
}

/* line of a path, else of the nearest enclosing value that has one */
int jmap_line(const struct jmap *m, const char *path)
{
	char p[256];
	int k;

	snprintf(p, sizeof(p), "%s", path);
	for (;;) {
		char *dot, *br;

		for (k = 0; k < m->n; k++)
			if (!strcmp(m->v[k].path, p))
				return m->v[k].line;
		if (!p[0])
			return 1;
		dot = strrchr(p, '.');
		br = strrchr(p, '[');
		if (br && (!dot || br > dot))
			*br = 0;
		else if (dot)
			*dot = 0;
		else
			p[0] = 0;
	}
}

void jmap_free(struct jmap *m)
{
	int k;

	for (k = 0; k < m->n; k++)
		free(m->v[k].path);
	free(m->v);
	memset(m, 0, sizeof(*m));
}
