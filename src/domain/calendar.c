/* SPDX-License-Identifier: MIT */
/* See calendar.h. Times are written in the series' zone (TZID with its VTIMEZONE), so calendar
 * applications keep a 09:00 meeting at 09:00 across daylight-saving changes. */
#include "domain/calendar.h"

#include <libical/ical.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "domain/accounts.h"
#include "domain/audit.h"
#include "policy/policy.h"
#include "store/oneonones.h"
#include "util/timeutil.h"
#include "util/tz.h"
#include "util/xalloc.h"

static const char *const byday[] = {"", "MO", "TU", "WE", "TH", "FR", "SA", "SU"};

/* "2026-03-29T09:30" or a date and "HH:MM" as a floating local time. */
static struct icaltimetype local_time(const char *date, const char *hhmm)
{
    struct icaltimetype t = icaltime_null_time();
    int y = 0, mo = 0, d = 0, h = 0, mi = 0;

    sscanf(date, "%4d-%2d-%2d", &y, &mo, &d);
    sscanf(hhmm, "%2d:%2d", &h, &mi);
    t.year = y;
    t.month = mo;
    t.day = d;
    t.hour = h;
    t.minute = mi;
    return t;
}

static icalproperty *with_tz(icalproperty *p, const char *tzid)
{
    icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
    return p;
}

static void add_common(icalcomponent *ev, const struct series *s, const char *uid,
                       struct icaltimetype stamp)
{
    char summary[300];

    snprintf(summary, sizeof(summary), "%s: %s / %s",
             s->kind && strcmp(s->kind, "career") == 0 ? "Career conversation" : "One-on-one",
             s->lead_name, s->member_name);
    icalcomponent_add_property(ev, icalproperty_new_uid(uid));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
    icalcomponent_add_property(ev, icalproperty_new_summary(summary));
    icalcomponent_add_property(
        ev, icalproperty_new_duration(icaldurationtype_from_int((int)s->duration_minutes * 60)));
}

/* The zone's VTIMEZONE from last year on (older history only burdens clients), named by its
 * plain IANA name as the TZID parameters are. */
static icalcomponent *zone_component(const char *tzid)
{
    icaltimezone *z = strcmp(tzid, "UTC") == 0 || strcmp(tzid, "Etc/UTC") == 0
                          ? NULL
                          : icaltimezone_get_builtin_timezone(tzid);
    icalcomponent *c = z ? icaltimezone_get_component(z) : NULL, *copy;
    icalproperty *id;
    struct icaltimetype from =
        icaltime_from_timet_with_zone((time_t)time_now(), 0, icaltimezone_get_utc_timezone());

    if (!c)
        return NULL;
    copy = icalcomponent_new_clone(c);
    from.year -= 1;
    from.month = 1;
    from.day = 1;
    from.hour = from.minute = from.second = 0;
    icaltimezone_truncate_vtimezone(copy, from, icaltime_null_time(), 0);
    id = icalcomponent_get_first_property(copy, ICAL_TZID_PROPERTY);
    if (id)
        icalproperty_set_tzid(id, tzid);
    return copy;
}

