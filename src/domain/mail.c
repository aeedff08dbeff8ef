/* SPDX-License-Identifier: MIT */
/* Email delivery from the outbox over SMTP with libcurl: a message is leased, sent, then marked
 * sent; a failure keeps it with the error and a later attempt (backoff doubling to an hour). */
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/oneonones.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/timeutil.h"

struct upload {
    const char *data;
    size_t len, off;
};

static size_t feed(char *ptr, size_t size, size_t nmemb, void *userp)
{
    struct upload *u = userp;
    size_t n = size * nmemb;

    if (n > u->len - u->off)
        n = u->len - u->off;
    memcpy(ptr, u->data + u->off, n);
    u->off += n;
    return n;
}

/* A header value without line breaks, as an RFC 2047 encoded word when it is not ASCII. */
static void header(struct buf *b, const char *name, const char *value)
{
    bool ascii = true;
    size_t n = strlen(value);

    for (size_t i = 0; i < n; i++)
        ascii = ascii && (unsigned char)value[i] < 0x80;
    buf_addf(b, "%s: ", name);
    if (ascii) {
        for (size_t i = 0; i < n; i++)
            buf_addn(b, value[i] == '\r' || value[i] == '\n' ? " " : &value[i], 1);
    } else {
        char enc[1024];

        if (n > 700)
            n = 700;
        sodium_bin2base64(enc, sizeof(enc), (const unsigned char *)value, n,
                          sodium_base64_VARIANT_ORIGINAL);
        buf_addf(b, "=?UTF-8?B?%s?=", enc);
    }
    buf_add(b, "\r\n");
}

/* An address fit for the envelope: no spaces, brackets or line breaks. */
static bool plain_address(const char *s)
{
    return s && *s && strlen(s) < 250 && !strpbrk(s, " \r\n<>,;") && strchr(s, '@');
}

static enum err send_one(const struct mail_config *cfg, const struct outbox_msg *m, char *err,
                         size_t errlen)
{
    CURL *c;
    CURLcode cc;
    struct curl_slist *rcpt = NULL;
    struct buf msg;
    struct upload up;
    char from[300], to[300], date[64], id[80];
    unsigned char rnd[12];
    time_t t = (time_t)time_now();
    struct tm tm;
    enum err rc = ERR_OK;

    if (!plain_address(m->recipient) || !plain_address(cfg->from)) {
        snprintf(err, errlen, "not a deliverable address");
        return ERR_VALIDATION;
    }
    gmtime_r(&t, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(id, sizeof(id), rnd, sizeof(rnd));
    buf_init(&msg, 4u << 20);
    header(&msg, "Date", date);
    header(&msg, "From", cfg->from);
    header(&msg, "To", m->recipient);
    header(&msg, "Subject", m->subject);
    buf_addf(&msg, "Message-ID: <%s.%lld@trellis>\r\n", id, (long long)m->id);
    buf_add(&msg, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                  "Content-Transfer-Encoding: 8bit\r\n\r\n");
    buf_add(&msg, m->body);
    buf_add(&msg, "\r\n");
    up = (struct upload){buf_str(&msg), msg.len, 0};
    snprintf(from, sizeof(from), "<%s>", cfg->from);
    snprintf(to, sizeof(to), "<%s>", m->recipient);
    c = curl_easy_init();
    if (!c) {
        buf_cleanup(&msg);
        snprintf(err, errlen, "cannot start libcurl");
        return ERR_INTERNAL;
    }
    rcpt = curl_slist_append(rcpt, to);
    curl_easy_setopt(c, CURLOPT_URL, cfg->url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, feed);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (cfg->starttls)
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (cfg->user)
        curl_easy_setopt(c, CURLOPT_USERNAME, cfg->user);
    if (cfg->password)
        curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->password);
    cc = curl_easy_perform(c);
    if (cc != CURLE_OK) {
        snprintf(err, errlen, "%s", curl_easy_strerror(cc));
        rc = ERR_UNAVAILABLE;
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    buf_cleanup(&msg);
    return rc;
}

enum err outbox_deliver(struct db *db, const struct mail_config *cfg, int max, int *sent)
{
    struct arena *a = arena_new();
    enum err rc = ERR_OK;

    *sent = 0;
    for (int i = 0; cfg->url && i < max; i++) {
        struct outbox_msg m;
        char now[21], lease[21], next[21], err[256] = "";
        int64_t t = time_now(), wait;

        time_rfc3339(t, now);
        time_rfc3339(t + 300, lease); /* a crashed sender's lease runs out in 5 minutes */
        rc = store_outbox_claim(db, a, now, lease, &m);
        if (rc == ERR_NOT_FOUND) {
            rc = ERR_OK;
            break;
        }
        if (rc)
            break;
        if (send_one(cfg, &m, err, sizeof(err)) == ERR_OK) {
            time_rfc3339(time_now(), now);
            rc = store_outbox_sent(db, m.id, now);
            (*sent)++;
            continue;
        }
        wait = cfg->retry_base > 0 ? cfg->retry_base : 30;
        for (int64_t k = 1; k < m.attempts && wait < 3600; k++)
            wait *= 2;
        time_rfc3339(time_now() + (wait > 3600 ? 3600 : wait), next);
        rc = store_outbox_failed(db, m.id, next, err);
        if (rc)
            break;
    }
    arena_free(a);
    return rc;
}
