/* SPDX-License-Identifier: MIT */
/* See scim.h. */
#include "domain/scim.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/people.h"
#include "domain/webhooks.h"
#include "store/accounts.h"
#include "store/people.h"
#include "store/scim.h"
#include "util/jsonx.h"
#include "util/timeutil.h"

#define REASON "SCIM provisioning"

static enum err fail(struct errinfo *ei, enum err e, const char *scim_type, const char *msg)
{
    ei->code = scim_type;
    return err_set(ei, e, "%s", msg);
}

enum err scim_token_create(struct db *db, struct arena *a, int64_t actor_id, const char *name,
                           int64_t *id, const char **token, struct errinfo *ei)
{
    unsigned char raw[32];
    char b64[64], th[65], now[21];
    const char *problem = accounts_token_name_problem(name);
    json_t *after;
    enum err rc;

    if (problem) {
        err_field(ei, "name", "%s", problem);
        return err_fields_result(ei);
    }
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    *token = arena_printf(a, "trscim_%s", b64);
    sodium_memzero(b64, sizeof(b64));
    accounts_token_hash(*token, th);
    time_rfc3339(time_now(), now);
    rc = db_begin(db);
    if (rc)
        return err_set(ei, rc, "cannot store the token");
    rc = store_scim_tokens_insert(db, th, name, actor_id, now, id);
    if (rc == ERR_OK) {
        /* the audit row names the token, never its secret or hash */
        after = json_pack("{s:I, s:s}", "scim_token_id", (json_int_t)*id, "name", name);
        rc = audit_record(db, actor_id, "scim.token.create", "scim_token", *id, NULL, after);
        json_decref(after);
    }
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot store the token") : ERR_OK;
}

enum err scim_token_revoke(struct db *db, int64_t actor_id, int64_t id, struct errinfo *ei)
{
    json_t *before = NULL;
    char now[21];
    enum err rc = db_begin(db);

    if (rc)
        return err_set(ei, rc, "cannot revoke the token");
    rc = store_scim_tokens_get_one(db, id, &before);
    if (rc == ERR_NOT_FOUND) {
        db_rollback(db);
        return err_set(ei, rc, "no such SCIM token");
    }
    if (rc == ERR_OK && json_is_null(json_object_get(before, "revoked_at"))) {
        time_rfc3339(time_now(), now);
        rc = store_scim_tokens_revoke(db, id, now);
        if (rc == ERR_OK) {
            json_t *after = json_pack("{s:s}", "revoked_at", now);

            rc = audit_record(db, actor_id, "scim.token.revoke", "scim_token", id, before, after);
            json_decref(after);
        }
    }
    json_decref(before);
    rc = db_end(db, rc);
    return rc ? err_set(ei, rc, "cannot revoke the token") : ERR_OK;
}

enum err scim_authenticate(struct db *db, struct arena *a, const char *token, struct actor *actor)
{
    char th[65], now[21], stale[21];
    const char *last = NULL;
    int64_t id = 0, when = time_now();

    if (strncmp(token, "trscim_", 7) != 0)
        return ERR_UNAUTHENTICATED;
    accounts_token_hash(token, th);
    if (store_scim_tokens_get(db, a, th, &id, &last) != ERR_OK)
        return ERR_UNAUTHENTICATED;
    time_rfc3339(when, now);
    time_rfc3339(when - 60, stale);
    if (!last || strcmp(last, stale) < 0)
        store_scim_tokens_touch(db, id, now, stale);
    memset(actor, 0, sizeof(*actor));
    actor->scim_token_id = id;
    return ERR_OK;
}

/* --- Users ---------------------------------------------------------------------------------- */

static char *lower_dup(struct arena *a, const char *s)
{
    char *d = s ? arena_strdup(a, s) : NULL;

    people_lower(d);
    return d;
}

static bool blank(const char *s)
{
    while (s && (*s == ' ' || *s == '\t'))
        s++;
    return !s || !*s;
}

/* The person's name from what was sent and what is kept: formatted, else the given and family
 * names, else the display name; NULL when nothing says. */
static const char *compose_name(struct arena *a, const struct scim_user_in *in, const char *given,
                                const char *family)
{
    if (in->has_formatted && !blank(in->formatted))
        return in->formatted;
    if (!blank(given) && !blank(family))
        return arena_printf(a, "%s %s", given, family);
    if (!blank(given) || !blank(family))
        return blank(given) ? family : given;
    if (in->has_display && !blank(in->display))
        return in->display;
    return NULL;
}