char *calendar_feed(struct db *db, struct arena *a, int64_t person)
{
    struct series *v;
    size_t n;
    icalcomponent *cal;
    struct icaltimetype stamp =
        icaltime_from_timet_with_zone((time_t)time_now(), 0, icaltimezone_get_utc_timezone());
    char *text, *out;
    const char *zones[64];
    size_t nz = 0;

    if (store_series_for(db, a, person, &v, &n) != ERR_OK)
        return NULL;
    cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
                              icalproperty_new_prodid("-//Trellis//One-on-ones//EN"),
                              icalproperty_new_calscale("GREGORIAN"), (void *)0);
    icalcomponent_add_property(cal, icalproperty_new_x("Trellis one-on-ones"));
    icalproperty_set_x_name(icalcomponent_get_first_property(cal, ICAL_X_PROPERTY), "X-WR-CALNAME");
    for (size_t i = 0; i < n; i++) {
        struct meeting *ex;
        size_t nex;
        struct icalrecurrencetype rr;
        icalcomponent *ev;
        char uid[96], rule[96];
        bool known = false;

        if (strcmp(v[i].status, "active") != 0)
            continue;
        for (size_t k = 0; k < nz; k++)
            known = known || strcmp(zones[k], v[i].timezone) == 0;
        if (!known && nz < 64) {
            icalcomponent *zc = zone_component(v[i].timezone);

            zones[nz++] = v[i].timezone;
            if (zc)
                icalcomponent_add_component(cal, zc);
        }
        snprintf(uid, sizeof(uid), "oneonone-series-%lld@trellis", (long long)v[i].id);
        ev = icalcomponent_new_vevent();
        add_common(ev, &v[i], uid, stamp);
        icalcomponent_add_property(
            ev, with_tz(icalproperty_new_dtstart(local_time(v[i].first_date, v[i].start_time)),
                        v[i].timezone));
        snprintf(rule, sizeof(rule), "FREQ=WEEKLY;INTERVAL=%lld;BYDAY=%s",
                 (long long)v[i].cadence_weeks,
                 byday[v[i].weekday >= 1 && v[i].weekday <= 7 ? v[i].weekday : 1]);
        rr = icalrecurrencetype_from_string(rule);
        icalcomponent_add_property(ev, icalproperty_new_rrule(rr));
        if (store_meetings_exceptions(db, a, v[i].id, &ex, &nex) != ERR_OK)
            nex = 0;
        for (size_t k = 0; k < nex; k++)
            if (strcmp(ex[k].status, "skipped") == 0)
                icalcomponent_add_property(ev, with_tz(icalproperty_new_exdate(local_time(
                                                           ex[k].occurrence_date, v[i].start_time)),
                                                       v[i].timezone));
        icalcomponent_add_component(cal, ev);
        /* a moved meeting: the same UID, the original start as RECURRENCE-ID, the new start */
        for (size_t k = 0; k < nex; k++) {
            icalcomponent *mv;

            if (!ex[k].moved || strcmp(ex[k].status, "skipped") == 0)
                continue;
            mv = icalcomponent_new_vevent();
            add_common(mv, &v[i], uid, stamp);
            icalcomponent_add_property(mv, with_tz(icalproperty_new_recurrenceid(local_time(
                                                       ex[k].occurrence_date, v[i].start_time)),
                                                   v[i].timezone));
            icalcomponent_add_property(mv, with_tz(icalproperty_new_dtstart(local_time(
                                                       ex[k].local_start, ex[k].local_start + 11)),
                                                   v[i].timezone));
            icalcomponent_add_component(cal, mv);
        }
    }
    text = icalcomponent_as_ical_string_r(cal);
    out = text ? xstrdup(text) : NULL;
    icalmemory_free_buffer(text);
    icalcomponent_free(cal);
    return out;
}

/* {"feed_created_at": when} of person's feed, or NULL when there is none; *rc on failure. */
static json_t *feed_image(struct db *db, int64_t person, enum err *rc)
{
    char at[21];

    *rc = store_calendar_created(db, person, at);
    if (*rc == ERR_NOT_FOUND) {
        *rc = ERR_OK;
        return NULL;
    }
    return *rc ? NULL : json_pack("{s:s}", "feed_created_at", at);
}

static enum err feed_write(struct db *db, const struct actor *actor, const char *hash)
{
    json_t *before = NULL, *after = NULL;
    char now[21];
    enum err rc = db_begin(db);

    time_rfc3339(time_now(), now);
    if (rc == ERR_OK)
        before = feed_image(db, actor->person_id, &rc);
    if (rc == ERR_OK)
        rc = hash ? store_calendar_set(db, actor->person_id, hash, now)
                  : store_calendar_delete(db, actor->person_id);
    if (rc == ERR_OK)
        after = feed_image(db, actor->person_id, &rc);
    if (rc == ERR_OK && (hash || before))
        rc = audit_record(db, actor->person_id,
                          hash ? "calendar_feed.create" : "calendar_feed.revoke", "person",
                          actor->person_id, before, after);
    json_decref(before);
    json_decref(after);
    return db_end(db, rc);
}

enum err calendar_feed_issue(struct db *db, const struct actor *actor, char token[64])
{
    unsigned char raw[24];
    char hash[65];

    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(token, 64, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    accounts_token_hash(token, hash);
    return feed_write(db, actor, hash);
}

enum err calendar_feed_revoke(struct db *db, const struct actor *actor)
{
    return feed_write(db, actor, NULL);
}
