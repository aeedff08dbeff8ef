/* SPDX-License-Identifier: MIT */
/* SQL for career frameworks, skills and ratings, development plans, learning, mentorship and
 * internal opportunities. Reads return JSON read models (store_json_rows). */
#ifndef TRELLIS_STORE_CAREERS_H
#define TRELLIS_STORE_CAREERS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* Framework. */
enum err store_fw_tracks(struct db *db, json_t **out);
enum err store_fw_levels(struct db *db, json_t **out); /* every level, by track and position */
enum err store_fw_competencies(struct db *db, json_t **out);
enum err store_fw_expectations(struct db *db, int64_t level, json_t **out); /* 0 = all levels */
enum err store_fw_level(struct db *db, int64_t id, json_t **out);
enum err store_fw_track_upsert(struct db *db, const char *name, const char *description,
                               int64_t *id);
enum err store_fw_competency_upsert(struct db *db, const char *name, const char *description,
                                    int64_t *id);
enum err store_fw_level_upsert(struct db *db, int64_t track, int64_t position, const char *code,
                               const char *title, const char *summary, int64_t *id);
enum err store_fw_clear_expectations(struct db *db, int64_t level);
enum err store_fw_expect(struct db *db, int64_t level, int64_t competency, int64_t rating,
                         const char *description);
enum err store_fw_expect_skill(struct db *db, int64_t level, int64_t skill, int64_t rating);
/* A person's placement: {level_id, code, title, position, track_id, track} or ERR_NOT_FOUND. */
enum err store_placement_get(struct db *db, int64_t person, json_t **out);
enum err store_placement_set(struct db *db, int64_t person, int64_t level);

/* Skills and ratings. */
enum err store_skills_list(struct db *db, json_t **out);
enum err store_skills_insert(struct db *db, const char *name, const char *category, int64_t *id);
enum err store_skill_get(struct db *db, int64_t id, json_t **out);
enum err store_competency_get(struct db *db, int64_t id, json_t **out);
enum err store_ratings_insert(struct db *db, int64_t person, const char *subject,
                              int64_t subject_id, const char *source, int64_t rating, int64_t rater,
                              const char *now);
/* Current ratings: one row per (subject, subject_id) with self and manager columns. */
enum err store_ratings_current(struct db *db, int64_t person, json_t **out);
enum err store_ratings_history(struct db *db, int64_t person, json_t **out);
/* The gap rows for a target level: expected and current (manager's, else self) per competency
 * and skill the level expects. */
enum err store_gap_rows(struct db *db, int64_t person, int64_t level, json_t **out);
/* Gap rows for a role: the skills an opportunity requires. */
enum err store_gap_rows_opportunity(struct db *db, int64_t person, int64_t opportunity,
                                    json_t **out);

/* Development plans. */
enum err store_idp_get(struct db *db, int64_t person, json_t **out);
enum err store_idp_upsert(struct db *db, int64_t person, json_t *fields, const char *now,
                          int64_t *id);
/* The person whose plan idp is. */
enum err store_idp_owner(struct db *db, int64_t idp, int64_t *person);
enum err store_idp_snapshot(struct db *db, int64_t idp, int64_t version, const char *snapshot,
                            int64_t by, const char *now);
enum err store_idp_bump(struct db *db, int64_t idp, const char *now);
enum err store_idp_sign_off(struct db *db, int64_t idp, int64_t by, const char *now);
enum err store_idp_actions(struct db *db, int64_t idp, json_t **out);
enum err store_idp_action_get(struct db *db, int64_t id, json_t **out);
/* The same inside a write's transaction, the row locked until it ends (PostgreSQL: FOR UPDATE). */
enum err store_idp_action_get_for_update(struct db *db, int64_t id, json_t **out);
enum err store_idp_action_insert(struct db *db, int64_t idp, json_t *a, const char *now,
                                 int64_t *id);
enum err store_idp_action_update(struct db *db, int64_t id, json_t *a);
enum err store_idp_milestones(struct db *db, int64_t idp, json_t **out);
enum err store_idp_milestone_insert(struct db *db, int64_t idp, const char *title, const char *due,
                                    int64_t *id);
enum err store_idp_milestone_get(struct db *db, int64_t id, json_t **out);
enum err store_idp_milestone_done(struct db *db, int64_t id, const char *done_at);
enum err store_idp_comments(struct db *db, int64_t idp, json_t **out);
enum err store_idp_comment_insert(struct db *db, int64_t idp, int64_t author, const char *body,
                                  const char *now);
