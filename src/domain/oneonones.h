/* SPDX-License-Identifier: MIT */
/* One-on-ones: scheduling a series on its cadence in its time zone, completing, moving and
 * skipping meetings, sealed private notes, the summary email, reminders and email delivery. */
#ifndef TRELLIS_DOMAIN_ONEONONES_H
#define TRELLIS_DOMAIN_ONEONONES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"
#include "store/oneonones.h"
#include "util/err.h"

/* Fills m's starts_at and local_start for the occurrence on date (borrowed buffers in a). */
bool oneonones_occurrence(struct arena *a, const struct series *s, const char *date,
                          struct meeting *m);
/* Schedules the first occurrence after `after` (a date; NULL = the series' first date) that
 * starts in the future. Does nothing when the series already has a meeting to come. */
enum err oneonones_schedule_next(struct db *db, struct arena *a, const struct series *s,
                                 const char *after);
/* Creates s (filled and checked by the caller) with its first meeting, audited. */
enum err oneonones_create(struct db *db, struct arena *a, const struct actor *actor,
                          struct series *s, struct errinfo *ei);
/* A change to a series: what was not sent stays as it is. */
struct series_patch {
    int64_t cadence_weeks, weekday;    /* 0: not sent */
    const char *start_time, *timezone; /* NULL: not sent */
    int paused;                        /* -1: not sent, 0: resume, 1: pause */
    bool ended;                        /* ends the series (irreversible) */
};
/* Changes series id for actor (one of its sides) in one transaction with the row locked: the
 * schedule, pausing, resuming or ending. The meeting still to come moves to the new rhythm
 * (held meetings never change); pausing and ending remove it. ERR_NOT_FOUND when the actor is
 * not a side, ERR_CONFLICT when the series has ended. Fills out with the series as it is. */
enum err oneonones_update(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                          const struct series_patch *p, struct series *out, struct errinfo *ei);
/* Marks m held, carries moved points, schedules the next meeting and queues the summary email
 * to both sides, in one transaction. ERR_CONFLICT when m is not scheduled. */
enum err oneonones_complete(struct db *db, struct arena *a, const struct actor *actor,
                            const struct series *s, const struct meeting *m, bool career,
                            struct errinfo *ei);
/* Skips m with a reason and schedules the next one. */
enum err oneonones_skip(struct db *db, struct arena *a, const struct actor *actor,
                        const struct series *s, const struct meeting *m, const char *reason,
                        struct errinfo *ei);
/* Moves m to local date and time (in the series' zone), which must be in the future. */
enum err oneonones_move(struct db *db, struct arena *a, const struct actor *actor,
                        const struct series *s, const struct meeting *m, const char *date,
                        const char *time, struct errinfo *ei);

/* A side of the one-on-one adds talking point p (section, body) to meeting p->meeting_id, which
 * must still be to come: one transaction with the meeting's row locked, so a meeting completed
 * meanwhile refuses it (ERR_CONFLICT). p is then the point as stored. The audit row says which
 * section and status, never what the point says (the two sides alone read it). */
enum err oneonones_point_add(struct db *db, struct arena *a, const struct actor *actor,
                             struct talking_point *p, struct errinfo *ei);
/* A side marks point id open, discussed or moved, on a meeting still to come; *p as stored. */
enum err oneonones_point_status(struct db *db, struct arena *a, const struct actor *actor,
                                int64_t id, const char *status, struct talking_point *p,
                                struct errinfo *ei);
/* Builds the answer of a write inside its transaction. */
typedef enum err (*oneonones_reply)(void *ctx, struct errinfo *ei);
/* A side writes meeting id's shared notes and/or their own private note (NULL: not sent), the
 * meeting's row locked from the first read (both sides autosave); a skipped meeting refuses
 * (ERR_CONFLICT). The audit says which notes changed, never what they say. reply(ctx), when
 * given, runs before the commit: a failure there undoes the write, so an error answer never
 * hides notes that were saved. */
