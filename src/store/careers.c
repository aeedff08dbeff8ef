/* SPDX-License-Identifier: MIT */
/* See careers.h. */
#include "store/careers.h"

#include <stdio.h>
#include <string.h>

/* The current rating of a subject for a person: the manager's latest, else their own latest. */
#define CURRENT(person, subject, id)                                                               \
    "(SELECT r.rating FROM ratings r WHERE r.person_id = " person " AND r.subject = '" subject     \
    "' AND r.subject_id = " id " ORDER BY CASE WHEN r.source = 'manager' THEN 0 ELSE 1 END,"       \
    " r.id DESC LIMIT 1)"

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void bind_jid(struct stmt *s, int idx, json_t *o, const char *k)
{
    stmt_id(s, idx, json_integer_value(json_object_get(o, k)));
}

static enum err rows(struct db *db, const char *sql, int64_t a, int64_t b, const char *spec,
                     json_t **out)
{
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, a);
    stmt_i64(s, 2, b);
    return store_json_rows(s, spec, out);
}

static enum err row(struct db *db, const char *sql, int64_t a, const char *spec, json_t **out)
{
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, a);
    return store_json_row(s, spec, out);
}

enum err store_fw_tracks(struct db *db, json_t **out)
{
    return rows(db, "SELECT id, name, description FROM career_tracks WHERE $1 = $2 ORDER BY id", 0,
                0, "id:i name:s description:s", out);
}

enum err store_fw_levels(struct db *db, json_t **out)
{
    return rows(db,
                "SELECT id, track_id, position, code, title, summary FROM career_levels"
                " WHERE $1 = $2 ORDER BY track_id, position",
                0, 0, "id:i track_id:i position:i code:s title:s summary:s", out);
}

enum err store_fw_competencies(struct db *db, json_t **out)
{
    return rows(db, "SELECT id, name, description FROM competencies WHERE $1 = $2 ORDER BY name", 0,
                0, "id:i name:s description:s", out);
}

enum err store_fw_expectations(struct db *db, int64_t level, json_t **out)
{
    return rows(db,
                "SELECT e.level_id, 'competency', e.competency_id, c.name, e.rating, e.description"
                " FROM level_expectations e JOIN competencies c ON c.id = e.competency_id"
                " WHERE ($1 = 0 OR e.level_id = $1) AND $2 = 0"
                " UNION ALL SELECT e.level_id, 'skill', e.skill_id, s.name, e.rating, NULL"
                " FROM level_skill_expectations e JOIN skills s ON s.id = e.skill_id"
                " WHERE ($1 = 0 OR e.level_id = $1) AND $2 = 0 ORDER BY 1, 2, 4",
                level, 0, "level_id:i kind:s id:i name:s rating:i description:s", out);
}

enum err store_fw_level(struct db *db, int64_t id, json_t **out)
{
    return row(db,
               "SELECT l.id, l.track_id, t.name, l.position, l.code, l.title FROM career_levels l"
               " JOIN career_tracks t ON t.id = l.track_id WHERE l.id = $1",
               id, "id:i track_id:i track:s position:i code:s title:s", out);
}

static enum err upsert_id(struct stmt *find, struct stmt *ins, int64_t *id)
{
    int rc = stmt_step(find);

    if (rc == 1)
        *id = col_i64(find, 0);
    stmt_reset(find);
    if (rc == 1)
        return ERR_OK;
    if (rc != 0)
        return ERR_INTERNAL;
    return stmt_insert_id(ins, id);
}

/* Finds name in a table of (name, description), inserting it when missing, and sets its
 * description; sql holds the find, insert and update statements of that table. */
static enum err upsert_named(struct db *db, const char *const sql[3], const char *name,
                             const char *description, int64_t *id)
{
    struct stmt *f = db_stmt(db, sql[0]), *i = db_stmt(db, sql[1]), *u = db_stmt(db, sql[2]);
    enum err rc;

    stmt_text(f, 1, name);
    stmt_text(i, 1, name);
    stmt_text(i, 2, description);
    rc = upsert_id(f, i, id);
    stmt_reset(i);
    stmt_text(u, 1, name);
    stmt_text(u, 2, description);
    return rc ? rc : stmt_exec(u);
}

enum err store_fw_track_upsert(struct db *db, const char *name, const char *description,
                               int64_t *id)
{
    static const char *const sql[3] = {
        "SELECT id FROM career_tracks WHERE name = $1",
        "INSERT INTO career_tracks (name, description) VALUES ($1, $2) RETURNING id",
        "UPDATE career_tracks SET description = $2 WHERE name = $1"};

    return upsert_named(db, sql, name, description, id);
}

enum err store_fw_competency_upsert(struct db *db, const char *name, const char *description,
                                    int64_t *id)
{
    static const char *const sql[3] = {
        "SELECT id FROM competencies WHERE name = $1",
        "INSERT INTO competencies (name, description) VALUES ($1, $2) RETURNING id",
        "UPDATE competencies SET description = $2 WHERE name = $1"};

    return upsert_named(db, sql, name, description, id);
}

enum err store_fw_level_upsert(struct db *db, int64_t track, int64_t position, const char *code,
                               const char *title, const char *summary, int64_t *id)
{
    struct stmt *f = db_stmt(db, "SELECT id FROM career_levels WHERE code = $1");
    struct stmt *i = db_stmt(db, "INSERT INTO career_levels (track_id, position, code, title,"
                                 " summary) VALUES ($1, $2, $3, $4, $5) RETURNING id");
    struct stmt *u = db_stmt(db, "UPDATE career_levels SET track_id = $2, position = $3,"
                                 " title = $4, summary = $5 WHERE code = $1");
    enum err rc;

    stmt_text(f, 1, code);
    stmt_i64(i, 1, track);
    stmt_i64(i, 2, position);
    stmt_text(i, 3, code);
    stmt_text(i, 4, title);
    stmt_text(i, 5, summary);
    rc = upsert_id(f, i, id);
    stmt_reset(i);
    stmt_text(u, 1, code);
    stmt_i64(u, 2, track);
    stmt_i64(u, 3, position);
    stmt_text(u, 4, title);
    stmt_text(u, 5, summary);
    return rc ? rc : stmt_exec(u);
}

