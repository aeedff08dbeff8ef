/* SPDX-License-Identifier: MIT */
/* See demo.h. Deterministic: the same organisation every time (a fixed-seed generator). */
#include "domain/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/accounts.h"
#include "domain/audit.h"
#include "domain/careers.h"
#include "domain/goals.h"
#include "domain/import.h"
#include "domain/oneonones.h"
#include "domain/reviews.h"
#include "store/accomplishments.h"
#include "store/accounts.h"
#include "store/careers.h"
#include "store/feedback.h"
#include "store/goals.h"
#include "store/people.h"
#include "util/arena.h"
#include "util/strmap.h"
#include "util/timeutil.h"
#include "util/tz.h"

static const char *const first_names[] = {
    "Amara",   "Ben",   "Chiara", "Dmitri", "Elif",    "Farah",   "Gabriel", "Hana",
    "Ines",    "Jonas", "Kofi",   "Lena",   "Mateo",   "Nadia",   "Oskar",   "Priya",
    "Quentin", "Rosa",  "Sven",   "Tariq",  "Uma",     "Victor",  "Wen",     "Ximena",
    "Yusuf",   "Zoë",   "Aiko",   "Bruno",  "Camille", "Diego",   "Esther",  "Felix",
    "Grace",   "Hugo",  "Isla",   "Jamal",  "Keiko",   "Liam",    "Maya",    "Noah",
    "Olga",    "Pedro", "Rania",  "Samuel", "Tomás",   "Valeria", "William", "Yara"};
static const char *const last_names[] = {
    "Okafor", "Schneider", "Rossi",    "Ivanova", "Yilmaz",    "Haddad",   "Martin",    "Sato",
    "García", "Berg",      "Mensah",   "Novak",   "Fernández", "Kowalski", "Lindqvist", "Sharma",
    "Dubois", "Moreno",    "Andersen", "Rahman",  "Patel",     "Costa",    "Chen",      "López",
    "Demir",  "Müller",    "Tanaka",   "Silva",   "Laurent",   "Ortiz",    "Cohen",     "Weber",
    "Kim",    "Nguyen",    "O'Brien",  "Abebe",   "Nakamura",  "Walsh",    "Reyes",     "Fischer"};

struct dept {
    const char *name;
    const char *vp, *director, *manager, *senior, *ic, *junior;
    int directors, managers_per_director, ics_per_manager;
};

static const struct dept depts[] = {
    {"Engineering", "VP of Engineering", "Director of Engineering", "Engineering Manager",
     "Senior Software Engineer", "Software Engineer", "Associate Software Engineer", 3, 2, 7},
    {"Product", "VP of Product", "Director of Product", "Group Product Manager",
     "Senior Product Manager", "Product Manager", "Associate Product Manager", 1, 2, 5},
    {"Design", "Head of Design", "Design Director", "Design Manager", "Senior Product Designer",
     "Product Designer", "Junior Designer", 1, 2, 3},
    {"Sales", "VP of Sales", "Regional Sales Director", "Sales Manager", "Senior Account Executive",
     "Account Executive", "Sales Development Representative", 2, 2, 4},
    {"Marketing", "VP of Marketing", "Director of Marketing", "Marketing Manager",
     "Senior Marketing Specialist", "Marketing Specialist", "Marketing Coordinator", 1, 2, 4},
    {"Customer Success", "VP of Customer Success", "Director of Customer Success",
     "Customer Success Manager", "Senior Customer Success Specialist",
     "Customer Success Specialist", "Support Associate", 1, 3, 5},
    {"People", "VP of People", "Director of People Operations", "HR Business Partner Lead",
     "Senior HR Business Partner", "HR Business Partner", "People Coordinator", 1, 1, 4},
};

static unsigned long long seed = 0x5eed1234abcdULL;

static unsigned rnd(unsigned n)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((seed >> 33) % n);
}

/* ASCII email local part from a name: "Zoë O'Brien" -> "zoe.obrien". */
static void email_of(const char *first, const char *last, int dup, char *out, size_t n)
{
    char local[96];
    size_t o = 0;
    const char *parts[2] = {first, last};

    for (int p = 0; p < 2; p++) {
        if (p && o + 1 < sizeof(local))
            local[o++] = '.';
        for (const unsigned char *c = (const unsigned char *)parts[p]; *c && o + 1 < sizeof(local);
             c++) {
            if (*c >= 'A' && *c <= 'Z')
                local[o++] = (char)(*c - 'A' + 'a');
            else if (*c >= 'a' && *c <= 'z')
                local[o++] = (char)*c;
            else if (*c == 0xC3 && c[1]) { /* fold the Latin-1 letters our names use */
                unsigned char d = *++c;
                const char *map = "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
                if (d >= 0xA0 && d <= 0xBF)
                    local[o++] = map[d - 0xA0];
                else if (d >= 0x80 && d <= 0x9F)
                    local[o++] = map[d - 0x80];
            }
        }
    }
    local[o] = '\0';
    if (dup)
        snprintf(out, n, "%s%d@%s", local, dup + 1, DEMO_DOMAIN);
    else
        snprintf(out, n, "%s@%s", local, DEMO_DOMAIN);
}

struct gen {
    struct buf *out;
    struct strmap used;
    int next_id;
};

/* Appends one person row; returns their employee id number. */
static int person(struct gen *g, const char *title, const char *dept, int manager,
                  const char *level, int hire_year, const char *fixed_first, const char *fixed_last)
{
    const char *first = fixed_first ? fixed_first : first_names[rnd(48)];
    const char *last = fixed_last ? fixed_last : last_names[rnd(40)];
    char email[160], key[160];
    int64_t dup = 0;
    int id = g->next_id++;

    snprintf(key, sizeof(key), "%s %s", first, last);
    if (strmap_get(&g->used, key, &dup))
        dup++;
    strmap_put(&g->used, key, dup);
    email_of(first, last, (int)dup, email, sizeof(email));
    buf_addf(g->out, "E%04d,\"%s %s\",%s,%s,%s,", id, first, last, email, title, dept);
    if (manager)
        buf_addf(g->out, "E%04d", manager);
    buf_addf(g->out, ",%s,%04d-%02u-%02u,active\r\n", level, hire_year, 1 + rnd(12), 1 + rnd(28));
    return id;
}

