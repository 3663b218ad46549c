-- How far each concern's schema has got: one row per component (the
-- advisory database, the findings store, ...), its version the number of
-- that component's migrations applied. `PRAGMA user_version` no longer
-- counts migrations; it says that versions are kept here (see
-- `LAYOUT` in src/migrate.rs).

CREATE TABLE IF NOT EXISTS keepopen_schema (
    component TEXT PRIMARY KEY NOT NULL CHECK (length(component) > 0),
    version   INTEGER NOT NULL CHECK (version >= 0)
) STRICT;
