/* SPDX-License-Identifier: MIT */
/* Email delivery from the outbox over SMTP with libcurl. A message is leased (the lease renewed
 * while its SMTP transaction lasts, so no second server takes it meanwhile), built with GMime as
 * multipart/alternative text and HTML, quoted-printable, CRLF, with the row's stable Message-ID,
 * then marked sent. A failed attempt is logged, kept with its error and tried again later
 * (backoff doubling to an hour) until max_attempts, when the message is marked failed. */
#include <curl/curl.h>
#include <gmime/gmime.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/oneonones.h"
#include "domain/settings.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/timeutil.h"

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_start(void)
{
    g_mime_init();
}

/* The one mailbox of s (ERR_OK), its addr-spec for the envelope in addr (IDN domains in
 * ASCII); the parsed address in *out when out is not NULL (a new reference). */
static bool parse_mailbox(const char *s, char *addr, size_t addrlen, InternetAddress **out)
{
    InternetAddressList *l;
    bool ok = false;

    pthread_once(&gmime_once, gmime_start);
    if (!s || !*s || strlen(s) > 500 || strpbrk(s, "\r\n"))
        return false;
    l = internet_address_list_parse(NULL, s);
    if (!l)
        return false;
    if (internet_address_list_length(l) == 1) {
        InternetAddress *ia = internet_address_list_get_address(l, 0);

        if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
            const char *a = internet_address_mailbox_get_idn_addr(INTERNET_ADDRESS_MAILBOX(ia));
            const char *at = a ? strchr(a, '@') : NULL;

            ok = at && at > a && at[1] && !strpbrk(a, " \t<>,;\"") && strlen(a) < addrlen;
            if (ok) {
                snprintf(addr, addrlen, "%s", a);
                if (out)
                    *out = g_object_ref(ia);
            }
        }
    }
    g_object_unref(l);
    return ok;
}

bool mail_address_check(const char *from, char *err, size_t errlen)
{
    char addr[320];

    if (parse_mailbox(from, addr, sizeof(addr), NULL))
        return true;
    snprintf(err, errlen, "smtp_from '%s' is not one address (hr@example.com or Name <hr@...>)",
             from ? from : "");
    return false;
}

