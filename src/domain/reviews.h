/* SPDX-License-Identifier: MIT */
/* Performance reviews: templates of questions, cycles launched in one transaction, answers
 * validated against the template and locked on submit, outcomes released to the employee and
 * acknowledged, and the 360 aggregate that never names a peer to the reviewee. */
#ifndef TRELLIS_DOMAIN_REVIEWS_H
#define TRELLIS_DOMAIN_REVIEWS_H

#include <jansson.h>

#include "policy/policy.h"
#include "store/reviews.h"
#include "util/err.h"

/* Checks a template's kind and questions ([{id, type: rating|text, text, scale?, required?}]);
 * returns the normalised questions (new reference) or NULL with problems in ei. */
json_t *reviews_check_template(const char *kind, json_t *questions, struct errinfo *ei);
/* Manager-only questions (the potential axis, private manager notes): never shown to the
 * person reviewed. The question object from a template; the stripping removes those questions
 * and their answers in place. */
bool reviews_question_manager_only(const json_t *q);
void reviews_strip_manager_only(json_t *questions, json_t *answers);
/* The person acknowledges their released outcome id, with an optional response: one transaction
 * that reads the outcome, lets only its person do it (policy ACT_OUTCOME_ACKNOWLEDGE), records it
 * once (a second acknowledgement, even at the same moment, is ERR_CONFLICT), tells the manager
 * and audits the acknowledgement before and after (never the ratings). *o is the outcome as
 * written. */
enum err reviews_acknowledge(struct db *db, struct arena *a, const struct actor *actor, int64_t id,
                             const char *comment, struct review_outcome *o, struct errinfo *ei);
/* HR stores template t (name, kind, created_at) with questions (checked by
 * reviews_check_template): one transaction that asks the policy (ACT_CYCLE_ADMIN), inserts and
 * audits the template as created; *out (the caller's) is that image, the answer. */
enum err reviews_template_create(struct db *db, struct arena *a, const struct actor *actor,
                                 struct review_template *t, json_t *questions, json_t **out,
                                 struct errinfo *ei);
/* What a template edit changes: each field NULL when it was not sent. */
struct template_change {
    const char *name, *kind;
    json_t *questions;
};
/* HR edits template id by k: one transaction that asks the policy, reads and locks the template,
 * refuses it (ERR_CONFLICT) when a launched cycle uses it or (a field error on kind) a change of
 * kind while a draft cycle names it, checks the questions (sent or stored) for the kind it ends
 * with, writes only what k changes and audits before and after; *out is the template's new
 * image (the caller's). */
enum err reviews_template_update(struct db *db, struct arena *a, const struct actor *actor,
                                 int64_t id, const struct template_change *k, json_t **out,
                                 struct errinfo *ei);
/* HR (never the outcome's own person) reopens released outcome id to correct it: the released
 * version is kept, the manager review is a draft again. One transaction with the outcome's row
 * locked (a second reopen at once finds it unreleased: ERR_CONFLICT); audited before and after
 * (version, released_at, the reason). *o is the outcome as written. */
enum err reviews_outcome_reopen(struct db *db, struct arena *a, const struct actor *actor,
                                int64_t id, const char *reason, struct review_outcome *o,
                                struct errinfo *ei);
/* HR sets (text: the distribution as JSON) or removes (NULL) the target rating distribution of
 * cycle id: one transaction that asks the policy, reads the target it replaces and audits before
 * and after (dist, the caller's). */
enum err reviews_calibration_target_set(struct db *db, struct arena *a, const struct actor *actor,
                                        int64_t cycle, const char *text, json_t *dist,
                                        struct errinfo *ei);
/* What a calibration changes: the calibrated rating and/or the potential (has_* say which were
 * sent) and the justification. */
struct calibration_change {
    bool has_rating, has_potential;
    double rating;
    int64_t potential;
    const char *why;
};
/* HR (never the outcome's own person) calibrates outcome id by k: one transaction that reads the
 * outcome with its row locked, refuses a released one (ERR_CONFLICT) or one past the cycle's
 * calibration deadline, writes only what k changes and audits before and after. *o and *c are
 * the outcome as written and its cycle. */
enum err reviews_outcome_calibrate(struct db *db, struct arena *a, const struct actor *actor,
                                   int64_t id, const struct calibration_change *k,
                                   struct review_outcome *o, struct review_cycle *c,
                                   struct errinfo *ei);
/* HR releases reopened outcome id of a released cycle on its own and tells the person. */
enum err reviews_outcome_release(struct db *db, struct arena *a, const struct actor *actor,
                                 int64_t id, struct review_outcome *o, struct errinfo *ei);
