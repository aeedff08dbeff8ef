/* SPDX-License-Identifier: MIT */
/* The API layer: the route table and one handler file per resource. */
#ifndef TRELLIS_API_H
#define TRELLIS_API_H

#include <stdint.h>

#include "domain/cycle_setup.h"
#include "http/request.h"

/* Settings of the API layer (set once at start). metrics_token: when not NULL, GET /metrics
 * requires "Authorization: Bearer <metrics_token>". */
struct mail_config;
struct api_config {
    const char *metrics_token;
    const char *public_url;         /* where users reach the server (links in feeds), or NULL */
    const struct mail_config *mail; /* the SMTP settings (the admin's test email), or NULL */
};
void api_configure(const struct api_config *cfg);
const char *api_public_url(void);
const struct mail_config *api_mail_config(void);

/* Finds r's route and its {params} (once; api_dispatch calls it too): r->route stays -1 when
 * none matches, r->path_known says whether the path is another method's. */
void api_route_resolve(struct request *r);
/* Routes r (authentication, CSRF, body limit, handler) and leaves the response in r. */
void api_dispatch(struct request *r);
/* The pattern of route i ("unmatched" for -1). */
const char *api_route_name(int i);
const char *api_route_method(int i);
int api_route_count(void);
const char *api_route_summary(int i);
enum api_auth { API_AUTH_NONE, API_AUTH_USER, API_AUTH_SCIM };
enum api_auth api_route_auth_kind(int i);
/* Names in ei each top-level field of body that the request body schema of route does not list
 * (src/api/schema/; only for a schema with "additionalProperties": false); ERR_VALIDATION when
 * there is one. api_body then lets the handler go on collecting problems but refuses writes. */
enum err api_body_fields_check(int route, json_t *body, struct errinfo *ei);
/* The largest body a request to method path may send (limit for most routes). */
size_t api_body_limit(const char *method, const char *path, size_t limit);
/* Whether method path spends most of its time hashing a password (sign-in): the server runs it
 * on its small hashing pool, not on a worker that other connections wait for. */
bool api_route_hashes(const char *method, const char *path);
/* Whether route i's work grows with the company whatever its recent times (an import, a launch):
 * the server hands it to its pool for slow requests from the first one. */
bool api_route_heavy(int i);

/* Handler signature: returns ERR_OK after writing a response, or an error for the router to
 * render with ei. */
typedef enum err (*api_handler)(struct request *r, struct errinfo *ei);

/* Shared helpers for handlers (api/common.c). */
/* Path parameter i as a positive id; ERR_NOT_FOUND when it is not one (API: bad ids are 404). */
enum err api_path_id(struct request *r, int i, int64_t *id, struct errinfo *ei);
/* Parses the body as a JSON object (released with the request). */
enum err api_body(struct request *r, json_t **out, struct errinfo *ei);
/* Reads ?limit= (1..200, default 50). */
enum err api_limit(struct request *r, int *limit, struct errinfo *ei);
/* Reads an optional positive integer query parameter; 0 when absent. */
enum err api_query_id(struct request *r, const char *name, int64_t *out, struct errinfo *ei);

struct person;
struct jsonw;
/* A PersonSummary object of docs/api-foundation.md (returns a new reference). */
json_t *api_person_summary(const struct person *p);
/* Writes key: {"id","name"} of a reference, or null when id is 0. */
void api_ref_write(struct jsonw *w, const char *key, int64_t id, const char *name);
/* Writes the same PersonSummary with the streaming writer (the hot paths). */
void api_person_summary_write(struct jsonw *w, const struct person *p);
/* Writes the PersonDetail of id as the actor may see it; fills *p with the person. */
enum err api_person_detail_write(struct request *r, int64_t id, struct jsonw *w, struct person *p);

/* Where the browser reaches this server: the configured public URL (without a trailing /), else
 * http:// and the request's Host when it is a host name or address with an optional port (a Host
 * of any other shape gives localhost: it never goes into an emailed link). */
const char *api_base_url(struct request *r);

