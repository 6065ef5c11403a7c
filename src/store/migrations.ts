/**
 * The schema, as numbered migrations shared by SQLite and PostgreSQL. Each backend applies, in
 * order and inside one transaction, every version not yet in `schema_migrations` (see
 * `SqliteStore.init` and `PostgresStore.init`). Never edit a released migration: add one.
 *
 * Types are chosen to mean the same on both: TEXT, BIGINT for epoch milliseconds (SQLite gives it
 * integer affinity), and partial indexes `WHERE removed_at IS NULL`, which both support.
 */

export type Dialect = "sqlite" | "postgres";

export interface Migration {
  version: number;
  name: string;
  /** One SQL text for both backends, or one per dialect. May hold several statements. */
  sql: string | Record<Dialect, string>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "recommendations and their change log",
    sql: `
CREATE TABLE recommendations (
  platform    TEXT   NOT NULL,
  workspace   TEXT   NOT NULL,
  channel     TEXT   NOT NULL,
  member      TEXT   NOT NULL,
  tool        TEXT   NOT NULL,
  member_name TEXT,
  stance      TEXT   NOT NULL CHECK (stance IN ('adopt', 'trial', 'assess', 'hold')),
  reason      TEXT,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  -- Soft delete: a removal records who and when; recommending again revives the row.
  removed_at  BIGINT,
  removed_by  TEXT,
  PRIMARY KEY (platform, workspace, channel, member, tool)
);

-- Workspace scope: a workspace's live rows by tool, then member, newest first (the order the
-- "latest per member" window wants), carrying every column tallies() and forTool() read so the
-- table itself is not visited. removed_at is always NULL here; listing it lets SQLite see that.
CREATE INDEX recommendations_live_by_tool
  ON recommendations (platform, workspace, tool, member, updated_at DESC, channel, stance, removed_at)
  WHERE removed_at IS NULL;

-- Channel scope: a channel's live rows by tool, newest first.
CREATE INDEX recommendations_live_by_channel
  ON recommendations (platform, workspace, channel, tool, updated_at DESC, member, stance, removed_at)
  WHERE removed_at IS NULL;

-- Every change (recommend, update, remove) by its actor, for rate limiting (changesSince).
CREATE TABLE recommendation_changes (
  platform  TEXT   NOT NULL,
  workspace TEXT   NOT NULL,
  member    TEXT   NOT NULL,
  at        BIGINT NOT NULL
);

CREATE INDEX recommendation_changes_by_member
  ON recommendation_changes (platform, workspace, member, at);
`,
  },
];

/** The table recording applied versions; created before any migration runs. */
export const SCHEMA_MIGRATIONS_DDL = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  applied_at BIGINT  NOT NULL
)`;

export function migrationSql(migration: Migration, dialect: Dialect): string {
  return typeof migration.sql === "string" ? migration.sql : migration.sql[dialect];
}

/** Migrations not yet applied, in version order. Throws if the list itself is out of order. */
export function pendingMigrations(applied: Iterable<number>): Migration[] {
  const done = new Set(applied);
  let last = 0;
  for (const m of MIGRATIONS) {
    if (!Number.isInteger(m.version) || m.version <= last) {
      throw new Error(`migrations must have increasing integer versions (at ${m.version})`);
    }
    last = m.version;
  }
  return MIGRATIONS.filter((m) => !done.has(m.version));
}