enum err store_idp_history(struct db *db, int64_t idp, json_t **out);
/* Open IDP actions of person, for the one-on-one agenda. */
enum err store_idp_actions_of(struct db *db, int64_t person, json_t **out);

/* Learning. */
enum err store_learning_of(struct db *db, int64_t person, json_t **out);
enum err store_learning_insert(struct db *db, int64_t person, json_t *r, int64_t action,
                               const char *now, int64_t *id);
/* Certifications expiring between from and to (all people; the caller filters by access). */
enum err store_learning_expiring(struct db *db, const char *from, const char *to, json_t **out);

/* Mentorship. */
enum err store_mentor_offer_put(struct db *db, int64_t person, int64_t capacity, const char *note,
                                bool active, const char *now);
enum err store_mentor_offer_skills(struct db *db, int64_t person, const int64_t *skills, size_t n);
enum err store_mentor_offer_get(struct db *db, int64_t person, json_t **out);
/* Mentors offering skill, with their rating of it, department, capacity and load. */
enum err store_mentor_candidates(struct db *db, int64_t skill, json_t **out);
enum err store_mentorship_insert(struct db *db, int64_t mentor, int64_t mentee, int64_t skill,
                                 const char *goals, const char *start, const char *end,
                                 const char *now, int64_t *id);
enum err store_mentorships_of(struct db *db, int64_t person, json_t **out);
enum err store_mentorship_get(struct db *db, int64_t id, json_t **out);
enum err store_mentorship_end(struct db *db, int64_t id, const char *end);
enum err store_mentorship_set_status(struct db *db, int64_t id, const char *status);
/* Inside a transaction: holds the mentor's offer until commit (PostgreSQL; SQLite's write
 * transaction already excludes every other writer), so two answers or requests at once count
 * the mentor's load one after the other. */
void store_mentor_offer_lock(struct db *db, int64_t mentor);
int64_t store_mentor_load(struct db *db, int64_t mentor);
bool store_mentorship_between(struct db *db, int64_t a, int64_t b);
/* The mentor of an active mentorship between a and b (0 when none). */
int64_t store_mentor_between(struct db *db, int64_t a, int64_t b);

/* Opportunities. */
enum err store_opportunities(struct db *db, const char *status, json_t **out);
enum err store_opportunity_get(struct db *db, int64_t id, json_t **out);
enum err store_opportunity_insert(struct db *db, json_t *o, int64_t by, const char *now,
                                  int64_t *id);
enum err store_opportunity_skill(struct db *db, int64_t opp, int64_t skill, int64_t min_rating);
enum err store_opportunity_skills(struct db *db, int64_t opp, json_t **out);
enum err store_opportunity_all_skills(struct db *db, json_t **out);
enum err store_opportunity_close(struct db *db, int64_t id);
enum err store_interest_insert(struct db *db, int64_t opp, int64_t person, const char *note,
                               const char *now);
enum err store_interest_of(struct db *db, int64_t opp, json_t **out);
enum err store_notify(struct db *db, int64_t person, const char *kind, const char *body,
                      const char *link, const char *key, const char *now);

/* Released review outcomes of person: {cycle, rating (effective, as text), summary, released_at}.
 */
enum err store_released_outcomes(struct db *db, int64_t person, json_t **out);
bool store_has_reports(struct db *db, int64_t person);

/* The career page and the HR dashboard. */
enum err store_career_role_history(struct db *db, int64_t person, json_t **out);
enum err store_career_counts(struct db *db, int64_t person, json_t **out);
enum err store_career_feedback_by_month(struct db *db, int64_t person, json_t **out);
enum err store_career_skills_by_month(struct db *db, int64_t person, json_t **out);
/* Per department: headcount, promotions in the last year, IDP coverage and completion,
 * framework coverage, and since_unknown: active people without a date in their level. */
enum err store_career_dashboard(struct db *db, const char *year_ago, json_t **out);
/* The k-th earliest date (from 0) since which an active person of the department has been in
 * their level, among those with a date; ERR_NOT_FOUND past the last. */
enum err store_career_level_since_at(struct db *db, int64_t department_id, int64_t k,
                                     char since[11]);

/* The newest dashboard snapshot (ERR_NOT_FOUND when none); keeping only the newest few. */
enum err store_dashboard_snapshot_get(struct db *db, struct arena *a, const char **computed_at,
                                      const char **body);
enum err store_dashboard_snapshot_put(struct db *db, const char *computed_at, const char *body);

#endif