/* Sets the session cookie of a new sign-in (Secure when served over HTTPS). */
void api_session_cookie(struct request *r, const char *token);
enum err api_session_login(struct request *r, struct errinfo *ei);
enum err api_session_logout(struct request *r, struct errinfo *ei);
enum err api_sso_providers(struct request *r, struct errinfo *ei);
enum err api_sso_start(struct request *r, struct errinfo *ei);
enum err api_sso_callback(struct request *r, struct errinfo *ei);
enum err api_sso_settings_get(struct request *r, struct errinfo *ei);
enum err api_sso_settings_patch(struct request *r, struct errinfo *ei);
enum err api_sso_provider_create(struct request *r, struct errinfo *ei);
enum err api_sso_provider_patch(struct request *r, struct errinfo *ei);
enum err api_sso_provider_delete(struct request *r, struct errinfo *ei);
enum err api_me_get(struct request *r, struct errinfo *ei);
enum err api_me_password(struct request *r, struct errinfo *ei);
enum err api_accounts_reset(struct request *r, struct errinfo *ei);
enum err api_me_tokens_list(struct request *r, struct errinfo *ei);
enum err api_me_tokens_create(struct request *r, struct errinfo *ei);
enum err api_me_tokens_delete(struct request *r, struct errinfo *ei);
enum err api_account_tokens_list(struct request *r, struct errinfo *ei);
enum err api_account_tokens_delete(struct request *r, struct errinfo *ei);
enum err api_admin_account_get(struct request *r, struct errinfo *ei);
enum err api_admin_account_patch(struct request *r, struct errinfo *ei);
enum err api_admin_account_deactivate(struct request *r, struct errinfo *ei);
enum err api_admin_account_reactivate(struct request *r, struct errinfo *ei);
enum err api_admin_session_delete(struct request *r, struct errinfo *ei);
enum err api_admin_invite(struct request *r, struct errinfo *ei);
enum err api_invitation_get(struct request *r, struct errinfo *ei);
enum err api_invitation_accept(struct request *r, struct errinfo *ei);
enum err api_people_create(struct request *r, struct errinfo *ei);
enum err api_admin_test_email(struct request *r, struct errinfo *ei);
enum err api_people_list(struct request *r, struct errinfo *ei);
enum err api_people_get(struct request *r, struct errinfo *ei);
enum err api_person_export(struct request *r, struct errinfo *ei);
enum err api_people_patch(struct request *r, struct errinfo *ei);
enum err api_people_import(struct request *r, struct errinfo *ei);
enum err api_departments_list(struct request *r, struct errinfo *ei);
enum err api_audit_list(struct request *r, struct errinfo *ei);
enum err api_service_healthz(struct request *r, struct errinfo *ei);
enum err api_service_metrics(struct request *r, struct errinfo *ei);
enum err api_service_openapi(struct request *r, struct errinfo *ei);
enum err api_goals_list(struct request *r, struct errinfo *ei);
enum err api_goals_tree(struct request *r, struct errinfo *ei);
enum err api_goals_get(struct request *r, struct errinfo *ei);
enum err api_goals_create(struct request *r, struct errinfo *ei);
enum err api_goals_patch(struct request *r, struct errinfo *ei);
enum err api_goals_delete(struct request *r, struct errinfo *ei);
enum err api_goals_checkin(struct request *r, struct errinfo *ei);
enum err api_goals_checkins_list(struct request *r, struct errinfo *ei);
/* Renders goal id (with progress and roll-up) as the response. */
enum err api_goals_get_after(struct request *r, int64_t id, int status, struct errinfo *ei);
enum err api_accomplishments_list(struct request *r, struct errinfo *ei);
enum err api_accomplishments_export(struct request *r, struct errinfo *ei);
enum err api_accomplishments_get(struct request *r, struct errinfo *ei);
enum err api_accomplishments_create(struct request *r, struct errinfo *ei);
enum err api_accomplishments_patch(struct request *r, struct errinfo *ei);
enum err api_accomplishments_delete(struct request *r, struct errinfo *ei);
enum err api_feedback_list(struct request *r, struct errinfo *ei);
enum err api_feedback_create(struct request *r, struct errinfo *ei);
enum err api_feedback_get(struct request *r, struct errinfo *ei);
enum err api_feedback_requests_list(struct request *r, struct errinfo *ei);
enum err api_feedback_requests_create(struct request *r, struct errinfo *ei);
enum err api_feedback_requests_answer(struct request *r, struct errinfo *ei);
enum err api_feedback_requests_decline(struct request *r, struct errinfo *ei);
enum err api_review_templates_list(struct request *r, struct errinfo *ei);
enum err api_review_templates_create(struct request *r, struct errinfo *ei);
enum err api_review_cycles_list(struct request *r, struct errinfo *ei);
enum err api_review_cycles_create(struct request *r, struct errinfo *ei);
enum err api_review_cycles_launch(struct request *r, struct errinfo *ei);
enum err api_review_cycles_release(struct request *r, struct errinfo *ei);
enum err api_review_cycles_progress(struct request *r, struct errinfo *ei);
enum err api_review_cycles_remind(struct request *r, struct errinfo *ei);
enum err api_reviews_list(struct request *r, struct errinfo *ei);
enum err api_reviews_get(struct request *r, struct errinfo *ei);
enum err api_reviews_patch(struct request *r, struct errinfo *ei);
enum err api_reviews_submit(struct request *r, struct errinfo *ei);
enum err api_reviews_packet(struct request *r, struct errinfo *ei);
enum err api_outcomes_list(struct request *r, struct errinfo *ei);
enum err api_outcomes_get(struct request *r, struct errinfo *ei);
enum err api_outcomes_acknowledge(struct request *r, struct errinfo *ei);
enum err api_outcomes_calibrate(struct request *r, struct errinfo *ei);
enum err api_review_cycles_calibration(struct request *r, struct errinfo *ei);
enum err api_review_cycles_calibration_target(struct request *r, struct errinfo *ei);
enum err api_analytics_completion(struct request *r, struct errinfo *ei);
enum err api_analytics_ratings(struct request *r, struct errinfo *ei);
enum err api_analytics_goals(struct request *r, struct errinfo *ei);
enum err api_analytics_promotions(struct request *r, struct errinfo *ei);
enum err api_analytics_idps(struct request *r, struct errinfo *ei);
enum err api_analytics_feedback(struct request *r, struct errinfo *ei);
enum err api_analytics_oneonones(struct request *r, struct errinfo *ei);
enum err api_review_cycles_patch(struct request *r, struct errinfo *ei);
enum err api_review_cycles_sync(struct request *r, struct errinfo *ei);
/* Cycle set-up (api/cycle_setup.c). */
enum err api_review_templates_get(struct request *r, struct errinfo *ei);
enum err api_review_templates_patch(struct request *r, struct errinfo *ei);
enum err api_review_cycles_get(struct request *r, struct errinfo *ei);
enum err api_review_cycles_dry_run(struct request *r, struct errinfo *ei);
enum err api_review_cycle_participants(struct request *r, struct errinfo *ei);
enum err api_reviews_reopen(struct request *r, struct errinfo *ei);
enum err api_review_cycles_person(struct request *r, struct errinfo *ei);
enum err api_nominations_get(struct request *r, struct errinfo *ei);
enum err api_nominations_put(struct request *r, struct errinfo *ei);
enum err api_outcomes_reopen(struct request *r, struct errinfo *ei);
enum err api_outcomes_release(struct request *r, struct errinfo *ei);
enum err api_outcomes_history(struct request *r, struct errinfo *ei);

