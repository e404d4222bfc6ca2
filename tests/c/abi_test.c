/*
 * Exercises every function of include/rox.h from C: success paths, null pointers for every
 * pointer parameter, the two-call buffer pattern, zero-length and short buffers, garbage and
 * truncated input, out-of-range enums, invalid UTF-8, all-or-nothing adds, clone
 * independence, the allocating variants and their frees, and the last error message after
 * every failure. Run by tests/c/run.sh under valgrind.
 *
 * Usage: abi_test [path/to/mania_7k.osu [path/to/song.osz]]
 * Exit status 0 when every check passed.
 */
#include <math.h> /* NAN, INFINITY (macros only; no libm needed) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include "rox.h"

/* The struct layouts are part of the ABI (docs/abi.md). */
_Static_assert(sizeof(RoxNote) == 32, "RoxNote is 32 bytes");
_Static_assert(offsetof(RoxNote, column) == 16, "RoxNote.column");
_Static_assert(offsetof(RoxNote, reserved) == 22, "RoxNote.reserved");
_Static_assert(offsetof(RoxNote, keysound) == 28, "RoxNote.keysound");
_Static_assert(sizeof(RoxTimingPoint) == 40, "RoxTimingPoint is 40 bytes");
_Static_assert(offsetof(RoxTimingPoint, kind) == 24, "RoxTimingPoint.kind");
_Static_assert(offsetof(RoxTimingPoint, reserved) == 39, "RoxTimingPoint.reserved");
_Static_assert(sizeof(RoxChartInfo) == 64, "RoxChartInfo is 64 bytes");
_Static_assert(offsetof(RoxChartInfo, preview_time_us) == 16, "RoxChartInfo.preview_time_us");
_Static_assert(offsetof(RoxChartInfo, overall_difficulty) == 56, "RoxChartInfo.overall_difficulty");
_Static_assert(sizeof(RoxIssue) == 24, "RoxIssue is 24 bytes");
_Static_assert(offsetof(RoxIssue, present) == 4, "RoxIssue.present");
_Static_assert(offsetof(RoxIssue, index) == 8, "RoxIssue.index");
_Static_assert(sizeof(RoxLoss) == 32, "RoxLoss is 32 bytes");
_Static_assert(offsetof(RoxLoss, present) == 4, "RoxLoss.present");
_Static_assert(offsetof(RoxLoss, time_us) == 8, "RoxLoss.time_us");
_Static_assert(offsetof(RoxLoss, index) == 16, "RoxLoss.index");
_Static_assert(offsetof(RoxLoss, shift_us) == 24, "RoxLoss.shift_us");
_Static_assert(sizeof(RoxChartStats) == 144, "RoxChartStats is 144 bytes");
_Static_assert(offsetof(RoxChartStats, tap_count) == 8, "RoxChartStats.tap_count");
_Static_assert(offsetof(RoxChartStats, first_note_us) == 56, "RoxChartStats.first_note_us");
_Static_assert(offsetof(RoxChartStats, bpm_min) == 104, "RoxChartStats.bpm_min");
_Static_assert(offsetof(RoxChartStats, max_nps) == 136, "RoxChartStats.max_nps");
_Static_assert(sizeof(RoxStatus) == 4, "RoxStatus is an int32_t");

static int g_checks;
static int g_failures;
static int g_verbose;

static void failf(int line, const char *fmt, ...) {
    va_list ap;
    g_failures++;
    fprintf(stderr, "abi_test.c:%d: FAIL: ", line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

#define CHECK(cond)                                                   \
    do {                                                              \
        g_checks++;                                                   \
        if (!(cond)) failf(__LINE__, "%s", #cond);                    \
    } while (0)

static const char *status_name(RoxStatus s) {
    switch (s) {
    case ROX_STATUS_OK: return "Ok";
    case ROX_STATUS_NULL_POINTER: return "NullPointer";
    case ROX_STATUS_INVALID_ARGUMENT: return "InvalidArgument";
    case ROX_STATUS_BUFFER_TOO_SMALL: return "BufferTooSmall";
    case ROX_STATUS_UNKNOWN_FORMAT: return "UnknownFormat";
    case ROX_STATUS_UNSUPPORTED_FORMAT: return "UnsupportedFormat";
    case ROX_STATUS_PARSE_ERROR: return "ParseError";
    case ROX_STATUS_CORRUPT_DATA: return "CorruptData";
    case ROX_STATUS_INVALID_CHART: return "InvalidChart";
    case ROX_STATUS_PANIC: return "Panic";
    default: return "(not a RoxStatus)";
    }
}

static int valid_utf8(const uint8_t *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t extra;
        uint32_t cp;
        if (c < 0x80) { i++; continue; }
        if ((c & 0xE0) == 0xC0) { extra = 1; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { extra = 2; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { extra = 3; cp = c & 0x07; }
        else return 0;
        for (size_t k = 1; k <= extra; k++) {
            if (i + k >= n || (s[i + k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000)) return 0;
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        i += extra + 1;
    }
    return 1;
}

/* Reads the last error message with the two-call pattern; returns a malloc'ed NUL-terminated
 * copy (caller frees) and checks the pattern itself on the way. */
static char *last_error(int line) {
    size_t need = (size_t)-1, got = (size_t)-1;
    RoxStatus s = rox_last_error_message(NULL, 0, &need);
    if (need == 0) {
        if (s != ROX_STATUS_OK) failf(line, "empty last error but status %s", status_name(s));
        char *empty = malloc(1);
        if (empty) empty[0] = 0;
        return empty;
    }
    if (s != ROX_STATUS_BUFFER_TOO_SMALL) failf(line, "rox_last_error_message(NULL, 0) gave %s", status_name(s));
    char *buf = malloc(need + 1);
    if (!buf) { failf(line, "out of memory"); return NULL; }
    s = rox_last_error_message((uint8_t *)buf, need, &got);
    if (s != ROX_STATUS_OK || got != need)
        failf(line, "second rox_last_error_message call gave %s, %zu of %zu bytes", status_name(s), got, need);
    buf[need] = 0;
    return buf;
}

/* Checks a status; after a failure the message must be non-empty, readable UTF-8. */
static void expect(RoxStatus got, RoxStatus want, int line, const char *call) {
    g_checks++;
    if (got != want) {
        char *msg = got == ROX_STATUS_OK ? NULL : last_error(line);
        failf(line, "%s returned %s (%d), expected %s%s%s", call, status_name(got), (int)got, status_name(want),
              msg ? "; message: " : "", msg ? msg : "");
        free(msg);
        return;
    }
    if (want != ROX_STATUS_OK) {
        char *msg = last_error(line);
        if (!msg) return;
        size_t n = strlen(msg);
        if (n == 0) failf(line, "%s: empty last error message", call);
        if (!valid_utf8((const uint8_t *)msg, n)) failf(line, "%s: last error message is not UTF-8", call);
        if (g_verbose) fprintf(stderr, "  [%s] %s\n", status_name(got), msg);
        free(msg);
    }
}

#define EXPECT(want, call) expect((call), (want), __LINE__, #call)
#define OK(call) EXPECT(ROX_STATUS_OK, call)

/* A placeholder for "some non-null pointer" that must be overwritten with NULL. */
#define NOT_NULL_CHART ((RoxChart *)(uintptr_t)0x10)

static RoxNote note(int64_t time_us, int64_t duration_us, uint8_t column, uint8_t kind) {
    RoxNote n;
    memset(&n, 0, sizeof n);
    n.time_us = time_us;
    n.duration_us = duration_us;
    n.column = column;
    n.kind = kind;
    n.keysound = -1;
    return n;
}

static RoxTimingPoint point(int64_t time_us, int32_t kind, double value, int64_t duration_us, uint32_t meter) {
    RoxTimingPoint p;
    memset(&p, 0, sizeof p);
    p.time_us = time_us;
    p.kind = kind;
    p.value = value;
    p.duration_us = duration_us;
    p.meter = meter;
    p.volume = 100;
    p.sample_set = 1;
    return p;
}

static RoxStatus set_str(RoxChart *c, int32_t field, const char *s) {
    return rox_chart_set_string(c, field, (const uint8_t *)s, strlen(s));
}

/* Reads a string field with the two-call pattern and compares it with `want` (len bytes). */
static void check_string(int line, const RoxChart *c, int32_t field, const char *want, size_t want_len) {
    size_t need = (size_t)-1;
    RoxStatus s = rox_chart_get_string(c, field, NULL, 0, &need);
    g_checks++;
    if (need != want_len) { failf(line, "field %d: length %zu, expected %zu", field, need, want_len); return; }
    if (s != (want_len ? ROX_STATUS_BUFFER_TOO_SMALL : ROX_STATUS_OK)) failf(line, "field %d: first call %s", field, status_name(s));
    uint8_t *buf = malloc(need + 1);
    size_t got = (size_t)-1;
    s = rox_chart_get_string(c, field, buf, need + 1, &got);
    if (s != ROX_STATUS_OK || got != want_len || memcmp(buf, want, want_len) != 0)
        failf(line, "field %d: second call %s, %zu bytes, content %s", field, status_name(s), got,
              memcmp(buf, want, want_len) ? "differs" : "same");
    free(buf);
}

/* ---------------------------------------------------------------------------------------- */

static void test_version_and_last_error(void) {
    CHECK(rox_abi_version() == ROX_ABI_VERSION);
    CHECK(rox_abi_version() == 1);

    /* Nothing has failed on this thread yet: empty message. */
    size_t n = 99;
    OK(rox_last_error_message(NULL, 0, &n));
    CHECK(n == 0);

    /* Provoke a failure, then read it back with every buffer shape. */
    RoxChart *c = NULL;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_new(0, &c));
    size_t need = 0;
    EXPECT(ROX_STATUS_BUFFER_TOO_SMALL, rox_last_error_message(NULL, 0, &need));
    CHECK(need > 0);
    char *before = last_error(__LINE__);

    uint8_t small[4];
    memset(small, 0xAA, sizeof small);
    size_t got = 0;
    EXPECT(ROX_STATUS_BUFFER_TOO_SMALL, rox_last_error_message(small, need - 1 < 4 ? need - 1 : 4, &got));
    CHECK(got == need);
    CHECK(small[0] == 0xAA && small[3] == 0xAA);

    /* Failing calls of rox_last_error_message itself do not replace the message. */
    rox_last_error_message(NULL, 0, NULL);
    CHECK(rox_last_error_message(NULL, 0, NULL) == ROX_STATUS_NULL_POINTER);
    CHECK(rox_last_error_message(NULL, 10, &got) == ROX_STATUS_NULL_POINTER);
    char *after = last_error(__LINE__);
    CHECK(before && after && strcmp(before, after) == 0);
    CHECK(before && strstr(before, "rox_chart_new") != NULL);

    /* A bigger buffer than needed is fine. */
    uint8_t big[512];
    CHECK(need < sizeof big);
    OK(rox_last_error_message(big, sizeof big, &got));
    CHECK(got == need && before && memcmp(big, before, need) == 0);
    free(before);
    free(after);
}

static void test_new_free(void) {
    RoxChart *c = NOT_NULL_CHART;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_new(0, &c));
    CHECK(c == NULL);
    c = NOT_NULL_CHART;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_new(19, &c));
    CHECK(c == NULL);
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_new(256 + 4, &c)); /* must not wrap to 4 */
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_new(UINT32_MAX, &c));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_new(4, NULL));

    for (uint32_t k = 1; k <= 18; k++) {
        OK(rox_chart_new(k, &c));
        CHECK(c != NULL);
        RoxChartInfo info;
        OK(rox_chart_get_info(c, &info));
        CHECK(info.key_count == k);
        rox_chart_free(c);
    }
    rox_chart_free(NULL);
}

static void test_strings(void) {
    RoxChart *c = NULL;
    OK(rox_chart_new(7, &c));
    char text[64];

    for (int32_t f = ROX_META_FIELD_TITLE; f <= ROX_META_FIELD_STYLE; f++) {
        check_string(__LINE__, c, f, "", 0); /* unset fields are empty */
        snprintf(text, sizeof text, "field %d \xE2\x9C\x93 \xE5\xAE\x99", (int)f);
        OK(set_str(c, f, text));
    }
    for (int32_t f = ROX_META_FIELD_TITLE; f <= ROX_META_FIELD_STYLE; f++) {
        snprintf(text, sizeof text, "field %d \xE2\x9C\x93 \xE5\xAE\x99", (int)f);
        check_string(__LINE__, c, f, text, strlen(text));
    }

    /* Two-call pattern details on one field. */
    const char *title = "Sora no Senritsu";
    size_t tl = strlen(title);
    OK(set_str(c, ROX_META_FIELD_TITLE, title));
    size_t n = 0;
    EXPECT(ROX_STATUS_BUFFER_TOO_SMALL, rox_chart_get_string(c, ROX_META_FIELD_TITLE, NULL, 0, &n));
    CHECK(n == tl);
    uint8_t buf[64];
    memset(buf, 0xAA, sizeof buf);
    n = 0;
    EXPECT(ROX_STATUS_BUFFER_TOO_SMALL, rox_chart_get_string(c, ROX_META_FIELD_TITLE, buf, tl - 1, &n));
    CHECK(n == tl);
    CHECK(buf[0] == 0xAA && buf[tl - 2] == 0xAA); /* nothing written */
    OK(rox_chart_get_string(c, ROX_META_FIELD_TITLE, buf, tl, &n));
    CHECK(n == tl && memcmp(buf, title, tl) == 0);
    CHECK(buf[tl] == 0xAA); /* no NUL appended */

    /* Null pointers and bad field ids. */
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_get_string(NULL, 0, buf, sizeof buf, &n));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_get_string(c, 0, buf, sizeof buf, NULL));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_get_string(c, 0, NULL, 5, &n));
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_get_string(c, -1, buf, sizeof buf, &n));
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_get_string(c, 14, buf, sizeof buf, &n));
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_set_string(c, -1, (const uint8_t *)"x", 1));
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_set_string(c, 99, (const uint8_t *)"x", 1));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_set_string(NULL, 0, (const uint8_t *)"x", 1));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_set_string(c, 0, NULL, 3));

    /* Invalid UTF-8 is refused and leaves the field unchanged. */
    static const char *const bad[] = {"\xFF", "abc\xC3", "\xED\xA0\x80", "\xC0\xAF", "ok\x80ok", "\xF4\x90\x80\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        EXPECT(ROX_STATUS_INVALID_ARGUMENT, set_str(c, ROX_META_FIELD_TITLE, bad[i]));
        check_string(__LINE__, c, ROX_META_FIELD_TITLE, title, tl);
    }

    /* (NULL, 0) clears a field. */
    OK(rox_chart_set_string(c, ROX_META_FIELD_ARTIST, NULL, 0));
    check_string(__LINE__, c, ROX_META_FIELD_ARTIST, "", 0);

    /* Allocating variant: NUL-terminated, length excludes the NUL, interior NUL kept. */
    char *s = NULL;
    size_t sl = 0;
    OK(rox_chart_get_string_alloc(c, ROX_META_FIELD_TITLE, &s, &sl));
    CHECK(s != NULL && sl == tl && strcmp(s, title) == 0);
    rox_free_string(s);
    OK(rox_chart_set_string(c, ROX_META_FIELD_TAGS, (const uint8_t *)"a\0b", 3));
    OK(rox_chart_get_string_alloc(c, ROX_META_FIELD_TAGS, &s, &sl));
    CHECK(s != NULL && sl == 3 && memcmp(s, "a\0b\0", 4) == 0);
    rox_free_string(s);
    OK(rox_chart_get_string_alloc(c, ROX_META_FIELD_ARTIST, &s, &sl)); /* empty */
    CHECK(s != NULL && sl == 0 && s[0] == 0);
    rox_free_string(s);

    s = (char *)title;
    sl = 77;
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_get_string_alloc(NULL, 0, &s, &sl));
    CHECK(s == NULL && sl == 0);
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_get_string_alloc(c, 14, &s, &sl));
    CHECK(s == NULL);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_get_string_alloc(c, 0, NULL, &sl));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_get_string_alloc(c, 0, &s, NULL));
    rox_free_string(NULL);

    rox_chart_free(c);
}

