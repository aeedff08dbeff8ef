/* SPDX-License-Identifier: MIT */
/* The settings an admin changes in the web UI, read at each use so that a change applies at
 * once on every server of one database: the organisation's name, the company values praise is
 * given for (none: any words), and the anonymity threshold a new review cycle starts with. */
#ifndef TRELLIS_DOMAIN_SETTINGS_H
#define TRELLIS_DOMAIN_SETTINGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"
#include "store/oneonones.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

#define SETTINGS_THRESHOLD_DEFAULT 3

/* {organisation_name, company_values: [..], anonymity_threshold, logo (its version or null),
 * reminders: {rules: {..}, no_one_on_one_weeks, goal_stale_days, review_deadline_days, hour_utc}}
 * as they are now (new). */
json_t *settings_json(struct db *db, struct arena *a);
/* The organisation's name, or "" when none is set. */
const char *settings_org_name(struct db *db, struct arena *a);
/* The threshold a new review cycle starts with. */
int64_t settings_threshold(struct db *db, struct arena *a);
/* The same, or ERR_INTERNAL when the setting cannot be read (a write that stores it must not
 * take the default for a failed read). */
enum err settings_threshold_read(struct db *db, struct arena *a, int64_t *out);
/* Whether praise may carry value: any value when no list is set, else one of the list. */
bool settings_value_allowed(struct db *db, struct arena *a, const char *value);
/* Admins: changes the settings body names (others stay; in reminders, only the members sent),
 * in one transaction, audited with before and after; field errors change nothing. *out as
 * settings_json. */
enum err settings_patch(struct db *db, struct arena *a, const struct actor *actor, json_t *body,
                        json_t **out, struct errinfo *ei);

/* --- the organisation's logo: a PNG, JPEG or WebP image of at most SETTINGS_LOGO_MAX bytes ---- */
#define SETTINGS_LOGO_MAX (256 * 1024)
/* The logo's bytes (in a) with its content type and version (a hash prefix), or false. */
bool settings_logo(struct db *db, struct arena *a, const char **type, const void **bytes,
                   size_t *len, const char **version);
/* The version of the logo (changes with the image), or NULL when none is set. */
const char *settings_logo_version(struct db *db, struct arena *a);
/* Admins: stores the image (its type read from its first bytes, which must agree with the
 * declared type when one is given), or removes it when bytes is NULL; audited before and after
 * as {type, bytes, version}. */
enum err settings_logo_put(struct db *db, struct arena *a, const struct actor *actor,
                           const char *declared, const void *bytes, size_t len, struct errinfo *ei);

/* --- reminders: which rules the scheduler runs, their thresholds and the hour they run ------ */
struct reminder_settings {
    bool on[REMIND_RULES]; /* by enum remind_rule */
    int weeks;             /* no one-on-one with a report for this many weeks (2-26, default 6) */
    int stale_days;        /* a goal without a check-in for this many days (7-180, default 30) */
    int deadline_days;     /* a review due within this many days (1-14, default 1) */
    int hour_utc;          /* the hour (UTC) the rules run, -1: every pass */
};
/* The reminder settings as they are now (defaults for whatever was never set). */
void settings_reminders(struct db *db, struct arena *a, struct reminder_settings *out);

/* --- email: the SMTP server an admin sets, over the server's configuration ---------------- */
struct mail_config;
/* base with every email setting an admin stored put over it (the password opened), in out;
 * strings live in a. */
void settings_mail(struct db *db, struct arena *a, const struct mail_config *base,
                   struct mail_config *out);
/* Admins: {smtp_url, smtp_from, smtp_user, smtp_starttls (each the stored value or null),
 * smtp_password_set, config: {the same from base}}. Never a password. */
enum err settings_email_get(struct db *db, struct arena *a, const struct actor *actor,
                            const struct mail_config *base, json_t **out, struct errinfo *ei);
/* Admins: stores the fields body names (a string sets one, null removes it so the server's
 * configuration applies; smtp_password is write-only), in one transaction, audited before and
 * after without the password; field errors change nothing. *out as settings_email_get. */
enum err settings_email_patch(struct db *db, struct arena *a, const struct actor *actor,
                              const struct mail_config *base, json_t *body, json_t **out,
                              struct errinfo *ei);

#endif
