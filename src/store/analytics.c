/* SPDX-License-Identifier: MIT */
/* See analytics.h. Every report reads the whole company by design (HR views); the statements
 * start with the same comment so that the plan test lists them together. */
#include "store/analytics.h"

enum err store_calibration_target_get(struct db *db, struct arena *a, int64_t cycle,
                                      const char **json)
{
    static const char sql[] = "SELECT distribution FROM calibration_targets WHERE cycle_id = $1";
    struct stmt *s = db_stmt(db, sql);
    int rc;

    stmt_i64(s, 1, cycle);
    rc = stmt_step(s);
    *json = rc == 1 ? col_dup(a, s, 0) : NULL;
    stmt_reset(s);
    return rc == 1 ? ERR_OK : rc == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_calibration_target_put(struct db *db, int64_t cycle, const char *json, int64_t by,
                                      const char *now)
{
    static const char put[] =
        "INSERT INTO calibration_targets (cycle_id, distribution, set_by, updated_at)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (cycle_id) DO UPDATE SET"
        " distribution = excluded.distribution, set_by = excluded.set_by,"
        " updated_at = excluded.updated_at";
    static const char clear[] = "DELETE FROM calibration_targets WHERE cycle_id = $1";
    struct stmt *s = db_stmt(db, json ? put : clear);

    stmt_i64(s, 1, cycle);
    if (json) {
        stmt_text(s, 2, json);
        stmt_i64(s, 3, by);
        stmt_text(s, 4, now);
    }
    return stmt_exec(s);
}

enum err store_analytics_completion(struct db *db, json_t **rows)
{
    static const char sql[] = "SELECT /* HR analytics */ c.id, c.name, r.kind, COUNT(*),"
                              " SUM(CASE WHEN r.status = 'submitted' THEN 1 ELSE 0 END)"
                              " FROM reviews r JOIN review_cycles c ON c.id = r.cycle_id"
                              " WHERE r.status <> 'cancelled' AND c.status <> 'draft'"
                              " GROUP BY c.id, c.name, r.kind ORDER BY c.id, r.kind";

    return store_json_rows(db_stmt(db, sql), "cycle_id:i cycle:s kind:s total:i submitted:i", rows);
}

enum err store_analytics_ratings(struct db *db, int64_t reader, json_t **rows)
{
    static const char sql[] =
        "SELECT /* HR analytics */ c.id, c.name, c.threshold, o.person_id,"
        " COALESCE(o.calibrated_rating, o.rating)"
        " FROM review_outcomes o JOIN review_cycles c ON c.id = o.cycle_id"
        " WHERE o.withdrawn_at IS NULL AND o.person_id <> $1"
        " AND COALESCE(o.calibrated_rating, o.rating) IS NOT NULL ORDER BY c.id";
    struct stmt *s = db_stmt(db, sql);

    stmt_i64(s, 1, reader);
    return store_json_rows(s, "cycle_id:i cycle:s threshold:i person_id:i rating:f", rows);
}

enum err store_analytics_goals(struct db *db, json_t **rows)
{
    static const char sql[] =
        "SELECT /* HR analytics */ g.owner_id, d.name, p.level, g.status, g.progress"
        " FROM goals g JOIN people p ON p.id = g.owner_id"
        " LEFT JOIN departments d ON d.id = p.department_id"
        " WHERE g.level = 'individual' AND g.status <> 'draft' AND g.accepted = 1"
        " AND g.visibility IN ('public', 'managers')";

    return store_json_rows(db_stmt(db, sql), "owner_id:i department:s level:s status:s progress:f",
                           rows);
}

enum err store_analytics_people(struct db *db, const char *since, json_t **rows)
{
    static const char sql[] =
        "SELECT /* HR analytics */ p.id, d.name, p.level, p.hire_date,"
        " (SELECT MAX(h.effective_date) FROM role_history h WHERE h.person_id = p.id"
        " AND h.kind IN ('promotion', 'level_change')),"
        " (SELECT COUNT(*) FROM role_history h WHERE h.person_id = p.id"
        " AND h.kind = 'promotion' AND h.effective_date >= $1),"
        " CASE WHEN i.id IS NULL THEN 0 ELSE 1 END,"
        " (SELECT COUNT(*) FROM idp_actions x WHERE x.idp_id = i.id),"
        " (SELECT COUNT(*) FROM idp_actions x WHERE x.idp_id = i.id AND x.status = 'done')"
        " FROM people p LEFT JOIN departments d ON d.id = p.department_id"
        " LEFT JOIN idps i ON i.person_id = p.id WHERE p.status = 'active' ORDER BY p.id";
    struct stmt *s = db_stmt(db, sql);

    stmt_text(s, 1, since);
    return store_json_rows(s,
                           "person_id:i department:s level:s hire_date:s level_since:s"
                           " promotions:i has_idp:b actions:i actions_done:i",
                           rows);
}

enum err store_analytics_feedback(struct db *db, json_t **rows)
{
    static const char sql[] =
        "SELECT /* HR analytics */ substr(created_at, 1, 7), kind, COUNT(*) FROM feedback"
        " WHERE visibility IN ('public', 'managers')"
        " GROUP BY substr(created_at, 1, 7), kind ORDER BY 1, 2";

    return store_json_rows(db_stmt(db, sql), "month:s kind:s n:i", rows);
}

enum err store_analytics_oneonones(struct db *db, json_t **rows)
{
    static const char sql[] =
        "SELECT /* HR analytics */ r.manager_id, m.name, r.id,"
        " (SELECT MAX(substr(t.held_at, 1, 10)) FROM oneonone_series s"
        " JOIN oneonone_meetings t ON t.series_id = s.id"
        " WHERE s.lead_id = r.manager_id AND s.member_id = r.id AND t.held_at IS NOT NULL)"
        " FROM people r JOIN people m ON m.id = r.manager_id WHERE r.status = 'active'"
        " ORDER BY r.manager_id, r.id";

    return store_json_rows(db_stmt(db, sql), "manager_id:i manager:s report_id:i last_held:s",
                           rows);
}