/* The person a manager value names: an id, an externalId, an employeeNumber or a userName. */
static enum err resolve_ref(struct db *db, struct arena *a, const char *ref, int64_t *id)
{
    struct person p;
    enum err rc;
    char *end;
    long long v;

    *id = 0;
    v = strtoll(ref, &end, 10);
    if (*ref && !*end && v > 0 && store_people_get(db, a, (int64_t)v, &p) == ERR_OK &&
        strcmp(p.status, "terminated") != 0) {
        *id = p.id;
        return ERR_OK;
    }
    rc = store_scim_find_external_id(db, ref, id);
    if (rc || *id)
        return rc;
    rc = store_people_by_employee_id(db, a, ref, &p);
    if (rc == ERR_OK) {
        *id = p.id;
        return ERR_OK;
    }
    if (rc != ERR_NOT_FOUND)
        return rc;
    return store_scim_find_user_name(db, lower_dup(a, ref), id);
}

static void check_in(const struct scim_user_in *in, struct errinfo *ei)
{
    if (in->has_user_name)
        people_check_text(in->user_name, 254, "userName", ei);
    if (in->has_external_id)
        people_check_text(in->external_id, 200, "externalId", ei);
    if (in->has_given)
        people_check_text(in->given, 200, "name.givenName", ei);
    if (in->has_family)
        people_check_text(in->family, 200, "name.familyName", ei);
    if (in->has_formatted)
        people_check_text(in->formatted, 200, "name.formatted", ei);
    if (in->has_display)
        people_check_text(in->display, 200, "displayName", ei);
    if (in->has_title)
        people_check_text(in->title, 200, "title", ei);
    if (in->has_employee_number)
        people_check_text(in->employee_number, 100, "employeeNumber", ei);
    if (in->has_department)
        people_check_text(in->department, 200, "department", ei);
    if (in->has_manager)
        people_check_text(in->manager, 254, "manager", ei);
    if (in->has_email && in->email)
        people_check_email(in->email, "emails", ei);
}

static enum err scim_audit(struct db *db, const struct actor *actor, const char *action, int64_t id,
                           const struct scim_user_row *before, const struct scim_user_row *after)
{
    json_t *b = NULL, *f;
    enum err rc;

    if (before && before->user_name)
        b = json_pack("{s:s, s:o, s:o}", "userName", before->user_name, "externalId",
                      jsonx_str_or_null(before->external_id), "manager_ref",
                      jsonx_str_or_null(before->manager_ref));
    f = json_pack("{s:I, s:o, s:o, s:o}", "scim_token_id", (json_int_t)actor->scim_token_id,
                  "userName", jsonx_str_or_null(after ? after->user_name : NULL), "externalId",
                  jsonx_str_or_null(after ? after->external_id : NULL), "manager_ref",
                  jsonx_str_or_null(after ? after->manager_ref : NULL));
    rc = audit_record(db, 0, action, "person", id, b, f);
    json_decref(b);
    json_decref(f);
    return rc;
}

/* Ends what a termination ends: every session and API token of the person. */
static enum err end_access(struct db *db, int64_t id)
{
    char now[21];
    int64_t tokens = 0;
    enum err rc;

    time_rfc3339(time_now(), now);
    rc = store_sessions_delete_person(db, id);
    if (rc == ERR_OK)
        rc = store_tokens_count_live(db, id, &tokens);
    if (rc == ERR_OK)
        rc = store_tokens_revoke_person(db, id, now);
    if (rc == ERR_OK) {
        json_t *after =
            json_pack("{s:b, s:I}", "sessions_ended", 1, "tokens_revoked", (json_int_t)tokens);

        rc = audit_record(db, 0, "scim.user.access_ended", "person", id, NULL, after);
        json_decref(after);
    }
    return rc;
}

/* Gives the people whose pending manager reference names person id that manager. */
static enum err resolve_pending(struct db *db, struct arena *a, int64_t id)
{
    struct person p;
    struct scim_user_row u;
    const char *keys[5];
    size_t nkeys = 0;
    enum err rc = store_people_get(db, a, id, &p);

