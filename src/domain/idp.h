/* SPDX-License-Identifier: MIT */
/* Career writes: the skills catalogue, ratings, placements, learning records and the individual
 * development plan. Each write is one transaction that reads what it decides on, asks policy/
 * and records the audit row with the item before and after. The API layer parses and checks the
 * shape of a body; ei then carries the reason of a refusal. *out (when out is not NULL) is the
 * reply the caller shows, read inside the same transaction, so a failure after the commit cannot
 * answer 500 for a write that was made. */
#ifndef TRELLIS_DOMAIN_IDP_H
#define TRELLIS_DOMAIN_IDP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/err.h"

/* The plan of person as GET …/idp shows it (with completion, actions, milestones, comments);
 * ERR_NOT_FOUND when the person has none. A failed read is an error, never an empty list. */
enum err idp_plan(struct db *db, int64_t person, json_t **out);

/* HR adds a skill to the catalogue (ERR_CONFLICT when the name is taken). */
enum err careers_skill_add(struct db *db, const struct actor *actor, const char *name,
                           const char *category, json_t **out, struct errinfo *ei);
/* HR places person on level_id (role history and audit through people_update); *out is the
 * placement. */
enum err careers_place(struct db *db, struct arena *a, const struct actor *actor, int64_t person,
                       int64_t level_id, const char *reason, json_t **out, struct errinfo *ei);
/* The person (self) or one of their managers (manager) rates a skill or competency 1-5; *out
 * is {current, history} of the person's ratings. */
enum err careers_rate(struct db *db, const struct actor *actor, int64_t person, const char *subject,
                      int64_t subject_id, int64_t rating, json_t **out, struct errinfo *ei);
/* The person or HR records learning rec {kind, title, provider, completed_on, expires_on}; *out
 * is the person's learning records. */
enum err careers_learning_add(struct db *db, const struct actor *actor, int64_t person, json_t *rec,
                              json_t **out, struct errinfo *ei);

/* The person writes their plan's aspirations (fields: the members of PUT …/idp). */
enum err idp_put(struct db *db, const struct actor *actor, int64_t person, json_t *fields,
                 json_t **out, struct errinfo *ei);
/* The person adds action a (store columns) to their plan (ERR_CONFLICT without a plan). */
enum err idp_action_add(struct db *db, const struct actor *actor, int64_t person, json_t *a,
                        json_t **out, struct errinfo *ei);
/* Applies an edit to action (store columns) of plan; status is what the edit set (or NULL). */
typedef void (*idp_action_merge)(void *ctx, json_t *action, json_t *plan, const char **status,
                                 struct errinfo *ei);
/* The plan's owner edits action id: it is read with its row locked, merged by merge and
 * written; learning (or NULL) is recorded when the action is done (*out then has
 * learning_record_id). */
enum err idp_action_update(struct db *db, const struct actor *actor, int64_t id,
                           idp_action_merge merge, void *ctx, json_t *learning, json_t **out,
                           struct errinfo *ei);
enum err idp_milestone_add(struct db *db, const struct actor *actor, int64_t person,
                           const char *title, const char *due, json_t **out, struct errinfo *ei);
enum err idp_milestone_done(struct db *db, const struct actor *actor, int64_t id, bool done,
                            json_t **out, struct errinfo *ei);
/* The person or a manager comments; the other side is notified. */
enum err idp_comment(struct db *db, struct arena *a, const struct actor *actor, int64_t person,
                     const char *text, json_t **out, struct errinfo *ei);
/* A manager signs the plan off; the person is notified. */
enum err idp_sign_off(struct db *db, const struct actor *actor, int64_t person, json_t **out,
                      struct errinfo *ei);

#endif
