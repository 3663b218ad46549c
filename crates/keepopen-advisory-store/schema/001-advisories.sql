-- Schema version 1: the OSV advisory database.
-- One row per advisory (the record as JSON), one per package it names.

CREATE TABLE advisory (
    id          TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
    modified    TEXT,
    withdrawn   TEXT,
    -- The file (or zip entry) it was imported from.
    source      TEXT NOT NULL,
    imported_at INTEGER NOT NULL CHECK (imported_at >= 0),
    record      TEXT NOT NULL CHECK (json_valid(record))
) STRICT;

CREATE TABLE affected_package (
    advisory_id TEXT NOT NULL REFERENCES advisory (id) ON DELETE CASCADE,
    -- The ecosystem as the record names it (`Debian:12`), and its base.
    ecosystem   TEXT NOT NULL CHECK (length(ecosystem) > 0),
    base        TEXT NOT NULL CHECK (length(base) > 0),
    -- The name as the ecosystem compares names (PEP 503 for PyPI).
    name        TEXT NOT NULL,
    PRIMARY KEY (base, name, advisory_id, ecosystem)
) STRICT, WITHOUT ROWID;

CREATE INDEX affected_package_by_advisory ON affected_package (advisory_id);