    if (rc)
        return rc;
    rc = store_scim_user_get(db, a, id, &u);
    if (rc)
        return rc;
    keys[nkeys++] = arena_printf(a, "%lld", (long long)id);
    if (u.external_id)
        keys[nkeys++] = u.external_id;
    if (p.employee_id)
        keys[nkeys++] = p.employee_id;
    if (u.user_name)
        keys[nkeys++] = u.user_name;
    keys[nkeys++] = p.email;
    for (size_t k = 0; k < nkeys && rc == ERR_OK; k++) {
        int64_t *ids;
        size_t n;

        rc = store_scim_pending(db, a, keys[k], &ids, &n);
        for (size_t i = 0; i < n && rc == ERR_OK; i++) {
            struct scim_user_row r;
            struct person_patch patch = {0};
            struct errinfo inner = {0};

            if (ids[i] == id || people_would_cycle(db, ids[i], id))
                continue; /* stays pending: the reference cannot be honoured as it stands */
            patch.has_manager = true;
            patch.manager_id = id;
            patch.reason = REASON ": the manager arrived";
            rc = people_update(db, a, 0, ids[i], &patch, &inner);
            if (rc == ERR_OK)
                rc = store_scim_user_get(db, a, ids[i], &r);
            if (rc == ERR_OK) {
                struct scim_user_row before = r;
                char now[21];

                r.manager_ref = NULL;
                time_rfc3339(time_now(), now);
                rc = store_scim_user_put(db, &r, now);
                if (rc == ERR_OK) {
                    struct actor none = {0};

                    rc = scim_audit(db, &none, "scim.user.manager_resolved", ids[i], &before, &r);
                }
            }
        }
    }
    return rc;
}

/* The email a request gives, else the userName when it is an address. */
static const char *email_of(struct arena *a, const struct scim_user_in *in)
{
    if (in->has_email && in->email)
        return lower_dup(a, in->email);
    return NULL;
}

static enum err apply(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                      bool created, const struct scim_user_in *in, struct errinfo *ei)
{
    struct person before;
    struct scim_user_row u, old;
    struct person_patch patch = {0};
    const char *given, *family, *name;
    char now[21];
    enum err rc;

