/* SPDX-License-Identifier: MIT */
/* Career development rules: gap analysis, plan completion, mentor matching, opportunity ranking,
 * the path between levels, and framework import. The ranking functions are pure. */
#ifndef TRELLIS_DOMAIN_CAREERS_H
#define TRELLIS_DOMAIN_CAREERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

/* Adds "gap" (expected - current, a missing rating counting 0) to each row of
 * [{kind, id, name, expected, current}] and returns the rows below expectation, largest gap
 * first (then by name). Steals rows. */
json_t *careers_gaps(json_t *rows);
/* Completion percentage of a plan: done actions and done milestones over all that are not
 * cancelled; 0 for an empty plan. */
double careers_completion(json_t *actions, json_t *milestones);
/* Ranks mentor candidates [{id, department_id, capacity, load, rating}] for a mentee in
 * department: only those with room (load < capacity) and not the mentee; score = 10 x rating
 * + 5 when in another department + room left (up to 3). Adds "score" and "reasons"; returns
 * a new sorted array (best first). */
json_t *careers_rank_mentors(json_t *candidates, int64_t mentee, int64_t department);
/* Ranks open opportunities for a person: [{id, title, ...}] with their required skills
 * [{opportunity_id, skill_id, min_rating}], the person's current skill ratings
 * {skill_id: rating} as an object keyed by decimal id, the skill ids of their gaps, and the
 * words of their aspiration. Adds "score" and "reasons"; returns a new sorted array. */
json_t *careers_rank_opportunities(json_t *opps, json_t *required, json_t *ratings,
                                   json_t *gap_skills, const char *aspiration);
/* Whether a person at (track, position) may target (track, position): any higher level on the
 * same track; on another track the same position or one below (a lateral move). */
bool careers_has_path(int64_t from_track, int64_t from_pos, int64_t to_track, int64_t to_pos);
/* Replaces or adds the framework in doc ({tracks: [{name, description, levels: [{code, title,
 * summary, expectations: [{competency, rating, description}], skills: [{skill, rating}]}]}],
 * competencies: [{name, description}]}) in one transaction. Levels are listed in order;
 * ratings are 1-5; names must exist (competencies in the document or already stored; skills
 * in the catalogue). */
/* The framework as GET /career/framework shows it: {tracks: [.. levels: [.. expectations,
 * skills]], competencies}. */
enum err careers_framework_json(struct db *db, json_t **out);
enum err careers_import(struct db *db, const struct actor *actor, json_t *doc, struct errinfo *ei);

/* The HR dashboard of the whole company (see docs/api-careers.md), computed now. */
enum err careers_dashboard(struct db *db, json_t **out);
/* Stores a new dashboard snapshot unless the newest is younger than max_age seconds. */
enum err careers_dashboard_refresh(struct db *db, int64_t max_age);

#endif
