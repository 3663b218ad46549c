-- Findings store, version 4: what each repository's result was computed
-- from (a hash of its refs and object store, the command's options, the
-- rules, the advisory data and triage, and the day), so that a re-run
-- reuses the result of an unchanged repository instead of scanning it.

ALTER TABLE assessments ADD COLUMN state TEXT CHECK (state IS NULL OR length(state) > 0);

CREATE INDEX assessments_by_root_state ON assessments (root, state);