enum err store_fw_clear_expectations(struct db *db, int64_t level)
{
    struct stmt *a = db_stmt(db, "DELETE FROM level_expectations WHERE level_id = $1");
    struct stmt *b = db_stmt(db, "DELETE FROM level_skill_expectations WHERE level_id = $1");
    enum err rc;

    stmt_i64(a, 1, level);
    rc = stmt_exec(a);
    stmt_i64(b, 1, level);
    return rc ? rc : stmt_exec(b);
}

enum err store_fw_expect(struct db *db, int64_t level, int64_t competency, int64_t rating,
                         const char *description)
{
    struct stmt *s = db_stmt(db, "INSERT INTO level_expectations (level_id, competency_id,"
                                 " rating, description) VALUES ($1, $2, $3, $4)");

    stmt_i64(s, 1, level);
    stmt_i64(s, 2, competency);
    stmt_i64(s, 3, rating);
    stmt_text(s, 4, description);
    return stmt_exec(s);
}

enum err store_fw_expect_skill(struct db *db, int64_t level, int64_t skill, int64_t rating)
{
    struct stmt *s = db_stmt(
        db,
        "INSERT INTO level_skill_expectations (level_id, skill_id, rating) VALUES ($1, $2, $3)");

    stmt_i64(s, 1, level);
    stmt_i64(s, 2, skill);
    stmt_i64(s, 3, rating);
    return stmt_exec(s);
}

enum err store_placement_get(struct db *db, int64_t person, json_t **out)
{
    return row(db,
               "SELECT l.id, l.code, l.title, l.position, t.id, t.name FROM people p"
               " JOIN career_levels l ON l.id = p.career_level_id"
               " JOIN career_tracks t ON t.id = l.track_id WHERE p.id = $1",
               person, "level_id:i code:s title:s position:i track_id:i track:s", out);
}

enum err store_placement_set(struct db *db, int64_t person, int64_t level)
{
    struct stmt *s = db_stmt(db, "UPDATE people SET career_level_id = $2 WHERE id = $1");

    stmt_i64(s, 1, person);
    stmt_id(s, 2, level);
    return stmt_exec(s);
}

enum err store_skills_list(struct db *db, json_t **out)
{
    return rows(db, "SELECT id, name, category FROM skills WHERE $1 = $2 ORDER BY category, name",
                0, 0, "id:i name:s category:s", out);
}

enum err store_skills_insert(struct db *db, const char *name, const char *category, int64_t *id)
{
    struct stmt *s =
        db_stmt(db, "INSERT INTO skills (name, category) VALUES ($1, $2) RETURNING id");

    stmt_text(s, 1, name);
    stmt_text(s, 2, category);
    return stmt_insert_id(s, id);
}

enum err store_skill_get(struct db *db, int64_t id, json_t **out)
{
    return row(db, "SELECT id, name, category FROM skills WHERE id = $1", id,
               "id:i name:s category:s", out);
}

enum err store_competency_get(struct db *db, int64_t id, json_t **out)
{
    return row(db, "SELECT id, name FROM competencies WHERE id = $1", id, "id:i name:s", out);
}

enum err store_ratings_insert(struct db *db, int64_t person, const char *subject,
                              int64_t subject_id, const char *source, int64_t rating, int64_t rater,
                              const char *now)
{
    struct stmt *s = db_stmt(db, "INSERT INTO ratings (person_id, subject, subject_id, source,"
                                 " rating, rater_id, created_at) VALUES ($1, $2, $3, $4, $5, $6,"
                                 " $7)");

    stmt_i64(s, 1, person);
    stmt_text(s, 2, subject);
    stmt_i64(s, 3, subject_id);
    stmt_text(s, 4, source);
    stmt_i64(s, 5, rating);
    stmt_i64(s, 6, rater);
    stmt_text(s, 7, now);
    return stmt_exec(s);
}

#define NAME_OF_SUBJECT                                                                            \
    "CASE WHEN r.subject = 'skill' THEN (SELECT name FROM skills WHERE id = r.subject_id)"         \
    " ELSE (SELECT name FROM competencies WHERE id = r.subject_id) END"

enum err store_ratings_current(struct db *db, int64_t person, json_t **out)
{
    return rows(db,
                "SELECT r.subject, r.subject_id, " NAME_OF_SUBJECT ", r.source, r.rating,"
                " r.created_at FROM ratings r WHERE r.person_id = $1 AND r.id = (SELECT MAX(x.id)"
                " FROM ratings x WHERE x.person_id = r.person_id AND x.subject = r.subject"
                " AND x.subject_id = r.subject_id AND x.source = r.source) AND $2 = 0"
                " ORDER BY r.subject, 3, r.source",
                person, 0, "subject:s id:i name:s source:s rating:i rated_at:s", out);
}

enum err store_ratings_history(struct db *db, int64_t person, json_t **out)
{
    return rows(db,
                "SELECT r.subject, r.subject_id, " NAME_OF_SUBJECT ", r.source, r.rating,"
                " r.created_at FROM ratings r WHERE r.person_id = $1 AND $2 = 0 ORDER BY r.id"
                " LIMIT 5000",
                person, 0, "subject:s id:i name:s source:s rating:i rated_at:s", out);
}