void demo_people_csv(struct buf *out)
{
    struct gen g = {out, {0}, 1};
    int ceo;

    seed = 0x5eed1234abcdULL;
    strmap_init(&g.used);
    buf_add(out, "Employee ID,Full Name,Work Email,Job Title,Department,Manager ID,Level,"
                 "Start Date,Status\r\n");
    ceo = person(&g, "Chief Executive Officer", "Executive", 0, "E9", 2012, "Helena", "Marsh");
    person(&g, "Chief of Staff", "Executive", ceo, "M6", 2016, NULL, NULL);
    for (size_t d = 0; d < sizeof(depts) / sizeof(depts[0]); d++) {
        const struct dept *x = &depts[d];
        int vp = person(&g, x->vp, x->name, ceo, "M6", 2013 + (int)rnd(4), d == 6 ? "Priya" : NULL,
                        d == 6 ? "Raman" : NULL);

        for (int i = 0; i < x->directors; i++) {
            int dir = person(&g, x->director, x->name, vp, "M5", 2014 + (int)rnd(5), NULL, NULL);

            for (int j = 0; j < x->managers_per_director; j++) {
                bool named = d == 0 && i == 0 && j == 0;
                int mgr = person(&g, x->manager, x->name, dir, "M4", 2015 + (int)rnd(6),
                                 named ? "Marcus" : NULL, named ? "Webb" : NULL);

                for (int k = 0; k < x->ics_per_manager; k++) {
                    unsigned r = rnd(10);
                    bool me = named && k == 0;
                    const char *title = r < 3 ? x->senior : r < 8 ? x->ic : x->junior;
                    const char *level = r < 3 ? "P4" : r < 8 ? "P3" : "P2";

                    if (me) {
                        title = x->ic;
                        level = "P3";
                    }
                    person(&g, title, x->name, mgr, level, 2017 + (int)rnd(9), me ? "Sofia" : NULL,
                           me ? "Alvarez" : NULL);
                }
            }
        }
    }
    strmap_cleanup(&g.used);
}

/* Promotions in the past for everyone at a senior or management level, so role history and
 * career progress have something to show. */
static enum err add_promotions(struct db *db, struct arena *a, const char *now)
{
    struct person *all;
    size_t n;
    enum err rc = store_people_all(db, a, &all, &n);

    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        const struct person *p = &all[i];
        struct role_change h = {0};
        int year;

        if (!p->level || !p->hire_date || (strcmp(p->level, "P4") != 0 && p->level[0] != 'M'))
            continue;
        year = (int)strtol(p->hire_date, NULL, 10) + 2 + (int)(p->id % 3);
        if (year > 2026)
            continue;
        h.person_id = p->id;
        h.effective_date = arena_printf(a, "%04d-%s", year, p->hire_date + 5);
        h.kind = "promotion";
        h.title = p->title;
        h.level = p->level;
        h.department_id = p->department_id;
        h.manager_id = p->manager_id;
        h.status = p->status;
        h.reason = "Promotion after the annual review";
        h.recorded_at = now;
        rc = store_people_add_role_change(db, &h);
    }
    return rc;
}

/* Inserts goal g with its key results. */
static enum err add_goal(struct db *db, struct goal *g, const char *now)
{
    enum err rc;

    g->created_at = g->updated_at = now;
    rc = store_goals_insert(db, g);
    return rc ? rc : store_goals_save_krs(db, g->id, g->krs, g->nkrs);
}

/* A season of check-ins on every key result of g: values moving towards the target. */
static enum err add_checkins(struct db *db, struct goal *g, int64_t author, unsigned seed_)
{
    static const char *const comments[] = {"Steady week.", "Unblocked by the platform team.",
                                           "Slower than planned: hiring gap.",
                                           "Good momentum after the offsite.", NULL};
    enum err rc = ERR_OK;

    for (int month = 2; month <= 11 && rc == ERR_OK; month += 3) {
        for (size_t k = 0; k < g->nkrs && rc == ERR_OK; k++) {
            struct key_result *kr = &g->krs[k];
            struct checkin c = {0};
            double share = (month / 12.0) * (0.6 + 0.5 * ((seed_ + k) % 5) / 4.0);
            char at[32];

            if (strcmp(kr->type, "milestone") == 0)
                kr->done = month >= 8 && (seed_ + k) % 2 == 0;
            else
                kr->current = kr->start + (kr->target - kr->start) * (share > 1.1 ? 1.1 : share);
            goals_progress(g);
            snprintf(at, sizeof(at), "2026-%02d-%02dT10:00:00Z", month, 3 + (int)(seed_ % 20));
            c.goal_id = g->id;
            c.key_result_id = kr->id;
            c.author_id = author;
            c.has_value = true;
            c.value = strcmp(kr->type, "milestone") == 0 ? kr->done : kr->current;
            c.confidence = 2 + (int64_t)((seed_ + k + (unsigned)month) % 4);
            c.comment = comments[(seed_ + k + (unsigned)month) % 4];
            c.progress = g->progress;
            c.created_at = at;
            rc = store_checkins_insert(db, &c);
            if (rc == ERR_OK)
                rc = store_goals_set_kr_value(db, kr->id, kr->current, kr->done);
            if (rc == ERR_OK)
                rc = store_goals_touch_checkin(db, g->id, NULL, at);
        }
    }
    return rc;
}

/* Company OKRs for 2026, team goals aligned to them, individual goals for most people, with a
 * season of check-ins; accomplishments for most people. */
static enum err add_goals(struct db *db, struct arena *a, const char *now)
{
    static const struct {
        const char *title, *kr1, *unit;
        double start, target;
        const char *kr2;
    } okrs[] = {
        {"Delight customers at every touchpoint", "Net promoter score", "NPS", 32, 50,
         "Launch the customer health dashboard"},
        {"Grow annual recurring revenue to $60M", "ARR", "M$", 42, 60, "Open the Berlin office"},
        {"Build a place where people grow", "Engagement survey score", "%", 71, 82,
         "Career ladders published for every function"},
    };
    struct person *all;
    size_t n;
    int64_t company[3], team_of_dept[32] = {0}, hr_id = 0;
    enum err rc = store_people_all(db, a, &all, &n);