enum err oneonones_notes(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                         const char *shared, const char *private_note, oneonones_reply reply,
                         void *ctx, struct errinfo *ei);
/* A side adds action item x (owner_id, body, due_date, idp_action_id) to meeting x->meeting_id:
 * the owner must be a side and a linked plan action the member's own (field errors, 422); a
 * skipped meeting refuses. x is then the item as stored; audited with its image. */
enum err oneonones_action_add(struct db *db, struct arena *a, const struct actor *actor,
                              struct action_item *x, struct errinfo *ei);
/* The fields of an action item an edit sends (owner_set/due_set say whether owner_id and
 * due_date were sent; body and status NULL when not). */
struct action_change {
    bool owner_set, due_set;
    int64_t owner_id;
    const char *body, *due_date, *status;
};
/* A side changes action item id by c, read and merged inside the write's transaction (row
 * locked), so two edits of different fields at once both stay; done here marks the linked plan
 * action done. *x as stored; audited before and after. */
enum err oneonones_action_update(struct db *db, struct arena *a, const struct actor *actor,
                                 int64_t id, const struct action_change *c, struct action_item *x,
                                 struct errinfo *ei);
/* Seals text for author (XSalsa20-Poly1305 under a key derived from the server key and the
 * author's id): "v1:" base64(nonce || box). Unseal returns NULL when it cannot open. */
char *oneonones_seal(struct arena *a, int64_t author, const char *text);
char *oneonones_unseal(struct arena *a, int64_t author, const char *sealed);

/* One reminder pass (see store_remind) and its emails. The people it reminds are taken in
 * ranges of ids, one transaction each with their emails (a person's reminders and their one
 * email are in one transaction), so that a pass over a large company never holds the write lock
 * for long; a small one is a single transaction. */
enum err reminders_pass(struct db *db, int64_t now, int64_t *created);
#define REMIND_BATCH_DEFAULT 50000
/* People per transaction of a reminder pass (remind_batch). */
void reminders_configure(int64_t people_per_transaction);

enum smtp_tls { SMTP_TLS_OPPORTUNISTIC = 0, SMTP_TLS_REQUIRED, SMTP_TLS_OFF };

struct mail_config {
    const char *url;  /* smtp://host:port or smtps://host:port; NULL: no delivery */
    const char *from; /* header sender, may carry a display name: Trellis <hr@example.com> */
    const char *user, *password;
    const char *ca_file;  /* CA bundle for the server's certificate; NULL: the system's */
    enum smtp_tls tls;    /* STARTTLS on smtp://: when offered (default), always, never */
    int64_t retry_base;   /* seconds before the first retry; doubles each time (max 1 hour) */
    int64_t max_attempts; /* attempts before a message is marked failed (default 8) */
    int64_t timeout;      /* seconds one SMTP transaction may take in all (default 300) */
    int64_t lease;        /* seconds a claimed message stays leased, renewed while sending
                           * (default timeout + 60) */
};

/* Checks a sender ("hr@example.com" or "Name <hr@example.com>"): true when it is one mailbox;
 * else false with the problem in err. */
bool mail_address_check(const char *from, char *err, size_t errlen);
/* Delivers due outbox messages (at most max) over SMTP; *sent counts successes. Every failed
 * attempt is logged (outbox id, recipient domain, the error); after max_attempts a message is
 * marked failed. The lease of a message is renewed while its SMTP transaction lasts. */
enum err outbox_deliver(struct db *db, const struct mail_config *cfg, int max, int *sent);
/* Sends one message at once, outside the outbox (the admin's test email): ERR_OK with a note in
 * answer, else the SMTP server's answer or the problem in answer (ERR_CONFLICT: no SMTP server
 * is configured). Waits at most 20 seconds. */
enum err mail_send_now(const struct mail_config *cfg, const char *to, const char *subject,
                       const char *body, char *answer, size_t answerlen);
/* Admin: a failed message queued again with its attempts reset (audited). */
enum err outbox_retry(struct db *db, const struct actor *actor, int64_t id, struct errinfo *ei);

#endif