enum err store_gap_rows(struct db *db, int64_t person, int64_t level, json_t **out)
{
    return rows(
        db,
        "SELECT 'competency', c.id, c.name, e.rating, " CURRENT(
            "$1", "competency",
            "c.id") " FROM level_expectations e JOIN competencies c ON c.id = e.competency_id"
                    " WHERE e.level_id = $2 UNION ALL SELECT 'skill', s.id, s.name, "
                    "e.rating, " CURRENT(
                        "$1", "skill",
                        "s.id") " FROM level_skill_expectations e"
                                " JOIN skills s ON s.id = e.skill_id WHERE e.level_id = $2",
        person, level, "kind:s id:i name:s expected:i current:i", out);
}

enum err store_gap_rows_opportunity(struct db *db, int64_t person, int64_t opportunity,
                                    json_t **out)
{
    return rows(
        db,
        "SELECT 'skill', s.id, s.name, o.min_rating, " CURRENT(
            "$1", "skill", "s.id") " FROM opportunity_skills o JOIN skills s ON s.id = o.skill_id"
                                   " WHERE o.opportunity_id = $2",
        person, opportunity, "kind:s id:i name:s expected:i current:i", out);
}

#define IDP_COLS                                                                                   \
    "i.id, i.person_id, i.short_term, i.long_term, i.target_level_id, l.code, l.title,"            \
    " i.target_role, i.strengths, i.improvements, i.created_at, i.updated_at, i.signed_off_by,"    \
    " s.name, i.signed_off_at, i.version FROM idps i LEFT JOIN career_levels l ON"                 \
    " l.id = i.target_level_id LEFT JOIN people s ON s.id = i.signed_off_by"
#define IDP_SPEC                                                                                   \
    "id:i person_id:i short_term:s long_term:s target_level_id:i target_level_code:s"              \
    " target_level_title:s target_role:s strengths:s improvements:s created_at:s updated_at:s"     \
    " signed_off_by:i signed_off_by_name:s signed_off_at:s version:i"

enum err store_idp_get(struct db *db, int64_t person, json_t **out)
{
    return row(db, "SELECT " IDP_COLS " WHERE i.person_id = $1", person, IDP_SPEC, out);
}

enum err store_idp_upsert(struct db *db, int64_t person, json_t *f, const char *now, int64_t *id)
{
    struct stmt *find = db_stmt(db, "SELECT id FROM idps WHERE person_id = $1");
    struct stmt *ins = db_stmt(db, "INSERT INTO idps (person_id, created_at, updated_at)"
                                   " VALUES ($1, $2, $2) RETURNING id");
    struct stmt *up = db_stmt(db, "UPDATE idps SET short_term = $2, long_term = $3,"
                                  " target_level_id = $4, target_role = $5, strengths = $6,"
                                  " improvements = $7, updated_at = $8 WHERE id = $1");
    enum err rc;

    stmt_i64(find, 1, person);
    stmt_i64(ins, 1, person);
    stmt_text(ins, 2, now);
    rc = upsert_id(find, ins, id);
    stmt_reset(ins);
    if (rc)
        return rc;
    stmt_i64(up, 1, *id);
    stmt_text(up, 2, jstr(f, "short_term"));
    stmt_text(up, 3, jstr(f, "long_term"));
    bind_jid(up, 4, f, "target_level_id");
    stmt_text(up, 5, jstr(f, "target_role"));
    stmt_text(up, 6, jstr(f, "strengths"));
    stmt_text(up, 7, jstr(f, "improvements"));
    stmt_text(up, 8, now);
    return stmt_exec(up);
}

enum err store_idp_owner(struct db *db, int64_t idp, int64_t *person)
{
    struct stmt *s = db_stmt(db, "SELECT person_id FROM idps WHERE id = $1");
    int rc;

    stmt_i64(s, 1, idp);
    rc = stmt_step(s);
    if (rc == 1)
        *person = col_i64(s, 0);
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_idp_snapshot(struct db *db, int64_t idp, int64_t version, const char *snapshot,
                            int64_t by, const char *now)
{
    struct stmt *s = db_stmt(db, "INSERT INTO idp_history (idp_id, version, snapshot, changed_by,"
                                 " changed_at) VALUES ($1, $2, $3, $4, $5)");

    stmt_i64(s, 1, idp);
    stmt_i64(s, 2, version);
    stmt_text(s, 3, snapshot);
    stmt_i64(s, 4, by);
    stmt_text(s, 5, now);
    return stmt_exec(s);
}

enum err store_idp_bump(struct db *db, int64_t idp, const char *now)
{
    struct stmt *s =
        db_stmt(db, "UPDATE idps SET version = version + 1, updated_at = $2 WHERE id = $1");

    stmt_i64(s, 1, idp);
    stmt_text(s, 2, now);
    return stmt_exec(s);
}

enum err store_idp_sign_off(struct db *db, int64_t idp, int64_t by, const char *now)
{
    struct stmt *s =
        db_stmt(db, "UPDATE idps SET signed_off_by = $2, signed_off_at = $3 WHERE id = $1");