    for (size_t i = 0; rc == ERR_OK && i < n; i++)
        if (all[i].department_name && strcmp(all[i].department_name, "People") == 0 &&
            all[i].level && strcmp(all[i].level, "M6") == 0)
            hr_id = all[i].id;
    for (size_t o = 0; rc == ERR_OK && o < 3; o++) {
        struct goal g = {0};
        struct key_result *k = arena_zalloc(a, 2 * sizeof(*k));

        k[0] = (struct key_result){0,
                                   0,
                                   okrs[o].kr1,
                                   "metric",
                                   okrs[o].start,
                                   okrs[o].target,
                                   okrs[o].start,
                                   1,
                                   okrs[o].unit,
                                   "increase",
                                   false};
        k[1] = (struct key_result){0, 0, okrs[o].kr2, "milestone", 0,    0,
                                   0, 1, NULL,        "increase",  false};
        g.title = okrs[o].title;
        g.level = "company";
        g.owner_id = hr_id ? hr_id : all[0].id;
        g.kind = "performance";
        g.status = "on_track";
        g.visibility = "public";
        g.weight = 1;
        g.start_date = "2026-01-01";
        g.due_date = "2026-12-31";
        g.accepted = true;
        g.krs = k;
        g.nkrs = 2;
        rc = add_goal(db, &g, now);
        if (rc == ERR_OK)
            rc = add_checkins(db, &g, g.owner_id, (unsigned)o);
        company[o] = g.id;
    }
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        const struct person *p = &all[i];
        struct goal g = {0};
        struct key_result *k = arena_zalloc(a, 2 * sizeof(*k));
        bool vp = p->level && strcmp(p->level, "M6") == 0 && p->department_id &&
                  p->department_id < 32 && p->manager_id;

        if (!vp && (p->id % 10 == 0 || !p->manager_id))
            continue; /* a few people have no goals yet */
        g.level = vp ? "team" : "individual";
        g.owner_id = p->id;
        g.department_id = vp ? p->department_id : 0;
        g.parent_id = vp ? company[p->department_id % 3]
                         : (p->department_id < 32 && team_of_dept[p->department_id]
                                ? team_of_dept[p->department_id]
                                : company[p->id % 3]);
        g.title =
            vp ? arena_printf(a, "%s: deliver our part of the company plan", p->department_name)
               : arena_printf(a, "%s goals for 2026", p->title ? p->title : "My");
        g.kind = p->id % 4 == 0 ? "development" : "performance";
        g.status = p->id % 7 == 0 ? "at_risk" : "on_track";
        g.visibility = p->id % 9 == 0 ? "managers" : "public";
        g.weight = 1 + (double)(p->id % 3);
        g.start_date = "2026-01-01";
        g.due_date = "2026-12-31";
        g.accepted = true;
        k[0] = (struct key_result){
            0,          0,    vp ? "Team objectives met" : "Deliverables shipped",
            "metric",   0,    vp ? 10 : 6,
            0,          2,    "items",
            "increase", false};
        k[1] = (struct key_result){0,
                                   0,
                                   vp ? "Quarterly review with the leadership team"
                                      : "Share learnings in a team demo",
                                   "milestone",
                                   0,
                                   0,
                                   0,
                                   1,
                                   NULL,
                                   "increase",
                                   false};
        g.krs = k;
        g.nkrs = 2;
        rc = add_goal(db, &g, now);
        if (rc == ERR_OK)
            rc = add_checkins(db, &g, p->id, (unsigned)p->id);
        if (rc == ERR_OK && vp)
            team_of_dept[p->department_id] = g.id;
        if (rc == ERR_OK && p->id % 5 != 0) {
            struct accomplishment x = {0};
            static const char *const titles[] = {"Led the migration to the new billing system",
                                                 "Mentored two new hires through onboarding",
                                                 "Closed the largest renewal of the quarter",
                                                 "Cut the median support response time in half",
                                                 "Presented our roadmap at the all-hands"};

            x.person_id = p->id;
            x.happened_on =
                arena_printf(a, "2026-%02d-%02d", 1 + (int)(p->id % 10), 1 + (int)(p->id % 27));
            x.title = titles[p->id % 5];
            x.impact = "Recognised by the team and by customers.";
            x.challenges = p->id % 2 ? "Tight deadline and a holiday in the middle." : NULL;
            x.links = "[]";
            x.tags = p->id % 2 ? ",delivery," : ",teamwork,";
            x.skills = "";
            x.shared = p->id % 3 != 0;
            x.updated_at = now;
            x.goal_ids[0] = g.id;
            x.ngoals = 1;
            rc = store_accomplishments_insert(db, &x);
        }
    }
    return rc;
}

static const char *const praise[] = {
    "Thank you for staying late to get the release out safely.",
    "Your onboarding notes saved the new hires a week.",
    "Great job turning the customer escalation around.",
    "The demo on Friday was clear and inspiring.",
    "You made the planning session twice as productive with that pre-read.",
    "Thanks for pairing with me on the flaky tests: I learned a lot.",
    "Your write-up of the outage was honest and easy to act on.",
    "You kept the launch calm when the scope changed twice.",
    "The dashboard you built is now the first thing our team opens.",
    "Thank you for covering my on-call week at short notice.",
    "Your feedback on my proposal made it much stronger.",
    "The way you handled the tricky renewal call was textbook."};
#define NPRAISE (sizeof(praise) / sizeof(praise[0]))

/* The moment of the k-th of n events spread over the last 300 days, oldest first, so that the
 * order of insertion (ids) is the order of time. */
static const char *spread(struct arena *a, const char *today, size_t k, size_t n)
{
    char day[11];

    date_add_days(today, -300 + (int64_t)(k * 270 / (n ? n : 1)), day);
    return arena_printf(a, "%sT%02d:%02d:00Z", day, 9 + (int)(k % 8), (int)(k * 7 % 60));
}