static void test_info(void) {
    RoxChart *c = NULL;
    OK(rox_chart_new(7, &c));
    RoxChartInfo info;
    memset(&info, 0xAB, sizeof info);
    OK(rox_chart_get_info(c, &info));
    CHECK(info.struct_size == sizeof(RoxChartInfo));
    CHECK(info.key_count == 7 && info.has_scratch == 0 && info.present == 0);
    CHECK(info.preview_time_us == 0 && info.chart_id == 0 && info.set_id == 0);
    CHECK(info.difficulty_level == 0.0 && info.hp_drain == 0.0 && info.overall_difficulty == 0.0);

    RoxChartInfo set = info;
    set.has_scratch = 1;
    set.present = ROX_INFO_PREVIEW_TIME | ROX_INFO_CHART_ID | ROX_INFO_SET_ID | ROX_INFO_DIFFICULTY_LEVEL |
                  ROX_INFO_HP_DRAIN | ROX_INFO_OVERALL_DIFFICULTY;
    set.preview_time_us = 64113000;
    set.chart_id = 941427;
    set.set_id = 437171;
    set.difficulty_level = 12.5;
    set.hp_drain = 8.5;
    set.overall_difficulty = 9.0;
    OK(rox_chart_set_info(c, &set));
    OK(rox_chart_get_info(c, &info));
    CHECK(memcmp(&info, &set, sizeof info) == 0);

    /* Absent values read as 0 even if the caller filled them in. */
    RoxChartInfo partial = set;
    partial.present = ROX_INFO_CHART_ID;
    OK(rox_chart_set_info(c, &partial));
    OK(rox_chart_get_info(c, &info));
    CHECK(info.present == ROX_INFO_CHART_ID && info.chart_id == 941427 && info.set_id == 0 && info.hp_drain == 0.0);

    /* Refusals leave the chart unchanged. */
    RoxChartInfo bad = set;
    bad.struct_size = 0;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_set_info(c, &bad));
    bad.struct_size = 63;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_set_info(c, &bad));
    bad.struct_size = 128;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_set_info(c, &bad));
    bad = set;
    bad.key_count = 0;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_set_info(c, &bad));
    bad.key_count = 19;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_set_info(c, &bad));
    bad = set;
    bad.has_scratch = 2;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_set_info(c, &bad));
    bad = set;
    bad.present |= 64;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_set_info(c, &bad));
    bad = set;
    bad.hp_drain = INFINITY; /* present */
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_set_info(c, &bad));
    bad.present &= ~(uint32_t)ROX_INFO_HP_DRAIN; /* inf but absent: ignored */
    OK(rox_chart_get_info(c, &info));
    CHECK(info.present == ROX_INFO_CHART_ID && info.key_count == 7);
    OK(rox_chart_set_info(c, &bad));
    OK(rox_chart_get_info(c, &info));
    CHECK(info.hp_drain == 0.0 && (info.present & ROX_INFO_HP_DRAIN) == 0);

    /* A key count change must keep every note's column valid. */
    RoxNote n = note(1000, 0, 6, ROX_NOTE_KIND_TAP);
    OK(rox_chart_add_notes(c, &n, 1));
    bad = set;
    bad.key_count = 4;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_set_info(c, &bad));
    OK(rox_chart_get_info(c, &info));
    CHECK(info.key_count == 7);
    bad.key_count = 18;
    OK(rox_chart_set_info(c, &bad));
    OK(rox_chart_get_info(c, &info));
    CHECK(info.key_count == 18);

    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_get_info(NULL, &info));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_get_info(c, NULL));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_set_info(NULL, &set));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_set_info(c, NULL));
    rox_chart_free(c);
}

static void test_notes(void) {
    RoxChart *c = NULL;
    OK(rox_chart_new(4, &c));
    size_t count = 99, written = 99;
    OK(rox_chart_note_count(c, &count));
    CHECK(count == 0);

    /* Added out of order; the chart keeps (time, column) order. */
    RoxNote in[5] = {
        note(3000, 0, 2, ROX_NOTE_KIND_TAP),
        note(1000, 500, 3, ROX_NOTE_KIND_HOLD),
        note(1000, 0, 0, ROX_NOTE_KIND_TAP),
        note(2000, 0, 1, ROX_NOTE_KIND_MINE),
        note(4000, 250, 0, ROX_NOTE_KIND_ROLL),
    };
    in[0].hitsound_flags = 2 | 8;
    in[0].normal_set = 2;
    in[0].addition_set = 3;
    in[0].volume = 70;
    in[0].custom_index = 4;
    OK(rox_chart_add_notes(c, in, 5));
    OK(rox_chart_add_notes(c, NULL, 0));
    OK(rox_chart_note_count(c, &count));
    CHECK(count == 5);

    RoxNote out[8];
    memset(out, 0xAA, sizeof out);
    OK(rox_chart_copy_notes(c, 0, out, 8, &written));
    CHECK(written == 5);
    CHECK(out[0].time_us == 1000 && out[0].column == 0);
    CHECK(out[1].time_us == 1000 && out[1].column == 3 && out[1].kind == ROX_NOTE_KIND_HOLD && out[1].duration_us == 500);
    CHECK(out[2].time_us == 2000 && out[2].kind == ROX_NOTE_KIND_MINE);
    CHECK(memcmp(&out[3], &in[0], sizeof(RoxNote)) == 0); /* every field survives */
    CHECK(out[4].kind == ROX_NOTE_KIND_ROLL && out[4].duration_us == 250 && out[4].keysound == -1);
    CHECK(out[5].time_us == (int64_t)0xAAAAAAAAAAAAAAAAULL); /* nothing beyond `written` */

    /* Windows: partial, empty, at the end, beyond the end. */
    memset(out, 0, sizeof out);
    OK(rox_chart_copy_notes(c, 1, out, 2, &written));
    CHECK(written == 2 && out[0].column == 3 && out[1].time_us == 2000);
    OK(rox_chart_copy_notes(c, 3, out, 8, &written));
    CHECK(written == 2);
    OK(rox_chart_copy_notes(c, 0, NULL, 0, &written));
    CHECK(written == 0);
    OK(rox_chart_copy_notes(c, 5, out, 8, &written));
    CHECK(written == 0);
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_copy_notes(c, 6, out, 8, &written));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_copy_notes(NULL, 0, out, 8, &written));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_copy_notes(c, 0, NULL, 8, &written));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_copy_notes(c, 0, out, 8, NULL));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_note_count(NULL, &count));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_note_count(c, NULL));

    /* Every bad note is refused, and a batch with one bad note adds nothing. */
    RoxNote batch[3] = {note(5000, 0, 0, ROX_NOTE_KIND_TAP), note(6000, 0, 1, ROX_NOTE_KIND_TAP),
                        note(7000, 0, 4, ROX_NOTE_KIND_TAP)}; /* column 4 == key count */
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_notes(c, batch, 3));
    batch[2].column = 255;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_notes(c, batch, 3));
    batch[2].column = 2;
    batch[2].kind = 200;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_notes(c, batch, 3));
    batch[2].kind = 6;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_notes(c, batch, 3));
    batch[2].kind = ROX_NOTE_KIND_TAP;
    batch[2].reserved = 1;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_notes(c, batch, 3));
    batch[2].reserved = 0;
    batch[2].keysound = 0; /* no keysounds yet */
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_notes(c, batch, 3));
    batch[2].keysound = -2;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_notes(c, batch, 3));
    batch[2].keysound = -1;
    batch[2].kind = ROX_NOTE_KIND_HOLD; /* hold without length */
    EXPECT(ROX_STATUS_INVALID_CHART, rox_chart_add_notes(c, batch, 3));
    batch[2].duration_us = -5;
    EXPECT(ROX_STATUS_INVALID_CHART, rox_chart_add_notes(c, batch, 3));
    batch[2].kind = ROX_NOTE_KIND_TAP; /* tap with length */
    batch[2].duration_us = 5;
    EXPECT(ROX_STATUS_INVALID_CHART, rox_chart_add_notes(c, batch, 3));
    batch[2].duration_us = 0;
    batch[2].time_us = INT64_MAX;
    EXPECT(ROX_STATUS_INVALID_CHART, rox_chart_add_notes(c, batch, 3));
    batch[2].time_us = INT64_MIN; /* |INT64_MIN| overflows int64 */
    EXPECT(ROX_STATUS_INVALID_CHART, rox_chart_add_notes(c, batch, 3));
    batch[2].time_us = (int64_t)1 << 53;
    EXPECT(ROX_STATUS_INVALID_CHART, rox_chart_add_notes(c, batch, 3));
    batch[2].time_us = ((int64_t)1 << 52) - 10;
    batch[2].kind = ROX_NOTE_KIND_HOLD;
    batch[2].duration_us = INT64_MAX; /* end overflows */
    EXPECT(ROX_STATUS_INVALID_CHART, rox_chart_add_notes(c, batch, 3));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_add_notes(c, NULL, 3));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_add_notes(NULL, batch, 3));
    OK(rox_chart_note_count(c, &count));
    CHECK(count == 5);

    /* A fixed batch goes in whole. */
    batch[2] = note(7000, 0, 3, ROX_NOTE_KIND_LIFT);
    OK(rox_chart_add_notes(c, batch, 3));
    OK(rox_chart_note_count(c, &count));
    CHECK(count == 8);

    /* Replace: a bad batch keeps all 8 notes; a good one leaves exactly its notes, sorted. */
    batch[1].column = 4;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_replace_notes(c, batch, 3));
    OK(rox_chart_note_count(c, &count));
    CHECK(count == 8);
    batch[1].column = 1;
    RoxNote reversed[2] = {batch[2], batch[0]};
    OK(rox_chart_replace_notes(c, reversed, 2));
    OK(rox_chart_copy_notes(c, 0, out, 8, &written));
    CHECK(written == 2 && out[0].time_us == 5000 && out[1].time_us == 7000 && out[1].kind == ROX_NOTE_KIND_LIFT);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_replace_notes(c, NULL, 3));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_replace_notes(NULL, batch, 3));
    OK(rox_chart_replace_notes(c, NULL, 0));
    OK(rox_chart_note_count(c, &count));
    CHECK(count == 0);

    OK(rox_chart_add_notes(c, batch, 3));
    OK(rox_chart_clear_notes(c));
    OK(rox_chart_note_count(c, &count));
    CHECK(count == 0);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_clear_notes(NULL));
    rox_chart_free(c);
}