    stmt_i64(s, 1, idp);
    stmt_i64(s, 2, by);
    stmt_text(s, 3, now);
    return stmt_exec(s);
}

#define ACTION_COLS                                                                                \
    "a.id, a.idp_id, a.kind, a.title, a.success_measure, a.due_date, a.status, a.support_needed,"  \
    " a.skill_id, k.name, a.competency_id, c.name, a.goal_id, a.created_at, a.completed_at"        \
    " FROM idp_actions a LEFT JOIN skills k ON k.id = a.skill_id LEFT JOIN competencies c ON"      \
    " c.id = a.competency_id"
#define ACTION_SPEC                                                                                \
    "id:i idp_id:i kind:s title:s success_measure:s due_date:s status:s support_needed:s"          \
    " skill_id:i skill:s competency_id:i competency:s goal_id:i created_at:s completed_at:s"

enum err store_idp_actions(struct db *db, int64_t idp, json_t **out)
{
    return rows(db, "SELECT " ACTION_COLS " WHERE a.idp_id = $1 AND $2 = 0 ORDER BY a.id", idp, 0,
                ACTION_SPEC, out);
}

enum err store_idp_action_get(struct db *db, int64_t id, json_t **out)
{
    return row(db, "SELECT " ACTION_COLS " WHERE a.id = $1", id, ACTION_SPEC, out);
}

enum err store_idp_action_get_for_update(struct db *db, int64_t id, json_t **out)
{
    if (db_kind(db) == DB_SQLITE) /* BEGIN IMMEDIATE already holds the only write lock */
        return store_idp_action_get(db, id, out);
    return row(db, "SELECT " ACTION_COLS " WHERE a.id = $1 FOR UPDATE OF a", id, ACTION_SPEC, out);
}

enum err store_idp_actions_of(struct db *db, int64_t person, json_t **out)
{
    return rows(db,
                "SELECT " ACTION_COLS " JOIN idps i ON i.id = a.idp_id WHERE i.person_id = $1"
                " AND $2 = 0 ORDER BY a.due_date IS NULL, a.due_date, a.id",
                person, 0, ACTION_SPEC, out);
}

enum err store_idp_action_insert(struct db *db, int64_t idp, json_t *a, const char *now,
                                 int64_t *id)
{
    struct stmt *s = db_stmt(
        db, "INSERT INTO idp_actions (idp_id, kind, title, success_measure, due_date, status,"
            " support_needed, skill_id, competency_id, goal_id, created_at) VALUES ($1, $2, $3,"
            " $4, $5, 'planned', $6, $7, $8, $9, $10) RETURNING id");

    stmt_i64(s, 1, idp);
    stmt_text(s, 2, jstr(a, "kind"));
    stmt_text(s, 3, jstr(a, "title"));
    stmt_text(s, 4, jstr(a, "success_measure"));
    stmt_text(s, 5, jstr(a, "due_date"));
    stmt_text(s, 6, jstr(a, "support_needed"));
    bind_jid(s, 7, a, "skill_id");
    bind_jid(s, 8, a, "competency_id");
    bind_jid(s, 9, a, "goal_id");
    stmt_text(s, 10, now);
    return stmt_insert_id(s, id);
}

enum err store_idp_action_update(struct db *db, int64_t id, json_t *a)
{
    struct stmt *s = db_stmt(
        db, "UPDATE idp_actions SET kind = $2, title = $3, success_measure = $4, due_date = $5,"
            " status = $6, support_needed = $7, skill_id = $8, competency_id = $9, goal_id = $10,"
            " completed_at = $11 WHERE id = $1");

    stmt_i64(s, 1, id);
    stmt_text(s, 2, jstr(a, "kind"));
    stmt_text(s, 3, jstr(a, "title"));
    stmt_text(s, 4, jstr(a, "success_measure"));
    stmt_text(s, 5, jstr(a, "due_date"));
    stmt_text(s, 6, jstr(a, "status"));
    stmt_text(s, 7, jstr(a, "support_needed"));
    bind_jid(s, 8, a, "skill_id");
    bind_jid(s, 9, a, "competency_id");
    bind_jid(s, 10, a, "goal_id");
    stmt_text(s, 11, jstr(a, "completed_at"));
    return stmt_exec(s);
}

enum err store_idp_milestones(struct db *db, int64_t idp, json_t **out)
{
    return rows(db,
                "SELECT id, title, due_date, done_at FROM idp_milestones WHERE idp_id = $1"
                " AND $2 = 0 ORDER BY due_date IS NULL, due_date, id",
                idp, 0, "id:i title:s due_date:s done_at:s", out);
}

enum err store_idp_milestone_insert(struct db *db, int64_t idp, const char *title, const char *due,
                                    int64_t *id)
{
    struct stmt *s = db_stmt(db, "INSERT INTO idp_milestones (idp_id, title, due_date)"
                                 " VALUES ($1, $2, $3) RETURNING id");

    stmt_i64(s, 1, idp);
    stmt_text(s, 2, title);
    stmt_text(s, 3, due);
    return stmt_insert_id(s, id);
}

enum err store_idp_milestone_get(struct db *db, int64_t id, json_t **out)
{
    return row(db, "SELECT id, idp_id, title, due_date, done_at FROM idp_milestones WHERE id = $1",
               id, "id:i idp_id:i title:s due_date:s done_at:s", out);
}

enum err store_idp_milestone_done(struct db *db, int64_t id, const char *done_at)
{
    struct stmt *s = db_stmt(db, "UPDATE idp_milestones SET done_at = $2 WHERE id = $1");