/* Sofia Alvarez, the demo's showcase employee, gets what a year in the product leaves behind:
 * feedback received (praise on the wall, a note from her manager, a private suggestion from a
 * peer), a second goal with a decreasing metric and its check-ins, and a journal entry with its
 * evidence. Dated in the last three weeks, after the rest of the wall. */
static enum err add_showcase(struct db *db, struct arena *a, const char *now)
{
    struct person sofia, *all;
    size_t n, npeers = 0;
    const struct person *peers[3] = {0};
    char today[11], day[11];
    enum err rc = store_people_by_email(db, a, "sofia.alvarez@northwind.example", &sofia);

    if (rc == ERR_OK)
        rc = store_people_all(db, a, &all, &n);
    for (size_t i = 0; rc == ERR_OK && i < n && npeers < 3; i++)
        if (all[i].manager_id == sofia.manager_id && all[i].id != sofia.id)
            peers[npeers++] = &all[i];
    if (rc || npeers < 3 || !sofia.manager_id)
        return rc;
    time_date(time_now(), today);
    static const struct {
        int peer; /* -1: her manager */
        int days_ago;
        const char *kind, *visibility, *value, *body;
    } fb[] = {
        {0, 18, "praise", "public", "Customer first",
         "Your checkout latency work cut the tickets about slow payments by a third."},
        {-1, 11, "praise", "managers", NULL,
         "You led the payments incident review with real care: a clear timeline, no blame, and "
         "actions we actually finished."},
        {1, 6, "constructive", "private", NULL,
         "In code reviews, a short summary of why would help me follow your suggestions."},
        {2, 2, "praise", "public", "Better together",
         "Thanks for walking me through the payment client: getting started took a day, not a "
         "week."},
    };
    for (size_t i = 0; rc == ERR_OK && i < sizeof(fb) / sizeof(fb[0]); i++) {
        struct feedback f = {0};

        date_add_days(today, -fb[i].days_ago, day);
        f.author_id = fb[i].peer < 0 ? sofia.manager_id : peers[fb[i].peer]->id;
        f.recipient_id = sofia.id;
        f.kind = fb[i].kind;
        f.visibility = fb[i].visibility;
        f.company_value = fb[i].value;
        f.body = fb[i].body;
        f.created_at = arena_printf(a, "%sT14:%02d:00Z", day, (int)i * 9);
        rc = store_feedback_insert(db, &f);
    }

    struct goal g = {0};
    struct key_result *k = arena_zalloc(a, 3 * sizeof(*k));

    k[0] = (struct key_result){
        0, 0, "p95 checkout latency", "metric", 800, 200, 800, 2, "ms", "decrease", false};
    k[1] = (struct key_result){
        0, 0, "Payment calls that fail", "metric", 2.0, 0.5, 2.0, 1, "%", "decrease", false};
    k[2] = (struct key_result){
        0, 0, "Ship the new payment client", "milestone", 0, 0, 0, 1, NULL, "increase", false};
    g.title = "Make checkout fast for every customer";
    g.description = "Customers abandon slow checkouts: bring the p95 under 200 ms by the end of "
                    "the year without more failed payments.";
    g.level = "individual";
    g.owner_id = sofia.id;
    g.kind = "performance";
    g.status = "on_track";
    g.visibility = "public";
    g.weight = 2;
    g.start_date = "2026-01-01";
    g.due_date = "2026-12-31";
    g.accepted = true;
    g.krs = k;
    g.nkrs = 3;
    rc = rc ? rc : add_goal(db, &g, now);
    if (rc == ERR_OK)
        rc = add_checkins(db, &g, sofia.id, 3);
    if (rc == ERR_OK) {
        struct accomplishment x = {0};

        date_add_days(today, -20, day);
        x.person_id = sofia.id;
        x.happened_on = arena_printf(a, "%s", day);
        x.title = "Cut p95 checkout latency from 800 ms to 350 ms";
        x.impact = "Checkout abandonment fell from 9% to 6%; support tickets about slow payments "
                   "went down by a third.";
        x.challenges = "The payment provider's sandbox was down for a week of the work.";
        x.links = "[]";
        x.tags = ",delivery,performance,";
        x.skills = "";
        x.shared = true;
        x.updated_at = now;
        x.goal_ids[0] = g.id;
        x.ngoals = 1;
        rc = store_accomplishments_insert(db, &x);
    }
    return rc;
}

/* Recognition on the wall (varied, in date order), feedback from managers, and a few open
 * requests. */
static enum err add_feedback(struct db *db, struct arena *a, const char *now)
{
    static const char *const values[] = {"Customer first", "Ownership", "Learn and grow",
                                         "Better together"};
    static const char *const constructive[] = {
        "Next time, share the plan with the team earlier so they can help.",
        "In design reviews, leave more room for others before giving your view.",
        "Estimates have slipped twice this quarter: let's break the work down further."};
    struct person *all;
    size_t n;
    char today[11];
    enum err rc = store_people_all(db, a, &all, &n);

    time_date(time_now(), today);
    for (size_t i = 1; rc == ERR_OK && i < n; i++) {
        const struct person *p = &all[i], *peer = &all[(i * 7) % n];
        struct feedback f = {0};

        f.created_at = spread(a, today, i, n);
        if (p->manager_id && i % 3 == 0) {
            f.author_id = p->manager_id;
            f.recipient_id = p->id;
            f.kind = i % 2 ? "praise" : "constructive";
            f.visibility = "managers";
            f.body = i % 2 ? praise[(i * 5) % NPRAISE] : constructive[(i / 2) % 3];
            rc = store_feedback_insert(db, &f);
        }
        if (rc == ERR_OK && i % 4 == 0 && peer->id != p->id) {
            f.author_id = peer->id;
            f.recipient_id = p->id;
            f.kind = "praise";
            f.visibility = "public";
            f.company_value = values[(i / 4) % 4];
            f.body = praise[(i / 4) % NPRAISE];
            rc = store_feedback_insert(db, &f);
        }
        if (rc == ERR_OK && i % 11 == 0 && peer->id != p->id) {
            struct feedback_request q = {0};

            q.requester_id = p->id;
            q.asked_id = peer->id;
            q.topic = "How did the quarterly planning session go for you?";
            q.due_date = "2026-12-15";
            q.created_at = now;
            rc = store_feedback_requests_insert(db, &q);
        }
    }
    return rc;
}