static void test_timing(void) {
    RoxChart *c = NULL;
    OK(rox_chart_new(4, &c));
    size_t count = 99, written = 99;
    OK(rox_chart_timing_count(c, &count));
    CHECK(count == 0);

    RoxTimingPoint in[5] = {
        point(4000000, ROX_TIMING_KIND_WARP, 2.0, 0, 0),
        point(0, ROX_TIMING_KIND_BPM, 120.0, 0, 4),
        point(2000000, ROX_TIMING_KIND_STOP, 0.0, 250000, 0),
        point(1000000, ROX_TIMING_KIND_SCROLL, 0.75, 0, 0),
        point(3000000, ROX_TIMING_KIND_DELAY, 0.0, 125000, 0),
    };
    in[1].effects = 1;
    in[1].sample_index = 3;
    in[1].volume = 60;
    OK(rox_chart_add_timing(c, in, 5));
    OK(rox_chart_add_timing(c, NULL, 0));
    OK(rox_chart_timing_count(c, &count));
    CHECK(count == 5);

    RoxTimingPoint out[6];
    memset(out, 0, sizeof out);
    OK(rox_chart_copy_timing(c, 0, out, 6, &written));
    CHECK(written == 5);
    CHECK(memcmp(&out[0], &in[1], sizeof(RoxTimingPoint)) == 0);
    CHECK(memcmp(&out[1], &in[3], sizeof(RoxTimingPoint)) == 0);
    CHECK(memcmp(&out[2], &in[2], sizeof(RoxTimingPoint)) == 0);
    CHECK(memcmp(&out[3], &in[4], sizeof(RoxTimingPoint)) == 0);
    CHECK(memcmp(&out[4], &in[0], sizeof(RoxTimingPoint)) == 0);

    /* At one time, existing points stay first and new ones keep their order. */
    RoxTimingPoint same[2] = {point(0, ROX_TIMING_KIND_SCROLL, 2.0, 0, 0), point(0, ROX_TIMING_KIND_SCROLL, 3.0, 0, 0)};
    OK(rox_chart_add_timing(c, same, 2));
    OK(rox_chart_copy_timing(c, 0, out, 3, &written));
    CHECK(written == 3 && out[0].kind == ROX_TIMING_KIND_BPM && out[1].value == 2.0 && out[2].value == 3.0);

    OK(rox_chart_copy_timing(c, 6, out, 6, &written));
    CHECK(written == 1);
    OK(rox_chart_copy_timing(c, 7, out, 6, &written));
    CHECK(written == 0);
    OK(rox_chart_copy_timing(c, 0, NULL, 0, &written));
    CHECK(written == 0);
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_copy_timing(c, 8, out, 6, &written));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_copy_timing(NULL, 0, out, 6, &written));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_copy_timing(c, 0, NULL, 6, &written));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_copy_timing(c, 0, out, 6, NULL));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_timing_count(NULL, &count));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_timing_count(c, NULL));

    /* Bad points; each batch is refused whole. */
    RoxTimingPoint batch[2] = {point(9000000, ROX_TIMING_KIND_BPM, 150.0, 0, 4), point(0, 9, 1.0, 0, 0)};
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_timing(c, batch, 2)); /* kind 9 */
    batch[1].kind = -1;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_timing(c, batch, 2));
    batch[1] = point(0, ROX_TIMING_KIND_BPM, -120.0, 0, 4);
    EXPECT(ROX_STATUS_INVALID_CHART, rox_chart_add_timing(c, batch, 2));
    batch[1].value = NAN;
    EXPECT(ROX_STATUS_INVALID_CHART, rox_chart_add_timing(c, batch, 2));
    batch[1] = point(0, ROX_TIMING_KIND_SCROLL, INFINITY, 0, 0);
    EXPECT(ROX_STATUS_INVALID_CHART, rox_chart_add_timing(c, batch, 2));
    batch[1] = point(0, ROX_TIMING_KIND_STOP, 0.0, -1, 0);
    EXPECT(ROX_STATUS_INVALID_CHART, rox_chart_add_timing(c, batch, 2));
    batch[1] = point(0, ROX_TIMING_KIND_SCROLL, 1.0, 0, 4); /* meter on a scroll point */
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_timing(c, batch, 2));
    batch[1] = point(0, ROX_TIMING_KIND_DELAY, 1.0, 10, 0); /* value on a delay */
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_timing(c, batch, 2));
    batch[1] = point(0, ROX_TIMING_KIND_BPM, 120.0, 10, 4); /* duration on a BPM point */
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_timing(c, batch, 2));
    batch[1] = point(0, ROX_TIMING_KIND_SCROLL, 1.0, 0, 0);
    batch[1].reserved = 1;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_timing(c, batch, 2));
    batch[1].reserved = 0;
    batch[1].time_us = INT64_MIN;
    EXPECT(ROX_STATUS_INVALID_CHART, rox_chart_add_timing(c, batch, 2));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_add_timing(c, NULL, 2));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_add_timing(NULL, batch, 2));
    OK(rox_chart_timing_count(c, &count));
    CHECK(count == 7);

    OK(rox_chart_clear_timing(c));
    OK(rox_chart_timing_count(c, &count));
    CHECK(count == 0);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_clear_timing(NULL));
    rox_chart_free(c);
}

static void test_keysounds(void) {
    RoxChart *c = NULL;
    OK(rox_chart_new(4, &c));
    size_t count = 99;
    uint32_t index = 99;
    OK(rox_chart_keysound_count(c, &count));
    CHECK(count == 0);
    OK(rox_chart_add_keysound(c, (const uint8_t *)"kick.wav", 8, &index));
    CHECK(index == 0);
    const char *snare = "snare \xE2\x9C\x93.wav";
    OK(rox_chart_add_keysound(c, (const uint8_t *)snare, strlen(snare), &index));
    CHECK(index == 1);
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_keysound(c, (const uint8_t *)"\xFF.wav", 5, &index));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_add_keysound(c, NULL, 5, &index));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_add_keysound(c, (const uint8_t *)"a", 1, NULL));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_add_keysound(NULL, (const uint8_t *)"a", 1, &index));
    OK(rox_chart_keysound_count(c, &count));
    CHECK(count == 2);

    size_t n = 0;
    uint8_t buf[32];
    EXPECT(ROX_STATUS_BUFFER_TOO_SMALL, rox_chart_get_keysound(c, 1, NULL, 0, &n));
    CHECK(n == strlen(snare));
    EXPECT(ROX_STATUS_BUFFER_TOO_SMALL, rox_chart_get_keysound(c, 1, buf, 3, &n));
    CHECK(n == strlen(snare));
    OK(rox_chart_get_keysound(c, 1, buf, sizeof buf, &n));
    CHECK(n == strlen(snare) && memcmp(buf, snare, n) == 0);
    n = 7;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_get_keysound(c, 2, buf, sizeof buf, &n));
    CHECK(n == 0);
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_get_keysound(c, SIZE_MAX, buf, sizeof buf, &n));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_get_keysound(NULL, 0, buf, sizeof buf, &n));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_get_keysound(c, 0, NULL, 4, &n));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_get_keysound(c, 0, buf, sizeof buf, NULL));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_keysound_count(NULL, &count));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_keysound_count(c, NULL));

    /* Notes may now reference them. */
    RoxNote k = note(1000, 0, 0, ROX_NOTE_KIND_TAP);
    k.keysound = 1;
    OK(rox_chart_add_notes(c, &k, 1));
    k.keysound = 2;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_notes(c, &k, 1));
    RoxNote out;
    size_t written = 0;
    OK(rox_chart_copy_notes(c, 0, &out, 1, &written));
    CHECK(written == 1 && out.keysound == 1);

    index = 77;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_keysound(c, NULL, 0, &index)); /* empty names are refused */
    CHECK(index == 0);
    OK(rox_chart_keysound_count(c, &n));
    CHECK(n == 2);
    rox_chart_free(c);
}

static void test_validate(void) {
    RoxChart *c = NULL;
    OK(rox_chart_new(4, &c));
    size_t count = 99;
    OK(rox_chart_validate(c, NULL, 0, &count));
    CHECK(count == 1); /* no BPM */
    RoxIssue issues[4];
    memset(issues, 0xAA, sizeof issues);
    OK(rox_chart_validate(c, issues, 4, &count));
    CHECK(count == 1 && issues[0].kind == ROX_ISSUE_KIND_NO_BPM && issues[0].present == 0); /* chart-wide */
    CHECK(issues[1].kind == (int32_t)0xAAAAAAAA);

    size_t n = 0;
    EXPECT(ROX_STATUS_BUFFER_TOO_SMALL, rox_issue_describe(&issues[0], NULL, 0, &n));
    CHECK(n > 0);
    char text[256];
    CHECK(n < sizeof text);
    OK(rox_issue_describe(&issues[0], (uint8_t *)text, sizeof text, &n));
    text[n] = 0;
    CHECK(strstr(text, "BPM") != NULL);

    RoxTimingPoint bpm = point(0, ROX_TIMING_KIND_BPM, 120.0, 0, 4);
    OK(rox_chart_add_timing(c, &bpm, 1));
    OK(rox_chart_validate(c, NULL, 0, &count));
    CHECK(count == 0);

    /* Two notes at one time in one column, and a note inside a hold. */
    RoxNote notes[4] = {note(1000, 0, 1, ROX_NOTE_KIND_TAP), note(1000, 0, 1, ROX_NOTE_KIND_TAP),
                        note(2000, 1000, 2, ROX_NOTE_KIND_HOLD), note(2500, 0, 2, ROX_NOTE_KIND_TAP)};
    OK(rox_chart_add_notes(c, notes, 4));
    OK(rox_chart_validate(c, issues, 1, &count));
    CHECK(count == 2); /* only the first copied */
    CHECK(issues[0].kind == ROX_ISSUE_KIND_OVERLAPPING_NOTES && issues[0].index == 1 && issues[0].time_us == 1000);
    CHECK(issues[0].present == (ROX_ISSUE_TIME | ROX_ISSUE_INDEX));
    OK(rox_chart_validate(c, issues, 4, &count));
    CHECK(count == 2 && issues[1].kind == ROX_ISSUE_KIND_OVERLAPPING_NOTES && issues[1].index == 3);
    OK(rox_issue_describe(&issues[1], (uint8_t *)text, sizeof text - 1, &n));
    text[n] = 0;
    CHECK(strstr(text, "note 3") != NULL && strstr(text, "2500") != NULL);

    /* Whether overlaps block encoding is the model's policy (they are reported but not fatal
     * once validation has severities); a chart built through this ABI cannot have a fatal
     * problem, because every add refuses those. Either way the calls must behave. */
    size_t len = 0;
    RoxStatus s = rox_chart_encode(c, ROX_FORMAT_ROX, NULL, 0, &len);
    g_checks++;
    if (s != ROX_STATUS_INVALID_CHART && s != ROX_STATUS_BUFFER_TOO_SMALL && s != ROX_STATUS_UNSUPPORTED_FORMAT)
        failf(__LINE__, "encode of a chart with overlaps: %s", status_name(s));
    if (s == ROX_STATUS_INVALID_CHART) expect(s, s, __LINE__, "rox_chart_encode(overlaps)");
    uint8_t *out = (uint8_t *)text;
    s = rox_chart_encode_alloc(c, ROX_FORMAT_OSU, &out, &len);
    if (s == ROX_STATUS_OK) {
        CHECK(out != NULL && len > 0);
        rox_free_buffer(out, len);
    } else {
        CHECK(out == NULL && len == 0);
    }

    RoxIssue bad = issues[0];
    bad.kind = 14;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_issue_describe(&bad, (uint8_t *)text, sizeof text, &n));
    bad.kind = -1;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_issue_describe(&bad, (uint8_t *)text, sizeof text, &n));
    bad = issues[0];
    bad.present = 4; /* not a ROX_ISSUE_* bit */
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_issue_describe(&bad, (uint8_t *)text, sizeof text, &n));
    bad.present = 0; /* a note problem described without its position is still described */
    OK(rox_issue_describe(&bad, (uint8_t *)text, sizeof text, &n));
    for (int32_t k = ROX_ISSUE_KIND_KEY_COUNT_OUT_OF_RANGE; k <= ROX_ISSUE_KIND_ZERO_BPM; k++) {
        RoxIssue each = issues[0];
        each.kind = k;
        OK(rox_issue_describe(&each, (uint8_t *)text, sizeof text, &n));
        CHECK(n > 0 && valid_utf8((const uint8_t *)text, n));
    }
    EXPECT(ROX_STATUS_NULL_POINTER, rox_issue_describe(NULL, (uint8_t *)text, sizeof text, &n));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_issue_describe(&issues[0], NULL, 4, &n));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_issue_describe(&issues[0], (uint8_t *)text, sizeof text, NULL));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_validate(NULL, issues, 4, &count));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_validate(c, NULL, 4, &count));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_validate(c, issues, 4, NULL));
    rox_chart_free(c);
}

static void test_formats(void) {
    struct { const char *path; int32_t want; RoxStatus status; } cases[] = {
        {"song.osu", ROX_FORMAT_OSU, ROX_STATUS_OK},
        {"C:\\maps\\X.ROX", ROX_FORMAT_ROX, ROX_STATUS_OK},
        {"/a/b.c/chart.sm", ROX_FORMAT_SM, ROX_STATUS_OK},
        {"chart.ssc", ROX_FORMAT_SSC, ROX_STATUS_OK},
        {"chart.Qua", ROX_FORMAT_QUA, ROX_STATUS_OK},
        {"/maps/song.ROX.json", ROX_FORMAT_ROX_JSON, ROX_STATUS_OK},
        {"song.bms", ROX_FORMAT_BMS, ROX_STATUS_OK},
        {"song [7K].BME", ROX_FORMAT_BMS, ROX_STATUS_OK},
        {"pop.pms", ROX_FORMAT_BMS, ROX_STATUS_OK},
        {"song.BMSON", ROX_FORMAT_BMSON, ROX_STATUS_OK},
        {"song.json", ROX_FORMAT_FNF, ROX_STATUS_OK},
        {"chart.auto", ROX_FORMAT_AUTO, ROX_STATUS_UNKNOWN_FORMAT},
        {"chart.txt", ROX_FORMAT_AUTO, ROX_STATUS_UNKNOWN_FORMAT},
        {"noextension", ROX_FORMAT_AUTO, ROX_STATUS_UNKNOWN_FORMAT},
        {"", ROX_FORMAT_AUTO, ROX_STATUS_UNKNOWN_FORMAT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t f = 77;
        EXPECT(cases[i].status, rox_format_from_path((const uint8_t *)cases[i].path, strlen(cases[i].path), &f));
        CHECK(f == cases[i].want);
    }
    int32_t f = 77;
    EXPECT(ROX_STATUS_UNKNOWN_FORMAT, rox_format_from_path(NULL, 0, &f));
    CHECK(f == 0);
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_format_from_path((const uint8_t *)"a\xFF.osu", 6, &f));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_format_from_path(NULL, 5, &f));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_format_from_path((const uint8_t *)"a.osu", 5, NULL));

    f = 77;
    EXPECT(ROX_STATUS_UNKNOWN_FORMAT, rox_detect_format((const uint8_t *)"hello", 5, &f));
    CHECK(f == 0);
    EXPECT(ROX_STATUS_UNKNOWN_FORMAT, rox_detect_format(NULL, 0, &f));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_detect_format(NULL, 5, &f));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_detect_format((const uint8_t *)"hello", 5, NULL));

    /* decode: argument errors. */
    RoxChart *c = NOT_NULL_CHART;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_decode((const uint8_t *)"x", 1, 99, &c));
    CHECK(c == NULL);
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_decode((const uint8_t *)"x", 1, -1, &c));
    EXPECT(ROX_STATUS_UNKNOWN_FORMAT, rox_chart_decode(NULL, 0, ROX_FORMAT_AUTO, &c));
    CHECK(c == NULL);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_decode(NULL, 4, ROX_FORMAT_AUTO, &c));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_decode((const uint8_t *)"x", 1, ROX_FORMAT_AUTO, NULL));
}