enum err api_oneonones_list(struct request *r, struct errinfo *ei);
enum err api_oneonones_create(struct request *r, struct errinfo *ei);
enum err api_oneonones_get(struct request *r, struct errinfo *ei);
enum err api_oneonones_patch(struct request *r, struct errinfo *ei);
enum err api_meetings_get(struct request *r, struct errinfo *ei);
enum err api_meetings_patch(struct request *r, struct errinfo *ei);
enum err api_meetings_complete(struct request *r, struct errinfo *ei);
enum err api_meetings_skip(struct request *r, struct errinfo *ei);
enum err api_meetings_move(struct request *r, struct errinfo *ei);
enum err api_points_create(struct request *r, struct errinfo *ei);
enum err api_points_patch(struct request *r, struct errinfo *ei);
enum err api_actions_create(struct request *r, struct errinfo *ei);
enum err api_actions_patch(struct request *r, struct errinfo *ei);
enum err api_cadence_health(struct request *r, struct errinfo *ei);
enum err api_notifications_list(struct request *r, struct errinfo *ei);
enum err api_outbox_list(struct request *r, struct errinfo *ei);
enum err api_settings_get(struct request *r, struct errinfo *ei);
enum err api_goals_decline(struct request *r, struct errinfo *ei);
enum err api_settings_patch(struct request *r, struct errinfo *ei);
enum err api_settings_email_get(struct request *r, struct errinfo *ei);
enum err api_settings_logo_get(struct request *r, struct errinfo *ei);
enum err api_settings_logo_put(struct request *r, struct errinfo *ei);
enum err api_settings_logo_delete(struct request *r, struct errinfo *ei);
enum err api_settings_email_patch(struct request *r, struct errinfo *ei);
enum err api_outbox_retry(struct request *r, struct errinfo *ei);
enum err api_notifications_read(struct request *r, struct errinfo *ei);
enum err api_notifications_read_all(struct request *r, struct errinfo *ei);
enum err api_notification_prefs_get(struct request *r, struct errinfo *ei);
enum err api_notification_prefs_put(struct request *r, struct errinfo *ei);
enum err api_me_tasks(struct request *r, struct errinfo *ei);
enum err api_calendar_create(struct request *r, struct errinfo *ei);
enum err api_calendar_delete(struct request *r, struct errinfo *ei);
enum err api_calendar_feed(struct request *r, struct errinfo *ei);