/* A template of kind: peers rate "collab", reports rate "support" (upward), the others
 * "overall"; each with a text question, and the manager review with the potential axis. */
static int64_t add_template(struct db *db, const char *name, const char *kind, const char *now)
{
    struct review_template t = {0};
    bool peer = strcmp(kind, "peer") == 0, upward = strcmp(kind, "upward") == 0;

    t.name = name;
    t.kind = kind;
    t.questions = peer ? "[{\"id\":\"collab\",\"type\":\"rating\",\"text\":\"How well do we "
                         "work together?\",\"scale\":5,\"required\":true},{\"id\":\"comment\","
                         "\"type\":\"text\",\"text\":\"What should they keep doing, or change?\","
                         "\"scale\":5,\"required\":false}]"
                  : upward
                      ? "[{\"id\":\"support\",\"type\":\"rating\",\"text\":\"Does your manager "
                        "support your growth?\",\"scale\":5,\"required\":true},{\"id\":"
                        "\"comment\",\"type\":\"text\",\"text\":\"What should they keep doing, "
                        "or change?\",\"scale\":5,\"required\":false}]"
                  : strcmp(kind, "manager") == 0
                      ? "[{\"id\":\"overall\",\"type\":\"rating\",\"text\":\"Overall, how did "
                        "the half go?\",\"scale\":5,\"required\":true},{\"id\":\"potential\","
                        "\"type\":\"rating\",\"text\":\"Potential for a bigger role (1 low, 3 "
                        "high)\",\"scale\":3,\"required\":true},{\"id\":\"summary\",\"type\":"
                        "\"text\",\"text\":\"Summary and evidence\",\"scale\":5,\"required\":true}]"
                      : "[{\"id\":\"overall\",\"type\":\"rating\",\"text\":\"Overall, how did "
                        "the half go?\",\"scale\":5,\"required\":true},{\"id\":\"summary\","
                        "\"type\":\"text\",\"text\":\"Summary and evidence\",\"scale\":5,"
                        "\"required\":true}]";
    t.created_at = now;
    return store_templates_insert(db, &t) == ERR_OK ? t.id : 0;
}

/* One released cycle (every review written) and one in progress (some self-reviews done). */
static enum err add_reviews(struct db *db, struct arena *a, const char *now)
{
    static const char *const summaries[] = {
        "Delivered what was promised and helped others do the same.",
        "Strong results; next step is leading a cross-team project.",
        "A solid half with room to grow in planning and communication.",
        "Outstanding impact on customers and on the team."};
    struct actor hr = {0};
    struct review_cycle cycles[2] = {{0}, {0}};
    int64_t self_t = add_template(db, "Self-assessment", "self", now);
    int64_t mgr_t = add_template(db, "Manager review", "manager", now);
    int64_t peer_t = add_template(db, "Peer feedback", "peer", now);
    int64_t up_t = add_template(db, "Upward feedback", "upward", now);
    struct person *all;
    size_t n;
    enum err rc =
        self_t && mgr_t && peer_t && up_t ? store_people_all(db, a, &all, &n) : ERR_INTERNAL;
    struct errinfo ei = {0};

    for (size_t i = 0; rc == ERR_OK && i < n; i++)
        if (all[i].department_name && strcmp(all[i].department_name, "People") == 0 &&
            all[i].level && strcmp(all[i].level, "M6") == 0)
            hr.person_id = all[i].id;
    hr.role = ROLE_HR;
    for (int k = 0; rc == ERR_OK && k < 2; k++) {
        struct review_cycle *c = &cycles[k];
        int64_t assignments;

        c->name = k == 0 ? "H1 2026 performance review" : "H2 2026 performance review";
        c->period_start = k == 0 ? "2026-01-01" : "2026-07-01";
        c->period_end = k == 0 ? "2026-06-30" : "2026-12-31";
        c->threshold = 3;
        c->peers_per_person = 3;
        c->self_template_id = self_t;
        c->manager_template_id = mgr_t;
        c->peer_template_id = peer_t;
        c->upward_template_id = up_t;
        if (k == 1) { /* the cycle in progress runs on deadlines */
            c->self_due = "2026-12-12";
            c->peer_due = "2026-12-19";
            c->manager_due = "2027-01-09";
            c->calibration_due = "2027-01-23";
        }
        c->created_at = now;
        c->status = "draft";
        rc = store_cycles_insert(db, c);
        if (rc == ERR_OK)
            rc = reviews_launch(db, a, &hr, c, &assignments, &ei);
    }
    for (int k = 0; rc == ERR_OK && k < 2; k++) {
        for (size_t i = 0; rc == ERR_OK && i < n; i++) {
            struct review *v;
            size_t m;

            rc = store_reviews_by_reviewer(db, a, all[i].id, cycles[k].id, &v, &m);
            for (size_t j = 0; rc == ERR_OK && j < m; j++) {
                json_t *ans;
                unsigned score = 3 + (unsigned)((v[j].reviewee_id + (int64_t)j) % 3);

                if (k == 1 && (strcmp(v[j].kind, "self") != 0 || i % 2))
                    continue; /* the cycle in progress: half the self-reviews are in */
                if (strcmp(v[j].kind, "peer") == 0 || strcmp(v[j].kind, "upward") == 0)
                    ans = json_pack("{s:I, s:s}", v[j].kind[0] == 'p' ? "collab" : "support",
                                    (json_int_t)score, "comment", summaries[(i + j) % 4]);
                else if (strcmp(v[j].kind, "manager") == 0)
                    ans = json_pack("{s:I, s:I, s:s}", "overall", (json_int_t)score, "potential",
                                    (json_int_t)(1 + (v[j].reviewee_id % 3)), "summary",
                                    summaries[(v[j].reviewee_id + (int64_t)k) % 4]);
                else
                    ans = json_pack("{s:I, s:s}", "overall", (json_int_t)score, "summary",
                                    summaries[(v[j].reviewee_id + (int64_t)k) % 4]);
                struct actor who = {.person_id = all[i].id, .role = ROLE_EMPLOYEE};

                rc = reviews_save(db, a, &who, &v[j], ans, true, &ei);
                json_decref(ans);
            }
        }
    }
    if (rc == ERR_OK)
        rc = store_outcomes_release(db, cycles[0].id, now);
    if (rc == ERR_OK)
        rc = store_cycles_set_status(db, cycles[0].id, "released", NULL, now);
    return rc;
}