/* Decoding junk must fail cleanly (or, by chance, succeed); never a bug status, and the out
 * handle is null exactly when it fails. */
static void decode_any(int line, const uint8_t *data, size_t len, int32_t format) {
    RoxChart *c = NOT_NULL_CHART;
    RoxStatus s = rox_chart_decode(data, len, format, &c);
    g_checks++;
    switch (s) {
    case ROX_STATUS_OK:
        if (c == NULL) failf(line, "decode OK but null chart");
        rox_chart_free(c);
        return;
    case ROX_STATUS_UNKNOWN_FORMAT:
    case ROX_STATUS_UNSUPPORTED_FORMAT:
    case ROX_STATUS_PARSE_ERROR:
    case ROX_STATUS_CORRUPT_DATA:
        if (c != NULL) failf(line, "decode failed but chart not null");
        expect(s, s, line, "rox_chart_decode(junk)"); /* checks the message */
        return;
    default:
        failf(line, "decode of %zu junk bytes as format %d returned %s", len, (int)format, status_name(s));
    }
}

static uint64_t g_rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next_random(void) {
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

static void test_garbage(void) {
    uint8_t junk[600];
    for (int round = 0; round < 48; round++) {
        size_t len = (size_t)(next_random() % sizeof junk);
        for (size_t i = 0; i < len; i++) junk[i] = (uint8_t)next_random();
        RoxChart *c = NOT_NULL_CHART;
        EXPECT(ROX_STATUS_UNKNOWN_FORMAT, rox_chart_decode(junk, len, ROX_FORMAT_AUTO, &c));
        CHECK(c == NULL);
        int32_t f = 5;
        EXPECT(ROX_STATUS_UNKNOWN_FORMAT, rox_detect_format(junk, len, &f));
        RoxChartSet *set = (RoxChartSet *)NOT_NULL_CHART;
        EXPECT(ROX_STATUS_UNKNOWN_FORMAT, rox_set_decode(junk, len, ROX_FORMAT_AUTO, &set));
        CHECK(set == NULL);
        for (int32_t format = ROX_FORMAT_ROX; format <= ROX_FORMAT_BMSON; format++) decode_any(__LINE__, junk, len, format);
    }
    /* Plausible headers followed by junk. */
    static const char *const heads[] = {"osu file format v14\n\n[General]\nMode: 3\n", "osu file format v14\r\n[Difficulty]\r\nCircleSize:7\r\n[HitObjects]\r\n",
                                        "\xEF\xBB\xBFosu file format v128\n", "ROX\0", "#TITLE:x;\n#NOTES:\n", "#PLAYER 1\n#00111:"};
    for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
        size_t hl = strlen(heads[h]) + (h == 3 ? 1 : 0);
        for (int round = 0; round < 8; round++) {
            size_t tail = (size_t)(next_random() % 200);
            memcpy(junk, heads[h], hl);
            for (size_t i = 0; i < tail; i++) junk[hl + i] = (uint8_t)next_random();
            for (int32_t format = ROX_FORMAT_AUTO; format <= ROX_FORMAT_BMSON; format++) decode_any(__LINE__, junk, hl + tail, format);
        }
    }
}

/* The chart every format-independent feature is in. */
static RoxChart *build_full_chart(void) {
    RoxChart *c = NULL;
    OK(rox_chart_new(7, &c));
    if (!c) return NULL;
    char text[64];
    for (int32_t f = ROX_META_FIELD_TITLE; f <= ROX_META_FIELD_STYLE; f++) {
        snprintf(text, sizeof text, "value %d \xE5\xAE\x99\xE3\x81\xAE\xE6\x97\x8B\xE5\xBE\x8B", (int)f);
        OK(set_str(c, f, text));
    }
    RoxChartInfo info;
    OK(rox_chart_get_info(c, &info));
    info.has_scratch = 1;
    info.present = ROX_INFO_PREVIEW_TIME | ROX_INFO_CHART_ID | ROX_INFO_SET_ID | ROX_INFO_DIFFICULTY_LEVEL |
                   ROX_INFO_HP_DRAIN | ROX_INFO_OVERALL_DIFFICULTY;
    info.preview_time_us = 64113000;
    info.chart_id = 941427;
    info.set_id = 437171;
    info.difficulty_level = 12.5;
    info.hp_drain = 8.5;
    info.overall_difficulty = 9.0;
    OK(rox_chart_set_info(c, &info));
    uint32_t index;
    OK(rox_chart_add_keysound(c, (const uint8_t *)"kick.wav", 8, &index));
    OK(rox_chart_add_keysound(c, (const uint8_t *)"snare.ogg", 9, &index));

    RoxTimingPoint t[6] = {
        point(0, ROX_TIMING_KIND_BPM, 120.0, 0, 4),           point(1000000, ROX_TIMING_KIND_SCROLL, 0.75, 0, 0),
        point(2000000, ROX_TIMING_KIND_STOP, 0.0, 250000, 0), point(3000000, ROX_TIMING_KIND_DELAY, 0.0, 125000, 0),
        point(4000000, ROX_TIMING_KIND_WARP, 2.0, 0, 0),      point(5000000, ROX_TIMING_KIND_BPM, 181.5, 0, 3),
    };
    t[5].effects = 1;
    t[5].sample_index = 2;
    t[5].sample_set = 2;
    t[5].volume = 40;
    OK(rox_chart_add_timing(c, t, 6));

    RoxNote n[7] = {
        note(500000, 0, 0, ROX_NOTE_KIND_TAP),        note(500000, 750000, 3, ROX_NOTE_KIND_HOLD),
        note(1250000, 0, 6, ROX_NOTE_KIND_MINE),      note(1500000, 300000, 1, ROX_NOTE_KIND_ROLL),
        note(2000000, 0, 2, ROX_NOTE_KIND_LIFT),      note(2500000, 0, 5, ROX_NOTE_KIND_FAKE),
        note(-20000, 0, 4, ROX_NOTE_KIND_TAP),
    };
    n[0].keysound = 0;
    n[1].keysound = 1;
    n[1].hitsound_flags = 2 | 4;
    n[1].normal_set = 2;
    n[1].addition_set = 3;
    n[1].volume = 80;
    n[1].custom_index = 5;
    OK(rox_chart_add_notes(c, n, 7));
    size_t issues = 99;
    OK(rox_chart_validate(c, NULL, 0, &issues));
    CHECK(issues == 0);
    return c;
}

/* A chart osu!mania can express exactly: taps and holds on whole milliseconds, BPM and scroll. */
static RoxChart *build_osu_chart(void) {
    RoxChart *c = NULL;
    OK(rox_chart_new(4, &c));
    if (!c) return NULL;
    OK(set_str(c, ROX_META_FIELD_TITLE, "Round Trip"));
    OK(set_str(c, ROX_META_FIELD_ARTIST, "ROX"));
    OK(set_str(c, ROX_META_FIELD_CREATOR, "abi_test"));
    OK(set_str(c, ROX_META_FIELD_DIFFICULTY_NAME, "4K Test"));
    OK(set_str(c, ROX_META_FIELD_AUDIO_FILE, "audio.mp3"));
    RoxTimingPoint t[2] = {point(0, ROX_TIMING_KIND_BPM, 120.0, 0, 4), point(2000000, ROX_TIMING_KIND_SCROLL, 0.5, 0, 0)};
    OK(rox_chart_add_timing(c, t, 2));
    RoxNote n[6] = {
        note(500000, 0, 0, ROX_NOTE_KIND_TAP),   note(500000, 0, 3, ROX_NOTE_KIND_TAP),
        note(1000000, 500000, 1, ROX_NOTE_KIND_HOLD), note(1250000, 0, 2, ROX_NOTE_KIND_TAP),
        note(2000000, 0, 0, ROX_NOTE_KIND_TAP),  note(2500000, 1000000, 3, ROX_NOTE_KIND_HOLD),
    };
    OK(rox_chart_add_notes(c, n, 6));
    return c;
}

static RoxNote *all_notes(const RoxChart *c, size_t *count) {
    *count = 0;
    OK(rox_chart_note_count(c, count));
    RoxNote *notes = calloc(*count + 1, sizeof(RoxNote));
    size_t written = 0;
    OK(rox_chart_copy_notes(c, 0, notes, *count, &written));
    CHECK(written == *count);
    return notes;
}

static RoxTimingPoint *all_timing(const RoxChart *c, size_t *count) {
    *count = 0;
    OK(rox_chart_timing_count(c, count));
    RoxTimingPoint *points = calloc(*count + 1, sizeof(RoxTimingPoint));
    size_t written = 0;
    OK(rox_chart_copy_timing(c, 0, points, *count, &written));
    CHECK(written == *count);
    return points;
}

static void check_same_chart(int line, const RoxChart *a, const RoxChart *b) {
    RoxChartInfo ia, ib;
    OK(rox_chart_get_info(a, &ia));
    OK(rox_chart_get_info(b, &ib));
    g_checks++;
    if (memcmp(&ia, &ib, sizeof ia) != 0) failf(line, "chart info differs");
    for (int32_t f = ROX_META_FIELD_TITLE; f <= ROX_META_FIELD_STYLE; f++) {
        char *sa = NULL, *sb = NULL;
        size_t la = 0, lb = 0;
        OK(rox_chart_get_string_alloc(a, f, &sa, &la));
        OK(rox_chart_get_string_alloc(b, f, &sb, &lb));
        g_checks++;
        if (!sa || !sb || la != lb || memcmp(sa, sb, la) != 0) failf(line, "string field %d differs", (int)f);
        rox_free_string(sa);
        rox_free_string(sb);
    }
    size_t na, nb;
    RoxNote *xa = all_notes(a, &na), *xb = all_notes(b, &nb);
    g_checks++;
    if (na != nb || memcmp(xa, xb, na * sizeof(RoxNote)) != 0) failf(line, "notes differ (%zu vs %zu)", na, nb);
    free(xa);
    free(xb);
    RoxTimingPoint *ta = all_timing(a, &na), *tb = all_timing(b, &nb);
    g_checks++;
    if (na != nb || memcmp(ta, tb, na * sizeof(RoxTimingPoint)) != 0) failf(line, "timing differs (%zu vs %zu)", na, nb);
    free(ta);
    free(tb);
    OK(rox_chart_keysound_count(a, &na));
    OK(rox_chart_keysound_count(b, &nb));
    CHECK(na == nb);
    for (size_t i = 0; i < na && na == nb; i++) {
        uint8_t ka[64], kb[64];
        size_t la = 0, lb = 0;
        OK(rox_chart_get_keysound(a, i, ka, sizeof ka, &la));
        OK(rox_chart_get_keysound(b, i, kb, sizeof kb, &lb));
        CHECK(la == lb && memcmp(ka, kb, la) == 0);
    }
}

static void test_clone(void) {
    RoxChart *a = build_full_chart();
    RoxChart *b = NOT_NULL_CHART;
    OK(rox_chart_clone(a, &b));
    CHECK(b != NULL && b != a);
    check_same_chart(__LINE__, a, b);

    /* Changing the clone leaves the original alone, and the other way round. */
    OK(set_str(b, ROX_META_FIELD_TITLE, "changed"));
    RoxNote extra = note(9000000, 0, 0, ROX_NOTE_KIND_TAP);
    OK(rox_chart_add_notes(b, &extra, 1));
    OK(rox_chart_clear_timing(a));
    size_t na = 0, nb = 0;
    OK(rox_chart_note_count(a, &na));
    OK(rox_chart_note_count(b, &nb));
    CHECK(na == 7 && nb == 8);
    OK(rox_chart_timing_count(b, &nb));
    CHECK(nb == 6);
    check_string(__LINE__, a, ROX_META_FIELD_TITLE, "value 0 \xE5\xAE\x99\xE3\x81\xAE\xE6\x97\x8B\xE5\xBE\x8B", 20);
    rox_chart_free(a);
    /* The clone outlives the original. */
    check_string(__LINE__, b, ROX_META_FIELD_TITLE, "changed", 7);
    rox_chart_free(b);

    b = NOT_NULL_CHART;
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_clone(NULL, &b));
    CHECK(b == NULL);
    a = build_osu_chart();
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_clone(a, NULL));
    rox_chart_free(a);
}

/* Encodes with both APIs (which must agree), returns the rox_chart_encode_alloc buffer. */
static uint8_t *encode_both(int line, const RoxChart *c, int32_t format, size_t *len) {
    *len = 0;
    size_t need = 0;
    RoxStatus s = rox_chart_encode(c, format, NULL, 0, &need);
    expect(s, ROX_STATUS_BUFFER_TOO_SMALL, line, "rox_chart_encode(len 0)");
    if (s != ROX_STATUS_BUFFER_TOO_SMALL || need == 0) return NULL;
    uint8_t *buf = malloc(need + 16);
    memset(buf, 0xAA, need + 16);
    size_t got = 0;
    EXPECT(ROX_STATUS_BUFFER_TOO_SMALL, rox_chart_encode(c, format, buf, need - 1, &got));
    CHECK(got == need && buf[0] == 0xAA && buf[need - 2] == 0xAA);
    OK(rox_chart_encode(c, format, buf, need + 16, &got));
    CHECK(got == need && buf[need] == 0xAA);

    uint8_t *alloc = NULL;
    size_t alloc_len = 0;
    OK(rox_chart_encode_alloc(c, format, &alloc, &alloc_len));
    CHECK(alloc != NULL && alloc_len == need);
    if (alloc && alloc_len == need) CHECK(memcmp(alloc, buf, need) == 0);
    free(buf);
    *len = alloc_len;
    return alloc;
}