    rc = store_people_get_for_update(db, a, id, &before);
    if (rc == ERR_OK)
        rc = store_scim_user_get(db, a, id, &u);
    if (rc)
        return err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such User" : "cannot read the User");
    old = u;
    u.person_id = id;
    if (in->has_user_name) {
        int64_t other = 0;

        u.user_name = lower_dup(a, in->user_name);
        rc = store_scim_find_user_name(db, u.user_name, &other);
        if (rc)
            return err_set(ei, rc, "cannot read the User");
        if (other && other != id)
            return fail(ei, ERR_CONFLICT, "uniqueness", "another User has this userName");
    }
    if (!u.user_name)
        u.user_name = before.email;
    if (in->has_external_id)
        u.external_id = in->external_id;
    given = in->has_given ? in->given : u.given_name;
    family = in->has_family ? in->family : u.family_name;
    u.given_name = given;
    u.family_name = family;
    if (in->has_given || in->has_family || in->has_formatted || in->has_display) {
        name = compose_name(a, in, given, family);
        if (name && strcmp(name, before.name) != 0) {
            patch.has_name = true;
            patch.name = name;
        }
    }
    {
        const char *email = email_of(a, in);

        if (!email && in->has_user_name && !created && strchr(u.user_name, '@') &&
            strcmp(before.email, old.user_name ? old.user_name : before.email) == 0)
            email = u.user_name; /* the address followed the userName until now: it still does */
        if (email && strcmp(email, before.email) != 0) {
            patch.has_email = true;
            patch.email = email;
        }
    }
    if (in->has_title &&
        !(before.title ? in->title && strcmp(in->title, before.title) == 0 : !in->title)) {
        patch.has_title = true;
        patch.title = in->title;
    }
    if (in->has_active) {
        const char *status = in->active ? "active" : "inactive";

        if (strcmp(status, before.status) != 0) {
            patch.has_status = true;
            patch.status = status;
        }
    }
    time_rfc3339(time_now(), now);
    if (in->has_department) {
        int64_t dept = 0;

        if (!blank(in->department)) {
            rc = store_departments_ensure(db, in->department, now, &dept);
            if (rc)
                return err_set(ei, rc, "cannot store the department");
        }
        if (dept != before.department_id) {
            patch.has_department = true;
            patch.department_id = dept;
        }
    }
    if (in->has_manager) {
        int64_t mgr = 0;

        u.manager_ref = NULL;
        if (!blank(in->manager)) {
            rc = resolve_ref(db, a, in->manager, &mgr);
            if (rc)
                return err_set(ei, rc, "cannot read the manager");
            if (!mgr) /* kept until that manager is provisioned (addresses compare lower-cased) */
                u.manager_ref = strchr(in->manager, '@') ? lower_dup(a, in->manager) : in->manager;
            else if (mgr == id || people_would_cycle(db, id, mgr))
                return fail(ei, ERR_VALIDATION, "invalidValue",
                            "the manager would make a reporting cycle");
        }
        if (mgr && mgr != before.manager_id) {
            patch.has_manager = true;
            patch.manager_id = mgr;
        } else if (!mgr && !u.manager_ref && before.manager_id) {
            patch.has_manager = true;
            patch.manager_id = 0;
        }
    }
    patch.reason = REASON;
    if (patch.has_name || patch.has_email || patch.has_title || patch.has_status ||
        patch.has_department || patch.has_manager) {
        rc = people_update(db, a, 0, id, &patch, ei);
        if (rc) {
            if (rc == ERR_CONFLICT || ei->nfields)
                ei->code = rc == ERR_CONFLICT || strcmp(ei->fields[0].field, "email") == 0
                               ? "uniqueness"
                               : "invalidValue";
            return rc;
        }
    }
    if (in->has_employee_number) {
        struct person p;
        const char *num = blank(in->employee_number) ? NULL : in->employee_number;

        rc = store_people_get(db, a, id, &p);
        if (rc == ERR_OK && !(p.employee_id ? num && strcmp(num, p.employee_id) == 0 : !num)) {
            struct person prev = p;

            p.employee_id = num;
            rc = store_people_update(db, &p, now);
            if (rc == ERR_CONFLICT)
                return fail(ei, rc, "uniqueness", "another person has this employeeNumber");
            if (rc == ERR_OK) {
                json_t *b = people_snapshot(&prev), *f = people_snapshot(&p);

                rc = audit_record(db, 0, "person.update", "person", id, b, f);
                json_decref(b);
                json_decref(f);
                if (rc == ERR_OK)
                    rc = webhooks_person_changed(db, &prev, &p);
            }
        }
        if (rc)
            return err_set(ei, rc, "cannot store the employeeNumber");
    }
    rc = store_scim_user_put(db, &u, now);
    if (rc == ERR_CONFLICT)
        return fail(ei, rc, "uniqueness", "another User has this userName");
    if (rc == ERR_OK)
        rc = scim_audit(db, actor, created ? "scim.user.create" : "scim.user.update", id, &old, &u);
    if (rc == ERR_OK && patch.has_status && !in->active)
        rc = end_access(db, id);
    if (rc == ERR_OK)
        rc = resolve_pending(db, a, id);
    if (rc)
        err_set(ei, rc, "cannot store the User");
    return rc;
}

