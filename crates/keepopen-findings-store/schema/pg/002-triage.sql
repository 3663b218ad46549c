-- Findings store, version 2, PostgreSQL: triage, as ../002-triage.sql.

CREATE TABLE triage (
    fingerprint TEXT PRIMARY KEY CHECK (length(fingerprint) > 0),
    state       TEXT NOT NULL CHECK (state IN ('false-positive',
                  'accepted-risk', 'fixed')),
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    expires_at  BIGINT CHECK (expires_at >= 0),
    set_at      BIGINT NOT NULL CHECK (set_at >= 0),
    CHECK (state <> 'accepted-risk' OR expires_at IS NOT NULL)
);
