/* SPDX-License-Identifier: MIT */
/* See people.h. */
#include "domain/people.h"

#include <string.h>

#include "domain/audit.h"
#include "domain/webhooks.h"
#include "store/accounts.h"
#include "store/admin.h"
#include "util/jsonx.h"
#include "util/timeutil.h"

void people_lower(char *s)
{
    for (; s && *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

void people_check_text(const char *s, size_t max, const char *field, struct errinfo *ei)
{
    if (s && strlen(s) > max)
        err_field(ei, field, "must be at most %zu bytes", max);
    for (const char *c = s; c && *c; c++)
        if ((unsigned char)*c < 0x20 && *c != '\t') {
            err_field(ei, field, "must not contain control characters");
            return;
        }
}

void people_check_name(const char *name, const char *field, struct errinfo *ei)
{
    const char *c = name;

    while (c && (*c == ' ' || *c == '\t'))
        c++;
    if (!c || !*c) {
        err_field(ei, field, "is required");
        return;
    }
    people_check_text(name, 200, field, ei);
}

void people_check_email(const char *email, const char *field, struct errinfo *ei)
{
    const char *at, *dot;

    if (!email || !*email) {
        err_field(ei, field, "is required");
        return;
    }
    at = strchr(email, '@');
    dot = at ? strrchr(at, '.') : NULL;
    if (strlen(email) > 254 || !at || at == email || strchr(at + 1, '@') || !dot || dot == at + 1 ||
        dot[1] == '\0' || strpbrk(email, " \t\r\n,;<>\"()[]\\"))
        err_field(ei, field, "must be an email address");
}

void people_check_status(const char *status, const char *field, struct errinfo *ei)
{
    if (!status || (strcmp(status, "active") != 0 && strcmp(status, "inactive") != 0 &&
                    strcmp(status, "terminated") != 0))
        err_field(ei, field, "must be active, inactive or terminated");
}

void people_check_date(const char *date, const char *field, struct errinfo *ei)
{
    if (date && !time_valid_date(date))
        err_field(ei, field, "must be a date written YYYY-MM-DD");
}

static bool same(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

const char *people_change_kind(const struct person *before, const struct person *after,
                               const char *reason)
{
    bool title = !same(before->title, after->title), level = !same(before->level, after->level);
    bool dept = before->department_id != after->department_id;
    bool mgr = before->manager_id != after->manager_id;
    bool status = !same(before->status, after->status);

    if (!title && !level && !dept && !mgr && !status)
        return NULL;
    if (status)
        return "status_change";
    if (reason && (strstr(reason, "promot") || strstr(reason, "Promot")))
        return "promotion";
    if (level && before->level && after->level && strlen(before->level) == strlen(after->level) &&
        strcmp(after->level, before->level) > 0)
        return "promotion";
    if (dept)
        return "transfer";
    if (level)
        return "level_change";
    if (title)
        return "title_change";
    return "manager_change";
}

json_t *people_snapshot(const struct person *p)
{
    json_t *o = json_object();

    json_object_set_new(o, "employee_id", jsonx_str_or_null(p->employee_id));
    json_object_set_new(o, "name", jsonx_str_or_null(p->name));
    json_object_set_new(o, "email", jsonx_str_or_null(p->email));
    json_object_set_new(o, "title", jsonx_str_or_null(p->title));
    json_object_set_new(o, "department_id",
                        p->department_id ? json_integer(p->department_id) : json_null());
    json_object_set_new(o, "manager_id", p->manager_id ? json_integer(p->manager_id) : json_null());
    json_object_set_new(o, "level", jsonx_str_or_null(p->level));
    json_object_set_new(o, "hire_date", jsonx_str_or_null(p->hire_date));
    json_object_set_new(o, "status", jsonx_str_or_null(p->status));
    return o;
}

bool people_would_cycle(struct db *db, int64_t person_id, int64_t manager_id)
{
    if (!manager_id)
        return false;
    if (manager_id == person_id)
        return true;
    /* a cycle closes when the person already manages the new manager, directly or not */
    return store_people_is_manager_of(db, person_id, manager_id);
}

/* Checks the references of the patched person; adds field problems. */
static enum err check_refs(struct db *db, struct arena *a, const struct person *after,
                           const struct person_patch *patch, struct errinfo *ei)
{
    struct person other;
    struct department d;
    enum err rc;

    if (patch->has_department && after->department_id) {
        rc = store_departments_get(db, a, after->department_id, &d);
        if (rc == ERR_NOT_FOUND)
            err_field(ei, "department_id", "no such department");
        else if (rc)
            return rc;
    }
    if (patch->has_manager && after->manager_id) {
        rc = store_people_get(db, a, after->manager_id, &other);
        if (rc == ERR_NOT_FOUND)
            err_field(ei, "manager_id", "no such person");
        else if (rc)
            return rc;
        else if (people_would_cycle(db, after->id, after->manager_id))
            err_field(ei, "manager_id", "would make a reporting cycle");
    }
    if (patch->has_email) {
        rc = store_people_by_email(db, a, after->email, &other);
        if (rc == ERR_OK && other.id != after->id)
            err_field(ei, "email", "is already used by another person");
        else if (rc && rc != ERR_NOT_FOUND)
            return rc;
    }
    return ERR_OK;
}

enum err people_update(struct db *db, struct arena *a, int64_t actor_id, int64_t id,
                       const struct person_patch *patch, struct errinfo *ei)
{
    struct person before, after;
    char now[21], today[11];
    const char *kind;
    enum err rc = db_begin(db);

    if (rc)
        return err_set(ei, rc, "cannot start a transaction");
    rc = store_people_get_for_update(db, a, id, &before);
    if (rc) {
        err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such person" : "cannot read the person");
        goto out;
    }
    after = before;
    if (patch->has_name) {
        after.name = patch->name;
        char *sort = arena_strdup(a, patch->name);

        people_lower(sort);
        after.sort_name = sort;
    }
    if (patch->has_email) {
        char *email = arena_strdup(a, patch->email);

        people_lower(email);
        after.email = email;
    }
    if (patch->has_title)
        after.title = patch->title;
    if (patch->has_level)
        after.level = patch->level;
    if (patch->has_status)
        after.status = patch->status;
    if (patch->has_hire_date)
        after.hire_date = patch->hire_date;
    if (patch->has_department)
        after.department_id = patch->department_id;
    if (patch->has_manager)
        after.manager_id = patch->manager_id;
    rc = check_refs(db, a, &after, patch, ei);
    if (rc == ERR_OK)
        rc = err_fields_result(ei);
    if (rc)
        goto out;
    time_rfc3339(time_now(), now);
    time_date(time_now(), today);
    rc = store_people_update(db, &after, now);
    /* leaving (terminated or inactive) ends what the account signs in with, for good: its
     * sessions, API tokens and any unused invitation link */
    if (rc == ERR_OK && same(before.status, "active") && !same(after.status, "active")) {
        rc = store_sessions_delete_person(db, id);
        if (rc == ERR_OK)
            rc = store_tokens_revoke_person(db, id, now);
        if (rc == ERR_OK)
            rc = store_invitations_void(db, id, now);
    }
    kind = people_change_kind(&before, &after, patch->reason);
    if (rc == ERR_OK && kind) {
        struct role_change ch = {0};

        ch.person_id = id;
        ch.effective_date = patch->effective_date ? patch->effective_date : today;
        ch.kind = kind;
        ch.title = after.title;
        ch.level = after.level;
        ch.department_id = after.department_id;
        ch.manager_id = after.manager_id;
        ch.status = after.status;
        ch.reason = patch->reason;
        ch.recorded_at = now;
        ch.actor_id = actor_id;
        rc = store_people_add_role_change(db, &ch);
    }
    if (rc == ERR_OK) {
        json_t *b = people_snapshot(&before), *f = people_snapshot(&after);

        rc = audit_record(db, actor_id, "person.update", "person", id, b, f);
        json_decref(b);
        json_decref(f);
    }
    if (rc == ERR_OK)
        rc = webhooks_person_changed(db, &before, &after);
    if (rc == ERR_CONFLICT)
        err_set(ei, rc, "the change conflicts with another person (duplicate email or id)");
    else if (rc)
        err_set(ei, rc, "cannot store the change");
out:
    if (rc)
        db_rollback(db);
    else
        rc = db_commit(db);
    return rc;
}

enum err people_edit(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                     const struct person_patch *patch, enum err (*reply)(void *ctx, int64_t id),
                     void *ctx, struct errinfo *ei)
{
    struct person p;
    enum err rc = db_begin(db);

    if (rc == ERR_OK && (rc = store_people_get_for_update(db, a, id, &p)) != ERR_OK)
        err_set(ei, rc, rc == ERR_NOT_FOUND ? "no such person" : "cannot read the person");
    /* the directory shows everyone, so existence is known: 403 rather than 404 */
    if (rc == ERR_OK && (rc = policy_check(db, actor, ACT_PERSON_UPDATE,
                                           &(struct subject){.person_id = id})) != ERR_OK)
        err_set(ei, rc, "only HR can change people's records");
    if (rc == ERR_OK)
        rc = people_update(db, a, actor->person_id, id, patch, ei);
    if (rc == ERR_OK && (rc = reply(ctx, id)) != ERR_OK)
        err_set(ei, rc, "cannot read the person");
    rc = db_end(db, rc);
    if (rc && !ei->message[0] && !ei->nfields)
        err_set(ei, rc, "cannot store the person");
    return rc;
}

enum err people_create(struct db *db, struct arena *a, int64_t actor_id,
                       const struct person_patch *f, const char *employee_id, int64_t *id,
                       struct errinfo *ei)
{
    struct person p = {0}, other;
    struct role_change ch = {0};
    char now[21], today[11];
    char *email = f->email ? arena_strdup(a, f->email) : NULL, *sort;
    json_t *img;
    enum err rc;

    people_check_name(f->name, "name", ei);
    people_check_email(f->email, "email", ei);
    people_check_text(employee_id, 64, "employee_id", ei);
    people_check_text(f->title, 200, "title", ei);
    people_check_text(f->level, 64, "level", ei);
    if (f->hire_date)
        people_check_date(f->hire_date, "hire_date", ei);
    rc = err_fields_result(ei);
    if (rc)
        return rc;
    people_lower(email);
    sort = arena_strdup(a, f->name);
    people_lower(sort);
    p.employee_id = employee_id && *employee_id ? employee_id : NULL;
    p.email = email;
    p.name = f->name;
    p.sort_name = sort;
    p.title = f->title;
    p.level = f->level;
    p.hire_date = f->hire_date;
    p.status = "active";
    p.department_id = f->department_id;
    p.manager_id = f->manager_id;
    rc = db_begin(db);
    if (rc)
        return err_set(ei, rc, "cannot start a transaction");
    rc = check_refs(db, a, &p, f, ei);
    if (rc == ERR_OK && p.employee_id &&
        store_people_by_employee_id(db, a, p.employee_id, &other) == ERR_OK)
        err_field(ei, "employee_id", "is already used by another person");
    if (rc == ERR_OK)
        rc = err_fields_result(ei);
    if (rc) {
        db_rollback(db);
        return rc;
    }
    time_rfc3339(time_now(), now);
    time_date(time_now(), today);
    rc = store_people_insert(db, &p, now);
    if (rc == ERR_OK) {
        ch.person_id = p.id;
        ch.effective_date = p.hire_date ? p.hire_date : today;
        ch.kind = "hire";
        ch.title = p.title;
        ch.level = p.level;
        ch.department_id = p.department_id;
        ch.manager_id = p.manager_id;
        ch.status = p.status;
        ch.recorded_at = now;
        ch.actor_id = actor_id;
        rc = store_people_add_role_change(db, &ch);
    }
    if (rc == ERR_OK) {
        img = people_snapshot(&p);
        rc = audit_record(db, actor_id, "person.create", "person", p.id, NULL, img);
        json_decref(img);
    }
    if (rc == ERR_OK)
        rc = webhooks_person_changed(db, NULL, &p);
    if (rc == ERR_CONFLICT) {
        db_rollback(db);
        return err_set(ei, rc, "another person has this email or employee id");
    }
    rc = db_end(db, rc);
    if (rc)
        return err_set(ei, rc, "cannot store the person");
    *id = p.id;
    return ERR_OK;
}