/* A series for every manager and report, begun half a year ago, with its held meetings (one in
 * eight skipped, career talk every other time), points and action items, and the next meeting. */
static enum err add_oneonones(struct db *db, struct arena *a, const char *now)
{
    static const char *const topics[] = {"Progress on the quarter's goals", "Next step on the IDP",
                                         "Feedback from the last project",
                                         "Workload and priorities"};
    static const char *const notes[] = {
        "Goals are on track overall. The riskiest key result needs one more sprint; we agreed "
        "to ask the platform team for a review slot.",
        "Talked about the next step on the development plan: a course this quarter, then a "
        "stretch project where the new skills get used.",
        "Went through the feedback from the last project: the planning was praised, the "
        "hand-over to support can start earlier next time.",
        "Workload is high for the next two weeks. We moved one deliverable to next month and "
        "agreed who covers the on-call week."};
    struct person *all;
    size_t n;
    char today[11], start[11];
    enum err rc = store_people_all(db, a, &all, &n);

    time_date(time_now(), today);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        struct series s = {0};
        struct person *m = NULL;
        int64_t k = 0;

        for (size_t j = 0; j < n && all[i].manager_id; j++)
            if (all[j].id == all[i].manager_id)
                m = &all[j];
        if (!m)
            continue;
        date_add_days(today, -182 + (int64_t)(all[i].id % 5), start);
        s.lead_id = m->id;
        s.member_id = all[i].id;
        s.relation = "manager";
        s.cadence_weeks = all[i].id % 7 == 0 ? 8 : 4; /* a few too rare, for cadence health */
        s.weekday = date_weekday(start);
        s.start_time = "10:00";
        s.timezone = all[i].id % 3 ? "Europe/London" : "America/New_York";
        s.duration_minutes = 30;
        s.first_date = start;
        s.created_by = m->id;
        s.created_at = now;
        s.lead_name = m->name;
        s.member_name = all[i].name;
        rc = store_series_insert(db, &s);
        for (char date[11] = ""; rc == ERR_OK; k++) {
            struct meeting mt = {0};
            struct action_item x = {0};
            struct talking_point p = {0};

            date_add_days(start, k * 7 * s.cadence_weeks, date);
            if (strcmp(date, today) >= 0 || !oneonones_occurrence(a, &s, date, &mt))
                break;
            rc = store_meetings_insert(db, &mt);
            p.meeting_id = mt.id;
            p.author_id = k % 2 ? s.member_id : s.lead_id;
            p.section = k % 2 ? "development" : "goals";
            p.body = topics[(size_t)(k + all[i].id) % 4];
            p.created_at = mt.starts_at;
            if (rc == ERR_OK)
                rc = store_points_insert(db, &p);
            if (rc == ERR_OK)
                rc = store_points_set_status(db, p.id, "discussed");
            if (rc == ERR_OK && (k + all[i].id) % 8 == 3) {
                rc = store_meetings_finish(db, mt.id, "skipped", "Travel", false, NULL, m->id);
                continue;
            }
            if (rc == ERR_OK)
                rc =
                    store_meetings_finish(db, mt.id, "held", NULL, k % 2 == 1, mt.starts_at, m->id);
            if (rc == ERR_OK)
                rc = store_meetings_set_notes(db, mt.id, notes[(size_t)(k + all[i].id) % 4]);
            x.series_id = s.id;
            x.meeting_id = mt.id;
            x.owner_id = s.member_id;
            x.body = k % 2 ? "Book the course we talked about" : "Share the project update";
            char *due = arena_alloc(a, 11);

            date_add_days(date, 14, due);
            x.due_date = due;
            x.created_at = mt.starts_at;
            if (rc == ERR_OK)
                rc = store_actions_insert(db, &x);
            if (rc == ERR_OK && (date_diff(date, today) > 40 || all[i].id % 2)) {
                x.status = "done";
                x.done_at = x.due_date;
                rc = store_actions_update(db, &x);
            }
        }
        if (rc == ERR_OK)
            rc = oneonones_schedule_next(db, a, &s, today);
    }
    return rc;
}

/* Two tracks of five levels matching the demo's level codes, eight competencies, forty skills;
 * everyone placed and rating their skills, most with a plan, some mentors, open opportunities
 * and learning records (a few certifications about to expire). */