/* The body as HTML: paragraphs at blank lines, line breaks kept, everything escaped. */
static void html_body(struct buf *b, const char *text)
{
    buf_add(b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n<body><p>");
    for (const char *p = text; *p; p++) {
        switch (*p) {
        case '&':
            buf_add(b, "&amp;");
            break;
        case '<':
            buf_add(b, "&lt;");
            break;
        case '>':
            buf_add(b, "&gt;");
            break;
        case '"':
            buf_add(b, "&quot;");
            break;
        case '\n':
            if (p[1] == '\n') {
                buf_add(b, "</p>\n<p>");
                while (p[1] == '\n')
                    p++;
            } else {
                buf_add(b, "<br>\n");
            }
            break;
        default:
            buf_addn(b, p, 1);
        }
    }
    buf_add(b, "</p></body></html>\n");
}

static GMimeObject *text_part(const char *subtype, const char *text)
{
    GMimeTextPart *t = g_mime_text_part_new_with_subtype(subtype);

    g_mime_text_part_set_text(t, text);
    g_mime_text_part_set_charset(t, "utf-8");
    g_mime_part_set_content_encoding(GMIME_PART(t), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
    return GMIME_OBJECT(t);
}

/* The message as it goes on the wire: CRLF, every line within 998 octets. */
static GByteArray *build_message(const char *from_header, const char *to, const char *subject,
                                 const char *body, const char *message_id)
{
    GMimeMessage *msg = g_mime_message_new(TRUE);
    GMimeMultipart *alt = g_mime_multipart_new_with_subtype("alternative");
    GMimeFormatOptions *fo = g_mime_format_options_new();
    GMimeStream *mem = g_mime_stream_mem_new();
    InternetAddressList *l;
    GDateTime *now = g_date_time_new_now_utc();
    struct buf plain, html;
    GByteArray *out;
    size_t idlen = strlen(message_id);

    buf_init(&plain, 8u << 20);
    /* LF inside (CRLF, and a lone CR of an old Mac text, each one line end); CRLF on the wire */
    for (const char *p = body; *p; p++)
        if (*p != '\r')
            buf_addn(&plain, p, 1);
        else if (p[1] != '\n')
            buf_add(&plain, "\n");
    if (!plain.len || buf_str(&plain)[plain.len - 1] != '\n')
        buf_add(&plain, "\n");
    buf_init(&html, 16u << 20);
    html_body(&html, buf_str(&plain));

    l = internet_address_list_parse(NULL, from_header);
    if (l) {
        internet_address_list_append(g_mime_message_get_from(msg), l);
        g_object_unref(l);
    }
    g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, NULL, to);
    g_mime_message_set_subject(msg, subject, "utf-8");
    g_mime_message_set_date(msg, now);
    if (idlen > 2 && message_id[0] == '<' && message_id[idlen - 1] == '>') {
        char *id = g_strndup(message_id + 1, idlen - 2);

        g_mime_message_set_message_id(msg, id);
        g_free(id);
    }
    {
        GMimeObject *tp = text_part("plain", buf_str(&plain)),
                    *hp = text_part("html", buf_str(&html));

        g_mime_multipart_add(alt, tp);
        g_mime_multipart_add(alt, hp);
        g_object_unref(tp);
        g_object_unref(hp);
    }
    g_mime_message_set_mime_part(msg, GMIME_OBJECT(alt));
    g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
    g_mime_object_write_to_stream(GMIME_OBJECT(msg), fo, mem);
    g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE); /* out is ours to free */
    out = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    g_object_unref(mem);
    g_mime_format_options_free(fo);
    g_date_time_unref(now);
    g_object_unref(alt);
    g_object_unref(msg);
    buf_cleanup(&plain);
    buf_cleanup(&html);
    return out;
}

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
    if (n)
        memcpy(ptr, u->data + u->off, n);
    u->off += n;
    return n;
}

/* While curl works, the lease is renewed every third of its length; when another server holds
 * the row (our lease was lost), the transfer stops. */
struct lease {
    struct db *db;
    int64_t id, seconds, next_renew;
    const char *token;
    bool lost;
};

static int keep_lease(void *p, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                      curl_off_t ulnow)
{
    struct lease *l = p;
    int64_t now = time_now();
    char until[21];
    enum err rc;

    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    if (now < l->next_renew)
        return 0;
    time_rfc3339(now + l->seconds, until);
    rc = store_outbox_renew(l->db, l->id, l->token, until);
    if (rc == ERR_NOT_FOUND) {
        l->lost = true;
        return 1;
    }
    l->next_renew = now + (l->seconds / 3 > 0 ? l->seconds / 3 : 1);
    return 0;
}

static enum err send_one(const struct mail_config *cfg, const struct outbox_msg *m,
                         struct lease *lease, char *err, size_t errlen, bool *permanent)
{
    CURL *c;
    CURLcode cc;
    struct curl_slist *rcpt = NULL;
    GByteArray *msg;
    struct upload up;
    char from[330], to[330], addr[320], errbuf[CURL_ERROR_SIZE] = "";
    long code = 0;
    enum err rc = ERR_OK;