static void test_encode_errors(void) {
    RoxChart *c = build_osu_chart();
    size_t len = 0;
    uint8_t buf[16];
    uint8_t *out = buf;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_encode(c, ROX_FORMAT_AUTO, NULL, 0, &len));
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_encode(c, 99, NULL, 0, &len));
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_encode(c, -1, NULL, 0, &len));
    EXPECT(ROX_STATUS_BUFFER_TOO_SMALL, rox_chart_encode(c, ROX_FORMAT_QUA, buf, sizeof buf, &len)); /* every format is writable */
    CHECK(len > sizeof buf);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_encode(NULL, ROX_FORMAT_ROX, buf, sizeof buf, &len));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_encode(c, ROX_FORMAT_ROX, NULL, 16, &len));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_encode(c, ROX_FORMAT_ROX, buf, sizeof buf, NULL));

    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_encode_alloc(c, ROX_FORMAT_AUTO, &out, &len));
    CHECK(out == NULL && len == 0);
    out = buf;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_encode_alloc(c, 42, &out, &len));
    CHECK(out == NULL);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_encode_alloc(NULL, ROX_FORMAT_ROX, &out, &len));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_encode_alloc(c, ROX_FORMAT_ROX, NULL, &len));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_encode_alloc(c, ROX_FORMAT_ROX, &out, NULL));
    rox_free_buffer(NULL, 0);
    rox_free_buffer(NULL, 123);
    rox_chart_free(c);
}

/* Round trips: these need the rox and osu codecs (they fail while those are stubs). */
static void test_round_trip_rox(void) {
    RoxChart *c = build_full_chart();
    size_t len = 0;
    uint8_t *bytes = encode_both(__LINE__, c, ROX_FORMAT_ROX, &len);
    CHECK(bytes != NULL);
    if (bytes) {
        int32_t f = 0;
        OK(rox_detect_format(bytes, len, &f));
        CHECK(f == ROX_FORMAT_ROX);
        for (int32_t format = ROX_FORMAT_AUTO; format <= ROX_FORMAT_ROX; format++) {
            RoxChart *d = NULL;
            OK(rox_chart_decode(bytes, len, format, &d));
            if (d) check_same_chart(__LINE__, c, d);
            rox_chart_free(d);
        }
        /* Every truncation fails cleanly; so does any single flipped byte. */
        for (size_t cut = 0; cut < len; cut++) {
            RoxChart *d = NOT_NULL_CHART;
            RoxStatus s = rox_chart_decode(bytes, cut, ROX_FORMAT_ROX, &d);
            g_checks++;
            if (s != ROX_STATUS_CORRUPT_DATA && s != ROX_STATUS_UNKNOWN_FORMAT)
                failf(__LINE__, ".rox truncated to %zu of %zu bytes: %s", cut, len, status_name(s));
            if (s == ROX_STATUS_OK) rox_chart_free(d);
            else CHECK(d == NULL);
            decode_any(__LINE__, bytes, cut, ROX_FORMAT_AUTO);
        }
        uint8_t *copy = malloc(len);
        for (size_t i = 0; i < len; i++) {
            memcpy(copy, bytes, len);
            copy[i] ^= (uint8_t)(1u << (i % 8));
            decode_any(__LINE__, copy, len, ROX_FORMAT_ROX);
            decode_any(__LINE__, copy, len, ROX_FORMAT_AUTO);
        }
        free(copy);
    }
    rox_free_buffer(bytes, len);
    rox_chart_free(c);
}

static void test_round_trip_osu(void) {
    RoxChart *c = build_osu_chart();
    size_t len = 0;
    uint8_t *bytes = encode_both(__LINE__, c, ROX_FORMAT_OSU, &len);
    CHECK(bytes != NULL);
    if (bytes) {
        int32_t f = 0;
        OK(rox_detect_format(bytes, len, &f));
        CHECK(f == ROX_FORMAT_OSU);
        RoxChart *d = NULL;
        OK(rox_chart_decode(bytes, len, ROX_FORMAT_OSU, &d));
        if (d) {
            RoxChartInfo info;
            OK(rox_chart_get_info(d, &info));
            CHECK(info.key_count == 4);
            /* Read from .osu: it scrolls by osu!'s rules; the chart built in code has no origin. */
            int32_t source = -1, rules = -1;
            OK(rox_chart_source_format(d, &source, &rules));
            CHECK(source == ROX_FORMAT_OSU && rules == ROX_TIMELINE_RULES_OSU);
            OK(rox_chart_source_format(c, &source, &rules));
            CHECK(source == ROX_FORMAT_AUTO && rules == ROX_TIMELINE_RULES_OSU);
            EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_source_format(d, NULL, &rules));
            check_string(__LINE__, d, ROX_META_FIELD_TITLE, "Round Trip", 10);
            check_string(__LINE__, d, ROX_META_FIELD_ARTIST, "ROX", 3);
            check_string(__LINE__, d, ROX_META_FIELD_CREATOR, "abi_test", 8);
            check_string(__LINE__, d, ROX_META_FIELD_DIFFICULTY_NAME, "4K Test", 7);
            size_t na, nb;
            RoxNote *xa = all_notes(c, &na), *xb = all_notes(d, &nb);
            CHECK(na == nb);
            for (size_t i = 0; i < na && na == nb; i++) {
                CHECK(xa[i].time_us == xb[i].time_us && xa[i].column == xb[i].column && xa[i].kind == xb[i].kind &&
                      xa[i].duration_us == xb[i].duration_us);
            }
            free(xa);
            free(xb);
            RoxTimingPoint *t = all_timing(d, &nb);
            CHECK(nb >= 1 && t[0].kind == ROX_TIMING_KIND_BPM && t[0].time_us == 0 && t[0].value == 120.0);
            free(t);
        }
        rox_chart_free(d);
        for (size_t cut = 0; cut < len; cut += 7) decode_any(__LINE__, bytes, cut, ROX_FORMAT_OSU);
    }
    rox_free_buffer(bytes, len);
    rox_chart_free(c);
}

/* A real chart from the corpus: 7 keys, 1544 notes, the first at 1694 ms (three notes there,
 * x = 109, 329, 402 → columns 1, 4, 5). */
static void test_corpus(const char *path) {
    FILE *fp = path ? fopen(path, "rb") : NULL;
    if (!fp) {
        printf("abi_test: corpus chart %s not found; skipping the corpus decode\n", path ? path : "(none given)");
        return;
    }
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    uint8_t *data = malloc((size_t)size);
    size_t read = fread(data, 1, (size_t)size, fp);
    fclose(fp);
    CHECK(read == (size_t)size);

    int32_t f = 0;
    OK(rox_detect_format(data, read, &f));
    CHECK(f == ROX_FORMAT_OSU);
    RoxChart *c = NULL;
    OK(rox_chart_decode(data, read, ROX_FORMAT_AUTO, &c));
    if (c) {
        RoxChartInfo info;
        OK(rox_chart_get_info(c, &info));
        CHECK(info.key_count == 7);
        CHECK((info.present & ROX_INFO_CHART_ID) && info.chart_id == 941427);
        size_t count = 0;
        OK(rox_chart_note_count(c, &count));
        CHECK(count == 1544);
        RoxNote first[3];
        size_t written = 0;
        OK(rox_chart_copy_notes(c, 0, first, 3, &written));
        CHECK(written == 3);
        CHECK(first[0].time_us == 1694000 && first[1].time_us == 1694000 && first[2].time_us == 1694000);
        CHECK(first[0].column == 1 && first[1].column == 4 && first[2].column == 5);
        check_string(__LINE__, c, ROX_META_FIELD_CREATOR, "arcwinolivirus", 14);
        /* Star rating: rosu-pp 4.0.1 rates this map 4.89331779187534 at normal speed. */
        double stars = -1.0;
        OK(rox_chart_star_rating(c, 1.0, &stars));
        double off = (stars - 4.89331779187534) / 4.89331779187534;
        CHECK(off < 1e-6 && off > -1e-6);
        stars = -1.0;
        EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_star_rating(c, NAN, &stars));
        CHECK(stars == 0.0);
        /* Its hashes (`md5sum mania_7k.osu`; the content hash pinned in tests/analysis.rs). */
        static const uint8_t md5sum[16] = {0x72, 0xcd, 0x60, 0x89, 0xc7, 0x9d, 0xe6, 0x22,
                                           0x48, 0x2c, 0x63, 0xfb, 0x6d, 0x1b, 0xc6, 0x02};
        uint8_t md5[16];
        OK(rox_file_md5(data, read, md5));
        CHECK(memcmp(md5, md5sum, 16) == 0);
        uint64_t hash = 0;
        OK(rox_chart_content_hash(c, &hash));
        CHECK(hash == UINT64_C(0x7035726c2ab864ef));
        /* And it survives .rox. */
        size_t len = 0;
        uint8_t *bytes = NULL;
        OK(rox_chart_encode_alloc(c, ROX_FORMAT_ROX, &bytes, &len));
        RoxChart *d = NULL;
        if (bytes) OK(rox_chart_decode(bytes, len, ROX_FORMAT_ROX, &d));
        if (d) check_same_chart(__LINE__, c, d);
        rox_chart_free(d);
        rox_free_buffer(bytes, len);
    }
    rox_chart_free(c);
    free(data);
}

/* ---------------------------------------------------------------------------------------- */
/* Conversion reports and chart sets. */

/* A report's message `i` with the two-call pattern, as a malloc'ed NUL-terminated string. */
static char *report_message(int line, const RoxReport *r, size_t i) {
    size_t need = 0, got = 0;
    RoxStatus s = rox_report_message(r, i, NULL, 0, &need);
    expect(s, need ? ROX_STATUS_BUFFER_TOO_SMALL : ROX_STATUS_OK, line, "rox_report_message(len 0)");
    char *buf = malloc(need + 1);
    if (need > 1) {
        EXPECT(ROX_STATUS_BUFFER_TOO_SMALL, rox_report_message(r, i, (uint8_t *)buf, need - 1, &got));
        CHECK(got == need);
    }
    expect(rox_report_message(r, i, (uint8_t *)buf, need, &got), ROX_STATUS_OK, line, "rox_report_message");
    buf[need] = 0;
    if (!valid_utf8((const uint8_t *)buf, need)) failf(line, "report message %zu is not UTF-8", i);
    return buf;
}

static void test_reports(void) {
    RoxChart *c = build_osu_chart();
    if (!c) return;
    RoxNote mine = note(3000000, 0, 1, ROX_NOTE_KIND_MINE);
    OK(rox_chart_add_notes(c, &mine, 1)); /* the last note: index 6 */
    RoxTimingPoint stop = point(2500000, ROX_TIMING_KIND_STOP, 0.0, 100000, 0);
    OK(rox_chart_add_timing(c, &stop, 1)); /* after the scroll change: index 2 */

    uint8_t *buf = NULL;
    size_t len = 0;
    RoxReport *r = NULL;
    OK(rox_chart_encode_report(c, ROX_FORMAT_OSU, &buf, &len, &r));
    CHECK(buf != NULL && len > 0 && r != NULL);
    size_t count = 99;
    OK(rox_report_count(r, &count));
    CHECK(count == 2);
    int seen_stop = 0, seen_mine = 0;
    for (size_t i = 0; i < count; i++) {
        RoxLoss loss;
        OK(rox_report_get(r, i, &loss));
        CHECK(loss.present == (ROX_LOSS_TIME | ROX_LOSS_INDEX) && loss.shift_us == 0);
        char *message = report_message(__LINE__, r, i);
        if (loss.kind == ROX_LOSS_KIND_TIMING_DROPPED) {
            seen_stop = loss.index == 2 && loss.time_us == 2500000 && strstr(message, "stop") != NULL;
        } else if (loss.kind == ROX_LOSS_KIND_NOTE_DROPPED) {
            seen_mine = loss.index == 6 && loss.time_us == 3000000 && strcmp(message, "mine dropped: .osu has no mines") == 0;
        }
        free(message);
    }
    CHECK(seen_stop && seen_mine);

    /* Reading past the end, and null arguments. */
    RoxLoss loss;
    memset(&loss, 0x5A, sizeof loss);
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_report_get(r, count, &loss));
    CHECK(loss.kind == 0 && loss.present == 0 && loss.time_us == 0 && loss.index == 0);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_report_get(NULL, 0, &loss));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_report_get(r, 0, NULL));
    size_t n = 7;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_report_message(r, count, NULL, 0, &n));
    CHECK(n == 0);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_report_message(NULL, 0, NULL, 0, &n));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_report_message(r, 0, NULL, 5, &n));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_report_message(r, 0, NULL, 0, NULL));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_report_count(NULL, &n));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_report_count(r, NULL));
    rox_report_free(r);
    rox_free_buffer(buf, len);
    rox_report_free(NULL);

    /* .rox holds everything: an empty report. */
    OK(rox_chart_encode_report(c, ROX_FORMAT_ROX, &buf, &len, &r));
    OK(rox_report_count(r, &count));
    CHECK(count == 0);
    rox_report_free(r);
    rox_free_buffer(buf, len);

    /* Failures clear every output. */
    buf = (uint8_t *)NOT_NULL_CHART;
    len = 5;
    r = (RoxReport *)NOT_NULL_CHART;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_encode_report(c, ROX_FORMAT_AUTO, &buf, &len, &r));
    CHECK(buf == NULL && len == 0 && r == NULL);
    r = (RoxReport *)NOT_NULL_CHART;
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_encode_report(NULL, ROX_FORMAT_ROX, &buf, &len, &r));
    CHECK(r == NULL);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_encode_report(c, ROX_FORMAT_ROX, NULL, &len, &r));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_encode_report(c, ROX_FORMAT_ROX, &buf, NULL, &r));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_encode_report(c, ROX_FORMAT_ROX, &buf, &len, NULL));
    rox_chart_free(c);
}

/* A snapped note's shift through the ABI is the value the Rust encoder computes, and reading the
 * written file back finds the note exactly that far from where it was. */
