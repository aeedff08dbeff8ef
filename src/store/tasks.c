/* SPDX-License-Identifier: MIT */
/* See tasks.h. Every query is bounded by the person (an index on the owning column) and a
 * LIMIT, so the inbox costs one statement per kind however much the person has to do. */
#include "store/tasks.h"

#include <stdio.h>
#include <string.h>

#define TASK_SPEC "kind:s title:s detail:s due:s href:s id:i"

/* The other side of a one-on-one series from $1. */
#define OTHER_SIDE                                                                                 \
    " JOIN people o ON o.id = CASE WHEN s.lead_id = $1 THEN s.member_id ELSE s.lead_id END"

/* binds: p = $n person, t = today, s = stale_before, h = 1 when HR */
struct task_query {
    const char *binds;
    const char *sql;
};

static const struct task_query queries[] = {
    /* reviews to write in an active cycle, with that phase's deadline */
    {"p", "SELECT 'review_' || r.kind, CASE r.kind WHEN 'self' THEN 'Write your self-review'"
          " WHEN 'manager' THEN 'Write the manager review of ' || e.name"
          " WHEN 'peer' THEN 'Write a peer review of ' || e.name"
          " ELSE 'Write an upward review of ' || e.name END,"
          " c.name || CASE WHEN r.status = 'draft' THEN ' · draft saved' ELSE '' END,"
          " CASE r.kind WHEN 'self' THEN c.self_due WHEN 'manager' THEN c.manager_due"
          " ELSE c.peer_due END, '#/reviews/' || CAST(r.id AS TEXT), r.id"
          " FROM reviews r JOIN review_cycles c ON c.id = r.cycle_id"
          " JOIN people e ON e.id = r.reviewee_id WHERE r.reviewer_id = $1"
          " AND c.status = 'active' AND r.status IN ('assigned', 'draft') ORDER BY r.id LIMIT 200"},
    /* feedback requests asked of me and still open */
    {"p", "SELECT 'feedback_request', 'Give feedback to ' || q.name, f.topic, f.due_date,"
          " '#/feedback?tab=requests', f.id FROM feedback_requests f"
          " JOIN people q ON q.id = f.requester_id WHERE f.asked_id = $1 AND f.status = 'open'"
          " ORDER BY f.id LIMIT 200"},
    /* peers my direct reports proposed, waiting for my approval */
    {"p", "SELECT 'nomination', 'Approve the peer reviewers ' || e.name || ' proposed', c.name,"
          " c.nomination_due, '#/reviews?tab=peers', MIN(n.id) FROM people e"
          " JOIN peer_nominations n ON n.reviewee_id = e.id"
          " JOIN review_cycles c ON c.id = n.cycle_id WHERE e.manager_id = $1"
          " AND e.status = 'active' AND c.status = 'active' AND n.status = 'proposed'"
          " GROUP BY c.id, c.name, c.nomination_due, e.id, e.name ORDER BY MIN(n.id) LIMIT 200"},
    /* development plans of my direct reports not signed off */
    {"p", "SELECT 'idp_sign_off', 'Sign off the development plan of ' || p.name,"
          " 'Updated ' || SUBSTR(i.updated_at, 1, 10), NULL,"
          " '#/development?tab=plan&person=' || CAST(p.id AS TEXT), i.id FROM people p"
          " JOIN idps i ON i.person_id = p.id WHERE p.manager_id = $1 AND p.status = 'active'"
          " AND i.signed_off_at IS NULL ORDER BY i.id LIMIT 200"},
    /* my next one-on-one (of any series), with the size of its agenda */
    {"pt", "SELECT 'one_on_one', 'One-on-one with ' || o.name, REPLACE(m.local_start, 'T', ' at ') "
           "|| ' · ' ||"
           " CASE (SELECT COUNT(*) FROM oneonone_points t WHERE t.meeting_id = m.id)"
           " WHEN 0 THEN 'nothing on the agenda yet' WHEN 1 THEN '1 talking point'"
           " ELSE CAST((SELECT COUNT(*) FROM oneonone_points t WHERE t.meeting_id = m.id) AS TEXT)"
           " || ' talking points' END, m.occurrence_date,"
           " '#/one-on-ones/meetings/' || CAST(m.id AS TEXT), m.id FROM oneonone_series s"
           " JOIN oneonone_meetings m ON m.series_id = s.id" OTHER_SIDE
           " WHERE (s.lead_id = $1 OR s.member_id = $1) AND s.status = 'active'"
           " AND m.status = 'scheduled' AND m.occurrence_date >= $2"
           " ORDER BY m.starts_at, m.id LIMIT 1"},
    /* open action items I own */
    {"p", "SELECT 'action_item', x.body, 'Action item from your one-on-one with ' || o.name,"
          " x.due_date, '#/one-on-ones/meetings/' || CAST(x.meeting_id AS TEXT), x.id"
          " FROM action_items x JOIN oneonone_series s ON s.id = x.series_id" OTHER_SIDE
          " WHERE x.owner_id = $1 AND x.status = 'open' ORDER BY x.id LIMIT 200"},
    /* my running goals with no check-in and no edit since stale_before */
    {"pts", "SELECT 'goal_stale', 'Check in on ' || g.title, 'No update since ' ||"
            " SUBSTR(CASE WHEN g.last_checkin_at IS NOT NULL AND g.last_checkin_at > g.updated_at"
            " THEN g.last_checkin_at ELSE g.updated_at END, 1, 10), g.due_date,"
            " '#/goals/' || CAST(g.id AS TEXT), g.id FROM goals g WHERE g.owner_id = $1"
            " AND g.accepted = 1 AND g.status IN ('on_track', 'at_risk', 'off_track')"
            " AND g.start_date <= $2 AND g.updated_at < $3"
            " AND (g.last_checkin_at IS NULL OR g.last_checkin_at < $3)"
            " ORDER BY g.due_date, g.id LIMIT 200"},
    /* goals my manager proposed to me, waiting for my answer */
    {"p", "SELECT 'goal_proposal', 'Accept or decline the goal ' || g.title,"
          " 'Proposed by ' || COALESCE(b.name, 'your manager'), g.due_date,"
          " '#/goals/' || CAST(g.id AS TEXT), g.id FROM goals g"
          " LEFT JOIN people b ON b.id = g.proposed_by WHERE g.owner_id = $1 AND g.accepted = 0"
          " AND g.status NOT IN ('done', 'missed', 'abandoned')"
          " ORDER BY g.id LIMIT 200"},
    /* promotion cases: a report's own request for me to endorse; open cases for HR */
    {"ph", "SELECT CASE WHEN c.status = 'requested' THEN 'case_endorse' ELSE 'case_decide' END,"
           " CASE WHEN c.status = 'requested' THEN 'Endorse the request of ' ELSE"
           " 'Decide the case of ' END || p.name || ': ' || CASE c.kind WHEN 'raise' THEN"
           " 'raise' WHEN 'promotion' THEN 'promotion' ELSE 'new responsibilities' END,"
           " COALESCE(c.proposed_title, c.proposed_level, 'Opened ' ||"
           " SUBSTR(c.created_at, 1, 10)), NULL, '#/reviews?tab=cases', c.id"
           " FROM promotion_cases c JOIN people p ON p.id = c.person_id WHERE c.id IN ("
           /* one indexed part each: my reports' requests, and (for HR) the open cases */
           " SELECT k.id FROM people r JOIN promotion_cases k ON k.person_id = r.id"
           " WHERE r.manager_id = $1 AND k.status = 'requested'"
           " UNION ALL SELECT k.id FROM promotion_cases k WHERE k.status = 'open' AND $2 = 1)"
           " AND p.id <> $1 ORDER BY c.id LIMIT 200"},
    /* my released review outcomes not yet acknowledged */
    {"p", "SELECT 'outcome_acknowledge', 'Read and acknowledge your review', c.name, NULL,"
          " '#/reviews?tab=outcomes', o.id FROM review_outcomes o"
          " JOIN review_cycles c ON c.id = o.cycle_id WHERE o.person_id = $1"
          " AND o.released_at IS NOT NULL AND o.acknowledged_at IS NULL"
          " AND o.withdrawn_at IS NULL ORDER BY o.id LIMIT 50"},
};

