-- Findings store, version 2: triage, a person's verdict on a finding,
-- kept by fingerprint across runs (the fingerprint hashes rule, path and
-- value, so it is the same finding in every run that sees it).

CREATE TABLE triage (
    fingerprint TEXT PRIMARY KEY CHECK (length(fingerprint) > 0),
    state       TEXT NOT NULL CHECK (state IN ('false-positive',
                  'accepted-risk', 'fixed')),
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    -- Seconds since the epoch; an accepted risk always has one.
    expires_at  INTEGER CHECK (expires_at >= 0),
    set_at      INTEGER NOT NULL CHECK (set_at >= 0),
    CHECK (state <> 'accepted-risk' OR expires_at IS NOT NULL)
) STRICT;