static void check_snap(int line, int32_t format, int64_t time_us, int64_t want_shift) {
    RoxChart *c = NULL;
    OK(rox_chart_new(4, &c));
    if (!c) return;
    RoxTimingPoint bpm = point(0, ROX_TIMING_KIND_BPM, 120.0, 0, 4);
    OK(rox_chart_add_timing(c, &bpm, 1));
    RoxNote n[2] = {note(0, 0, 0, ROX_NOTE_KIND_TAP), note(time_us, 0, 1, ROX_NOTE_KIND_TAP)};
    OK(rox_chart_add_notes(c, n, 2));
    uint8_t *buf = NULL;
    size_t len = 0, count = 0, snapped = 0;
    RoxReport *r = NULL;
    OK(rox_chart_encode_report(c, format, &buf, &len, &r));
    OK(rox_report_count(r, &count));
    RoxLoss snap;
    memset(&snap, 0, sizeof snap);
    for (size_t i = 0; i < count; i++) {
        RoxLoss loss;
        OK(rox_report_get(r, i, &loss));
        if (loss.kind == ROX_LOSS_KIND_NOTE_SNAPPED) {
            snapped++;
            snap = loss;
        }
    }
    g_checks++;
    if (snapped != 1 || snap.index != 1 || snap.time_us != time_us || snap.shift_us != want_shift)
        failf(line, "format %d: %zu NoteSnapped, note %llu at %lld moved %lld µs; expected note 1 at %lld moved %lld",
              (int)format, snapped, (unsigned long long)snap.index, (long long)snap.time_us,
              (long long)snap.shift_us, (long long)time_us, (long long)want_shift);
    RoxChart *back = NULL;
    if (buf) OK(rox_chart_decode(buf, len, format, &back));
    RoxNote out[2];
    size_t written = 0;
    if (back) OK(rox_chart_copy_notes(back, 0, out, 2, &written));
    g_checks++;
    if (written != 2 || out[1].time_us != time_us + snap.shift_us)
        failf(line, "format %d: %zu notes read back, the second at %lld µs; the report says %lld",
              (int)format, written, written == 2 ? (long long)out[1].time_us : -1LL,
              (long long)(time_us + snap.shift_us));
    rox_chart_free(back);
    rox_report_free(r);
    rox_free_buffer(buf, len);
    rox_chart_free(c);
}

static void test_snap_shifts(void) {
    /* .qua holds whole ms, rounded to the nearest: 1 234 567 µs is written as 1235 ms. */
    check_snap(__LINE__, ROX_FORMAT_QUA, 1234567, 433);
    check_snap(__LINE__, ROX_FORMAT_QUA, 1234499, -499);
    /* StepMania rows are 1/48 beat: at 120 BPM, 1 000 001 µs goes to beat 2 (1 s). */
    check_snap(__LINE__, ROX_FORMAT_SM, 1000001, -1);
    check_snap(__LINE__, ROX_FORMAT_SSC, 1005000, -5000);
}

/* Every (pointer, length) pair is refused, before anything is read or written, when its size in
 * bytes exceeds PTRDIFF_MAX (the most a C object, or a Rust slice, can span). */
static void test_length_limits(void) {
    RoxChart *c = NULL;
    OK(rox_chart_new(4, &c));
    uint8_t byte = 0;
    RoxNote notes[1] = {note(0, 0, 0, ROX_NOTE_KIND_TAP)};
    RoxTimingPoint timing[1] = {point(0, ROX_TIMING_KIND_BPM, 120.0, 0, 4)};
    size_t too_many_bytes = (size_t)PTRDIFF_MAX + 1;
    size_t too_many_notes = (size_t)PTRDIFF_MAX / sizeof(RoxNote) + 1;
    size_t too_many_points = (size_t)PTRDIFF_MAX / sizeof(RoxTimingPoint) + 1;
    size_t n = 7;
    uint32_t index = 7;
    RoxChart *out = NOT_NULL_CHART;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_decode(&byte, too_many_bytes, ROX_FORMAT_AUTO, &out));
    CHECK(out == NULL);
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_decode(&byte, SIZE_MAX, ROX_FORMAT_AUTO, &out));
    int32_t format = 9;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_detect_format(&byte, too_many_bytes, &format));
    RoxChartSet *set = (RoxChartSet *)NOT_NULL_CHART;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_set_decode(&byte, too_many_bytes, ROX_FORMAT_AUTO, &set));
    CHECK(set == NULL);
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_set_string(c, ROX_META_FIELD_TITLE, &byte, too_many_bytes));
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_keysound(c, &byte, too_many_bytes, &index));
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_notes(c, notes, too_many_notes));
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_notes(c, notes, SIZE_MAX));
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_timing(c, timing, too_many_points));
    /* docs/abi.md: copy_notes/copy_timing set *out_written = 0 on failure. */
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_copy_notes(c, 0, notes, too_many_notes, &n));
    CHECK(n == 0);
    n = 7;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_copy_timing(c, 0, timing, too_many_points, &n));
    CHECK(n == 0);
    n = 7;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_get_string(c, ROX_META_FIELD_TITLE, &byte, too_many_bytes, &n));
    CHECK(n == 0);
    /* None of them changed the chart. */
    size_t count = 9;
    OK(rox_chart_note_count(c, &count));
    CHECK(count == 0);
    OK(rox_chart_keysound_count(c, &count));
    CHECK(count == 0);
    rox_chart_free(c);
}

/* A note's keysound is -1 or an index below the keysound count; every other int32_t is refused. */
static void test_keysound_limits(void) {
    RoxChart *c = NULL;
    OK(rox_chart_new(4, &c));
    uint32_t index = 0;
    OK(rox_chart_add_keysound(c, (const uint8_t *)"a.wav", 5, &index));
    CHECK(index == 0);
    RoxNote n = note(0, 0, 0, ROX_NOTE_KIND_TAP);
    const int32_t refused[] = {1, 2, INT32_MAX, -2, INT32_MIN};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        n.keysound = refused[i];
        EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_add_notes(c, &n, 1));
    }
    size_t count = 9;
    OK(rox_chart_note_count(c, &count));
    CHECK(count == 0);
    n.keysound = 0;
    OK(rox_chart_add_notes(c, &n, 1));
    RoxNote out;
    size_t written = 0;
    OK(rox_chart_copy_notes(c, 0, &out, 1, &written));
    CHECK(written == 1 && out.keysound == 0);
    rox_chart_free(c);
}

static uint8_t *read_file(const char *path, size_t *len) {
    *len = 0;
    FILE *fp = path ? fopen(path, "rb") : NULL;
    if (!fp) return NULL;
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    uint8_t *data = malloc(size > 0 ? (size_t)size : 1);
    *len = fread(data, 1, (size_t)size, fp);
    fclose(fp);
    return data;
}

static void check_difficulty(int line, const RoxChartSet *set, size_t i, const char *want) {
    RoxChart *c = NULL;
    expect(rox_set_get_chart(set, i, &c), ROX_STATUS_OK, line, "rox_set_get_chart");
    if (c) check_string(line, c, ROX_META_FIELD_DIFFICULTY_NAME, want, strlen(want));
    rox_chart_free(c);
}

/* tests/fixtures/archives/song.osz: [Easy] and [Hard] (4K mania), an osu!standard [Normal]
 * that cannot be read, audio.mp3, bg/ and bg/bg.jpg. */
static void test_sets(const char *path) {
    size_t data_len = 0, len = 0;
    uint8_t *data = read_file(path, &data_len);
    if (!data) {
        failf(__LINE__, "fixture %s not found", path);
        return;
    }
    int32_t f = 0;
    OK(rox_detect_format(data, data_len, &f));
    CHECK(f == ROX_FORMAT_OSU);

    RoxChartSet *set = NULL;
    OK(rox_set_decode(data, data_len, ROX_FORMAT_AUTO, &set));
    size_t count = 0;
    OK(rox_set_count(set, &count));
    CHECK(count == 2);
    check_difficulty(__LINE__, set, 0, "Easy");
    check_difficulty(__LINE__, set, 1, "Hard");
    RoxChart *c = NOT_NULL_CHART;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_set_get_chart(set, 2, &c));
    CHECK(c == NULL);

    /* A peek gives the same charts, metadata and timing, without notes. */
    RoxChartSet *peeked = NULL;
    OK(rox_set_peek(data, data_len, ROX_FORMAT_AUTO, NULL, &peeked));
    OK(rox_set_count(peeked, &count));
    CHECK(count == 2);
    check_difficulty(__LINE__, peeked, 1, "Hard");
    OK(rox_set_get_chart(peeked, 1, &c));
    size_t peeked_notes = 9, peeked_timing = 0;
    OK(rox_chart_note_count(c, &peeked_notes));
    OK(rox_chart_timing_count(c, &peeked_timing));
    CHECK(peeked_notes == 0 && peeked_timing > 0);
    rox_chart_free(c);
    rox_set_free(peeked);

    OK(rox_set_resource_count(set, &count));
    CHECK(count == 2);
    const char *resources[2] = {"audio.mp3", "bg/bg.jpg"};
    for (size_t i = 0; i < 2; i++) {
        uint8_t name[16];
        size_t need = 0, got = 0;
        EXPECT(ROX_STATUS_BUFFER_TOO_SMALL, rox_set_get_resource(set, i, NULL, 0, &need));
        CHECK(need == strlen(resources[i]));
        EXPECT(ROX_STATUS_BUFFER_TOO_SMALL, rox_set_get_resource(set, i, name, need - 1, &got));
        OK(rox_set_get_resource(set, i, name, sizeof name, &got));
        CHECK(got == need && memcmp(name, resources[i], need) == 0);
    }
    size_t n = 9;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_set_get_resource(set, 2, NULL, 0, &n));
    CHECK(n == 0);

    RoxReport *r = NULL;
    OK(rox_set_report(set, &r));
    OK(rox_report_count(r, &count));
    CHECK(count == 1);
    RoxLoss loss;
    OK(rox_report_get(r, 0, &loss));
    CHECK(loss.kind == ROX_LOSS_KIND_CHART_DROPPED && loss.present == 0);
    char *message = report_message(__LINE__, r, 0);
    CHECK(strstr(message, "[Normal].osu not read: not an osu!mania chart") != NULL);
    free(message);
    rox_report_free(r);

    /* Written back as an .osz with the source's resources: both charts and both files. */
    uint8_t *osz = (uint8_t *)NOT_NULL_CHART;
    size_t osz_len = 0;
    OK(rox_set_encode_archive(set, ROX_FORMAT_OSU, data, data_len, &osz, &osz_len, &r));
    OK(rox_report_count(r, &count));
    CHECK(count == 0);
    rox_report_free(r);
    RoxChartSet *again_set = NULL;
    OK(rox_set_decode(osz, osz_len, ROX_FORMAT_AUTO, &again_set));
    OK(rox_set_count(again_set, &count));
    CHECK(count == 2);
    OK(rox_set_resource_count(again_set, &count));
    CHECK(count == 2);
    rox_set_free(again_set);
    rox_free_buffer(osz, osz_len);
    /* Without the source the resources are reported; other formats and bad pointers fail,
     * every output cleared. */
    OK(rox_set_encode_archive(set, ROX_FORMAT_QUA, NULL, 0, &osz, &osz_len, &r));
    OK(rox_report_count(r, &count));
    OK(rox_report_get(r, count - 1, &loss)); /* after what each chart lost */
    CHECK(loss.kind == ROX_LOSS_KIND_RESOURCE_DROPPED);
    rox_report_free(r);
    rox_free_buffer(osz, osz_len);
    osz = (uint8_t *)NOT_NULL_CHART;
    osz_len = 7;
    r = (RoxReport *)NOT_NULL_CHART;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_set_encode_archive(set, ROX_FORMAT_SM, data, data_len, &osz, &osz_len, &r));
    CHECK(osz == NULL && osz_len == 0 && r == NULL);
    osz = (uint8_t *)NOT_NULL_CHART;
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_encode_archive(set, ROX_FORMAT_OSU, NULL, 5, &osz, &osz_len, &r));
    CHECK(osz == NULL && osz_len == 0 && r == NULL);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_encode_archive(NULL, ROX_FORMAT_OSU, data, data_len, &osz, &osz_len, &r));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_encode_archive(set, ROX_FORMAT_OSU, data, data_len, NULL, &osz_len, &r));
    EXPECT(ROX_STATUS_CORRUPT_DATA, rox_set_encode_archive(set, ROX_FORMAT_OSU, (const uint8_t *)"PK\3\4junk", 8, &osz, &osz_len, &r));
    CHECK(osz == NULL && osz_len == 0 && r == NULL);

    /* Two charts do not fit in one .osu; a chart taken out outlives its set. */
    uint8_t *buf = (uint8_t *)NOT_NULL_CHART;
    r = (RoxReport *)NOT_NULL_CHART;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_set_encode_report(set, ROX_FORMAT_OSU, &buf, &len, &r));
    CHECK(buf == NULL && len == 0 && r == NULL);
    OK(rox_set_get_chart(set, 1, &c));
    rox_set_free(set);
    OK(rox_chart_encode_report(c, ROX_FORMAT_ROX, &buf, &len, &r));
    rox_report_free(r);
    rox_chart_free(c);

    /* A one-chart set from a single file encodes as a set. */
    OK(rox_set_decode(buf, len, ROX_FORMAT_AUTO, &set));
    OK(rox_set_count(set, &count));
    CHECK(count == 1);
    OK(rox_set_resource_count(set, &count));
    CHECK(count == 0);
    uint8_t *again = NULL;
    size_t again_len = 0;
    OK(rox_set_encode_report(set, ROX_FORMAT_ROX, &again, &again_len, &r));
    CHECK(again_len == len && again && memcmp(again, buf, len) == 0);
    OK(rox_report_count(r, &count));
    CHECK(count == 0);
    rox_report_free(r);
    rox_free_buffer(again, again_len);
    rox_free_buffer(buf, len);
    rox_set_free(set);

    /* rox_chart_decode takes the archive's first chart. */
    c = NULL;
    OK(rox_chart_decode(data, data_len, ROX_FORMAT_AUTO, &c));
    if (c) check_string(__LINE__, c, ROX_META_FIELD_DIFFICULTY_NAME, "Easy", 4);
    rox_chart_free(c);

    /* Damaged archives: truncated anywhere, or a zip signature and junk. */
    for (size_t cut = 4; cut < data_len; cut += data_len / 7) {
        set = (RoxChartSet *)NOT_NULL_CHART;
        RoxStatus s = rox_set_decode(data, cut, ROX_FORMAT_AUTO, &set);
        g_checks++;
        if (s != ROX_STATUS_CORRUPT_DATA && s != ROX_STATUS_PARSE_ERROR) failf(__LINE__, "archive cut at %zu: %s", cut, status_name(s));
        CHECK(set == NULL);
    }
    EXPECT(ROX_STATUS_CORRUPT_DATA, rox_set_decode((const uint8_t *)"PK\3\4junk", 8, ROX_FORMAT_AUTO, &set));

    /* Null and out-of-range arguments. */
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_decode(NULL, 5, ROX_FORMAT_AUTO, &set));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_decode(data, data_len, ROX_FORMAT_AUTO, NULL));
    set = (RoxChartSet *)NOT_NULL_CHART;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_set_decode(data, data_len, 99, &set));
    CHECK(set == NULL);
    EXPECT(ROX_STATUS_UNKNOWN_FORMAT, rox_set_decode(NULL, 0, ROX_FORMAT_AUTO, &set));
    OK(rox_set_decode(data, data_len, ROX_FORMAT_OSU, &set));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_count(NULL, &count));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_count(set, NULL));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_get_chart(NULL, 0, &c));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_get_chart(set, 0, NULL));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_resource_count(NULL, &count));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_resource_count(set, NULL));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_get_resource(NULL, 0, NULL, 0, &n));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_get_resource(set, 0, NULL, 4, &n));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_get_resource(set, 0, NULL, 0, NULL));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_report(NULL, &r));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_report(set, NULL));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_encode_report(NULL, ROX_FORMAT_ROX, &buf, &len, &r));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_encode_report(set, ROX_FORMAT_ROX, NULL, &len, &r));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_encode_report(set, ROX_FORMAT_ROX, &buf, NULL, &r));
    EXPECT(ROX_STATUS_NULL_POINTER, rox_set_encode_report(set, ROX_FORMAT_ROX, &buf, &len, NULL));
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_set_encode_report(set, ROX_FORMAT_AUTO, &buf, &len, &r));
    rox_set_free(set);
    rox_set_free(NULL);
    free(data);
}

