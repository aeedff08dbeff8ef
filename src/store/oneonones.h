/* SPDX-License-Identifier: MIT */
/* SQL for one-on-one series, meetings, talking points, private notes and action items, the
 * email outbox, notifications and calendar feed tokens. */
#ifndef TRELLIS_STORE_ONEONONES_H
#define TRELLIS_STORE_ONEONONES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct series {
    int64_t id, lead_id, member_id, cadence_weeks, weekday, duration_minutes, created_by;
    const char *relation, *start_time, *timezone, *first_date, *status, *created_at;
    const char *kind; /* "regular" or "career" */
    const char *lead_name, *member_name, *lead_email, *member_email;
};

struct meeting {
    int64_t id, series_id, completed_by;
    const char *occurrence_date, *starts_at, *local_start, *status, *skip_reason, *shared_notes,
        *held_at;
    bool moved, career_discussed;
};

struct talking_point {
    int64_t id, meeting_id, author_id;
    const char *section, *body, *status, *created_at, *author_name;
};

struct action_item {
    int64_t id, series_id, meeting_id, owner_id, idp_action_id;
    const char *body, *due_date, *status, *created_at, *done_at, *owner_name;
};

struct outbox_msg {
    int64_t id, entity_id, attempts;
    const char *dedupe_key, *recipient, *subject, *body, *entity, *created_at, *next_attempt_at,
        *sent_at, *last_error, *status, *message_id;
};

/* One claim of the outbox: the lease, its token (only its holder may renew it) and the parts
 * of the Message-ID the row gets at its first claim: <outbox-ID.RANDOM@HOST>. */
struct outbox_claim {
    const char *now, *lease_until, *token, *id_random, *id_host;
};

/* Messages by status, and the creation time of the oldest queued one ("" when none). */
struct outbox_counts {
    int64_t queued, sent, failed;
    char oldest_queued[32];
};

struct notification {
    int64_t id, person_id;
    const char *kind, *body, *link, *created_at, *read_at;
};

enum err store_series_insert(struct db *db, struct series *s);
enum err store_series_get(struct db *db, struct arena *a, int64_t id, struct series *s);
/* Series where person is a side (status active first). */
enum err store_series_for(struct db *db, struct arena *a, int64_t person, struct series **v,
                          size_t *n);
/* An active or paused series of this kind between lead and member exists. */
bool store_series_exists(struct db *db, int64_t lead, int64_t member, const char *kind);
/* Series id, read and locked for the rest of the transaction (FOR UPDATE on PostgreSQL). */
enum err store_series_get_for_update(struct db *db, struct arena *a, int64_t id, struct series *s);
/* Writes the schedule (cadence, weekday, time, zone, first date) and status of s. */
enum err store_series_update(struct db *db, const struct series *s);
/* Puts the series' scheduled meeting on a new occurrence (date, start, local start). */
enum err store_meetings_reschedule(struct db *db, const struct meeting *m);
/* Removes the series' scheduled (not held) meetings: deleted when nothing was written for them,
 * else marked cancelled. Held and skipped meetings are kept. */
enum err store_meetings_remove_scheduled(struct db *db, int64_t series);

enum err store_meetings_insert(struct db *db, struct meeting *m);
enum err store_meetings_get(struct db *db, struct arena *a, int64_t id, struct meeting *m);
/* The same inside a write's transaction, the row locked until it ends (PostgreSQL: FOR UPDATE;
 * SQLite: the transaction's BEGIN IMMEDIATE already serialises writers). */
enum err store_meetings_get_for_update(struct db *db, struct arena *a, int64_t id,
                                       struct meeting *m);
enum err store_meetings_of(struct db *db, struct arena *a, int64_t series, struct meeting **v,
                           size_t *n);
/* The series' meeting still to come (ERR_NOT_FOUND when none). */
enum err store_meetings_next(struct db *db, struct arena *a, int64_t series, struct meeting *m);
/* held_at of the series' last held meeting before occurrence (NULL when none). */
const char *store_meetings_previous_held(struct db *db, struct arena *a, int64_t series,
                                         const char *occurrence);
