/* SPDX-License-Identifier: MIT */
/* THE route table, and the router that enforces each row's data before the handler runs:
 * method and pattern (404/405), body limit (413), authentication (401), CSRF for cookie
 * writes (403). The OpenAPI document (api/openapi.c) is generated from this same table and the
 * schemas of src/api/schema/. */
#include <sodium.h>
#include <string.h>

#include "api/api.h"
#include "domain/settings.h"
#include "domain/accounts.h"

enum auth { AUTH_NONE = API_AUTH_NONE, AUTH_USER = API_AUTH_USER, AUTH_SCIM = API_AUTH_SCIM };

struct route {
    const char *method;
    const char *pattern;
    api_handler handler;
    enum auth auth;
    const char *summary;
};

static const struct route routes[] = {
    {"POST", "/api/v1/session", api_session_login, AUTH_NONE, "Sign in with email and password"},
    {"DELETE", "/api/v1/session", api_session_logout, AUTH_USER, "Sign out"},
    {"GET", "/api/v1/sso/providers", api_sso_providers, AUTH_NONE,
     "The identity providers the sign-in page offers (single sign-on)"},
    {"GET", "/api/v1/sso/{id}/start", api_sso_start, AUTH_NONE,
     "Browser: go to the identity provider to sign in (OpenID Connect code flow with PKCE)"},
    {"GET", "/api/v1/sso/callback", api_sso_callback, AUTH_NONE,
     "Browser: the identity provider's answer; signs in and goes to the web app"},
    {"GET", "/api/v1/settings/sso", api_sso_settings_get, AUTH_USER,
     "Admin: identity providers (never a secret) and the roles password sign-in is off for"},
    {"PATCH", "/api/v1/settings/sso", api_sso_settings_patch, AUTH_USER,
     "Admin: turn password sign-in off (or on) per role"},
    {"POST", "/api/v1/settings/sso/providers", api_sso_provider_create, AUTH_USER,
     "Admin: register an OpenID Connect provider (its issuer must answer discovery)"},
    {"PATCH", "/api/v1/settings/sso/providers/{id}", api_sso_provider_patch, AUTH_USER,
     "Admin: change an identity provider (the secret only when sent)"},
    {"DELETE", "/api/v1/settings/sso/providers/{id}", api_sso_provider_delete, AUTH_USER,
     "Admin: remove an identity provider and its links"},
    {"GET", "/api/v1/me", api_me_get, AUTH_USER, "The caller's person, role and CSRF token"},
    {"POST", "/api/v1/me/password", api_me_password, AUTH_USER, "Change the caller's password"},
    {"GET", "/api/v1/me/tasks", api_me_tasks, AUTH_USER,
     "What needs the caller: reviews, requests, approvals, one-on-ones, goals; a manager's team"},
    {"POST", "/api/v1/accounts/{id}/password-reset", api_accounts_reset, AUTH_USER,
     "Admin: set a temporary password, end the person's sessions and revoke their API tokens"},
    {"GET", "/api/v1/me/tokens", api_me_tokens_list, AUTH_USER,
     "The caller's API tokens (name, created, expires, last used, revoked; never the secret)"},
    {"POST", "/api/v1/me/tokens", api_me_tokens_create, AUTH_USER,
     "Signed in: a new named API token (optional expires_in_days); the secret is shown once"},
    {"DELETE", "/api/v1/me/tokens/{id}", api_me_tokens_delete, AUTH_USER,
     "Revoke one of the caller's API tokens"},
    {"GET", "/api/v1/accounts/{id}/tokens", api_account_tokens_list, AUTH_USER,
     "Admin: a person's API tokens"},
    {"DELETE", "/api/v1/accounts/{id}/tokens/{token}", api_account_tokens_delete, AUTH_USER,
     "Admin: revoke one of a person's API tokens"},
    {"GET", "/api/v1/accounts/{id}", api_admin_account_get, AUTH_USER,
     "Admin: a person's account (role, active, password set), sessions and latest invitation"},
    {"PATCH", "/api/v1/accounts/{id}", api_admin_account_patch, AUTH_USER,
     "Admin: change a person's role (an account without a password is made if none)"},
    {"POST", "/api/v1/accounts/{id}/deactivate", api_admin_account_deactivate, AUTH_USER,
     "Admin: deactivate an account: no sign-in, sessions ended, API tokens revoked"},
    {"POST", "/api/v1/accounts/{id}/reactivate", api_admin_account_reactivate, AUTH_USER,
     "Admin: reactivate a deactivated account"},
    {"DELETE", "/api/v1/accounts/{id}/sessions/{session}", api_admin_session_delete, AUTH_USER,
     "Admin: end one of a person's sessions"},
    {"POST", "/api/v1/accounts/{id}/invitation", api_admin_invite, AUTH_USER,
     "Admin: email a one-time link to set a password (expires in 7 days; replaces older links)"},
    {"GET", "/api/v1/invitations/{token}", api_invitation_get, AUTH_NONE,
     "The invitee: whose invitation this link is, until when"},
    {"POST", "/api/v1/invitations/{token}", api_invitation_accept, AUTH_NONE,
     "The invitee: choose a password with the link (once)"},
    {"GET", "/api/v1/people", api_people_list, AUTH_USER,
     "Search the directory (q, department, manager, status; cursor pagination)"},
    {"POST", "/api/v1/people", api_people_create, AUTH_USER,
     "HR, admin: add a person (role history records the hire)"},
    {"GET", "/api/v1/people/{id}", api_people_get, AUTH_USER,
     "A person with manager chain, reports and (when allowed) role history"},
    {"GET", "/api/v1/people/{id}/export", api_person_export, AUTH_USER,
     "Everything stored about a person, as JSON (the person themself, HR, admins)"},
    {"POST", "/api/v1/people/import", api_people_import, AUTH_USER,
     "HR: import an HRIS export (CSV body; ?dry_run=true, ?date_format=DD/MM/YYYY)"},
    {"PATCH", "/api/v1/people/{id}", api_people_patch, AUTH_USER,
     "HR: change a person's fields; role changes go to role history"},
    {"GET", "/api/v1/departments", api_departments_list, AUTH_USER, "The department tree"},
    {"GET", "/api/v1/audit", api_audit_list, AUTH_USER, "HR/admin: the audit log, newest first"},
    {"GET", "/api/v1/goals", api_goals_list, AUTH_USER,
     "Goals visible to the caller (owner, mine, team, level, status, period, parent)"},
    {"POST", "/api/v1/goals", api_goals_create, AUTH_USER,
     "Create a goal with key results (managers propose goals to reports)"},
    {"GET", "/api/v1/goals/tree", api_goals_tree, AUTH_USER,
     "The alignment tree with roll-up progress (period, department)"},
    {"GET", "/api/v1/goals/{id}", api_goals_get, AUTH_USER, "A goal with progress and roll-up"},
    {"PATCH", "/api/v1/goals/{id}", api_goals_patch, AUTH_USER,
     "Edit a goal; key_results inline (no id = new, left out = removed)"},
    {"DELETE", "/api/v1/goals/{id}", api_goals_delete, AUTH_USER, "Delete a goal"},
    {"POST", "/api/v1/goals/{id}/decline", api_goals_decline, AUTH_USER,
     "The owner declines a goal proposed to them, with a reason the proposer is told"},
    {"POST", "/api/v1/goals/{id}/checkins", api_goals_checkin, AUTH_USER,
     "Check in: a key result value and/or status, with confidence and comment"},
    {"GET", "/api/v1/goals/{id}/checkins", api_goals_checkins_list, AUTH_USER,
     "The check-in history of a goal, oldest first"},
    {"GET", "/api/v1/accomplishments", api_accomplishments_list, AUTH_USER,
     "A journal (person, from, to, tag): one's own, or what reports shared"},
    {"POST", "/api/v1/accomplishments", api_accomplishments_create, AUTH_USER,
     "Record an accomplishment (private unless shared_with_manager)"},
    {"GET", "/api/v1/accomplishments/export", api_accomplishments_export, AUTH_USER,
     "Export a journal as Markdown or CSV (format, from, to, tag)"},
    {"GET", "/api/v1/accomplishments/{id}", api_accomplishments_get, AUTH_USER,
     "An accomplishment"},
    {"PATCH", "/api/v1/accomplishments/{id}", api_accomplishments_patch, AUTH_USER,
     "Edit an accomplishment"},
    {"DELETE", "/api/v1/accomplishments/{id}", api_accomplishments_delete, AUTH_USER,
     "Delete an accomplishment"},
    {"GET", "/api/v1/feedback", api_feedback_list, AUTH_USER,
     "Feedback received (person), given (given=1) or the public recognition wall (wall=1)"},
    {"POST", "/api/v1/feedback", api_feedback_create, AUTH_USER,
     "Give praise or constructive feedback"},
    {"GET", "/api/v1/feedback/{id}", api_feedback_get, AUTH_USER, "One piece of feedback"},
    {"GET", "/api/v1/feedback-requests", api_feedback_requests_list, AUTH_USER,
     "Requests asked of me, or made by me (mine=1)"},
    {"POST", "/api/v1/feedback-requests", api_feedback_requests_create, AUTH_USER,
     "Ask coworkers for feedback on a topic, with a due date"},
    {"POST", "/api/v1/feedback-requests/{id}/answer", api_feedback_requests_answer, AUTH_USER,
     "Answer a request: the feedback goes to the requester"},
    {"POST", "/api/v1/feedback-requests/{id}/decline", api_feedback_requests_decline, AUTH_USER,
     "Decline a request, with an optional reason"},
    {"GET", "/api/v1/review-templates", api_review_templates_list, AUTH_USER,
     "HR: review templates"},
    {"POST", "/api/v1/review-templates", api_review_templates_create, AUTH_USER,
     "HR: a template of rating and text questions for self, manager, peer or upward reviews"},
    {"GET", "/api/v1/review-templates/{id}", api_review_templates_get, AUTH_USER,
     "HR: one review template"},
    {"PATCH", "/api/v1/review-templates/{id}", api_review_templates_patch, AUTH_USER,
     "HR: edit a template no launched cycle uses"},
    {"GET", "/api/v1/review-cycles", api_review_cycles_list, AUTH_USER, "Review cycles"},
    {"GET", "/api/v1/review-cycles/{id}", api_review_cycles_get, AUTH_USER,
     "HR: a cycle with its participant rules"},
    {"POST", "/api/v1/review-cycles/{id}/dry-run", api_review_cycles_dry_run, AUTH_USER,
     "HR: how many participants and reviews a launch would create, nothing written"},
    {"GET", "/api/v1/review-cycles/{id}/people/{person}", api_review_cycles_person, AUTH_USER,
     "HR: one person in a cycle: the reviews about them and their outcome"},
    {"POST", "/api/v1/reviews/{id}/reopen", api_reviews_reopen, AUTH_USER,
     "HR: a submitted review back to draft, with a reason (audited)"},
    {"POST", "/api/v1/review-cycle-participants", api_review_cycle_participants, AUTH_USER,
     "HR: who a set of participant rules covers (the live count of the set-up form)"},
    {"POST", "/api/v1/review-cycles", api_review_cycles_create, AUTH_USER,
     "HR: a cycle with its templates, participants and anonymity threshold"},
    {"POST", "/api/v1/review-cycles/{id}/launch", api_review_cycles_launch, AUTH_USER,
     "HR: create every assignment and outcome (a large cycle in ranges of whole teams)"},
    {"POST", "/api/v1/review-cycles/{id}/release", api_review_cycles_release, AUTH_USER,
     "HR: release outcomes (all, a department or people); refused while manager reviews or"
     " calibration are incomplete unless overridden with a reason"},
    {"GET", "/api/v1/review-cycles/{id}/progress", api_review_cycles_progress, AUTH_USER,
     "HR: submitted, in progress and not started reviews by kind, department and manager, and"
     " the overdue list"},
    {"POST", "/api/v1/review-cycles/{id}/remind", api_review_cycles_remind, AUTH_USER,
     "HR: notify every reviewer behind (once an hour at most)"},
    {"PATCH", "/api/v1/review-cycles/{id}", api_review_cycles_patch, AUTH_USER,
     "HR: edit a draft cycle (any setting, unsent ones kept); after launch the name and deadlines"},
    {"POST", "/api/v1/review-cycles/{id}/sync", api_review_cycles_sync, AUTH_USER,
     "HR: enrol people who joined, withdraw people who left, follow changes of manager"},
    {"GET", "/api/v1/review-cycles/{id}/nominations/{person}", api_nominations_get, AUTH_USER,
     "A person's peer nominations (the person, their managers, HR)"},
    {"PUT", "/api/v1/review-cycles/{id}/nominations/{person}", api_nominations_put, AUTH_USER,
     "The employee proposes peers; their manager approves or edits, which assigns them"},
    {"GET", "/api/v1/review-cycles/{id}/calibration", api_review_cycles_calibration, AUTH_USER,
     "Rating distributions by department and manager, and outliers (HR; managers for their "
     "people)"},
    {"PUT", "/api/v1/review-cycles/{id}/calibration/target", api_review_cycles_calibration_target,
     AUTH_USER, "HR: the target rating distribution of a cycle (percentages of 1 to 5, or null)"},
    {"GET", "/api/v1/analytics/completion", api_analytics_completion, AUTH_USER,
     "HR: review completion by cycle and kind (?format=csv)"},
    {"GET", "/api/v1/analytics/ratings", api_analytics_ratings, AUTH_USER,
     "HR: rating distributions over cycles, below the anonymity threshold suppressed"},
    {"GET", "/api/v1/analytics/goals", api_analytics_goals, AUTH_USER,
     "HR: goal attainment by department and level (private goals not counted)"},
    {"GET", "/api/v1/analytics/promotions", api_analytics_promotions, AUTH_USER,
     "HR: promotion rate and time in level by department and level"},
    {"GET", "/api/v1/analytics/idps", api_analytics_idps, AUTH_USER,
     "HR: development plan coverage and completion by department and level"},
    {"GET", "/api/v1/analytics/feedback", api_analytics_feedback, AUTH_USER,
     "HR: feedback volume and praise/constructive balance by month (private not counted)"},
    {"GET", "/api/v1/analytics/one-on-ones", api_analytics_oneonones, AUTH_USER,
     "HR: one-on-one cadence health per manager, sorted by risk"},
    {"PATCH", "/api/v1/review-outcomes/{id}", api_outcomes_calibrate, AUTH_USER,
     "HR: calibrate a rating with a written justification (the original is kept)"},
    {"GET", "/api/v1/reviews", api_reviews_list, AUTH_USER, "The reviews the caller writes"},
    {"GET", "/api/v1/reviews/{id}", api_reviews_get, AUTH_USER, "A review and its questions"},
    {"GET", "/api/v1/reviews/{id}/packet", api_reviews_packet, AUTH_USER,
     "The evidence of the period: goals, accomplishments, feedback, previous outcome"},
    {"PATCH", "/api/v1/reviews/{id}", api_reviews_patch, AUTH_USER, "Save answers as a draft"},
    {"POST", "/api/v1/reviews/{id}/submit", api_reviews_submit, AUTH_USER,
     "Submit (required answers checked; then locked)"},
    {"GET", "/api/v1/review-outcomes", api_outcomes_list, AUTH_USER,
     "Outcomes the caller may read (cycle, person)"},
    {"GET", "/api/v1/review-outcomes/{id}", api_outcomes_get, AUTH_USER,
     "An outcome with the anonymous peer summary"},
    {"POST", "/api/v1/review-outcomes/{id}/reopen", api_outcomes_reopen, AUTH_USER,
     "HR: reopen a released outcome for correction (the released version is kept)"},
    {"POST", "/api/v1/review-outcomes/{id}/release", api_outcomes_release, AUTH_USER,
     "HR: release a reopened outcome again"},
    {"GET", "/api/v1/review-outcomes/{id}/history", api_outcomes_history, AUTH_USER,
     "An outcome and every released version before a reopening"},
    {"POST", "/api/v1/review-outcomes/{id}/acknowledge", api_outcomes_acknowledge, AUTH_USER,
     "The employee acknowledges a released outcome, with a comment"},
    {"GET", "/api/v1/career/framework", api_framework_get, AUTH_USER,
     "Career tracks, levels and what each level expects (also the import/export format)"},
    {"PUT", "/api/v1/career/framework", api_framework_put, AUTH_USER,
     "HR: import a framework document (upsert by names and codes)"},
    {"GET", "/api/v1/career/dashboard", api_career_dashboard, AUTH_USER,
     "HR: career measures by department"},
    {"GET", "/api/v1/skills", api_skills_list, AUTH_USER, "The skills catalogue"},
    {"POST", "/api/v1/skills", api_skills_create, AUTH_USER, "HR: add a skill"},
    {"PUT", "/api/v1/people/{id}/placement", api_placement_put, AUTH_USER,
     "HR: place a person on a career level (role history records it)"},
    {"GET", "/api/v1/people/{id}/skills", api_person_skills, AUTH_USER,
     "A person's skill and competency ratings, current and history"},
    {"POST", "/api/v1/people/{id}/ratings", api_ratings_put, AUTH_USER,
     "Rate a skill or competency (the person: self; a manager: manager)"},
    {"GET", "/api/v1/people/{id}/gaps", api_person_gaps, AUTH_USER,
     "Gap analysis toward a level (?level=) or an opportunity (?opportunity=)"},
    {"GET", "/api/v1/people/{id}/idp", api_idp_get, AUTH_USER, "The development plan"},
    {"PUT", "/api/v1/people/{id}/idp", api_idp_put, AUTH_USER,
     "Write the plan's aspirations, target, strengths and areas to improve"},
    {"GET", "/api/v1/people/{id}/idp/suggestions", api_idp_suggestions, AUTH_USER,
     "Suggested actions from the top gaps: mentors and opportunities"},
    {"GET", "/api/v1/people/{id}/idp/history", api_idp_history, AUTH_USER,
     "Versions of the plan changed after a sign-off"},
    {"POST", "/api/v1/people/{id}/idp/actions", api_idp_action_create, AUTH_USER,
     "Add an action to the plan"},
    {"POST", "/api/v1/people/{id}/idp/milestones", api_idp_milestone_create, AUTH_USER,
     "Add a milestone"},
    {"POST", "/api/v1/people/{id}/idp/comments", api_idp_comment, AUTH_USER,
     "Comment on the plan (the person, their managers)"},
    {"POST", "/api/v1/people/{id}/idp/sign-off", api_idp_sign_off, AUTH_USER,
     "A manager signs off the plan"},
    {"PATCH", "/api/v1/idp-actions/{id}", api_idp_action_patch, AUTH_USER,
     "Update an action; done with {learning} records the learning"},
    {"PATCH", "/api/v1/idp-milestones/{id}", api_idp_milestone_patch, AUTH_USER,
     "Mark a milestone done"},
    {"GET", "/api/v1/people/{id}/learning", api_learning_list, AUTH_USER, "Learning records"},
    {"POST", "/api/v1/people/{id}/learning", api_learning_create, AUTH_USER,
     "Record a course, certification or workshop"},
    {"GET", "/api/v1/learning/expiring", api_learning_expiring, AUTH_USER,
     "Certifications expiring within ?days= (as the caller may see them)"},
    {"GET", "/api/v1/people/{id}/career", api_career_page, AUTH_USER,
     "The career progress page: history, skills, learning, plan, goals, feedback over time"},
    {"GET", "/api/v1/people/{id}/career-record", api_career_record, AUTH_USER,
     "The person's own career record (?format=json|markdown)"},
    {"GET", "/api/v1/people/{id}/opportunities", api_person_opportunities, AUTH_USER,
     "Open opportunities ranked for a person"},
    {"PUT", "/api/v1/me/mentor-offer", api_mentor_offer_put, AUTH_USER,
     "Offer to mentor in skills, with a capacity"},
    {"GET", "/api/v1/mentors", api_mentors_match, AUTH_USER,
     "Mentors for ?skill=, ranked for the caller"},
    {"GET", "/api/v1/mentorships", api_mentorships_list, AUTH_USER, "The caller's mentorships"},
    {"POST", "/api/v1/mentorships", api_mentorships_create, AUTH_USER,
     "Start a mentorship with a mentor who has room"},
    {"POST", "/api/v1/mentorships/{id}/accept", api_mentorships_accept, AUTH_USER,
     "The mentor accepts a request (within capacity)"},
    {"POST", "/api/v1/mentorships/{id}/decline", api_mentorships_decline, AUTH_USER,
     "The mentor declines a request"},
    {"POST", "/api/v1/mentorships/{id}/end", api_mentorships_end, AUTH_USER, "End a mentorship"},
    {"GET", "/api/v1/opportunities", api_opportunities_list, AUTH_USER,
     "Internal opportunities (?status=open|closed)"},
    {"POST", "/api/v1/opportunities", api_opportunities_create, AUTH_USER,
     "Managers and HR post a project, role, rotation or shadowing"},
    {"POST", "/api/v1/opportunities/{id}/close", api_opportunities_close, AUTH_USER,
     "Close an opportunity"},
    {"POST", "/api/v1/opportunities/{id}/interest", api_opportunities_interest, AUTH_USER,
     "Express interest (your manager is told)"},
    {"GET", "/api/v1/opportunities/{id}/interest", api_opportunities_interested, AUTH_USER,
     "Who is interested (whoever posted it, HR)"},
    {"GET", "/api/v1/one-on-ones", api_oneonones_list, AUTH_USER,
     "The caller's one-on-one series with their next meeting"},
    {"POST", "/api/v1/one-on-ones", api_oneonones_create, AUTH_USER,
     "Start a recurring one-on-one with your manager or a direct report"},
    {"GET", "/api/v1/one-on-ones/health", api_cadence_health, AUTH_USER,
     "Cadence health per manager (HR: everyone; managers: their organisation)"},
    {"GET", "/api/v1/one-on-ones/{id}", api_oneonones_get, AUTH_USER,
     "A series and its meetings (its two sides only)"},
    {"PATCH", "/api/v1/one-on-ones/{id}", api_oneonones_patch, AUTH_USER,
     "Change a series' schedule, pause, resume or end it (its two sides only)"},
    {"GET", "/api/v1/one-on-ones/meetings/{id}", api_meetings_get, AUTH_USER,
     "A meeting with its four-part agenda, points, notes, actions and summary emails"},
    {"PATCH", "/api/v1/one-on-ones/meetings/{id}", api_meetings_patch, AUTH_USER,
     "Shared notes, or the caller's own private note (sealed)"},
    {"POST", "/api/v1/one-on-ones/meetings/{id}/points", api_points_create, AUTH_USER,
     "Add a talking point"},
    {"POST", "/api/v1/one-on-ones/meetings/{id}/actions", api_actions_create, AUTH_USER,
     "Add an action item with an owner and a due date"},
    {"POST", "/api/v1/one-on-ones/meetings/{id}/complete", api_meetings_complete, AUTH_USER,
     "Mark held, schedule the next, email the summary to both"},
    {"POST", "/api/v1/one-on-ones/meetings/{id}/skip", api_meetings_skip, AUTH_USER,
     "Skip with a reason; the series goes on"},
    {"POST", "/api/v1/one-on-ones/meetings/{id}/move", api_meetings_move, AUTH_USER,
     "Move to another date and time"},
    {"PATCH", "/api/v1/one-on-ones/points/{id}", api_points_patch, AUTH_USER,
     "Mark a talking point discussed or moved to the next meeting"},
    {"PATCH", "/api/v1/action-items/{id}", api_actions_patch, AUTH_USER,
     "Update or complete an action item"},
    {"POST", "/api/v1/admin/test-email", api_admin_test_email, AUTH_USER,
     "Admin: send a test email at once through the configured SMTP server; its answer"},
    {"GET", "/api/v1/settings", api_settings_get, AUTH_USER,
     "The organisation's settings: name, company values, default anonymity threshold"},
    {"PATCH", "/api/v1/settings", api_settings_patch, AUTH_USER,
     "Admins: change the organisation's settings (only the fields sent)"},
    {"GET", "/api/v1/settings/logo", api_settings_logo_get, AUTH_USER,
     "The organisation's logo (PNG, JPEG or WebP), 404 when none is set"},
    {"PUT", "/api/v1/settings/logo", api_settings_logo_put, AUTH_USER,
     "Admins: the organisation's logo, the image file as the body (at most 256 KB)"},
    {"DELETE", "/api/v1/settings/logo", api_settings_logo_delete, AUTH_USER,
     "Admins: remove the organisation's logo"},
    {"GET", "/api/v1/settings/email", api_settings_email_get, AUTH_USER,
     "Admins: the SMTP server set in the web UI (never its password) beside the configuration's"},
    {"PATCH", "/api/v1/settings/email", api_settings_email_patch, AUTH_USER,
     "Admins: set the SMTP server without a restart (null: the configuration's value applies)"},
    {"GET", "/api/v1/admin/outbox", api_outbox_list, AUTH_USER,
     "Admin: the email outbox by status (failed by default): to, subject, attempts, last_error"},
    {"POST", "/api/v1/admin/outbox/{id}/retry", api_outbox_retry, AUTH_USER,
     "Admin: queue a failed email again with its attempts reset"},
    {"GET", "/api/v1/notifications", api_notifications_list, AUTH_USER,
     "The caller's notifications, unread first"},
    {"POST", "/api/v1/notifications/{id}/read", api_notifications_read, AUTH_USER,
     "Mark a notification read"},
    {"POST", "/api/v1/notifications/read", api_notifications_read_all, AUTH_USER,
     "Mark every notification up to ?up_to= (an id; all when absent) read"},
    {"GET", "/api/v1/me/notification-preferences", api_notification_prefs_get, AUTH_USER,
     "The caller's channel (app, email, off) for every kind of notification, and the digest"},
    {"PUT", "/api/v1/me/notification-preferences", api_notification_prefs_put, AUTH_USER,
     "Set channels per kind and the daily digest (only what is sent changes)"},
    {"POST", "/api/v1/me/calendar", api_calendar_create, AUTH_USER,
     "A new private calendar feed URL (replaces the previous one)"},
    {"DELETE", "/api/v1/me/calendar", api_calendar_delete, AUTH_USER, "Revoke the calendar feed"},
    {"GET", "/api/v1/calendar/{token}", api_calendar_feed, AUTH_NONE,
     "An iCalendar feed of one-on-ones, by its secret token"},
    {"GET", "/api/v1/promotion-cases", api_cases_list, AUTH_USER,
     "Promotion, raise and responsibility cases the caller may read (person)"},
    {"POST", "/api/v1/promotion-cases", api_cases_create, AUTH_USER,
     "Open a case with evidence (managers, HR) or request one for oneself"},
    {"GET", "/api/v1/promotion-cases/{id}", api_cases_get, AUTH_USER, "A case"},
    {"POST", "/api/v1/promotion-cases/{id}/endorse", api_cases_endorse, AUTH_USER,
     "A manager endorses a person's own request"},
    {"POST", "/api/v1/promotion-cases/{id}/decide", api_cases_decide, AUTH_USER,
     "HR approves or rejects; an approved promotion updates title, level and role history"},
    {"GET", "/api/v1/admin/scim-tokens", api_scim_tokens_list, AUTH_USER,
     "Admin: SCIM tokens (name, created, last used, revoked; never the secret) and the base URL"},
    {"POST", "/api/v1/admin/scim-tokens", api_scim_tokens_create, AUTH_USER,
     "Admin: a new SCIM token for an identity provider; the secret is shown once"},
    {"DELETE", "/api/v1/admin/scim-tokens/{id}", api_scim_tokens_delete, AUTH_USER,
     "Admin: revoke a SCIM token"},
    {"GET", "/api/v1/admin/webhooks", api_webhooks_list, AUTH_USER,
     "Admin: webhook endpoints (never the secret) with delivery counts, and the event kinds"},
    {"POST", "/api/v1/admin/webhooks", api_webhooks_create, AUTH_USER,
     "Admin: register a webhook endpoint for event kinds; the signing secret is shown once"},
    {"GET", "/api/v1/admin/webhooks/{id}", api_webhooks_get, AUTH_USER,
     "Admin: a webhook endpoint"},
    {"PATCH", "/api/v1/admin/webhooks/{id}", api_webhooks_patch, AUTH_USER,
     "Admin: change a webhook endpoint's URL, description, event kinds or active flag"},
    {"DELETE", "/api/v1/admin/webhooks/{id}", api_webhooks_delete, AUTH_USER,
     "Admin: delete a webhook endpoint with its deliveries"},
    {"POST", "/api/v1/admin/webhooks/{id}/rotate-secret", api_webhooks_rotate, AUTH_USER,
     "Admin: a new signing secret for the endpoint, shown once"},
    {"POST", "/api/v1/admin/webhooks/{id}/test", api_webhooks_test, AUTH_USER,
     "Admin: queue a ping event for the endpoint"},
    {"GET", "/api/v1/admin/webhooks/{id}/deliveries", api_webhooks_deliveries, AUTH_USER,
     "Admin: the endpoint's deliveries, newest first, with every attempt"},
    {"POST", "/api/v1/admin/webhooks/{id}/deliveries/{delivery}/redeliver", api_webhooks_redeliver,
     AUTH_USER, "Admin: queue a failed delivery again"},
    /* SCIM 2.0 (docs/api-scim.md): SCIM tokens only, answers in the SCIM error shape */
    {"GET", "/scim/v2/ServiceProviderConfig", api_scim_config, AUTH_SCIM,
     "SCIM: what this service provider supports"},
    {"GET", "/scim/v2/Schemas", api_scim_schemas, AUTH_SCIM,
     "SCIM: the User, enterprise User and Group schemas"},
    {"GET", "/scim/v2/ResourceTypes", api_scim_resource_types, AUTH_SCIM,
     "SCIM: the User and Group resource types"},
    {"GET", "/scim/v2/Users", api_scim_users_list, AUTH_SCIM,
     "SCIM: Users (filter userName, externalId, emails eq; startIndex, count)"},
    {"POST", "/scim/v2/Users", api_scim_users_create, AUTH_SCIM, "SCIM: provision a User"},
    {"GET", "/scim/v2/Users/{id}", api_scim_users_get, AUTH_SCIM, "SCIM: a User"},
    {"PUT", "/scim/v2/Users/{id}", api_scim_users_put, AUTH_SCIM,
     "SCIM: replace a User's attributes (those not sent are kept)"},
    {"PATCH", "/scim/v2/Users/{id}", api_scim_users_patch, AUTH_SCIM,
     "SCIM: add, replace or remove attributes; active=false deactivates"},
    {"DELETE", "/scim/v2/Users/{id}", api_scim_users_delete, AUTH_SCIM,
     "SCIM: deprovision (the person is terminated, their history kept)"},
    {"GET", "/scim/v2/Groups", api_scim_groups_list, AUTH_SCIM,
     "SCIM: departments as Groups (filter displayName eq)"},
    {"POST", "/scim/v2/Groups", api_scim_groups_create, AUTH_SCIM, "SCIM: a new department"},
    {"GET", "/scim/v2/Groups/{id}", api_scim_groups_get, AUTH_SCIM, "SCIM: a Group"},
    {"PUT", "/scim/v2/Groups/{id}", api_scim_groups_put, AUTH_SCIM,
     "SCIM: rename a Group and set its members"},
    {"PATCH", "/scim/v2/Groups/{id}", api_scim_groups_patch, AUTH_SCIM,
     "SCIM: rename, add or remove members (they change department)"},
    {"GET", "/api/v1/openapi.json", api_service_openapi, AUTH_NONE, "This document"},
    {"GET", "/healthz", api_service_healthz, AUTH_NONE, "200 when the database answers"},
    {"GET", "/metrics", api_service_metrics, AUTH_NONE, "Prometheus metrics"},
};

