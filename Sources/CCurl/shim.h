#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* One HTTP(S) GET with every limit enforced inside libcurl's own loop, so that
   nothing is read past them: the body is written into a buffer that never grows
   past max_bytes (the write callback aborts the transfer instead), a
   Content-Length over it is refused before the body, a server silent for
   idle_ms is dropped, and the whole answer may take at most total_ms. */

enum digits_http_outcome {
    DIGITS_HTTP_OK = 0, DIGITS_HTTP_TOO_LARGE_ANNOUNCED, DIGITS_HTTP_TOO_LARGE_SENT,
    DIGITS_HTTP_IDLE, DIGITS_HTTP_TOO_SLOW, DIGITS_HTTP_STATUS, DIGITS_HTTP_CONNECT, DIGITS_HTTP_OTHER
};

typedef struct {
    unsigned char *body; size_t length, capacity, max_bytes;
    int over, idle;
    long idle_ms; double last_bytes; struct timespec last_change;
    long status; curl_off_t announced; char error[CURL_ERROR_SIZE];
} digits_http;

static double digits_http_ms_since(struct timespec t) {
    struct timespec now; clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - t.tv_sec) * 1e3 + (now.tv_nsec - t.tv_nsec) / 1e6;
}

static size_t digits_http_write(char *data, size_t size, size_t count, void *user) {
    digits_http *h = user; size_t n = size * count;
    if (h->length + n > h->max_bytes) { h->over = 1; return 0; }
    if (h->length + n > h->capacity) {
        size_t cap = h->capacity ? h->capacity : 65536;
        while (cap < h->length + n) cap *= 2;
        if (cap > h->max_bytes) cap = h->max_bytes;
        unsigned char *grown = realloc(h->body, cap);
        if (!grown) { h->over = 1; return 0; }
        h->body = grown; h->capacity = cap;
    }
    memcpy(h->body + h->length, data, n); h->length += n;
    return n;
}

/* Remembers the announced Content-Length, which libcurl does not report once it
   has refused it for CURLOPT_MAXFILESIZE. */
static size_t digits_http_header(char *line, size_t size, size_t count, void *user) {
    digits_http *h = user; size_t n = size * count;
    const char *name = "content-length:"; size_t k = strlen(name);
    if (n > k && strncasecmp(line, name, k) == 0) {
        char digits[32] = {0}; size_t j = 0;
        for (size_t i = k; i < n && j < sizeof digits - 1; i++) if (line[i] >= '0' && line[i] <= '9') digits[j++] = line[i];
        if (j > 0) h->announced = (curl_off_t)strtoll(digits, NULL, 10);
    }
    return n;
}

static int digits_http_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
    digits_http *h = user; (void)dltotal; (void)ultotal; (void)ulnow;
    if ((double)dlnow != h->last_bytes) { h->last_bytes = (double)dlnow; clock_gettime(CLOCK_MONOTONIC, &h->last_change); return 0; }
    if (digits_http_ms_since(h->last_change) > h->idle_ms) { h->idle = 1; return 1; }
    return 0;
}

/* Fills *h (free h->body with free()); returns an outcome. */
static inline int digits_http_get(const char *url, size_t max_bytes, long idle_ms, long total_ms, digits_http *h) {
    memset(h, 0, sizeof *h);
    h->max_bytes = max_bytes; h->idle_ms = idle_ms; h->last_bytes = -1;
    clock_gettime(CLOCK_MONOTONIC, &h->last_change);
    CURL *c = curl_easy_init();
    if (!c) { strcpy(h->error, "libcurl could not start"); return DIGITS_HTTP_OTHER; }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_bytes);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, idle_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, total_ms);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, digits_http_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, digits_http_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, digits_http_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, h);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->error);
    CURLcode r = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &h->status);
    curl_easy_cleanup(c);
    if (h->error[0] == 0) strncpy(h->error, curl_easy_strerror(r), CURL_ERROR_SIZE - 1);
    if (r == CURLE_OK) return (h->status >= 200 && h->status < 300) || h->status == 0 ? DIGITS_HTTP_OK : DIGITS_HTTP_STATUS;
    if (r == CURLE_FILESIZE_EXCEEDED) return DIGITS_HTTP_TOO_LARGE_ANNOUNCED;
    if (r == CURLE_WRITE_ERROR && h->over) return DIGITS_HTTP_TOO_LARGE_SENT;
    if (r == CURLE_ABORTED_BY_CALLBACK && h->idle) return DIGITS_HTTP_IDLE;
    if (r == CURLE_OPERATION_TIMEDOUT) return h->length == 0 && h->last_bytes <= 0 ? DIGITS_HTTP_IDLE : DIGITS_HTTP_TOO_SLOW;
    if (r == CURLE_COULDNT_CONNECT || r == CURLE_COULDNT_RESOLVE_HOST || r == CURLE_COULDNT_RESOLVE_PROXY) return DIGITS_HTTP_CONNECT;
    return DIGITS_HTTP_OTHER;
}