static void bind(struct stmt *s, const char *binds, int64_t person, bool hr,
                 const struct task_clock *k)
{
    for (int i = 0; binds[i]; i++) {
        if (binds[i] == 'p')
            stmt_i64(s, i + 1, person);
        else if (binds[i] == 't')
            stmt_text(s, i + 1, k->today);
        else if (binds[i] == 's')
            stmt_text(s, i + 1, k->stale_before);
        else
            stmt_i64(s, i + 1, hr ? 1 : 0);
    }
}

enum err store_tasks_of(struct db *db, int64_t person, bool hr, const struct task_clock *k,
                        json_t *items)
{
    for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
        struct stmt *s = db_stmt(db, queries[q].sql);
        json_t *rows;
        enum err rc;

        bind(s, queries[q].binds, person, hr, k);
        rc = store_json_rows(s, TASK_SPEC, &rows);
        if (rc)
            return rc;
        json_array_extend(items, rows);
        json_decref(rows);
    }
    return ERR_OK;
}

/* A series between the manager $1 and the report p. */
#define PAIR                                                                                       \
    " FROM oneonone_series s JOIN oneonone_meetings m ON m.series_id = s.id WHERE"                 \
    " ((s.lead_id = $1 AND s.member_id = p.id) OR (s.lead_id = p.id AND s.member_id = $1))"
