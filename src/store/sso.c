/* SPDX-License-Identifier: MIT */
/* See sso.h. */
#include "store/sso.h"

#define PROVIDER_COLS "id, name, issuer, client_id, client_secret, trust_email, enabled"

enum err store_sso_provider_get(struct db *db, struct arena *a, int64_t id,
                                struct sso_provider *out)
{
    struct stmt *s = db_stmt(db, "SELECT " PROVIDER_COLS " FROM sso_providers WHERE id = $1");
    int st;

    stmt_i64(s, 1, id);
    st = stmt_step(s);
    if (st == 1) {
        out->id = col_i64(s, 0);
        out->name = col_dup(a, s, 1);
        out->issuer = col_dup(a, s, 2);
        out->client_id = col_dup(a, s, 3);
        out->client_secret = col_dup(a, s, 4);
        out->trust_email = col_i64(s, 5) != 0;
        out->enabled = col_i64(s, 6) != 0;
    }
    stmt_reset(s);
    return st == 1 ? ERR_OK : st == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_sso_providers_json(struct db *db, bool enabled_only, json_t **out)
{
    struct stmt *s = db_stmt(db, "SELECT id, name, issuer, client_id, trust_email <> 0,"
                                 " enabled <> 0 FROM sso_providers"
                                 " WHERE enabled <> 0 OR $1 = 0 ORDER BY name, id");

    stmt_i64(s, 1, enabled_only);
    return store_json_rows(s, "id:i name:s issuer:s client_id:s trust_email:b enabled:b", out);
}

static void bind_provider(struct stmt *s, const struct sso_provider *p)
{
    stmt_text(s, 1, p->name);
    stmt_text(s, 2, p->issuer);
    stmt_text(s, 3, p->client_id);
    stmt_text(s, 4, p->client_secret);
    stmt_i64(s, 5, p->trust_email);
    stmt_i64(s, 6, p->enabled);
}

enum err store_sso_provider_insert(struct db *db, const struct sso_provider *p, const char *now,
                                   int64_t *id)
{
    struct stmt *s = db_stmt(
        db, "INSERT INTO sso_providers (name, issuer, client_id, client_secret, trust_email,"
            " enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"
            " RETURNING id");

    bind_provider(s, p);
    stmt_text(s, 7, now);
    return stmt_insert_id(s, id);
}

enum err store_sso_provider_update(struct db *db, const struct sso_provider *p, const char *now)
{
    struct stmt *s = db_stmt(
        db, "UPDATE sso_providers SET name = $1, issuer = $2, client_id = $3,"
            " client_secret = $4, trust_email = $5, enabled = $6, updated_at = $7 WHERE id = $8");

    bind_provider(s, p);
    stmt_text(s, 7, now);
    stmt_i64(s, 8, p->id);
    return stmt_exec(s);
}

enum err store_sso_provider_delete(struct db *db, int64_t id)
{
    struct stmt *s = db_stmt(db, "DELETE FROM sso_identities WHERE provider_id = $1");
    enum err rc;