enum err scim_user_create(struct db *db, struct arena *a, const struct actor *actor,
                          const struct scim_user_in *in, int64_t *id, struct errinfo *ei)
{
    struct scim_user_in first = *in;
    struct person p = {0};
    int64_t existing = 0;
    char now[21], today[11];
    const char *email;
    enum err rc;

    check_in(in, ei);
    if (!in->has_user_name || blank(in->user_name))
        err_field(ei, "userName", "is required");
    email = email_of(a, in);
    if (!email && in->has_user_name && in->user_name)
        email = lower_dup(a, in->user_name);
    if (!ei->nfields)
        people_check_email(email, in->has_email && in->email ? "emails" : "userName", ei);
    rc = err_fields_result(ei);
    if (rc) {
        ei->code = "invalidValue";
        return rc;
    }
    rc = db_begin(db);
    if (rc)
        return err_set(ei, rc, "cannot start a transaction");
    rc = store_scim_find_user_name(db, lower_dup(a, in->user_name), &existing);
    if (rc == ERR_OK && !existing)
        rc = store_scim_find_user_name(db, email, &existing);
    if (rc == ERR_OK && existing) {
        struct person e;

        rc = store_people_get(db, a, existing, &e);
        if (rc == ERR_OK && strcmp(e.status, "terminated") != 0) {
            rc = fail(ei, ERR_CONFLICT, "uniqueness", "a User with this userName already exists");
            goto out;
        }
        /* a person who left and is provisioned again: the same person, rehired */
        if (rc == ERR_OK) {
            *id = existing;
            if (!first.has_active) {
                first.has_active = true;
                first.active = true;
            }
            rc = apply(db, a, actor, existing, false, &first, ei);
            goto out;
        }
    }
    if (rc) {
        err_set(ei, rc, "cannot read the directory");
        goto out;
    }
    time_rfc3339(time_now(), now);
    time_date(time_now(), today);
    p.email = email;
    p.name = compose_name(a, in, in->given, in->family);
    if (!p.name)
        p.name = in->user_name;
    p.sort_name = lower_dup(a, p.name);
    p.status = !in->has_active || in->active ? "active" : "inactive";
    rc = store_people_insert(db, &p, now);
    if (rc == ERR_OK) {
        struct role_change h = {0};

        *id = p.id;
        h.person_id = p.id;
        h.effective_date = today;
        h.kind = "hire";
        h.status = p.status;
        h.reason = REASON;
        h.recorded_at = now;
        rc = store_people_add_role_change(db, &h);
    }
    if (rc == ERR_OK) {
        json_t *f = people_snapshot(&p);

        rc = audit_record(db, 0, "person.create", "person", p.id, NULL, f);
        json_decref(f);
    }
    if (rc == ERR_OK)
        rc = webhooks_person_changed(db, NULL, &p);
    if (rc == ERR_OK) {
        struct account acc;

        /* an account without a password: the person signs in once an admin sets one (or SSO) */
        rc = store_accounts_get(db, a, p.id, &acc);
        if (rc == ERR_NOT_FOUND)
            rc = store_accounts_upsert(db, p.id, "employee", NULL, now);
    }
    if (rc) {
        if (rc == ERR_CONFLICT)
            fail(ei, rc, "uniqueness", "a person with this email already exists");
        else
            err_set(ei, rc, "cannot store the User");
        goto out;
    }
    /* the rest (title, department, manager, employeeNumber, the SCIM row) as an update of the
     * new person, so creation and change follow the same rules */
    first.has_email = false;
    first.has_active = false;
    rc = apply(db, a, actor, p.id, true, &first, ei);
out:
    return db_end(db, rc);
}

enum err scim_user_update(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                          const struct scim_user_in *in, struct errinfo *ei)
{
    struct person p;
    enum err rc;

    check_in(in, ei);
    if (in->has_user_name && blank(in->user_name))
        err_field(ei, "userName", "is required");
    rc = err_fields_result(ei);
    if (rc) {
        ei->code = "invalidValue";
        return rc;
    }
    rc = db_begin(db);
    if (rc)
        return err_set(ei, rc, "cannot start a transaction");
    rc = store_people_get(db, a, id, &p);
    if (rc == ERR_OK && strcmp(p.status, "terminated") == 0)
        rc = ERR_NOT_FOUND;
    if (rc)
        err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such User" : "cannot read the User");
    else
        rc = apply(db, a, actor, id, false, in, ei);
    return db_end(db, rc);
}

enum err scim_user_delete(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                          struct errinfo *ei)
{
    struct person p;
    struct person_patch patch = {0};
    struct scim_user_row u;
    enum err rc = db_begin(db);

    if (rc)
        return err_set(ei, rc, "cannot start a transaction");
    rc = store_people_get_for_update(db, a, id, &p);
    if (rc == ERR_OK && strcmp(p.status, "terminated") == 0)
        rc = ERR_NOT_FOUND;
    if (rc) {
        err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such User" : "cannot read the User");
        return db_end(db, rc);
    }
    patch.has_status = true;
    patch.status = "terminated";
    patch.reason = REASON ": deleted in the identity provider";
    rc = people_update(db, a, 0, id, &patch, ei);
    if (rc == ERR_OK)
        rc = end_access(db, id);
    if (rc == ERR_OK)
        rc = store_scim_user_get(db, a, id, &u);
    if (rc == ERR_OK)
        rc = scim_audit(db, actor, "scim.user.delete", id, &u, &u);
    if (rc && !ei->message[0])
        err_set(ei, rc, "cannot delete the User");
    return db_end(db, rc);
}

/* --- Groups --------------------------------------------------------------------------------- */

enum err scim_group_create(struct db *db, const struct actor *actor, const char *name, int64_t *id,
                           struct errinfo *ei)
{
    char now[21];
    int64_t existing = 0;
    enum err rc;