enum err api_framework_get(struct request *r, struct errinfo *ei);
enum err api_framework_put(struct request *r, struct errinfo *ei);
enum err api_skills_list(struct request *r, struct errinfo *ei);
enum err api_skills_create(struct request *r, struct errinfo *ei);
enum err api_placement_put(struct request *r, struct errinfo *ei);
enum err api_person_skills(struct request *r, struct errinfo *ei);
enum err api_ratings_put(struct request *r, struct errinfo *ei);
enum err api_person_gaps(struct request *r, struct errinfo *ei);
enum err api_idp_get(struct request *r, struct errinfo *ei);
enum err api_idp_put(struct request *r, struct errinfo *ei);
enum err api_idp_action_create(struct request *r, struct errinfo *ei);
enum err api_idp_action_patch(struct request *r, struct errinfo *ei);
enum err api_idp_milestone_create(struct request *r, struct errinfo *ei);
enum err api_idp_milestone_patch(struct request *r, struct errinfo *ei);
enum err api_idp_comment(struct request *r, struct errinfo *ei);
enum err api_idp_sign_off(struct request *r, struct errinfo *ei);
enum err api_idp_history(struct request *r, struct errinfo *ei);
enum err api_idp_suggestions(struct request *r, struct errinfo *ei);
enum err api_learning_list(struct request *r, struct errinfo *ei);
enum err api_learning_create(struct request *r, struct errinfo *ei);
enum err api_learning_expiring(struct request *r, struct errinfo *ei);
enum err api_mentor_offer_put(struct request *r, struct errinfo *ei);
enum err api_mentors_match(struct request *r, struct errinfo *ei);
enum err api_mentorships_list(struct request *r, struct errinfo *ei);
enum err api_mentorships_create(struct request *r, struct errinfo *ei);
enum err api_mentorships_end(struct request *r, struct errinfo *ei);
enum err api_mentorships_accept(struct request *r, struct errinfo *ei);
enum err api_mentorships_decline(struct request *r, struct errinfo *ei);
enum err api_opportunities_list(struct request *r, struct errinfo *ei);
enum err api_opportunities_create(struct request *r, struct errinfo *ei);
enum err api_opportunities_close(struct request *r, struct errinfo *ei);
enum err api_opportunities_interest(struct request *r, struct errinfo *ei);
enum err api_opportunities_interested(struct request *r, struct errinfo *ei);
enum err api_person_opportunities(struct request *r, struct errinfo *ei);
enum err api_career_page(struct request *r, struct errinfo *ei);
enum err api_career_dashboard(struct request *r, struct errinfo *ei);
enum err api_career_record(struct request *r, struct errinfo *ei);