#define NROUTES ((int)(sizeof(routes) / sizeof(routes[0])))

const char *api_route_name(int i)
{
    return i >= 0 && i < NROUTES ? routes[i].pattern : "unmatched";
}

const char *api_route_method(int i)
{
    return i >= 0 && i < NROUTES ? routes[i].method : "ANY";
}

const char *api_route_summary(int i)
{
    return i >= 0 && i < NROUTES ? routes[i].summary : "";
}

enum api_auth api_route_auth_kind(int i)
{
    return i >= 0 && i < NROUTES ? (enum api_auth)routes[i].auth : API_AUTH_NONE;
}

size_t api_body_limit(const char *method, const char *path, size_t limit)
{
    /* an HRIS export is the one large body: 64 MiB holds a million people */
    if (strcmp(method, "POST") == 0 && strcmp(path, "/api/v1/people/import") == 0)
        return 64u << 20;
    /* an organisation's logo: the image itself, the check of its size says it in words */
    if (strcmp(method, "PUT") == 0 && strcmp(path, "/api/v1/settings/logo") == 0)
        return SETTINGS_LOGO_MAX + 1;
    return limit;
}

bool api_route_hashes(const char *method, const char *path)
{
    return strcmp(method, "POST") == 0 && strcmp(path, "/api/v1/session") == 0;
}