    stmt_i64(s, 1, id);
    stmt_text(s, 2, done_at);
    return stmt_exec(s);
}

enum err store_idp_comments(struct db *db, int64_t idp, json_t **out)
{
    return rows(db,
                "SELECT c.id, c.author_id, p.name, c.body, c.created_at FROM idp_comments c"
                " JOIN people p ON p.id = c.author_id WHERE c.idp_id = $1 AND $2 = 0 ORDER BY c.id",
                idp, 0, "id:i author_id:i author:s body:s created_at:s", out);
}

enum err store_idp_comment_insert(struct db *db, int64_t idp, int64_t author, const char *body,
                                  const char *now)
{
    struct stmt *s = db_stmt(db, "INSERT INTO idp_comments (idp_id, author_id, body, created_at)"
                                 " VALUES ($1, $2, $3, $4)");

    stmt_i64(s, 1, idp);
    stmt_i64(s, 2, author);
    stmt_text(s, 3, body);
    stmt_text(s, 4, now);
    return stmt_exec(s);
}

enum err store_idp_history(struct db *db, int64_t idp, json_t **out)
{
    return rows(
        db,
        "SELECT h.version, h.snapshot, h.changed_by, p.name, h.changed_at FROM idp_history h"
        " JOIN people p ON p.id = h.changed_by WHERE h.idp_id = $1 AND $2 = 0"
        " ORDER BY h.id",
        idp, 0, "version:i snapshot:s changed_by:i changed_by_name:s changed_at:s", out);
}

#define LEARN_SPEC                                                                                 \
    "id:i person_id:i kind:s title:s provider:s completed_on:s expires_on:s idp_action_id:i"

enum err store_learning_of(struct db *db, int64_t person, json_t **out)
{
    return rows(db,
                "SELECT id, person_id, kind, title, provider, completed_on, expires_on,"
                " idp_action_id FROM learning_records WHERE person_id = $1 AND $2 = 0"
                " ORDER BY completed_on DESC, id DESC",
                person, 0, LEARN_SPEC, out);
}

enum err store_learning_insert(struct db *db, int64_t person, json_t *r, int64_t action,
                               const char *now, int64_t *id)
{
    struct stmt *s = db_stmt(
        db, "INSERT INTO learning_records (person_id, kind, title, provider, completed_on,"
            " expires_on, idp_action_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            " RETURNING id");

    stmt_i64(s, 1, person);
    stmt_text(s, 2, jstr(r, "kind"));
    stmt_text(s, 3, jstr(r, "title"));
    stmt_text(s, 4, jstr(r, "provider"));
    stmt_text(s, 5, jstr(r, "completed_on"));
    stmt_text(s, 6, jstr(r, "expires_on"));
    stmt_id(s, 7, action);
    stmt_text(s, 8, now);
    return stmt_insert_id(s, id);
}

enum err store_learning_expiring(struct db *db, const char *from, const char *to, json_t **out)
{
    struct stmt *s =
        db_stmt(db, "SELECT l.id, l.person_id, p.name, l.kind, l.title, l.provider, l.expires_on"
                    " FROM learning_records l JOIN people p ON p.id = l.person_id"
                    " WHERE l.expires_on IS NOT NULL AND l.expires_on >= $1 AND l.expires_on <= $2"
                    " AND p.status = 'active' ORDER BY l.expires_on, l.id LIMIT 2000");

    stmt_text(s, 1, from);
    stmt_text(s, 2, to);
    return store_json_rows(s, "id:i person_id:i person:s kind:s title:s provider:s expires_on:s",
                           out);
}

enum err store_mentor_offer_put(struct db *db, int64_t person, int64_t capacity, const char *note,
                                bool active, const char *now)
{
    struct stmt *s = db_stmt(
        db, "INSERT INTO mentor_offers (person_id, capacity, note, active, created_at) VALUES"
            " ($1, $2, $3, $4, $5) ON CONFLICT (person_id) DO UPDATE SET capacity ="
            " excluded.capacity, note = excluded.note, active = excluded.active");

    stmt_i64(s, 1, person);
    stmt_i64(s, 2, capacity);
    stmt_text(s, 3, note);
    stmt_i64(s, 4, active);
    stmt_text(s, 5, now);
    return stmt_exec(s);
}

enum err store_mentor_offer_skills(struct db *db, int64_t person, const int64_t *skills, size_t n)
{
    struct stmt *d = db_stmt(db, "DELETE FROM mentor_offer_skills WHERE person_id = $1");
    enum err rc;

    stmt_i64(d, 1, person);
    rc = stmt_exec(d);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        struct stmt *s = db_stmt(db, "INSERT INTO mentor_offer_skills (person_id, skill_id)"
                                     " VALUES ($1, $2) ON CONFLICT DO NOTHING");

        stmt_i64(s, 1, person);
        stmt_i64(s, 2, skills[i]);
        rc = stmt_exec(s);
    }
    return rc;
}

enum err store_mentor_offer_get(struct db *db, int64_t person, json_t **out)
{
    enum err rc = row(
        db,
        "SELECT o.person_id, o.capacity, o.note, o.active, (SELECT COUNT(*) FROM"
        " mentorships m WHERE m.mentor_id = o.person_id AND m.status IN ('active', 'requested'))"
        " FROM mentor_offers o WHERE o.person_id = $1",
        person, "person_id:i capacity:i note:s active:b load:i", out);
    json_t *skills;