/* Shared by the review handlers (api/reviews.c, api/review_phases.c). */
struct review_cycle;
struct review_outcome;
enum err api_require_hr(struct request *r, struct errinfo *ei);
json_t *api_cycle_json(const struct review_cycle *c);
void api_cycle_deadlines(json_t *body, struct review_cycle *c, struct errinfo *ei);
/* Cycle {id} (path parameter 0). */
enum err api_load_cycle(struct request *r, struct review_cycle *c, struct errinfo *ei);
/* What a cycle write reads from body: a new cycle, a draft's edit or a launched cycle's edit
 * (settings: what is absent stays, null clears; participant rules), checked inside the write. */
enum cycle_form { CYCLE_NEW, CYCLE_DRAFT, CYCLE_LAUNCHED };
struct cycle_body {
    struct request *r;
    json_t *body;
    enum cycle_form form;
};
struct cycle_edit api_cycle_edit(struct cycle_body *b);
/* The fields a new cycle or a draft's edit may send. */
extern const char *const api_cycle_fields[];
/* Outcome {id} and its cycle when the actor may read it; names: peer names may be shown. */
enum err api_load_outcome(struct request *r, struct review_outcome *o, struct review_cycle *c,
                          bool *names, struct errinfo *ei);
enum err api_outcome_json(struct request *r, const struct review_outcome *o,
                          const struct review_cycle *c, bool with_names, json_t **out);
enum err api_cases_list(struct request *r, struct errinfo *ei);
enum err api_cases_create(struct request *r, struct errinfo *ei);
enum err api_cases_get(struct request *r, struct errinfo *ei);
enum err api_cases_endorse(struct request *r, struct errinfo *ei);
enum err api_cases_decide(struct request *r, struct errinfo *ei);
/* SCIM 2.0 (api/scim.c): the error shape of RFC 7644 3.12, the bearer check of a SCIM token,
 * the /scim/v2 handlers and the admin routes for SCIM tokens. */
void api_scim_error(struct request *r, enum err e, const struct errinfo *ei);
enum err api_scim_authenticate(struct request *r, struct errinfo *ei);
enum err api_scim_users_list(struct request *r, struct errinfo *ei);
enum err api_scim_users_get(struct request *r, struct errinfo *ei);
enum err api_scim_users_create(struct request *r, struct errinfo *ei);
enum err api_scim_users_put(struct request *r, struct errinfo *ei);
enum err api_scim_users_patch(struct request *r, struct errinfo *ei);
enum err api_scim_users_delete(struct request *r, struct errinfo *ei);
enum err api_scim_groups_list(struct request *r, struct errinfo *ei);
enum err api_scim_groups_get(struct request *r, struct errinfo *ei);
enum err api_scim_groups_create(struct request *r, struct errinfo *ei);
enum err api_scim_groups_put(struct request *r, struct errinfo *ei);
enum err api_scim_groups_patch(struct request *r, struct errinfo *ei);
enum err api_scim_config(struct request *r, struct errinfo *ei);
enum err api_scim_schemas(struct request *r, struct errinfo *ei);
enum err api_scim_resource_types(struct request *r, struct errinfo *ei);
enum err api_scim_tokens_list(struct request *r, struct errinfo *ei);
enum err api_scim_tokens_create(struct request *r, struct errinfo *ei);
enum err api_scim_tokens_delete(struct request *r, struct errinfo *ei);
enum err api_webhooks_list(struct request *r, struct errinfo *ei);
enum err api_webhooks_create(struct request *r, struct errinfo *ei);
enum err api_webhooks_get(struct request *r, struct errinfo *ei);
enum err api_webhooks_patch(struct request *r, struct errinfo *ei);
enum err api_webhooks_delete(struct request *r, struct errinfo *ei);
enum err api_webhooks_rotate(struct request *r, struct errinfo *ei);
enum err api_webhooks_test(struct request *r, struct errinfo *ei);
enum err api_webhooks_deliveries(struct request *r, struct errinfo *ei);
enum err api_webhooks_redeliver(struct request *r, struct errinfo *ei);
/* Serves an embedded web asset for GET paths no route matched; ERR_NOT_FOUND if none. */
enum err api_static_serve(struct request *r, struct errinfo *ei);

#endif
