-- Findings store, version 3: organisation runs. Each repository's row of
-- the organisation report, written in the same transaction as its
-- findings, so that a run killed part-way holds whole repositories only
-- and the same command resumes it.

CREATE TABLE assessments (
    id             INTEGER PRIMARY KEY,
    run_id         INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    -- NULL for a repository that could not be scanned at all.
    repository_id  INTEGER,
    -- The path as the run named it: the key a resumed run skips by.
    root           TEXT NOT NULL CHECK (length(root) > 0),
    recommendation TEXT NOT NULL CHECK (recommendation IN ('open',
                     'open-after-fixes', 'exception-review', 'archive', 'error')),
    -- The repository's row of the organisation report (org-v1 schema),
    -- values redacted as every report has them.
    report_row     TEXT NOT NULL CHECK (json_valid(report_row)),
    UNIQUE (run_id, root),
    FOREIGN KEY (run_id, repository_id)
        REFERENCES repositories (run_id, id) ON DELETE CASCADE
) STRICT;