enum err store_meetings_move(struct db *db, int64_t id, const char *starts_at,
                             const char *local_start);
/* Only a scheduled meeting moves to held or skipped: ERR_CONFLICT otherwise. */
enum err store_meetings_finish(struct db *db, int64_t id, const char *status, const char *reason,
                               bool career, const char *held_at, int64_t by);
enum err store_meetings_set_notes(struct db *db, int64_t id, const char *notes);

enum err store_points_insert(struct db *db, struct talking_point *p);
enum err store_points_get(struct db *db, struct arena *a, int64_t id, struct talking_point *p);
enum err store_points_of(struct db *db, struct arena *a, int64_t meeting, struct talking_point **v,
                         size_t *n);
enum err store_points_set_status(struct db *db, int64_t id, const char *status);
/* Copies the meeting's points marked moved (and, with open_too, those still open) to another
 * meeting. */
enum err store_points_carry(struct db *db, int64_t from, int64_t to, bool open_too,
                            const char *now);

enum err store_private_note_put(struct db *db, int64_t meeting, int64_t author, const char *sealed,
                                const char *now);
/* The sealed note into *sealed, NULL when there is none; ERR_INTERNAL when it cannot be read. */
enum err store_private_note_get(struct db *db, struct arena *a, int64_t meeting, int64_t author,
                                const char **sealed);

enum err store_actions_insert(struct db *db, struct action_item *x);
enum err store_actions_get(struct db *db, struct arena *a, int64_t id, struct action_item *x);
/* The same inside a write's transaction, the row locked until it ends (PostgreSQL). */
enum err store_actions_get_for_update(struct db *db, struct arena *a, int64_t id,
                                      struct action_item *x);
enum err store_actions_update(struct db *db, const struct action_item *x);
/* Open items of the series, and items created in or closed since `meeting`. */
enum err store_actions_for_meeting(struct db *db, struct arena *a, int64_t series, int64_t meeting,
                                   struct action_item **v, size_t *n);

/* Queues a message unless one with the same dedupe key exists (then ERR_OK, nothing added). */
enum err store_outbox_add(struct db *db, const struct outbox_msg *m);
/* Leases the oldest due message until lease_until; ERR_NOT_FOUND when none is due. */
/* Leases the next due queued message (ERR_NOT_FOUND when none): due, and no lease or an
 * expired one; attempts + 1. */
enum err store_outbox_claim(struct db *db, struct arena *a, const struct outbox_claim *c,
                            struct outbox_msg *m);
/* Extends the lease held with token; ERR_NOT_FOUND when it is no longer held with it. */
enum err store_outbox_renew(struct db *db, int64_t id, const char *token, const char *lease_until);
enum err store_outbox_sent(struct db *db, int64_t id, const char *now);
/* A failed attempt: its error, and the next attempt at next, or status failed when give_up. */
enum err store_outbox_failed(struct db *db, int64_t id, const char *next, const char *error,
                             bool give_up);
/* Messages of one status (queued, sent, failed), newest first. */
enum err store_outbox_list(struct db *db, struct arena *a, const char *status, int limit,
                           struct outbox_msg **v, size_t *n);
/* A failed message queued again with its attempts reset; ERR_NOT_FOUND when not failed. */
enum err store_outbox_retry(struct db *db, int64_t id, const char *now);
enum err store_outbox_counts(struct db *db, struct outbox_counts *c);
enum err store_outbox_of(struct db *db, struct arena *a, const char *entity, int64_t id,
                         struct outbox_msg **v, size_t *n);

enum err store_notifications_of(struct db *db, struct arena *a, int64_t person, int limit,
                                struct notification **v, size_t *n);
enum err store_notifications_read(struct db *db, int64_t id, int64_t person, const char *now);
int64_t store_notifications_unread(struct db *db, int64_t person);
/* Marks the person's unread notifications with id <= up_to read (all when up_to is 0). */
enum err store_notifications_read_all(struct db *db, int64_t person, int64_t up_to,
                                      const char *now);
/* The reminder rules, as set-based inserts keyed by dedupe key (each reminder exists once, even
 * with several servers on one database). Each returns how many were new. */