static enum err add_careers(struct db *db, struct arena *a, const char *now)
{
    static const char *const comps[] = {"Delivery",          "Technical craft", "Communication",
                                        "Collaboration",     "Ownership",       "Customer focus",
                                        "People leadership", "Strategy"};
    static const char *const skills[][2] = {{"Go", "Languages"},
                                            {"Python", "Languages"},
                                            {"TypeScript", "Languages"},
                                            {"SQL", "Data"},
                                            {"Data analysis", "Data"},
                                            {"Machine learning", "Data"},
                                            {"Dashboards", "Data"},
                                            {"Kubernetes", "Infrastructure"},
                                            {"AWS", "Infrastructure"},
                                            {"Observability", "Infrastructure"},
                                            {"Security reviews", "Infrastructure"},
                                            {"System design", "Engineering"},
                                            {"Code review", "Engineering"},
                                            {"Testing", "Engineering"},
                                            {"Incident response", "Engineering"},
                                            {"API design", "Engineering"},
                                            {"Product discovery", "Product"},
                                            {"Roadmapping", "Product"},
                                            {"User research", "Product"},
                                            {"UX writing", "Product"},
                                            {"Prototyping", "Design"},
                                            {"Visual design", "Design"},
                                            {"Accessibility", "Design"},
                                            {"Negotiation", "Business"},
                                            {"Account planning", "Business"},
                                            {"Forecasting", "Business"},
                                            {"Pricing", "Business"},
                                            {"Contracts", "Business"},
                                            {"Public speaking", "Communication"},
                                            {"Written communication", "Communication"},
                                            {"Facilitation", "Communication"},
                                            {"Storytelling", "Communication"},
                                            {"Coaching", "Leadership"},
                                            {"Hiring", "Leadership"},
                                            {"Delegation", "Leadership"},
                                            {"Feedback", "Leadership"},
                                            {"Budgeting", "Leadership"},
                                            {"Project management", "Delivery"},
                                            {"Stakeholder management", "Delivery"},
                                            {"Agile practices", "Delivery"}};
    static const char *const tracks[2][5][2] = {{{"P1", "Associate"},
                                                 {"P2", "Professional"},
                                                 {"P3", "Senior professional"},
                                                 {"P4", "Staff"},
                                                 {"P5", "Principal"}},
                                                {{"M2", "Team lead"},
                                                 {"M3", "Senior team lead"},
                                                 {"M4", "Manager"},
                                                 {"M5", "Director"},
                                                 {"M6", "Vice president"}}};
    int64_t skill_ids[40], level_ids[2][5], comp_ids[8] = {0};
    json_t *doc = json_pack("{s:[], s:[]}", "competencies", "tracks"), *fw = NULL;
    struct actor hr = {.person_id = 0, .role = ROLE_HR};
    struct errinfo ei = {0};
    struct person *all;
    size_t n;
    char today[11];
    enum err rc = ERR_OK;

    time_date(time_now(), today);
    for (size_t i = 0; rc == ERR_OK && i < 40; i++)
        rc = store_skills_insert(db, skills[i][0], skills[i][1], &skill_ids[i]);
    for (size_t i = 0; i < 8; i++)
        json_array_append_new(json_object_get(doc, "competencies"),
                              json_pack("{s:s}", "name", comps[i]));
    for (int t = 0; t < 2; t++) {
        json_t *levels = json_array();

        for (int l = 0; l < 5; l++) {
            json_t *exp = json_array(), *sk = json_array();

            for (int c = 0; c < 8; c++) {
                int rating = 1 + l - (t == 0 && c >= 6 ? 2 : 0) + (t == 1 && c >= 6 ? 1 : 0);

                json_array_append_new(exp, json_pack("{s:s, s:i}", "competency", comps[c], "rating",
                                                     rating < 1   ? 1
                                                     : rating > 5 ? 5
                                                                  : rating));
            }
            for (int k = 0; k < 3; k++)
                json_array_append_new(sk, json_pack("{s:s, s:i}", "skill",
                                                    skills[t == 0 ? 11 + k : 32 + k][0], "rating",
                                                    l + 1 > 5 ? 5 : l + 1));
            json_array_append_new(levels, json_pack("{s:s, s:s, s:o, s:o}", "code", tracks[t][l][0],
                                                    "title", tracks[t][l][1], "expectations", exp,
                                                    "skills", sk));
        }
        json_array_append_new(json_object_get(doc, "tracks"),
                              json_pack("{s:s, s:o}", "name",
                                        t == 0 ? "Individual contributor" : "Management", "levels",
                                        levels));
    }
    if (rc == ERR_OK)
        rc = careers_import(db, &hr, doc, &ei);
    json_decref(doc);
    if (rc == ERR_OK)
        rc = store_fw_levels(db, &fw);
    for (int t = 0; rc == ERR_OK && t < 2; t++)
        for (int l = 0; l < 5; l++) {
            size_t i;
            json_t *x;

            json_array_foreach(fw, i, x) if (strcmp(json_string_value(json_object_get(x, "code")),
                                                    tracks[t][l][0]) == 0) level_ids[t][l] =
                json_integer_value(json_object_get(x, "id"));
        }
    json_decref(fw);
    fw = NULL;
    if (rc == ERR_OK)
        rc = store_fw_competencies(db, &fw);
    for (int c = 0; rc == ERR_OK && c < 8; c++) {
        size_t i;
        json_t *x;

        json_array_foreach(
            fw, i, x) if (strcmp(json_string_value(json_object_get(x, "name")), comps[c]) == 0)
            comp_ids[c] = json_integer_value(json_object_get(x, "id"));
    }
    json_decref(fw);
    if (rc == ERR_OK)
        rc = store_people_all(db, a, &all, &n);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        struct person *p = &all[i];
        int t = p->level && p->level[0] == 'M' ? 1 : 0, pos = -1;
        int64_t idp = 0;