/* The last error message is per thread; several threads may read one chart at once. */
struct thread_arg { const RoxChart *chart; int ok; };

static int reader_thread(void *p) {
    struct thread_arg *arg = p;
    RoxChart *c = NULL;
    arg->ok = rox_chart_new(99, &c) == ROX_STATUS_INVALID_ARGUMENT; /* sets this thread's message */
    for (int i = 0; i < 200 && arg->ok; i++) {
        size_t count = 0, written = 0;
        RoxNote n[8];
        arg->ok = rox_chart_note_count(arg->chart, &count) == ROX_STATUS_OK && count == 7 &&
                  rox_chart_copy_notes(arg->chart, 0, n, 8, &written) == ROX_STATUS_OK && written == 7;
    }
    char buf[256];
    size_t len = 0;
    arg->ok = arg->ok && rox_last_error_message((uint8_t *)buf, sizeof buf - 1, &len) == ROX_STATUS_OK;
    buf[len] = 0;
    arg->ok = arg->ok && strstr(buf, "key count 99") != NULL;
    return 0;
}

static void test_threads(void) {
    RoxChart *c = build_full_chart();
    size_t n = 0;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_get_string(c, 42, NULL, 0, &n));
    char *before = last_error(__LINE__);
    thrd_t t[4];
    struct thread_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i].chart = c;
        args[i].ok = 0;
        CHECK(thrd_create(&t[i], reader_thread, &args[i]) == thrd_success);
    }
    for (int i = 0; i < 4; i++) {
        thrd_join(t[i], NULL);
        CHECK(args[i].ok);
    }
    char *after = last_error(__LINE__);
    CHECK(before && after && strcmp(before, after) == 0 && strstr(after, "field") != NULL);
    free(before);
    free(after);
    rox_chart_free(c);
}

/* Borrowed views: the same items as a copy, one stable array between changes, and a fresh
 * one after any call given the chart as RoxChart*. */
static int view_equals_copy(const RoxChart *c, const RoxNote **out_view) {
    size_t count = 0, len = 0, written = 0;
    const RoxNote *view = NULL;
    OK(rox_chart_note_count(c, &count));
    OK(rox_chart_notes_view(c, &view, &len));
    RoxNote *copy = calloc(count ? count : 1, sizeof *copy);
    OK(rox_chart_copy_notes(c, 0, copy, count, &written));
    int same = len == count && written == count && (count == 0 ? view == NULL : view != NULL) &&
               (count == 0 || memcmp(view, copy, count * sizeof *copy) == 0);
    free(copy);
    *out_view = view;
    return same;
}

static void test_views(void) {
    RoxChart *c = build_full_chart();
    const RoxNote *first = NULL, *again = NULL;
    CHECK(view_equals_copy(c, &first));
    CHECK(first != NULL);
    CHECK(view_equals_copy(c, &again));
    CHECK(again == first);

    size_t points = 0, len = 0, written = 0;
    const RoxTimingPoint *timing = NULL, *timing_again = NULL;
    OK(rox_chart_timing_count(c, &points));
    OK(rox_chart_timing_view(c, &timing, &len));
    RoxTimingPoint *copy = calloc(points, sizeof *copy);
    OK(rox_chart_copy_timing(c, 0, copy, points, &written));
    CHECK(points > 0 && len == points && written == points);
    CHECK(timing && memcmp(timing, copy, points * sizeof *copy) == 0);
    OK(rox_chart_timing_view(c, &timing_again, &len));
    CHECK(timing_again == timing && len == points);
    free(copy);

    /* After a change a fresh view holds the new note. */
    size_t before = 0;
    OK(rox_chart_note_count(c, &before));
    RoxNote late = note(99000000, 0, 3, ROX_NOTE_KIND_TAP);
    OK(rox_chart_add_notes(c, &late, 1));
    const RoxNote *after = NULL;
    CHECK(view_equals_copy(c, &after));
    OK(rox_chart_notes_view(c, &after, &len));
    CHECK(len == before + 1 && after && after[len - 1].time_us == 99000000);
    OK(rox_chart_clear_notes(c));
    CHECK(view_equals_copy(c, &after));
    CHECK(after == NULL);
    rox_chart_free(c);
}

/* Decode limits: the defaults, null for the defaults, a caller's own, and what is refused. */
static void test_decode_limits(void) {
    static const char sm[] = "#BPMS:0=120;\n#NOTES:dance-single::Hard:1::\n1111\n1111\n1111\n;\n";
    size_t len = sizeof sm - 1;
    RoxDecodeLimits limits;
    memset(&limits, 0xAB, sizeof limits);
    EXPECT(ROX_STATUS_OK, rox_decode_limits_default(&limits));
    CHECK(limits.struct_size == sizeof(RoxDecodeLimits) && sizeof(RoxDecodeLimits) == 40);
    CHECK(limits.reserved == 0 && limits.max_notes >= 100000 && limits.max_charts >= 100);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_decode_limits_default(NULL));

    RoxChart *c = NULL;
    EXPECT(ROX_STATUS_OK, rox_chart_decode_limited((const uint8_t *)sm, len, ROX_FORMAT_AUTO, NULL, &c));
    size_t n = 0;
    EXPECT(ROX_STATUS_OK, rox_chart_note_count(c, &n));
    CHECK(n == 12);
    rox_chart_free(c);

    limits.max_notes = 12;
    c = NULL;
    EXPECT(ROX_STATUS_OK, rox_chart_decode_limited((const uint8_t *)sm, len, ROX_FORMAT_SM, &limits, &c));
    rox_chart_free(c);
    limits.max_notes = 11;
    c = (RoxChart *)&limits; /* must be reset */
    EXPECT(ROX_STATUS_CORRUPT_DATA, rox_chart_decode_limited((const uint8_t *)sm, len, ROX_FORMAT_AUTO, &limits, &c));
    CHECK(c == NULL);
    char *message = last_error(__LINE__);
    CHECK(message && strstr(message, "max_notes") != NULL);
    free(message);
    RoxChartSet *set = NULL;
    EXPECT(ROX_STATUS_CORRUPT_DATA, rox_set_decode_limited((const uint8_t *)sm, len, ROX_FORMAT_AUTO, &limits, &set));
    CHECK(set == NULL);
    limits.max_notes = 12;
    limits.max_charts = 0;
    EXPECT(ROX_STATUS_CORRUPT_DATA, rox_set_decode_limited((const uint8_t *)sm, len, ROX_FORMAT_AUTO, &limits, &set));

    RoxDecodeLimits bad = limits;
    bad.struct_size = 32;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_chart_decode_limited((const uint8_t *)sm, len, ROX_FORMAT_AUTO, &bad, &c));
    bad = limits;
    bad.reserved = 1;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_set_decode_limited((const uint8_t *)sm, len, ROX_FORMAT_AUTO, &bad, &set));
}

/* The first chart of a set decoded with `options`: its key count and up to 8 notes' columns. */
static RoxChartSet *decode_with(const char *text, const RoxDecodeOptions *options, uint8_t *keys,
                                uint8_t columns[8], size_t *notes) {
    RoxChartSet *set = NULL;
    RoxChart *c = NULL;
    OK(rox_set_decode_with_options((const uint8_t *)text, strlen(text), ROX_FORMAT_AUTO, options, &set));
    OK(rox_set_get_chart(set, 0, &c));
    RoxChartInfo info;
    OK(rox_chart_get_info(c, &info));
    *keys = info.key_count;
    RoxNote out[8];
    OK(rox_chart_copy_notes(c, 0, out, 8, notes));
    for (size_t i = 0; i < *notes; i++) columns[i] = out[i].column;
    rox_chart_free(c);
    return set;
}

/* Decode options: FNF sides and the osu!taiko layout; the drumroll reported; bad options. */
static void test_decode_options(void) {
    static const char fnf[] =
        "{\"song\": {\"song\": \"t\", \"bpm\": 120, \"notes\": [{\"mustHitSection\": true, "
        "\"sectionNotes\": [[0, 1, 0], [500, 6, 0]]}]}}";
    static const char taiko[] =
        "osu file format v14\n[General]\nMode: 1\n[TimingPoints]\n0,500,4,1,0,100,1,0\n"
        "[HitObjects]\n256,192,0,1,0,0:0:0:0:\n256,192,250,1,8,0:0:0:0:\n"
        "256,192,500,1,4,0:0:0:0:\n256,192,1000,2,0,L|400:192,1,140\n";
    RoxDecodeOptions options;
    memset(&options, 0xAB, sizeof options);
    EXPECT(ROX_STATUS_OK, rox_decode_options_default(&options));
    CHECK(options.struct_size == sizeof(RoxDecodeOptions) && sizeof(RoxDecodeOptions) == 56);
    CHECK(options.limits.struct_size == sizeof(RoxDecodeLimits) && options.reserved == 0);
    CHECK(options.fnf_sides == ROX_FNF_SIDES_PLAYER && options.taiko_layout == ROX_TAIKO_LAYOUT_KDDK);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_decode_options_default(NULL));

    /* FNF: lane 1 is the player's (mustHitSection), lane 6 the opponent's lane 2. */
    uint8_t keys = 0, columns[8];
    size_t notes = 0;
    rox_set_free(decode_with(fnf, NULL, &keys, columns, &notes));
    CHECK(keys == 4 && notes == 1 && columns[0] == 1);
    options.fnf_sides = ROX_FNF_SIDES_OPPONENT;
    rox_set_free(decode_with(fnf, &options, &keys, columns, &notes));
    CHECK(keys == 4 && notes == 1 && columns[0] == 2);
    options.fnf_sides = ROX_FNF_SIDES_BOTH;
    rox_set_free(decode_with(fnf, &options, &keys, columns, &notes));
    CHECK(keys == 8 && notes == 2 && columns[0] == 1 && columns[1] == 6);

    /* Taiko: don, kat (clap), big don; DDKK puts them on 0, 3 and 0+1; the drumroll reported. */
    options.taiko_layout = ROX_TAIKO_LAYOUT_DDKK;
    RoxChartSet *set = decode_with(taiko, &options, &keys, columns, &notes);
    CHECK(keys == 4 && notes == 4);
    CHECK(columns[0] == 0 && columns[1] == 3 && columns[2] == 0 && columns[3] == 1);
    RoxReport *report = NULL;
    OK(rox_set_report(set, &report));
    size_t losses = 0;
    OK(rox_report_count(report, &losses));
    RoxLoss loss;
    OK(rox_report_get(report, 0, &loss));
    CHECK(losses == 1 && loss.kind == ROX_LOSS_KIND_NOTE_DROPPED && loss.time_us == 1000000);
    rox_report_free(report);
    rox_set_free(set);

    /* Refused, with the output cleared and a message naming the field. */
    RoxDecodeOptions bad = options;
    bad.taiko_layout = 7;
    set = (RoxChartSet *)&bad;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT,
           rox_set_decode_with_options((const uint8_t *)taiko, strlen(taiko), ROX_FORMAT_AUTO, &bad, &set));
    CHECK(set == NULL);
    char *message = last_error(__LINE__);
    CHECK(message && strstr(message, "taiko_layout") != NULL);
    free(message);
    bad = options;
    bad.struct_size = 40;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT,
           rox_set_decode_with_options((const uint8_t *)fnf, strlen(fnf), ROX_FORMAT_AUTO, &bad, &set));
    bad = options;
    bad.limits.max_notes = 1;
    EXPECT(ROX_STATUS_CORRUPT_DATA,
           rox_set_decode_with_options((const uint8_t *)fnf, strlen(fnf), ROX_FORMAT_AUTO, &bad, &set));
    /* Peeking takes the same options: both sides are 8 keys, and no notes are read. */
    bad = options;
    bad.fnf_sides = ROX_FNF_SIDES_BOTH;
    OK(rox_set_peek_with_options((const uint8_t *)fnf, strlen(fnf), ROX_FORMAT_AUTO, &bad, &set));
    RoxChart *peeked = NULL;
    OK(rox_set_get_chart(set, 0, &peeked));
    RoxChartInfo peeked_info;
    OK(rox_chart_get_info(peeked, &peeked_info));
    size_t peeked_notes = 99;
    OK(rox_chart_note_count(peeked, &peeked_notes));
    CHECK(peeked_info.key_count == 8 && peeked_notes == 0);
    rox_chart_free(peeked);
    rox_set_free(set);
    bad.fnf_sides = 3;
    set = (RoxChartSet *)&bad;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT,
           rox_set_peek_with_options((const uint8_t *)fnf, strlen(fnf), ROX_FORMAT_AUTO, &bad, &set));
    CHECK(set == NULL);
    /* osu!standard stays an error naming the mode. */
    static const char standard[] = "osu file format v14\n[General]\nMode: 0\n[HitObjects]\n";
    EXPECT(ROX_STATUS_PARSE_ERROR,
           rox_set_decode_with_options((const uint8_t *)standard, strlen(standard), ROX_FORMAT_AUTO, NULL, &set));
    message = last_error(__LINE__);
    CHECK(message && strstr(message, "osu!standard") != NULL);
    free(message);
}

