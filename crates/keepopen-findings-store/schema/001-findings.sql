-- Findings store, version 1: what each run found, in which repository.
--
-- Written to be carried to PostgreSQL unchanged in meaning, for shared,
-- organisation-wide runs: surrogate integer ids (BIGINT GENERATED ... AS
-- IDENTITY there), times as INTEGER seconds since the epoch, enums as TEXT
-- with CHECK lists, flags as 0/1 (BOOLEAN there), JSON as checked TEXT
-- (jsonb there), and nothing that leans on rowid or WITHOUT ROWID.
--
-- No raw secret is ever stored: `redacted` and `context` are what a report
-- shows by default (keepopen_findings::redact_for / redact_in_for).

CREATE TABLE runs (
    id               INTEGER PRIMARY KEY,
    started_at       INTEGER NOT NULL CHECK (started_at >= 0),
    -- NULL while the run is going, and for good if it stopped short: a
    -- run without it is incomplete.
    finished_at      INTEGER CHECK (finished_at >= started_at),
    keepopen_version TEXT NOT NULL CHECK (length(keepopen_version) > 0),
    -- The command's validated options, as JSON.
    options          TEXT NOT NULL CHECK (json_valid(options))
) STRICT;

-- One row per repository a run scanned: an organisation-wide run has
-- thousands. The same repository across runs is the same remote.
CREATE TABLE repositories (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    -- The root as given to the scan.
    root    TEXT NOT NULL,
    -- origin's fetch URL (else the first remote's), credentials removed.
    remote  TEXT,
    -- The commit HEAD pointed at when the scan began.
    head    TEXT,
    UNIQUE (run_id, root),
    -- The key findings refer to, so a finding's repository is in its run.
    UNIQUE (run_id, id)
) STRICT;

CREATE TABLE findings (
    id            INTEGER PRIMARY KEY,
    run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    -- NULL only when whatever produced the finding named no repository.
    repository_id INTEGER,
    rule          TEXT NOT NULL CHECK (length(rule) > 0),
    category      TEXT NOT NULL CHECK (category IN ('secret', 'personal-data',
                    'disclosure-control', 'dependency', 'workflow', 'posture',
                    'code', 'exposure')),
    severity      TEXT NOT NULL CHECK (severity IN ('info', 'low', 'medium',
                    'high', 'critical')),
    confidence    TEXT NOT NULL CHECK (confidence IN ('low', 'medium', 'high')),
    -- Rule, path and secret hashed: stable across runs, never the secret.
    fingerprint   TEXT NOT NULL CHECK (length(fingerprint) > 0),
    -- Repository-relative, `/`-separated.
    path          TEXT NOT NULL,
    -- Where the match stands now (working tree, else HEAD), 1-based.
    line          INTEGER NOT NULL CHECK (line >= 0),
    column_number INTEGER NOT NULL CHECK (column_number >= 0),
    -- For content found in history: the earliest commit that put it at
    -- this path, its author date, and the match's line in it.
    commit_id     TEXT,
    commit_time   INTEGER,
    commit_line   INTEGER CHECK (commit_line >= 0),
    author        TEXT,
    in_head       INTEGER NOT NULL CHECK (in_head IN (0, 1)),
    in_worktree   INTEGER NOT NULL CHECK (in_worktree IN (0, 1)),
    -- The value as a report shows it by default: redacted by its category.
    redacted      TEXT NOT NULL,
    -- The line around it, every copy or piece of the value redacted.
    context       TEXT NOT NULL,
    -- What the detector adds, already redacted by it.
    detail        TEXT,
    FOREIGN KEY (run_id, repository_id)
        REFERENCES repositories (run_id, id) ON DELETE CASCADE
) STRICT;

-- A run's findings by identity: comparing runs, applying a baseline.
CREATE INDEX findings_by_run_fingerprint ON findings (run_id, fingerprint);
-- A repository's findings by rule: what one repository holds, per rule.
CREATE INDEX findings_by_repository_rule ON findings (repository_id, rule);