/* Checks answers ({question id: value}) against the template's questions; with final, every
 * required question must be answered. Problems are named "answers.<id>". */
void reviews_check_answers(json_t *questions, json_t *answers, bool final, struct errinfo *ei);
/* Creates every assignment and outcome of the cycle and marks it active: self reviews, manager
 * reviews, and up to peers_per_person teammates as peers (no one asked more than
 * peers_per_person times). ERR_VALIDATION when nobody takes part. Up to launch_batch
 * participants it is one transaction; a larger cycle is marked launching and written in ranges
 * of whole teams, a transaction each, so that other writes go on meanwhile (a launch that
 * stops part-way is finished by reviews_launch_resume). A cycle still launching is resumed. */
enum err reviews_launch(struct db *db, struct arena *a, const struct actor *actor,
                        const struct review_cycle *c, int64_t *assignments, struct errinfo *ei);
/* Finishes a launch in ranges that stopped (no range for two minutes): the participants not
 * enrolled yet are; ERR_CONFLICT while another run is still writing it. actor may be NULL (the
 * scheduler). *assignments is the cycle's reviews in all. */
enum err reviews_launch_resume(struct db *db, struct arena *a, const struct actor *actor,
                               const struct review_cycle *c, int64_t *assignments,
                               struct errinfo *ei);
/* The scheduler's part: every stopped launch resumed. */
enum err reviews_launch_resume_stalled(struct db *db);
#define LAUNCH_BATCH_DEFAULT 20000
/* Participants per transaction of a large launch (launch_batch). */
void reviews_configure_launch(int64_t participants_per_transaction);
/* What a launch creates: participants, reviews in all, and by kind (self, manager, peer,
 * upward). count_only: counted, nothing written (a dry run). */
struct launch_tally {
    int64_t participants, total, by_kind[4];
    bool count_only;
};

/* The launch of c done and rolled back: exactly the counts a launch now would create. */
enum err reviews_launch_dry_run(struct db *db, struct arena *a, const struct review_cycle *c,
                                struct launch_tally *tally, struct errinfo *ei);
/* Saves answers (draft) or submits them; a submitted manager review sets the outcome's rating
 * (question "overall") and summary (question "summary"). */
enum err reviews_save(struct db *db, struct arena *a, const struct actor *actor,
                      const struct review *r, json_t *answers, bool submit, struct errinfo *ei);
/* The same for the web UI and the API: changes (question id -> answer) are merged into the
 * answers as they are inside the write's transaction, then checked against the template's
 * questions (every required one when submit). The audit row records status and answered
 * question ids before and after. */
enum err reviews_save_merge(struct db *db, struct arena *a, const struct actor *actor,
                            const struct review *r, json_t *questions, json_t *changes, bool submit,
                            struct errinfo *ei);
/* The peer summary of docs/api.md for person in cycle: {responses, below_threshold, questions:[{
 * question_id, average, comments}]} (new reference). Comments come in an order unrelated to
 * who wrote them; with names, "respondents" lists the reviewers (managers when the cycle allows,
 * HR). */
/* The anonymous aggregate of the peer or upward (kind) reviews about person. */
json_t *reviews_peer_summary(struct db *db, struct arena *a, const struct review_cycle *c,
                             int64_t person, const char *kind, bool with_names);

struct sync_result {
    int64_t joined, left, moved, assignments;
};

/* Follows joiners, leavers and changes of manager in an active cycle (one transaction). */
enum err reviews_sync(struct db *db, struct arena *a, const struct actor *actor,
                      const struct review_cycle *c, struct sync_result *res, struct errinfo *ei);
/* The phase of the cycle on date today: draft, nomination, self_assessment, peer_feedback,
 * manager_review, calibration, release (all deadlines passed) or released. */
const char *reviews_phase(const struct review_cycle *c, const char *today);
/* ERR_CONFLICT when the deadline of the step kind (self, peer, upward, manager, nomination,
 * calibration) has passed. */
enum err reviews_check_deadline(const struct review_cycle *c, const char *kind, struct errinfo *ei);
/* The most peer reviews one person is asked to write in the cycle. */
size_t reviews_max_requests(const struct review_cycle *c);
/* Replaces reviewee's peer nominations with ids (JSON array): proposed by the employee, or
 * approved by a manager/HR, which assigns the peer reviews. Checks limits and people. */
enum err reviews_nominate(struct db *db, struct arena *a, const struct actor *actor,
                          const struct review_cycle *c, int64_t reviewee, json_t *ids, bool approve,
                          struct errinfo *ei);

#endif