    people_check_name(name, "displayName", ei);
    rc = err_fields_result(ei);
    if (rc) {
        ei->code = "invalidValue";
        return rc;
    }
    rc = db_begin(db);
    if (rc)
        return err_set(ei, rc, "cannot start a transaction");
    rc = store_scim_department_by_name(db, name, &existing);
    if (rc == ERR_OK && existing)
        rc = fail(ei, ERR_CONFLICT, "uniqueness", "a Group with this displayName already exists");
    if (rc == ERR_OK) {
        time_rfc3339(time_now(), now);
        rc = store_departments_ensure(db, name, now, id);
    }
    if (rc == ERR_OK) {
        json_t *f = json_pack("{s:s, s:I}", "name", name, "scim_token_id",
                              (json_int_t)actor->scim_token_id);

        rc = audit_record(db, 0, "department.create", "department", *id, NULL, f);
        json_decref(f);
    }
    if (rc && !ei->message[0])
        err_set(ei, rc, "cannot store the Group");
    return db_end(db, rc);
}

static enum err move(struct db *db, struct arena *a, int64_t person, int64_t dept,
                     struct errinfo *ei)
{
    struct person p;
    struct person_patch patch = {0};
    enum err rc = store_people_get(db, a, person, &p);

    if (rc == ERR_NOT_FOUND)
        return fail(ei, ERR_VALIDATION, "invalidValue", "a member is no User");
    if (rc || p.department_id == dept)
        return rc;
    patch.has_department = true;
    patch.department_id = dept;
    patch.reason = REASON;
    return people_update(db, a, 0, person, &patch, ei);
}

enum err scim_group_update(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                           const char *name, const int64_t *add, size_t nadd, const int64_t *remove,
                           size_t nremove, bool replace, struct errinfo *ei)
{
    struct department d;
    enum err rc;

    if (name) {
        people_check_name(name, "displayName", ei);
        rc = err_fields_result(ei);
        if (rc) {
            ei->code = "invalidValue";
            return rc;
        }
    }
    rc = db_begin(db);
    if (rc)
        return err_set(ei, rc, "cannot start a transaction");
    rc = store_departments_get(db, a, id, &d);
    if (rc) {
        err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such Group" : "cannot read the Group");
        return db_end(db, rc);
    }
    if (name && strcmp(name, d.name) != 0) {
        rc = store_scim_department_rename(db, id, name);
        if (rc == ERR_CONFLICT)
            fail(ei, rc, "uniqueness", "a Group with this displayName already exists");
        if (rc == ERR_OK) {
            json_t *b = json_pack("{s:s}", "name", d.name), *f = json_pack("{s:s}", "name", name);

            rc = audit_record(db, 0, "department.update", "department", id, b, f);
            json_decref(b);
            json_decref(f);
        }
    }
    if (rc == ERR_OK && replace) {
        json_t *members = NULL;

        rc = store_scim_department_members(db, id, &members);
        for (size_t i = 0; rc == ERR_OK && i < json_array_size(members); i++) {
            const char *v = json_string_value(json_object_get(json_array_get(members, i), "value"));
            int64_t pid = v ? strtoll(v, NULL, 10) : 0;
            bool keep = false;

            for (size_t k = 0; k < nadd; k++)
                keep = keep || add[k] == pid;
            if (!keep)
                rc = move(db, a, pid, 0, ei);
        }
        json_decref(members);
    }
    for (size_t i = 0; rc == ERR_OK && i < nadd; i++)
        rc = move(db, a, add[i], id, ei);
    for (size_t i = 0; rc == ERR_OK && i < nremove; i++) {
        struct person p;

        rc = store_people_get(db, a, remove[i], &p);
        if (rc == ERR_NOT_FOUND)
            rc = ERR_OK; /* not a member: nothing to remove */
        else if (rc == ERR_OK && p.department_id == id)
            rc = move(db, a, remove[i], 0, ei);
    }
    if (rc == ERR_OK) {
        json_t *f = json_pack("{s:I, s:I, s:I}", "scim_token_id", (json_int_t)actor->scim_token_id,
                              "added", (json_int_t)nadd, "removed", (json_int_t)nremove);

        rc = audit_record(db, 0, "scim.group.update", "department", id, NULL, f);
        json_decref(f);
    }
    if (rc && !ei->message[0])
        err_set(ei, rc, "cannot store the Group");
    return db_end(db, rc);
}