    if (rc == ERR_OK &&
        rows(db,
             "SELECT s.id, s.name FROM mentor_offer_skills o JOIN skills s ON s.id = o.skill_id"
             " WHERE o.person_id = $1 AND $2 = 0 ORDER BY s.name",
             person, 0, "id:i name:s", &skills) == ERR_OK)
        json_object_set_new(*out, "skills", skills);
    return rc;
}

enum err store_mentor_candidates(struct db *db, int64_t skill, json_t **out)
{
    return rows(db,
                "SELECT p.id, p.name, p.title, p.department_id, d.name, o.capacity, (SELECT"
                " COUNT(*) FROM mentorships m WHERE m.mentor_id = p.id AND m.status IN ('active',"
                " 'requested')),"
                /* the mentor's own rating of the skill they offer: what their manager rated stays
                 * between them (and HR) */
                " (SELECT r.rating FROM ratings r WHERE r.person_id = p.id AND r.subject = 'skill'"
                " AND r.subject_id = $1 AND r.source = 'self' ORDER BY r.id DESC LIMIT 1)"
                " FROM mentor_offer_skills ms"
                " JOIN mentor_offers o ON o.person_id = ms.person_id AND o.active = 1"
                " JOIN people p ON p.id = ms.person_id AND p.status = 'active'"
                " LEFT JOIN departments d ON d.id = p.department_id"
                " WHERE ms.skill_id = $1 AND $2 = 0 ORDER BY p.id LIMIT 5000",
                skill, 0,
                "id:i name:s title:s department_id:i department:s capacity:i load:i rating:i", out);
}

enum err store_mentorship_insert(struct db *db, int64_t mentor, int64_t mentee, int64_t skill,
                                 const char *goals, const char *start, const char *end,
                                 const char *now, int64_t *id)
{
    struct stmt *s = db_stmt(
        db, "INSERT INTO mentorships (mentor_id, mentee_id, skill_id, goals, start_date,"
            " end_date, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'requested', $7)"
            " RETURNING id");

    stmt_i64(s, 1, mentor);
    stmt_i64(s, 2, mentee);
    stmt_id(s, 3, skill);
    stmt_text(s, 4, goals);
    stmt_text(s, 5, start);
    stmt_text(s, 6, end);
    stmt_text(s, 7, now);
    return stmt_insert_id(s, id);
}

#define MENTORSHIP_COLS                                                                            \
    "m.id, m.mentor_id, a.name, m.mentee_id, b.name, m.skill_id, s.name, m.goals, m.start_date,"   \
    " m.end_date, m.status FROM mentorships m JOIN people a ON a.id = m.mentor_id"                 \
    " JOIN people b ON b.id = m.mentee_id LEFT JOIN skills s ON s.id = m.skill_id"
#define MENTORSHIP_SPEC                                                                            \
    "id:i mentor_id:i mentor:s mentee_id:i mentee:s skill_id:i skill:s goals:s start_date:s"       \
    " end_date:s status:s"

enum err store_mentorships_of(struct db *db, int64_t person, json_t **out)
{
    return rows(db,
                "SELECT " MENTORSHIP_COLS " WHERE (m.mentor_id = $1 OR m.mentee_id = $1)"
                " AND $2 = 0 ORDER BY m.status, m.id DESC",
                person, 0, MENTORSHIP_SPEC, out);
}

enum err store_mentorship_get(struct db *db, int64_t id, json_t **out)
{
    return row(db, "SELECT " MENTORSHIP_COLS " WHERE m.id = $1", id, MENTORSHIP_SPEC, out);
}

enum err store_mentorship_set_status(struct db *db, int64_t id, const char *status)
{
    struct stmt *s = db_stmt(db, "UPDATE mentorships SET status = $2 WHERE id = $1");

    stmt_i64(s, 1, id);
    stmt_text(s, 2, status);
    return stmt_exec(s);
}

enum err store_mentorship_end(struct db *db, int64_t id, const char *end)
{
    struct stmt *s =
        db_stmt(db, "UPDATE mentorships SET status = 'ended', end_date = $2 WHERE id = $1");

    stmt_i64(s, 1, id);
    stmt_text(s, 2, end);
    return stmt_exec(s);
}

void store_mentor_offer_lock(struct db *db, int64_t mentor)
{
    struct stmt *s;

    if (db_kind(db) == DB_SQLITE) /* BEGIN IMMEDIATE already holds the only write lock */
        return;
    s = db_stmt(db, "SELECT 1 FROM mentor_offers WHERE person_id = $1 FOR UPDATE");
    stmt_i64(s, 1, mentor);
    (void)stmt_step(s);
    stmt_reset(s);
}

int64_t store_mentor_load(struct db *db, int64_t mentor)
{
    struct stmt *s =
        db_stmt(db, "SELECT COUNT(*) FROM mentorships WHERE mentor_id = $1 AND status = 'active'");
    int64_t n = 0;

    stmt_i64(s, 1, mentor);
    if (stmt_step(s) == 1)
        n = col_i64(s, 0);
    stmt_reset(s);
    return n;
}

bool store_mentorship_between(struct db *db, int64_t a, int64_t b)
{
    struct stmt *s = db_stmt(db, "SELECT 1 FROM mentorships WHERE status = 'active' AND"
                                 " ((mentor_id = $1 AND mentee_id = $2) OR (mentor_id = $2 AND"
                                 " mentee_id = $1)) LIMIT 1");
    bool found;

    stmt_i64(s, 1, a);
    stmt_i64(s, 2, b);
    found = stmt_step(s) == 1;
    stmt_reset(s);
    return found;
}

#define OPP_COLS                                                                                   \
    "o.id, o.kind, o.title, o.description, o.department_id, d.name, o.posted_by, p.name,"          \
    " o.status, o.closes_on, o.created_at, (SELECT COUNT(*) FROM opportunity_interest i WHERE"     \
    " i.opportunity_id = o.id) FROM opportunities o JOIN people p ON p.id = o.posted_by"           \
    " LEFT JOIN departments d ON d.id = o.department_id"
#define OPP_SPEC                                                                                   \
    "id:i kind:s title:s description:s department_id:i department:s posted_by:i posted_by_name:s"  \
    " status:s closes_on:s created_at:s interested:i"

enum err store_opportunities(struct db *db, const char *status, json_t **out)
{
    struct stmt *s = db_stmt(db, "SELECT " OPP_COLS " WHERE ($1 = '' OR o.status = $1)"
                                 " ORDER BY o.id DESC LIMIT 1000");

