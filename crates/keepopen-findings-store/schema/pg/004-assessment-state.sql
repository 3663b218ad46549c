-- Findings store, version 4, PostgreSQL: what each repository's result was
-- computed from, as ../004-assessment-state.sql.

ALTER TABLE assessments ADD COLUMN state TEXT CHECK (state IS NULL OR length(state) > 0);

CREATE INDEX assessments_by_root_state ON assessments (root, state);