struct remind_clock {
    const char *pass;                      /* a unique name of this pass */
    const char *now, *soon;                /* RFC 3339: now and in 24 hours */
    const char *six_weeks_ago, *month_ago; /* RFC 3339 */
    const char *today;                     /* YYYY-MM-DD */
    const char *week;                      /* a name of the current week, for weekly reminders */
    const char *deadline_until;            /* YYYY-MM-DD: a review due by then is "near" */
    const char *weeks, *stale_days;        /* the two thresholds as text, for the messages */
    unsigned rules;                        /* the rules that run: a bit per enum remind_rule */
    int64_t from, to;                      /* the people reminded: ids in (from, to] */
};
/* The reminder rules, in the order they run (settings_reminders switches each on or off). */
enum remind_rule {
    REMIND_AGENDA_EMPTY,
    REMIND_ACTION_DUE,
    REMIND_NO_ONE_ON_ONE,
    REMIND_REVIEW_OVERDUE,
    REMIND_GOAL_STALE,
    REMIND_REVIEW_DEADLINE,
    REMIND_RULES
};
enum err store_remind(struct db *db, const struct remind_clock *k, int64_t *created);
/* The ranges a reminder pass takes its people in, as their upper ends (ids in (previous end,
 * end], the last one INT64_MAX): each about `batch` in weight, a person weighing one and a
 * manager one more for each report (the not-met rule reminds them of each). */
enum err store_remind_ranges(struct db *db, struct arena *a, int64_t batch, int64_t **ends,
                             size_t *n);

enum err store_calendar_set(struct db *db, int64_t person, const char *token_hash, const char *now);
enum err store_calendar_delete(struct db *db, int64_t person);
/* When person's feed was made (RFC 3339), or ERR_NOT_FOUND when they have none. */
enum err store_calendar_created(struct db *db, int64_t person, char out[21]);
/* The person of a feed token hash (0 when none). */
int64_t store_calendar_person(struct db *db, const char *token_hash);
/* Moved or skipped meetings of a series, for the feed's exceptions. */
enum err store_meetings_exceptions(struct db *db, struct arena *a, int64_t series,
                                   struct meeting **v, size_t *n);

/* The progress of a goal after its last check-in at or before t (-1 when none). */
double store_goal_progress_at(struct db *db, int64_t goal, const char *t);
/* Active people with a manager: (manager, report) pairs with the manager's name. */
/* Cadence health reads three lists of one organisation (root 0: the company), each in index
 * order with no sort: its managers with their active direct reports counted, the manager
 * series between a manager and a current active report, and those series' held meetings since
 * a date. */
struct cadence_manager {
    int64_t id, reports;
    const char *name;
};
struct cadence_series {
    int64_t id, lead_id, member_id;
    int64_t lead_reports; /* the lead's active reports */
    const char *lead_name;
};
struct cadence_meeting {
    int64_t series_id;
    int32_t day; /* days since 1970-01-01 */
    bool career;
};
/* ordered by id */
enum err store_cadence_managers(struct db *db, struct arena *a, int64_t root,
                                struct cadence_manager **v, size_t *n);
/* ordered by lead, member, id; each with its lead's active reports and name */
enum err store_cadence_series(struct db *db, struct arena *a, int64_t root,
                              struct cadence_series **v, size_t *n);
/* The company's managers (people with active direct reports, people.reports_count) and their
 * reports, counted from the managers' index. */
enum err store_cadence_totals(struct db *db, int64_t *managers, int64_t *reports);
/* The first `cap` of the company's managers whose id is not in skip (sorted, nskip), the most
 * reports first, then by id: read from the managers' index as far as needed. */
enum err store_cadence_most_reports(struct db *db, struct arena *a, const int64_t *skip,
                                    size_t nskip, size_t cap, struct cadence_manager **v,
                                    size_t *n);
/* each series' meetings in date order (the series themselves in no set order) */
enum err store_cadence_meetings(struct db *db, struct arena *a, int64_t root, const char *since,
                                struct cadence_meeting **v, size_t *n);

#endif