/* Timelines: 120 BPM, a tap every half beat; single and batch queries, grid lines, windows. */
static void test_timeline(void) {
    RoxChart *c = NULL;
    OK(rox_chart_new(4, &c));
    RoxTimingPoint tempo = point(0, ROX_TIMING_KIND_BPM, 120.0, 0, 4);
    OK(rox_chart_add_timing(c, &tempo, 1));
    RoxNote notes[8];
    for (int i = 0; i < 8; i++) notes[i] = note(i * 250000, 0, (uint8_t)(i % 4), ROX_NOTE_KIND_TAP);
    OK(rox_chart_add_notes(c, notes, 8));
    RoxTimeline *t = NULL;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_timeline_new(c, 9, ROX_SCROLL_ALGORITHM_SEQUENTIAL, &t));
    CHECK(t == NULL);
    OK(rox_timeline_new(c, ROX_TIMELINE_RULES_OSU, ROX_SCROLL_ALGORITHM_SEQUENTIAL, &t));
    rox_chart_free(c); /* the timeline does not need the chart */

    double beat = -1;
    OK(rox_timeline_beat_at(t, 500000, &beat));
    CHECK(beat == 1.0);
    int64_t time = 0;
    OK(rox_timeline_time_at(t, 3.0, &time));
    CHECK(time == 1500000);
    int64_t times[3] = {0, 250000, 2000000};
    double beats[3], positions[3], single = 0;
    OK(rox_timeline_beats(t, times, 3, beats));
    CHECK(beats[0] == 0.0 && beats[1] == 0.5 && beats[2] == 4.0);
    OK(rox_timeline_positions(t, times, 3, positions));
    OK(rox_timeline_position_at(t, 2000000, &single));
    CHECK(positions[2] == single && positions[0] < positions[1] && positions[1] < positions[2]);
    int64_t bad[2] = {0, INT64_MAX};
    double untouched[2] = {7, 7};
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_timeline_positions(t, bad, 2, untouched));
    CHECK(untouched[0] == 7 && untouched[1] == 7);

    uint8_t snaps[8];
    size_t n = 0;
    OK(rox_timeline_copy_snaps(t, 0, snaps, 8, &n));
    CHECK(n == 8 && snaps[0] == 1 && snaps[1] == 2);
    RoxNotePosition at[8];
    OK(rox_timeline_copy_note_positions(t, 0, at, 8, &n));
    CHECK(n == 8 && at[0].start == at[0].end && at[1].start > at[0].start);
    size_t count = 0;
    OK(rox_timeline_grid_lines(t, 0, 2000000, NULL, 0, &count));
    CHECK(count == 5);
    RoxGridLine lines[5];
    OK(rox_timeline_grid_lines(t, 0, 2000000, lines, 5, &count));
    CHECK(lines[0].time_us == 0 && lines[0].is_bar == 1 && lines[1].is_bar == 0 && lines[4].is_bar == 1);
    size_t first = 99, end = 99;
    OK(rox_timeline_notes_in_position_window(t, at[2].start, at[4].start, &first, &end));
    CHECK(first == 2 && end == 5);
    uint32_t found[4];
    OK(rox_timeline_notes_in_time_window(t, 0, 0, 1000000, found, 4, &count));
    CHECK(count == 2 && found[0] == 0 && found[1] == 4);
    double factor = -1.0;
    OK(rox_timeline_speed_factor_at(t, 500000, &factor));
    CHECK(factor == 1.0); /* no #SPEEDS under osu! rules */
    rox_timeline_free(t);
    rox_timeline_free(NULL);

    /* StepMania's #SPEEDS: a first change without a length applies from the start; the chart's
     * own rules (rox_chart_source_format) are StepMania's. */
    static const char ssc[] = "#VERSION:0.83;#OFFSET:0;#BPMS:0=120;#NOTEDATA:;#STEPSTYPE:dance-single;"
                              "#SPEEDS:0=2=0=0;#NOTES:1000\n0000\n0000\n0000\n;";
    OK(rox_chart_decode((const uint8_t *)ssc, sizeof ssc - 1, ROX_FORMAT_AUTO, &c));
    int32_t source = -1, rules = -1;
    OK(rox_chart_source_format(c, &source, &rules));
    CHECK(source == ROX_FORMAT_SSC && rules == ROX_TIMELINE_RULES_STEP_MANIA);
    OK(rox_timeline_new(c, rules, ROX_SCROLL_ALGORITHM_SEQUENTIAL, &t));
    rox_chart_free(c);
    factor = -1.0;
    OK(rox_timeline_speed_factor_at(t, 1000000, &factor));
    CHECK(factor == 2.0);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_timeline_speed_factor_at(t, 0, NULL));
    rox_timeline_free(t);
}

/* Pattern sections: a 4K stream then a trill, 96 sixteenths at 180 BPM each. */
static void test_patterns(void) {
    RoxChart *c = NULL;
    OK(rox_chart_new(4, &c));
    RoxNote notes[192];
    for (int i = 0; i < 192; i++) {
        notes[i] = note((int64_t)i * 83334, 0, (uint8_t)(i < 96 ? i % 4 : i % 2), ROX_NOTE_KIND_TAP);
    }
    OK(rox_chart_add_notes(c, notes, 192));

    size_t count = 99;
    OK(rox_chart_patterns(c, 500000, NULL, 0, &count));
    CHECK(count == 2);
    RoxPatternSection sections[3];
    memset(sections, 0xAB, sizeof sections);
    OK(rox_chart_patterns(c, 500000, sections, 3, &count));
    CHECK(count == 2);
    CHECK(sizeof(RoxPatternSection) == 32);
    CHECK(sections[0].kind == ROX_PATTERN_KIND_STREAM && sections[0].start_us == 0);
    CHECK(sections[0].end_us == 95 * 83334 && sections[0].notes == 96);
    CHECK(sections[1].kind == ROX_PATTERN_KIND_TECHNICAL && sections[1].start_us == 96 * 83334);
    CHECK(sections[1].notes == 96 && sections[1].reserved == 0);

    double shares[ROX_PATTERN_KIND_COUNT + 1];
    OK(rox_chart_pattern_shares(c, 500000, shares, ROX_PATTERN_KIND_COUNT + 1));
    CHECK(shares[ROX_PATTERN_KIND_STREAM] == 0.5 && shares[ROX_PATTERN_KIND_TECHNICAL] == 0.5);
    CHECK(shares[ROX_PATTERN_KIND_JACK] == 0.0 && shares[ROX_PATTERN_KIND_COUNT] == 0.0);
    /* A window of 0 has no section; a null chart clears the buffer. */
    OK(rox_chart_patterns(c, 0, sections, 3, &count));
    CHECK(count == 0);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_pattern_shares(NULL, 500000, shares, 2));
    CHECK(shares[0] == 0.0 && shares[1] == 0.0);
    rox_chart_free(c);
}

/* Quaver scroll groups: each note by its own group; the position window gives way to the view. */
static void test_scroll_groups(void) {
    static const char qua[] =
        "Mode: Keys4\nBPMDoesNotAffectScrollVelocity: true\nInitialScrollVelocity: 1\n"
        "TimingPoints:\n- StartTime: 0\n  Bpm: 120\n"
        "HitObjects:\n- StartTime: 0\n  Lane: 1\n- StartTime: 500\n  Lane: 2\n  TimingGroup: half\n"
        "- StartTime: 1000\n  Lane: 3\n"
        "TimingGroups:\n  half: !ScrollGroup\n    InitialScrollVelocity: 0.5\n";
    RoxChart *c = NULL;
    OK(rox_chart_decode((const uint8_t *)qua, sizeof qua - 1, ROX_FORMAT_QUA, &c));
    RoxTimeline *t = NULL;
    OK(rox_timeline_new(c, ROX_TIMELINE_RULES_QUAVER, ROX_SCROLL_ALGORITHM_SEQUENTIAL, &t));
    rox_chart_free(c);
    size_t count = 0;
    OK(rox_timeline_scroll_group_count(t, &count));
    CHECK(count == 2);
    uint32_t groups[3] = {9, 9, 9};
    OK(rox_timeline_copy_note_groups(t, 0, groups, 3, &count));
    CHECK(count == 3 && groups[0] == 0 && groups[1] == 1 && groups[2] == 0);
    double position = -1;
    OK(rox_timeline_position_in_group(t, 1, 800000, &position));
    CHECK(position == 400.0);
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_timeline_position_in_group(t, 2, 0, &position));
    CHECK(position == 0.0);
    uint32_t found[3];
    OK(rox_timeline_notes_in_view(t, 500000, 0.0, 0.0, NULL, 0, &count));
    CHECK(count == 1);
    OK(rox_timeline_notes_in_view(t, 500000, 0.0, 0.0, found, 3, &count));
    CHECK(count == 1 && found[0] == 1);
    size_t first = 9, end = 9;
    EXPECT(ROX_STATUS_INVALID_ARGUMENT, rox_timeline_notes_in_position_window(t, 0.0, 1e9, &first, &end));
    rox_timeline_free(t);
}

/* Statistics of a hand-made chart: 120 BPM, a chord of two at 0 ms, a 1 s hold at 500 ms,
 * a tap at 3 s. */
static void test_analysis(void) {
    RoxChart *c = NULL;
    OK(rox_chart_new(4, &c));
    RoxTimingPoint tempo = point(0, ROX_TIMING_KIND_BPM, 120.0, 0, 4);
    OK(rox_chart_add_timing(c, &tempo, 1));
    RoxNote notes[4] = {note(0, 0, 0, ROX_NOTE_KIND_TAP), note(0, 0, 1, ROX_NOTE_KIND_TAP),
                        note(500000, 1000000, 2, ROX_NOTE_KIND_HOLD), note(3000000, 0, 3, ROX_NOTE_KIND_TAP)};
    OK(rox_chart_add_notes(c, notes, 4));

    RoxChartStats stats;
    OK(rox_chart_get_stats(c, &stats));
    CHECK(stats.struct_size == sizeof(RoxChartStats));
    CHECK(stats.tap_count == 3 && stats.hold_count == 1 && stats.mine_count == 0);
    CHECK(stats.length_us == 3000000 && stats.drain_us == 3000000 && stats.longest_hold_us == 1000000);
    CHECK(stats.bpm_min == 120.0 && stats.bpm_dominant == 120.0 && stats.max_nps == 3.0);
    size_t count = 0;
    OK(rox_chart_copy_chord_sizes(c, NULL, 0, &count));
    CHECK(count == 3);
    uint64_t chords[3] = {9, 9, 9}, columns[4], buckets[3];
    OK(rox_chart_copy_chord_sizes(c, chords, 3, &count));
    CHECK(chords[0] == 0 && chords[1] == 2 && chords[2] == 1);
    OK(rox_chart_copy_column_counts(c, columns, 4, &count));
    CHECK(count == 4 && columns[0] == 1 && columns[3] == 1);
    OK(rox_chart_density(c, buckets, 3));
    CHECK(buckets[0] == 3 && buckets[1] == 0 && buckets[2] == 1);
    double nps = -1;
    OK(rox_chart_max_nps(c, 2000000, &nps));
    CHECK(nps == 1.5);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_chart_get_stats(NULL, &stats));
    CHECK(stats.struct_size == 0 && stats.bpm_dominant == 0.0);

    /* The content hash ignores metadata. */
    uint64_t before = 0, after = 0;
    OK(rox_chart_content_hash(c, &before));
    OK(rox_chart_set_string(c, ROX_META_FIELD_TITLE, (const uint8_t *)"New", 3));
    OK(rox_chart_content_hash(c, &after));
    CHECK(before == after && before != 0);
    rox_chart_free(c);

    /* RFC 1321: MD5("abc"). */
    static const uint8_t abc[16] = {0x90, 0x01, 0x50, 0x98, 0x3c, 0xd2, 0x4f, 0xb0,
                                    0xd6, 0x96, 0x3f, 0x7d, 0x28, 0xe1, 0x7f, 0x72};
    uint8_t md5[16];
    OK(rox_file_md5((const uint8_t *)"abc", 3, md5));
    CHECK(memcmp(md5, abc, 16) == 0);
    EXPECT(ROX_STATUS_NULL_POINTER, rox_file_md5(NULL, 3, md5));
    CHECK(md5[0] == 0 && md5[15] == 0);
}

int main(int argc, char **argv) {
    g_verbose = getenv("ROX_TEST_VERBOSE") != NULL;
    test_version_and_last_error();
    test_new_free();
    test_strings();
    test_info();
    test_notes();
    test_timing();
    test_keysounds();
    test_validate();
    test_formats();
    test_garbage();
    test_clone();
    test_threads();
    test_views();
    test_encode_errors();
    test_round_trip_rox();
    test_round_trip_osu();
    test_corpus(argc > 1 ? argv[1] : NULL);
    test_reports();
    test_snap_shifts();
    test_length_limits();
    test_keysound_limits();
    test_sets(argc > 2 ? argv[2] : "tests/fixtures/archives/song.osz");
    test_decode_limits();
    test_decode_options();
    test_timeline();
    test_scroll_groups();
    test_analysis();
    test_patterns();

    printf("abi_test: %d checks, %d failed\n", g_checks, g_failures);
    return g_failures == 0 ? 0 : 1;
}