#define NEXT    PAIR " AND s.status = 'active' AND m.status = 'scheduled' AND m.occurrence_date >= $2"
#define RUNNING " g.status IN ('on_track', 'at_risk', 'off_track')"
/* goals the manager may count: not private, accepted */
#define COUNTABLE " g.owner_id = p.id AND g.visibility <> 'private' AND g.accepted = 1 AND"

enum err store_team_status(struct db *db, int64_t manager, const struct task_clock *k, json_t **out)
{
    static const char people_sql[] =
        "SELECT p.id, p.name, p.title,"
        " (SELECT COUNT(*) FROM goals g WHERE" COUNTABLE " g.status IN ('at_risk', 'off_track')),"
        " (SELECT COUNT(*) FROM goals g WHERE" COUNTABLE RUNNING "),"
        " (SELECT SUBSTR(MAX(m.held_at), 1, 10)" PAIR " AND m.status = 'held'),"
        " (SELECT m.id" NEXT " ORDER BY m.starts_at, m.id LIMIT 1),"
        " (SELECT m.local_start" NEXT " ORDER BY m.starts_at, m.id LIMIT 1),"
        " (SELECT CASE WHEN i.signed_off_at IS NULL THEN 'awaiting_sign_off' ELSE 'signed_off'"
        " END FROM idps i WHERE i.person_id = p.id),"
        " (SELECT COUNT(*) FROM idps i JOIN idp_actions a ON a.idp_id = i.id"
        " WHERE i.person_id = p.id AND a.status IN ('planned', 'in_progress')),"
        " (SELECT COUNT(*) FROM idps i JOIN idp_actions a ON a.idp_id = i.id"
        " WHERE i.person_id = p.id AND a.status = 'done')"
        " FROM people p WHERE p.manager_id = $1 AND p.status = 'active'"
        " ORDER BY p.sort_name, p.id LIMIT 500";
    static const char reviews_sql[] =
        "SELECT r.reviewee_id, c.id, c.name, r.kind, r.status FROM people p"
        " JOIN reviews r ON r.reviewee_id = p.id JOIN review_cycles c ON c.id = r.cycle_id"
        " WHERE p.manager_id = $1 AND p.status = 'active' AND c.status = 'active'"
        " AND r.kind IN ('self', 'manager') AND r.status <> 'cancelled'"
        " ORDER BY c.id DESC, r.id LIMIT 5000";
    struct stmt *s = db_stmt(db, people_sql);
    json_t *people, *reviews, *byid = json_object();
    size_t i;
    json_t *row;
    enum err rc;

    stmt_i64(s, 1, manager);
    stmt_text(s, 2, k->today);
    rc = store_json_rows(s,
                         "id:i name:s title:s goals_at_risk:i goals_active:i last_one_on_one:s"
                         " next_meeting_id:i next_one_on_one:s idp:s idp_actions_open:i"
                         " idp_actions_done:i",
                         &people);
    if (rc) {
        json_decref(byid);
        return rc;
    }
    s = db_stmt(db, reviews_sql);
    stmt_i64(s, 1, manager);
    rc = store_json_rows(s, "person:i cycle_id:i cycle:s kind:s status:s", &reviews);
    if (rc) {
        json_decref(people);
        json_decref(byid);
        return rc;
    }
    json_array_foreach(people, i, row)
    {
        char key[24];

        snprintf(key, sizeof(key), "%lld",
                 (long long)json_integer_value(json_object_get(row, "id")));
        json_object_set(byid, key, row);
        json_object_set_new(row, "review", json_null());
        if (json_is_null(json_object_get(row, "idp")))
            json_object_set_new(row, "idp", json_string("none"));
    }
    /* newest active cycle first: a person's review progress is that of their newest cycle */
    json_array_foreach(reviews, i, row)
    {
        char key[24];
        json_t *p, *rv;
        json_int_t cycle = json_integer_value(json_object_get(row, "cycle_id"));
        const char *kind = json_string_value(json_object_get(row, "kind"));

        snprintf(key, sizeof(key), "%lld",
                 (long long)json_integer_value(json_object_get(row, "person")));
        p = json_object_get(byid, key);
        if (!p)
            continue;
        rv = json_object_get(p, "review");
        if (json_is_null(rv)) {
            rv = json_pack("{s:I, s:O, s:n, s:n}", "cycle_id", cycle, "cycle",
                           json_object_get(row, "cycle"), "self", "manager");
            json_object_set_new(p, "review", rv);
        } else if (json_integer_value(json_object_get(rv, "cycle_id")) != cycle) {
            continue;
        }
        json_object_set(rv, strcmp(kind, "self") == 0 ? "self" : "manager",
                        json_object_get(row, "status"));
    }
    json_decref(reviews);
    json_decref(byid);
    *out = people;
    return ERR_OK;
}
