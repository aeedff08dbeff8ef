-- Single sign-on through OpenID Connect (issue #13). An admin registers each identity provider
-- (its issuer URL, the client id and the client secret sealed with the server key); a person
-- signs in through one and is linked to their account by the provider's subject, or the first
-- time by a verified email. A sign-in in progress keeps its state, nonce and PKCE verifier in the
-- database, so that any server of one database can take the provider's answer; each lives ten
-- minutes and is used once.
CREATE TABLE sso_providers (
    id @ID@,
    name TEXT NOT NULL,
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    trust_email INTEGER NOT NULL DEFAULT 0,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE sso_identities (
    provider_id BIGINT NOT NULL REFERENCES sso_providers (id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people (id),
    email TEXT,
    created_at TEXT NOT NULL,
    last_login_at TEXT NOT NULL,
    PRIMARY KEY (provider_id, subject)
);
CREATE INDEX sso_identities_person ON sso_identities (person_id);

CREATE TABLE sso_logins (
    state_hash TEXT PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES sso_providers (id) ON DELETE CASCADE,
    browser_hash TEXT NOT NULL,
    nonce TEXT NOT NULL,
    verifier TEXT NOT NULL,
    next TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX sso_logins_created ON sso_logins (created_at);
