-- SCIM 2.0 provisioning (docs/api-scim.md): bearer tokens of their own scope, stored as keyed
-- hashes like API tokens but in a table of their own, so that neither kind opens the other's API.
CREATE TABLE scim_tokens (
    id @ID@,
    token_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_by BIGINT REFERENCES people(id),
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
-- What the identity provider knows about a person that Trellis does not keep in people: its
-- userName and externalId, the name parts it sent, and a manager reference that named nobody yet
-- (resolved when that manager is provisioned).
CREATE TABLE scim_users (
    person_id BIGINT PRIMARY KEY REFERENCES people(id),
    user_name TEXT NOT NULL UNIQUE,
    external_id TEXT,
    given_name TEXT,
    family_name TEXT,
    manager_ref TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX scim_users_by_external_id ON scim_users (external_id);
CREATE INDEX scim_users_by_manager_ref ON scim_users (manager_ref);