    stmt_i64(s, 1, id);
    rc = stmt_exec(s);
    if (rc == ERR_OK) {
        s = db_stmt(db, "DELETE FROM sso_logins WHERE provider_id = $1");
        stmt_i64(s, 1, id);
        rc = stmt_exec(s);
    }
    if (rc == ERR_OK) {
        s = db_stmt(db, "DELETE FROM sso_providers WHERE id = $1");
        stmt_i64(s, 1, id);
        rc = stmt_exec(s);
    }
    return rc;
}

int64_t store_sso_providers_enabled(struct db *db)
{
    struct stmt *s = db_stmt(db, "SELECT count(*) FROM sso_providers WHERE enabled <> 0");
    int64_t n = 0;

    if (stmt_step(s) == 1)
        n = col_i64(s, 0);
    stmt_reset(s);
    return n;
}

int64_t store_sso_identity_person(struct db *db, int64_t provider_id, const char *subject)
{
    struct stmt *s =
        db_stmt(db, "SELECT person_id FROM sso_identities WHERE provider_id = $1 AND subject = $2");
    int64_t id = 0;

    stmt_i64(s, 1, provider_id);
    stmt_text(s, 2, subject);
    if (stmt_step(s) == 1)
        id = col_i64(s, 0);
    stmt_reset(s);
    return id;
}

enum err store_sso_identity_put(struct db *db, int64_t provider_id, const char *subject,
                                int64_t person_id, const char *email, const char *now)
{
    struct stmt *s = db_stmt(
        db, "INSERT INTO sso_identities (provider_id, subject, person_id, email, created_at,"
            " last_login_at) VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (provider_id, subject)"
            " DO UPDATE SET email = excluded.email, last_login_at = excluded.last_login_at");

    stmt_i64(s, 1, provider_id);
    stmt_text(s, 2, subject);
    stmt_i64(s, 3, person_id);
    stmt_text(s, 4, email);
    stmt_text(s, 5, now);
    return stmt_exec(s);
}

enum err store_sso_identities_json(struct db *db, int64_t person_id, json_t **out)
{
    struct stmt *s =
        db_stmt(db, "SELECT i.provider_id, p.name, i.email, i.created_at, i.last_login_at"
                    " FROM sso_identities i JOIN sso_providers p ON p.id = i.provider_id"
                    " WHERE i.person_id = $1 ORDER BY p.name");

    stmt_i64(s, 1, person_id);
    return store_json_rows(s, "provider_id:i provider:s email:s created_at:s last_login_at:s", out);
}

enum err store_sso_login_insert(struct db *db, const char *state_hash, const struct sso_login *l)
{
    struct stmt *s = db_stmt(
        db, "INSERT INTO sso_logins (state_hash, provider_id, browser_hash, nonce, verifier,"
            " next, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)");

    stmt_text(s, 1, state_hash);
    stmt_i64(s, 2, l->provider_id);
    stmt_text(s, 3, l->browser_hash);
    stmt_text(s, 4, l->nonce);
    stmt_text(s, 5, l->verifier);
    stmt_text(s, 6, l->next);
    stmt_i64(s, 7, l->created_at);
    return stmt_exec(s);
}

enum err store_sso_login_take(struct db *db, struct arena *a, const char *state_hash,
                              struct sso_login *out)
{
    struct stmt *s =
        db_stmt(db, "DELETE FROM sso_logins WHERE state_hash = $1 RETURNING provider_id,"
                    " browser_hash, nonce, verifier, next, created_at");
    int st;

    stmt_text(s, 1, state_hash);
    st = stmt_step(s);
    if (st == 1) {
        out->provider_id = col_i64(s, 0);
        out->browser_hash = col_dup(a, s, 1);
        out->nonce = col_dup(a, s, 2);
        out->verifier = col_dup(a, s, 3);
        out->next = col_dup(a, s, 4);
        out->created_at = col_i64(s, 5);
        /* run the DELETE to its end */
        while (stmt_step(s) == 1)
            ;
    }
    stmt_reset(s);
    return st == 1 ? ERR_OK : st == 0 ? ERR_NOT_FOUND : ERR_INTERNAL;
}

enum err store_sso_logins_expire(struct db *db, int64_t cutoff)
{
    struct stmt *s = db_stmt(db, "DELETE FROM sso_logins WHERE created_at < $1");

    stmt_i64(s, 1, cutoff);
    return stmt_exec(s);
}

enum err store_sso_account_ensure(struct db *db, int64_t person_id, const char *now)
{
    struct stmt *s = db_stmt(
        db, "INSERT INTO accounts (person_id, role, password_hash, login_method, created_at,"
            " updated_at) VALUES ($1, 'employee', NULL, 'sso', $2, $2)"
            " ON CONFLICT (person_id) DO NOTHING");

    stmt_i64(s, 1, person_id);
    stmt_text(s, 2, now);
    return stmt_exec(s);
}