    *permanent = false;
    if (!parse_mailbox(cfg->from, addr, sizeof(addr), NULL)) {
        snprintf(err, errlen, "the sender (smtp_from) is not an address");
        *permanent = true;
        return ERR_VALIDATION;
    }
    snprintf(from, sizeof(from), "<%s>", addr);
    if (!parse_mailbox(m->recipient, addr, sizeof(addr), NULL)) {
        snprintf(err, errlen, "the recipient is not a deliverable address");
        *permanent = true;
        return ERR_VALIDATION;
    }
    snprintf(to, sizeof(to), "<%s>", addr);
    msg = build_message(cfg->from, m->recipient, m->subject, m->body,
                        m->message_id ? m->message_id : "");
    up = (struct upload){(const char *)msg->data, msg->len, 0};
    c = curl_easy_init();
    if (!c) {
        g_byte_array_free(msg, TRUE);
        snprintf(err, errlen, "cannot start libcurl");
        return ERR_INTERNAL;
    }
    rcpt = curl_slist_append(rcpt, to);
    curl_easy_setopt(c, CURLOPT_URL, cfg->url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, feed);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg->len);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    /* every timeout explicit and within the lease (which is renewed while curl works) */
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)(cfg->timeout < 30 ? cfg->timeout : 30));
    curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT, (long)cfg->timeout);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)cfg->timeout);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     (long)(cfg->tls == SMTP_TLS_REQUIRED ? CURLUSESSL_ALL
                            : cfg->tls == SMTP_TLS_OFF    ? CURLUSESSL_NONE
                                                          : CURLUSESSL_TRY));
    if (cfg->ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file);
    if (cfg->user)
        curl_easy_setopt(c, CURLOPT_USERNAME, cfg->user);
    if (cfg->password)
        curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->password);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, keep_lease);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, lease);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    cc = curl_easy_perform(c);
    if (cc != CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        if (lease->lost)
            snprintf(err, errlen, "another server took the message over");
        else if (code >= 400)
            snprintf(err, errlen, "%s (SMTP %ld)", *errbuf ? errbuf : curl_easy_strerror(cc), code);
        else
            snprintf(err, errlen, "%s", *errbuf ? errbuf : curl_easy_strerror(cc));
        rc = ERR_UNAVAILABLE;
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    g_byte_array_free(msg, TRUE);
    return rc;
}

/* One line per failed attempt: the outbox id, the recipient's domain, the error; never the
 * address or the message. */
static void log_failure(const struct outbox_msg *m, int64_t max, const char *err, bool give_up)
{
    const char *at = m->recipient ? strrchr(m->recipient, '@') : NULL;
    json_t *x = json_pack("{s:I, s:s, s:I, s:I, s:s, s:b}", "outbox_id", (json_int_t)m->id,
                          "domain", at ? at + 1 : "", "attempt", (json_int_t)m->attempts,
                          "max_attempts", (json_int_t)max, "error", err, "gave_up", give_up);
    char *s = x ? json_dumps(x, JSON_COMPACT) : NULL;

    log_line("warn", give_up ? "email delivery failed; giving up" : "email delivery failed", s);
    free(s);
    json_decref(x);
}

enum err outbox_deliver(struct db *db, const struct mail_config *base, int max, int *sent)
{
    struct arena *a = arena_new();
    enum err rc = ERR_OK;
    struct mail_config eff;
    const struct mail_config *cfg = &eff;

    /* what an admin set in the web UI applies at the next pass, on every server */
    settings_mail(db, a, base, &eff);
    int64_t timeout = cfg->timeout > 0 ? cfg->timeout : 300;
    int64_t lease_s = cfg->lease > 0 ? cfg->lease : timeout + 60;
    int64_t max_attempts = cfg->max_attempts > 0 ? cfg->max_attempts : 8;
    struct mail_config c = *cfg;
    char host[256] = "localhost", addr[320];