    stmt_text(s, 1, status ? status : "");
    return store_json_rows(s, OPP_SPEC, out);
}

enum err store_opportunity_get(struct db *db, int64_t id, json_t **out)
{
    return row(db, "SELECT " OPP_COLS " WHERE o.id = $1", id, OPP_SPEC, out);
}

enum err store_opportunity_insert(struct db *db, json_t *o, int64_t by, const char *now,
                                  int64_t *id)
{
    struct stmt *s =
        db_stmt(db, "INSERT INTO opportunities (kind, title, description, department_id, posted_by,"
                    " status, closes_on, created_at) VALUES ($1, $2, $3, $4, $5, 'open', $6, $7)"
                    " RETURNING id");

    stmt_text(s, 1, jstr(o, "kind"));
    stmt_text(s, 2, jstr(o, "title"));
    stmt_text(s, 3, jstr(o, "description"));
    bind_jid(s, 4, o, "department_id");
    stmt_i64(s, 5, by);
    stmt_text(s, 6, jstr(o, "closes_on"));
    stmt_text(s, 7, now);
    return stmt_insert_id(s, id);
}

enum err store_opportunity_skill(struct db *db, int64_t opp, int64_t skill, int64_t min_rating)
{
    struct stmt *s = db_stmt(db, "INSERT INTO opportunity_skills (opportunity_id, skill_id,"
                                 " min_rating) VALUES ($1, $2, $3)");

    stmt_i64(s, 1, opp);
    stmt_i64(s, 2, skill);
    stmt_i64(s, 3, min_rating);
    return stmt_exec(s);
}

enum err store_opportunity_skills(struct db *db, int64_t opp, json_t **out)
{
    return rows(db,
                "SELECT s.id, s.name, o.min_rating FROM opportunity_skills o JOIN skills s ON"
                " s.id = o.skill_id WHERE o.opportunity_id = $1 AND $2 = 0 ORDER BY s.name",
                opp, 0, "id:i name:s min_rating:i", out);
}

enum err store_opportunity_all_skills(struct db *db, json_t **out)
{
    return rows(db,
                "SELECT o.opportunity_id, o.skill_id, o.min_rating FROM opportunity_skills o"
                " JOIN opportunities p ON p.id = o.opportunity_id WHERE p.status = 'open'"
                " AND $1 = $2 ORDER BY o.opportunity_id",
                0, 0, "opportunity_id:i skill_id:i min_rating:i", out);
}

enum err store_opportunity_close(struct db *db, int64_t id)
{
    struct stmt *s = db_stmt(db, "UPDATE opportunities SET status = 'closed' WHERE id = $1");

    stmt_i64(s, 1, id);
    return stmt_exec(s);
}

enum err store_interest_insert(struct db *db, int64_t opp, int64_t person, const char *note,
                               const char *now)
{
    struct stmt *s = db_stmt(db, "INSERT INTO opportunity_interest (opportunity_id, person_id,"
                                 " note, created_at) VALUES ($1, $2, $3, $4)");

    stmt_i64(s, 1, opp);
    stmt_i64(s, 2, person);
    stmt_text(s, 3, note);
    stmt_text(s, 4, now);
    return stmt_exec(s);
}

enum err store_interest_of(struct db *db, int64_t opp, json_t **out)
{
    return rows(db,
                "SELECT i.person_id, p.name, p.title, i.note, i.created_at FROM"
                " opportunity_interest i JOIN people p ON p.id = i.person_id"
                " WHERE i.opportunity_id = $1 AND $2 = 0 ORDER BY i.id",
                opp, 0, "person_id:i name:s title:s note:s created_at:s", out);
}

enum err store_notify(struct db *db, int64_t person, const char *kind, const char *body,
                      const char *link, const char *key, const char *now)
{
    struct stmt *s = db_stmt(
        db, "INSERT INTO notifications (person_id, kind, body, link, dedupe_key, pass,"
            " created_at) VALUES ($1, $2, $3, $4, $5, 'direct', $6) ON CONFLICT (dedupe_key)"
            " DO NOTHING");

    stmt_i64(s, 1, person);
    stmt_text(s, 2, kind);
    stmt_text(s, 3, body);
    stmt_text(s, 4, link);
    stmt_text(s, 5, key);
    stmt_text(s, 6, now);
    return stmt_exec(s);
}

enum err store_career_role_history(struct db *db, int64_t person, json_t **out)
{
    return rows(db,
                "SELECT effective_date, kind, title, level, reason FROM role_history"
                " WHERE person_id = $1 AND $2 = 0 ORDER BY effective_date, id",
                person, 0, "effective_date:s kind:s title:s level:s reason:s", out);
}

enum err store_career_counts(struct db *db, int64_t person, json_t **out)
{
    return row(db,
               "SELECT (SELECT COUNT(*) FROM goals WHERE owner_id = $1 AND status = 'done'),"
               " (SELECT COUNT(*) FROM accomplishments WHERE person_id = $1),"
               " (SELECT COUNT(*) FROM learning_records WHERE person_id = $1),"
               " (SELECT COUNT(*) FROM idp_actions a JOIN idps i ON i.id = a.idp_id WHERE"
               " i.person_id = $1 AND a.status = 'done'),"
               " (SELECT COUNT(*) FROM role_history WHERE person_id = $1 AND kind = 'promotion')",
               person,
               "goals_achieved:i accomplishments:i learning_completed:i idp_actions_done:i"
               " promotions:i",
               out);
}

enum err store_career_feedback_by_month(struct db *db, int64_t person, json_t **out)
{
    return rows(db,
                "SELECT SUBSTR(created_at, 1, 7), kind, COUNT(*) FROM feedback"
                " WHERE recipient_id = $1 AND $2 = 0 GROUP BY 1, 2 ORDER BY 1, 2",
                person, 0, "month:s kind:s count:i", out);
}

enum err store_career_skills_by_month(struct db *db, int64_t person, json_t **out)
{
    return rows(db,
                "SELECT SUBSTR(created_at, 1, 7), COUNT(DISTINCT subject_id), AVG(rating)"
                " FROM ratings WHERE person_id = $1 AND subject = 'skill' AND $2 = 0"
                " GROUP BY 1 ORDER BY 1",
                person, 0, "month:s skills_rated:i average:f", out);
}

enum err store_career_dashboard(struct db *db, const char *year_ago, json_t **out)
{
    /* each person's figures are kept in career_facts by triggers (migration 0049), and their
     * sums by department and date in level in career_sums, the promotions by date and
     * department in career_promotions (migration 0056): the dashboard adds up a few thousand
     * rows whatever the size of the company */
    struct stmt *s = db_stmt(
        db, "WITH f AS (SELECT department_id d, SUM(head) head, SUM(idps) idps, SUM(acts) acts,"
            " SUM(done) done, SUM(expd) expd, SUM(rated) rated,"
            " SUM(CASE WHEN level_since = '' THEN head ELSE 0 END) unknown FROM career_sums"
            " GROUP BY 1), promo AS (SELECT department_id d, SUM(n) n"
            " FROM career_promotions WHERE effective_date >= $1 GROUP BY 1)"
            " SELECT d.id, d.name, COALESCE(f.head, 0), COALESCE(promo.n, 0), COALESCE(f.idps, 0),"
            " COALESCE(f.acts, 0), COALESCE(f.done, 0), COALESCE(f.expd, 0), COALESCE(f.rated, 0),"
            " COALESCE(f.unknown, 0) FROM departments d LEFT JOIN f ON f.d = d.id"
            " LEFT JOIN promo ON promo.d = d.id ORDER BY d.name");