bool api_route_heavy(int i)
{
    /* cycle-wide and company-wide writes: an HRIS import, a launch and its dry run, a cycle's
     * release and sync */
    static const api_handler heavy[] = {api_people_import, api_review_cycles_launch,
                                        api_review_cycles_dry_run, api_review_cycles_release,
                                        api_review_cycles_sync};

    if (i < 0 || i >= NROUTES)
        return false;
    for (size_t k = 0; k < sizeof(heavy) / sizeof(heavy[0]); k++)
        if (routes[i].handler == heavy[k])
            return true;
    return false;
}

int api_route_count(void)
{
    return NROUTES;
}

/* Matches path against pattern, capturing {params} into r (arena strings). */
static bool match(struct request *r, const char *pattern, const char *path)
{
    const char *p = pattern, *s = path;

    r->nparams = 0;
    while (*p && *s) {
        if (*p == '{') {
            const char *end = strchr(p, '}');
            size_t n = strcspn(s, "/");

            if (!end || n == 0 || r->nparams >= REQUEST_MAX_PARAMS)
                return false;
            r->params[r->nparams++] = arena_strndup(r->arena, s, n);
            p = end + 1;
            s += n;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}

static bool is_read(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

static enum err authenticate(struct request *r, struct auth_upkeep *up, struct errinfo *ei)
{
    const char *auth = request_header(r, "Authorization");
    const char *cookie;
    enum err rc;

    if (!r->db)
        return err_set(ei, ERR_UNAVAILABLE, "the database is unavailable");
    if (auth) {
        if (strncasecmp(auth, "Bearer ", 7) != 0 || strlen(auth + 7) > 200)
            return err_set(ei, ERR_UNAUTHENTICATED, "the Authorization header must be Bearer");
        rc = accounts_authenticate_token(r->db, r->arena, auth + 7, &r->actor, up);
        if (rc)
            return err_set(ei, rc, "the API token is not valid");
        return ERR_OK;
    }
    cookie = request_cookie(r, "trellis_session");
    if (!cookie || strlen(cookie) > 200)
        return err_set(ei, ERR_UNAUTHENTICATED, "sign in first");
    rc = accounts_authenticate_session(r->db, r->arena, cookie, &r->actor, up);
    if (rc)
        return err_set(ei, rc, "your session has ended; sign in again");
    if (!is_read(r->method)) {
        /* cookie-authenticated writes must prove they come from our page (docs/api.md) */
        const char *h = request_header(r, "X-CSRF-Token");
        size_t n = strlen(r->actor.csrf);

        if (!h || strlen(h) != n || sodium_memcmp(h, r->actor.csrf, n) != 0)
            return err_set(ei, ERR_CSRF, "the X-CSRF-Token header is missing or wrong");
    }
    return ERR_OK;
}

void api_route_resolve(struct request *r)
{
    const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;

    if (r->resolved)
        return;
    r->resolved = true;
    for (int i = 0; i < NROUTES; i++) {
        if (!match(r, routes[i].pattern, r->path))
            continue;
        r->path_known = true;
        if (strcmp(routes[i].method, method) == 0) {
            r->route = i;
            return;
        }
    }
    r->nparams = 0;
}

void api_dispatch(struct request *r)
{
    struct errinfo ei = {0};
    struct auth_upkeep up = {0};
    bool read_tx;
    enum err rc;

    api_route_resolve(r);
    if (r->route < 0) {
        if (r->path_known)
            rc = err_set(&ei, ERR_METHOD, "%s is not allowed on %s", r->method, r->path);
        else if (is_read(r->method) && strncmp(r->path, "/api/", 5) != 0)
            rc = api_static_serve(r, &ei);
        else
            rc = err_set(&ei, ERR_NOT_FOUND, "no such route");
        goto out;
    }
    if (r->body_too_large && routes[r->route].handler == api_settings_logo_put) {
        rc =
            err_set(&ei, ERR_TOO_LARGE, "the logo must be at most %d KB", SETTINGS_LOGO_MAX / 1024);
        goto out;
    }
    if (r->body_too_large) {
        rc = err_set(&ei, ERR_TOO_LARGE, "the request body is larger than %zu bytes", r->body.max);
        goto out;
    }
    rc = ERR_OK;
    if (routes[r->route].auth == AUTH_SCIM) {
        rc = api_scim_authenticate(r, &ei);
        if (rc)
            goto out;
    }
    /* a read is one transaction from its credential to its answer: one snapshot, one read
     * lock; what authentication writes (a credential's last use) waits until it ends */
    read_tx = r->db && is_read(r->method) && routes[r->route].auth != AUTH_NONE &&
              db_begin_read(r->db) == ERR_OK;
    if (routes[r->route].auth == AUTH_USER)
        rc = authenticate(r, &up, &ei);
    if (rc == ERR_OK) {
        if (r->db)
            r->db->fail_after = r->fault;
        rc = routes[r->route].handler(r, &ei);
    }
    if (read_tx && r->db->txdepth > 0)
        db_commit(r->db);
    if (r->db) {
        r->db->refuse_writes = false;
        accounts_upkeep(r->db, &up);
    }
    /* a handler that did not stop at the body's unknown fields still answers them */
    if (rc == ERR_OK && ei.nfields && r->body_unknown)
        rc = ERR_VALIDATION;
out:
    if (rc && strncmp(r->path, "/scim/", 6) == 0)
        api_scim_error(r, rc, &ei);
    else if (rc)
        response_error(r, rc, &ei);
}