    c.timeout = timeout;
    if (cfg->url && parse_mailbox(cfg->from, addr, sizeof(addr), NULL))
        snprintf(host, sizeof(host), "%s", strchr(addr, '@') + 1);
    *sent = 0;
    for (int i = 0; cfg->url && i < max; i++) {
        struct outbox_msg m;
        char now[21], until[21], next[21], err[512] = "", token[33], rnd[17];
        unsigned char bytes[16];
        int64_t t = time_now(), wait;
        struct lease lease;
        bool permanent, give_up;

        randombytes_buf(bytes, sizeof(bytes));
        sodium_bin2hex(token, sizeof(token), bytes, 16);
        randombytes_buf(bytes, sizeof(bytes));
        sodium_bin2hex(rnd, sizeof(rnd), bytes, 8);
        time_rfc3339(t, now);
        time_rfc3339(t + lease_s, until);
        rc = store_outbox_claim(db, a,
                                &(struct outbox_claim){.now = now,
                                                       .lease_until = until,
                                                       .token = token,
                                                       .id_random = rnd,
                                                       .id_host = host},
                                &m);
        if (rc == ERR_NOT_FOUND) {
            rc = ERR_OK;
            break;
        }
        if (rc)
            break;
        lease = (struct lease){db,    m.id, lease_s, t + (lease_s / 3 > 0 ? lease_s / 3 : 1),
                               token, false};
        if (send_one(&c, &m, &lease, err, sizeof(err), &permanent) == ERR_OK) {
            time_rfc3339(time_now(), now);
            rc = store_outbox_sent(db, m.id, now);
            (*sent)++;
            continue;
        }
        if (lease.lost) { /* the server that holds it now decides */
            char x[64];

            snprintf(x, sizeof(x), "{\"outbox_id\":%lld}", (long long)m.id);
            log_line("warn", "email lease lost while sending", x);
            continue;
        }
        give_up = permanent || m.attempts >= max_attempts;
        log_failure(&m, max_attempts, err, give_up);
        wait = cfg->retry_base > 0 ? cfg->retry_base : 30;
        for (int64_t k = 1; k < m.attempts && wait < 3600; k++)
            wait *= 2;
        time_rfc3339(time_now() + (wait > 3600 ? 3600 : wait), next);
        rc = store_outbox_failed(db, m.id, next, err, give_up);
        if (rc)
            break;
    }
    arena_free(a);
    return rc;
}

enum err outbox_retry(struct db *db, const struct actor *actor, int64_t id, struct errinfo *ei)
{
    char now[21];
    enum err rc = policy_check(db, actor, ACT_ACCOUNT_ADMIN, NULL);

    if (rc)
        return err_set(ei, rc, "only admins can retry email");
    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc)
        return err_set(ei, ERR_INTERNAL, "cannot queue the email again");
    rc = store_outbox_retry(db, id, now);
    if (rc == ERR_OK) {
        json_t *before = json_pack("{s:s}", "status", "failed"),
               *after = json_pack("{s:s}", "status", "queued");

        rc = audit_record(db, actor->person_id, "email.retry", "email_outbox", id, before, after);
        json_decref(before);
        json_decref(after);
    }
    rc = db_end(db, rc);
    if (rc == ERR_NOT_FOUND)
        return err_set(ei, rc, "no failed email with this id");
    if (rc)
        return err_set(ei, ERR_INTERNAL, "cannot queue the email again");
    return ERR_OK;
}

enum err mail_send_now(const struct mail_config *cfg, const char *to, const char *subject,
                       const char *body, char *answer, size_t answerlen)
{
    struct mail_config quick;
    struct outbox_msg m = {.recipient = to, .subject = subject, .body = body};
    struct lease lease = {.next_renew = INT64_MAX};
    char addr[320], mid[400] = "";
    bool permanent;
    enum err rc;

    if (!cfg || !cfg->url) {
        snprintf(answer, answerlen, "no SMTP server is configured (smtp_url)");
        return ERR_CONFLICT;
    }
    if (parse_mailbox(cfg->from, addr, sizeof(addr), NULL))
        snprintf(mid, sizeof(mid), "<test-%lld.%08x@%s>", (long long)time_now(),
                 randombytes_random(), strchr(addr, '@') + 1);
    m.message_id = mid;
    quick = *cfg;
    /* a person waits for the answer: at most 20 seconds */
    if (quick.timeout <= 0 || quick.timeout > 20)
        quick.timeout = 20;
    rc = send_one(&quick, &m, &lease, answer, answerlen, &permanent);
    if (rc == ERR_OK)
        snprintf(answer, answerlen, "the SMTP server accepted the message for delivery");
    return rc;
}
