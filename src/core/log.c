/*
 * log.c — stderr/syslog logging with a run-time level and rate limiting.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>

#include "core/log.h"
#include "core/timeutil.h"

static enum log_level cur_level = LOG_LEVEL_INFO;
static bool use_syslog;
static const char *names[] = { "error", "warn", "info", "debug", "trace" };

void
log_init(const char *progname, enum log_level level, bool to_syslog)
{
	cur_level = level;
	use_syslog = to_syslog;
	if (to_syslog)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_set_level(enum log_level level)
{
	cur_level = level;
}

enum log_level
log_get_level(void)
{
	return cur_level;
}

const char *
log_level_str(enum log_level level)
{
	if ((unsigned)level < sizeof(names) / sizeof(names[0]))
		return names[level];
	return "?";
}

int
log_level_parse(const char *s, enum log_level *out)
{
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(s, names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

/*
 * Length of the valid UTF-8 sequence (RFC 3629 §4) starting at s, or 0 if
 * it is not one: no overlong forms, no surrogates, nothing above U+10FFFF,
 * and no C1 control characters (U+0080..U+009F), which some terminals obey.
 */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		if (c == 0xc2)
			lo = 0xa0;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

size_t
log_escape(char *dst, size_t dstlen, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)src;
	size_t o = 0, u;

	if (dstlen == 0)
		return 0;
	while (*s != '\0') {
		if (*s == '\\') {
			if (o + 2 >= dstlen)
				break;
			dst[o++] = '\\';
			dst[o++] = '\\';
			s++;
		} else if (*s >= 0x20 && *s < 0x7f) {
			if (o + 1 >= dstlen)
				break;
			dst[o++] = (char)*s++;
		} else if ((u = utf8_len(s)) != 0) {
			if (o + u >= dstlen)
				break;
			memcpy(dst + o, s, u);
			o += u;
			s += u;
		} else {
			if (o + 4 >= dstlen)
				break;
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[*s >> 4];
			dst[o++] = hex[*s & 0xf];
			s++;
		}
	}
	dst[o] = '\0';
	return o;
}

static void __attribute__((format(printf, 2, 0)))
log_vmsg(enum log_level level, const char *fmt, va_list ap, int errnum)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG,
		LOG_DEBUG };
	char line[1024];
	char esc[2048];
	int n;

	if (level > cur_level)
		return;
	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n < 0)
		return;
	if (errnum != 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n, ": %s",
		    strerror(errnum));
	/* Lines carry peer-supplied strings (host and user names, Result
	 * Code messages, Reply-Message): escaping them here, for every
	 * caller, keeps a newline or terminal escape from forging lines. */
	log_escape(esc, sizeof(esc), line);
	if (use_syslog) {
		syslog(prio[level], "%s", esc);
	} else {
		struct timespec ts;
		struct tm tm;
		char stamp[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld %-5s %s\n", stamp,
		    ts.tv_nsec / 1000000, names[level], esc);
	}
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap, 0);
	va_end(ap);
}

/* clang-format off */
#define LOG_FN(name, level, with_errno)					\
void									\
name(const char *fmt, ...)						\
{									\
	int saved = errno;						\
	va_list ap;							\
									\
	va_start(ap, fmt);						\
	log_vmsg(level, fmt, ap, (with_errno) ? saved : 0);		\
	va_end(ap);							\
	errno = saved;							\
}
/* clang-format on */

LOG_FN(log_warn, LOG_LEVEL_WARN, 1)
LOG_FN(log_warnx, LOG_LEVEL_WARN, 0)
LOG_FN(log_error, LOG_LEVEL_ERROR, 0)
LOG_FN(log_info, LOG_LEVEL_INFO, 0)
LOG_FN(log_debug, LOG_LEVEL_DEBUG, 0)
LOG_FN(log_trace, LOG_LEVEL_TRACE, 0)

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LEVEL_ERROR, fmt, ap, saved);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LEVEL_ERROR, fmt, ap, 0);
	va_end(ap);
	exit(1);
}

/* 10 lines of burst, refilled at 1 line a second. */
#define RL_BURST     10
#define RL_PERIOD_MS 1000

bool
log_rl_allow(struct log_ratelimit *rl, uint32_t *suppressed)
{
	uint64_t now = time_now_ms();

	if (rl->last_ms == 0) {
		rl->last_ms = now;
		rl->tokens = RL_BURST;
	}
	while (now - rl->last_ms >= RL_PERIOD_MS && rl->tokens < RL_BURST) {
		rl->tokens++;
		rl->last_ms += RL_PERIOD_MS;
	}
	if (rl->tokens == RL_BURST)
		rl->last_ms = now;
	if (rl->tokens == 0) {
		rl->suppressed++;
		*suppressed = 0;
		return false;
	}
	rl->tokens--;
	*suppressed = rl->suppressed;
	rl->suppressed = 0;
	return true;
}
