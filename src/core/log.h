/*
 * log.h — the daemon's logging, in the OpenBSD log_warn()/fatal() style.
 *
 * Lines go to stderr (with a timestamp) or to syslog(3) after log_init() with
 * to_syslog set.  Per-packet messages use LOG_RL(), a token bucket per call
 * site, so a flood of bad packets cannot flood the log.
 */
#ifndef VPDN_CORE_LOG_H
#define VPDN_CORE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_TRACE,
};

void log_init(const char *progname, enum log_level level, bool to_syslog);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
const char *log_level_str(enum log_level level);
/* Parses "error|warn|info|debug|trace"; returns -1 when unknown. */
int log_level_parse(const char *s, enum log_level *out);

/*
 * Copies src to dst (dstlen bytes, always terminated) for a log line: a
 * backslash is doubled; control characters, DEL and bytes that are not
 * part of valid UTF-8 become "\\xNN".  Stops before an escape that would not
 * fit.  Returns the length written.  Every log line goes through it.
 */
size_t log_escape(char *dst, size_t dstlen, const char *src);

void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* log_warn() appends ": strerror(errno)"; log_warnx() does not. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static inline bool
log_enabled(enum log_level level)
{
	return level <= log_get_level();
}

/* Token bucket for rate-limited logging: at most burst lines, refilled at
 * rate_per_s; suppressed lines are counted and reported with the next one. */
struct log_ratelimit {
	uint64_t last_ms;
	uint32_t tokens;
	uint32_t suppressed;
};

bool log_rl_allow(struct log_ratelimit *rl, uint32_t *suppressed);

#define LOG_RL(level, ...) \
	do { \
		static struct log_ratelimit log_rl_state_; \
		uint32_t log_rl_supp_; \
		if (log_enabled(level) && \
		    log_rl_allow(&log_rl_state_, &log_rl_supp_)) { \
			log_msg(level, __VA_ARGS__); \
			if (log_rl_supp_ > 0) \
				log_msg(level, \
				    "(%u similar messages suppressed)", \
				    log_rl_supp_); \
		} \
	} while (0)

#endif