    stmt_text(s, 1, year_ago);
    return store_json_rows(s,
                           "department_id:i department:s headcount:i promotions:i idps:i"
                           " idp_actions:i idp_actions_done:i expected_ratings:i"
                           " rated_expectations:i since_unknown:i",
                           out);
}

enum err store_career_level_since_at(struct db *db, int64_t department_id, int64_t k,
                                     char since[11])
{
    /* the department's dates in level in order, each with its number of active people, to the
     * one that holds the k-th person (migration 0056) */
    struct stmt *s = db_stmt(db, "SELECT level_since, head FROM career_sums"
                                 " WHERE department_id = $1 AND level_since <> ''"
                                 " ORDER BY level_since");
    int64_t seen = 0;
    int rc;

    stmt_i64(s, 1, department_id);
    while ((rc = stmt_step(s)) == 1) {
        seen += col_i64(s, 1);
        if (seen > k) {
            snprintf(since, 11, "%.10s", col_text(s, 0));
            break;
        }
    }
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_released_outcomes(struct db *db, int64_t person, json_t **out)
{
    return rows(db,
                "SELECT c.name, CAST(COALESCE(o.calibrated_rating, o.rating) AS TEXT),"
                " o.manager_summary, o.released_at, o.employee_comment FROM review_outcomes o"
                " JOIN review_cycles c ON c.id = o.cycle_id WHERE o.person_id = $1"
                " AND o.released_at IS NOT NULL AND $2 = 0 ORDER BY o.released_at",
                person, 0, "cycle:s rating:s summary:s released_at:s employee_comment:s", out);
}

bool store_has_reports(struct db *db, int64_t person)
{
    struct stmt *s =
        db_stmt(db, "SELECT 1 FROM people WHERE manager_id = $1 AND status = 'active' LIMIT 1");
    bool yes;

    stmt_i64(s, 1, person);
    yes = stmt_step(s) == 1;
    stmt_reset(s);
    return yes;
}

int64_t store_mentor_between(struct db *db, int64_t a, int64_t b)
{
    struct stmt *s = db_stmt(db, "SELECT mentor_id FROM mentorships WHERE status = 'active' AND"
                                 " ((mentor_id = $1 AND mentee_id = $2) OR (mentor_id = $2 AND"
                                 " mentee_id = $1)) ORDER BY id LIMIT 1");
    int64_t id = 0;

    stmt_i64(s, 1, a);
    stmt_i64(s, 2, b);
    if (stmt_step(s) == 1)
        id = col_i64(s, 0);
    stmt_reset(s);
    return id;
}

enum err store_dashboard_snapshot_get(struct db *db, struct arena *a, const char **computed_at,
                                      const char **body)
{
    struct stmt *s = db_stmt(db, "SELECT computed_at, body FROM career_dashboard_snapshots"
                                 " ORDER BY id DESC LIMIT 1");
    int rc = stmt_step(s);

    if (rc == 1) {
        *computed_at = col_dup(a, s, 0);
        *body = col_dup(a, s, 1);
    }
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_dashboard_snapshot_put(struct db *db, const char *computed_at, const char *body)
{
    struct stmt *ins =
        db_stmt(db, "INSERT INTO career_dashboard_snapshots (computed_at, body) VALUES ($1, $2)");
    struct stmt *old = db_stmt(db, "DELETE FROM career_dashboard_snapshots WHERE id <"
                                   " (SELECT MAX(id) - 4 FROM career_dashboard_snapshots)");
    enum err rc;

    stmt_text(ins, 1, computed_at);
    stmt_text(ins, 2, body);
    rc = stmt_exec(ins);
    return rc ? rc : stmt_exec(old);
}