        for (int l = 0; l < 5; l++)
            if (p->level && strcmp(p->level, tracks[t][l][0]) == 0)
                pos = l;
        if (pos >= 0)
            rc = store_placement_set(db, p->id, level_ids[t][pos]);
        /* six skill ratings and the competencies, by the person; some by their manager */
        for (int k = 0; rc == ERR_OK && k < 6; k++)
            rc = store_ratings_insert(db, p->id, "skill", skill_ids[(p->id * 7 + k * 5) % 40],
                                      "self", 1 + (p->id + k) % 5, p->id, now);
        for (int c = 0; rc == ERR_OK && c < 8; c++) {
            rc = store_ratings_insert(db, p->id, "competency", comp_ids[c], "self",
                                      2 + (p->id + c) % 4, p->id, now);
            if (rc == ERR_OK && p->manager_id && c % 2 == 0)
                rc = store_ratings_insert(db, p->id, "competency", comp_ids[c], "manager",
                                          1 + (p->id + c) % 4, p->manager_id, now);
        }
        if (rc == ERR_OK && p->id % 5 != 0 && pos >= 0) { /* most people have a plan */
            json_t *f = json_pack(
                "{s:s, s:s, s:I, s:s, s:s}", "short_term", "Grow into the next level this year",
                "long_term", t ? "Lead a larger organisation" : "Become a recognised expert",
                "target_level_id", (json_int_t)level_ids[t][pos < 4 ? pos + 1 : 4], "strengths",
                "Reliable delivery, good collaborator", "improvements",
                "Strategy and public speaking");

            rc = store_idp_upsert(db, p->id, f, now, &idp);
            json_decref(f);
            for (int k = 0; rc == ERR_OK && k < 3; k++) {
                static const char *const kinds[] = {"course", "mentorship", "stretch_assignment"};
                static const char *const titles[] = {"Finish the system design course",
                                                     "Monthly sessions with a mentor",
                                                     "Lead the next cross-team project"};
                char due[11];
                int64_t act;
                json_t *x;

                date_add_days(today, 30 + 45 * k, due);
                x = json_pack("{s:s, s:s, s:s, s:s, s:I}", "kind", kinds[k], "title", titles[k],
                              "success_measure", "Agreed with my manager", "due_date", due,
                              "skill_id", (json_int_t)skill_ids[(p->id + k) % 40]);
                rc = store_idp_action_insert(db, idp, x, now, &act);
                if (rc == ERR_OK && k == 0 && p->id % 3 == 0) {
                    json_object_set_new(x, "status", json_string("done"));
                    json_object_set_new(x, "completed_at", json_string(now));
                    rc = store_idp_action_update(db, act, x);
                }
                json_decref(x);
            }
            if (rc == ERR_OK && p->id % 4 == 0 && p->manager_id)
                rc = store_idp_sign_off(db, idp, p->manager_id, now);
        }
        if (rc == ERR_OK && p->id % 2 == 0) { /* learning, some certifications expiring soon */
            char done[11], exp[11];
            int64_t rec;
            json_t *lr;

            date_add_days(today, -200 - (p->id % 300), done);
            date_add_days(today, p->id % 6 == 0 ? 20 + (p->id % 40) : 500, exp);
            lr = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind",
                           p->id % 6 == 0 ? "certification" : "course", "title",
                           p->id % 6 == 0 ? "Cloud practitioner" : "Effective feedback", "provider",
                           p->id % 6 == 0 ? "AWS" : "Northwind Academy", "completed_on", done,
                           "expires_on", exp);
            rc = store_learning_insert(db, p->id, lr, 0, now, &rec);
            json_decref(lr);
        }
        if (rc == ERR_OK && p->id % 9 == 0) { /* mentors in three of their skills */
            int64_t offer[3] = {skill_ids[(p->id * 7) % 40], skill_ids[(p->id * 7 + 5) % 40],
                                skill_ids[(p->id * 7 + 10) % 40]};

            rc = store_mentor_offer_put(db, p->id, 2, "Happy to help", true, now);
            if (rc == ERR_OK)
                rc = store_mentor_offer_skills(db, p->id, offer, 3);
        }
    }
    for (int k = 0; rc == ERR_OK && k < 6 && n > 20; k++) { /* open opportunities */
        static const char *const kinds[] = {"project", "role", "rotation", "shadowing"};
        static const char *const titles[] = {"Data platform migration", "Staff engineer, search",
                                             "Infrastructure rotation", "Shadow a sales director",
                                             "Accessibility audit",     "Pricing experiment"};
        json_t *o = json_pack("{s:s, s:s, s:s}", "kind", kinds[k % 4], "title", titles[k],
                              "description", "Six months, alongside your current role");
        int64_t id;

        rc = store_opportunity_insert(db, o, all[k * 3 % n].id, now, &id);
        json_decref(o);
        for (int q = 0; rc == ERR_OK && q < 2; q++)
            rc = store_opportunity_skill(db, id, skill_ids[(k * 6 + q * 11) % 40], 3);
    }
    return rc;
}

enum err demo_build(struct db *db, struct errinfo *ei)
{
    struct buf csv;
    struct import_result res;
    struct arena *a = arena_new();
    struct person *all;
    size_t n;
    char now[21], *hash = NULL;
    enum err rc;

    if (store_people_count(db) > 0) {
        arena_free(a);
        return err_set(ei, ERR_CONFLICT,
                       "the database already has people; demo needs an empty one");
    }
    buf_init(&csv, 1u << 20);
    demo_people_csv(&csv);
    import_result_init(&res);
    rc = import_people(db, buf_str(&csv), csv.len, false, 0, &res);
    if (rc)
        err_set(ei, rc, "demo import failed: %s", buf_str(&res.errors));
    time_rfc3339(time_now(), now);
    if (rc == ERR_OK) {
        /* one argon2id hash for the shared demo password: 150 hashes would take a minute */
        hash = accounts_hash_password(DEMO_PASSWORD);
        rc = hash ? db_begin(db) : ERR_INTERNAL;
    }
    if (rc == ERR_OK) {
        rc = store_people_all(db, a, &all, &n);
        for (size_t i = 0; rc == ERR_OK && i < n; i++) {
            const char *role = "employee";

            if (strcmp(all[i].title, "Chief Executive Officer") == 0)
                role = "admin";
            else if (all[i].department_name && strcmp(all[i].department_name, "People") == 0)
                role = "hr";
            rc = store_accounts_upsert(db, all[i].id, role, hash, now);
        }
        if (rc == ERR_OK)
            rc = add_promotions(db, a, now);
        if (rc == ERR_OK)
            rc = add_goals(db, a, now);
        if (rc == ERR_OK)
            rc = goals_recompute_all(db, a);
        if (rc == ERR_OK)
            rc = add_feedback(db, a, now);
        if (rc == ERR_OK)
            rc = add_reviews(db, a, now);
        if (rc == ERR_OK)
            rc = add_oneonones(db, a, now);
        if (rc == ERR_OK)
            rc = add_careers(db, a, now);
        if (rc == ERR_OK)
            rc = add_showcase(db, a, now);
        if (rc == ERR_OK)
            rc = goals_recompute_all(db, a);
        if (rc == ERR_OK)
            rc = audit_record(db, 0, "demo.build", "import", 0, NULL, NULL);
        if (rc == ERR_OK)
            rc = db_commit(db);
        else
            db_rollback(db);
        if (rc)
            err_set(ei, rc, "cannot store demo accounts: %s", db_errmsg(db));
    }
    free(hash);
    import_result_cleanup(&res);
    buf_cleanup(&csv);
    arena_free(a);
    return rc;
}
