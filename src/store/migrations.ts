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

/*
 * Migration 2: tallies kept up to date as rows change, so that reads never aggregate a workspace.
 *
 * - recommendation_channel_tallies: per (platform, workspace, channel, tool), the live
 *   recommendations by stance and the newest change. A member has at most one recommendation of a
 *   tool in a channel, so `members` is their sum.
 * - recommendation_member_latest: per (platform, workspace, member, tool), the member's most
 *   recent live recommendation across the workspace's channels (on equal times, the channel first
 *   in code-point order), which is the one the workspace scope counts.
 * - recommendation_workspace_tallies: per (platform, workspace, tool), those latest
 *   recommendations by stance, and the newest change of the tool in the workspace.
 *
 * Triggers on `recommendations` maintain them in the same transaction as every write, whoever
 * writes (the store, an older replica during an upgrade, a hand-made fix). Each change adds its
 * delta to the counts and recomputes what a delta cannot give from indexes, reading a few rows:
 * the newest live time of the channel's tool and of the workspace's tool (the first entry of
 * recommendations_live_by_channel, recommendations_live_by_tool_time), and the member's latest
 * recommendation of the tool (the first entries of recommendations_live_by_tool), so a removal
 * falls back to the member's other live recommendation. A tally whose last live row went away is
 * deleted, so every tally row has members > 0.
 *
 * SQLite serialises writers (BEGIN IMMEDIATE), so its triggers need no locking. PostgreSQL runs
 * writers side by side in READ COMMITTED: the trigger first takes a transaction-scoped advisory
 * lock on (schema, platform, workspace, tool), which every write touching that tool's tallies
 * takes, and only then reads. Each statement of a volatile plpgsql function takes a new
 * snapshot, so what it reads after the lock includes every write committed before, and every
 * write not yet committed will make its own correction after it. Counts are deltas applied to the
 * locked row; newest times and the member's latest are recomputed under the lock, so they are
 * exact too.
 *
 * The text below is generated once from these templates; like any released migration, it must
 * not change: a later change to the tallies is a new migration.
 */

const TALLY_STANCES = ["adopt", "trial", "assess", "hold"] as const;

/**
 * The tables and indexes, for both. SQLite stores the tallies WITHOUT ROWID (the primary key is
 * the table, one b-tree less to write per change, and fewer pages in each commit's WAL frames).
 */
function tallyTables(withoutRowid: string): string {
  return `
CREATE TABLE recommendation_channel_tallies (
  platform  TEXT    NOT NULL,
  workspace TEXT    NOT NULL,
  channel   TEXT    NOT NULL,
  tool      TEXT    NOT NULL,
  members   INTEGER NOT NULL,
  adopt     INTEGER NOT NULL,
  trial     INTEGER NOT NULL,
  assess    INTEGER NOT NULL,
  hold      INTEGER NOT NULL,
  last_at   BIGINT  NOT NULL,
  PRIMARY KEY (platform, workspace, channel, tool)
)${withoutRowid};

-- tallies() in channel scope reads the first \`limit\` entries (and ties with the last), from
-- the index alone: it holds every column tallies() reads.
CREATE INDEX recommendation_channel_tallies_ranked
  ON recommendation_channel_tallies
  (platform, workspace, channel, members DESC, last_at DESC, tool, adopt, trial, assess, hold);

CREATE TABLE recommendation_member_latest (
  platform   TEXT   NOT NULL,
  workspace  TEXT   NOT NULL,
  member     TEXT   NOT NULL,
  tool       TEXT   NOT NULL,
  channel    TEXT   NOT NULL,
  stance     TEXT   NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (platform, workspace, member, tool)
)${withoutRowid};

CREATE TABLE recommendation_workspace_tallies (
  platform  TEXT    NOT NULL,
  workspace TEXT    NOT NULL,
  tool      TEXT    NOT NULL,
  members   INTEGER NOT NULL,
  adopt     INTEGER NOT NULL,
  trial     INTEGER NOT NULL,
  assess    INTEGER NOT NULL,
  hold      INTEGER NOT NULL,
  last_at   BIGINT  NOT NULL,
  PRIMARY KEY (platform, workspace, tool)
)${withoutRowid};

-- tallies() in workspace scope, as in channel scope.
CREATE INDEX recommendation_workspace_tallies_ranked
  ON recommendation_workspace_tallies
  (platform, workspace, members DESC, last_at DESC, tool, adopt, trial, assess, hold);

-- forTool()'s latest in workspace scope (newest first), and the newest change of a tool in a
-- workspace for the workspace tally (its first entry).
CREATE INDEX recommendations_live_by_tool_time
  ON recommendations (platform, workspace, tool, updated_at DESC, channel, member)
  WHERE removed_at IS NULL;
`;
}

const TALLY_COLUMNS = "members, adopt, trial, assess, hold, last_at";

/** Counts by stance as aggregate columns (FILTER: SQLite 3.30+ and PostgreSQL). */
const TALLY_COUNTS = TALLY_STANCES.map((s) => `COUNT(*) FILTER (WHERE stance = '${s}')`).join(", ");

/** Fills the tallies from the rows (the tables must be empty). `collate` orders channel names. */
function tallyBackfill(collate: string): string {
  return `
INSERT INTO recommendation_channel_tallies (platform, workspace, channel, tool, ${TALLY_COLUMNS})
SELECT platform, workspace, channel, tool, COUNT(*), ${TALLY_COUNTS}, MAX(updated_at)
FROM recommendations WHERE removed_at IS NULL
GROUP BY platform, workspace, channel, tool;

INSERT INTO recommendation_member_latest (platform, workspace, member, tool, channel, stance, updated_at)
SELECT platform, workspace, member, tool, channel, stance, updated_at FROM (
  SELECT platform, workspace, member, tool, channel, stance, updated_at,
         ROW_NUMBER() OVER (PARTITION BY platform, workspace, member, tool
                            ORDER BY updated_at DESC, channel${collate}) AS n
  FROM recommendations WHERE removed_at IS NULL
) ranked WHERE n = 1;

INSERT INTO recommendation_workspace_tallies (platform, workspace, tool, ${TALLY_COLUMNS})
SELECT platform, workspace, tool, COUNT(*), ${TALLY_COUNTS}, MAX(updated_at)
FROM recommendation_member_latest
GROUP BY platform, workspace, tool;
`;
}

/** A change that affects tallies: stance, time, live or not, or (never done by the store) a key. */
function tallyUpdateMatters(distinct: string): string {
  const keys = ["platform", "workspace", "channel", "member", "tool"];
  return [
    `OLD.stance ${distinct} NEW.stance`,
    `OLD.updated_at ${distinct} NEW.updated_at`,
    `(OLD.removed_at IS NULL) <> (NEW.removed_at IS NULL)`,
    ...keys.map((k) => `OLD.${k} ${distinct} NEW.${k}`),
  ].join(" OR ");
}

type Ref = "NEW" | "OLD";

/**
 * The delta a change adds to a tally, as SQL expressions for members, adopt, trial, assess and
 * hold: `plus`'s row counted if live, minus `minus`'s. `int` turns a boolean into 0 or 1.
 */
function tallyDelta(plus: Ref | null, minus: Ref | null, int: (condition: string) => string): string[] {
  const one = (ref: Ref, stance?: string) =>
    int(`${ref}.removed_at IS NULL${stance ? ` AND ${ref}.stance = '${stance}'` : ""}`);
  const term = (stance?: string) =>
    [plus ? one(plus, stance) : "0", minus ? ` - ${one(minus, stance)}` : ""].join("");
  return [term(), ...TALLY_STANCES.map((s) => term(s))];
}

/** Equality of the given key columns between OLD and NEW. */
function sameKey(columns: string[]): string {
  return columns.map((c) => `OLD.${c} = NEW.${c}`).join(" AND ");
}

const PLACE_KEY = ["platform", "workspace", "channel", "member", "tool"];
const MEMBER_KEY = ["platform", "workspace", "member", "tool"];

// ---- SQLite ---------------------------------------------------------------------------------

const sqliteInt = (condition: string) => `(${condition})`;

/** Adds `delta` to the channel tally of `ref`'s place and recomputes its newest live time. */
function sqliteChannelStep(ref: Ref, delta: string[]): string {
  const [members, ...stances] = delta;
  return `
  INSERT INTO recommendation_channel_tallies (platform, workspace, channel, tool, ${TALLY_COLUMNS})
  SELECT ${ref}.platform, ${ref}.workspace, ${ref}.channel, ${ref}.tool, ${members}, ${stances.join(", ")},
         COALESCE((SELECT updated_at FROM recommendations
                   WHERE platform = ${ref}.platform AND workspace = ${ref}.workspace
                     AND channel = ${ref}.channel AND tool = ${ref}.tool AND removed_at IS NULL
                   ORDER BY updated_at DESC LIMIT 1), 0)
  WHERE true
  ON CONFLICT (platform, workspace, channel, tool) DO UPDATE SET
    members = members + excluded.members,
    ${TALLY_STANCES.map((s) => `${s} = ${s} + excluded.${s}`).join(", ")},
    last_at = excluded.last_at;
  DELETE FROM recommendation_channel_tallies
  WHERE platform = ${ref}.platform AND workspace = ${ref}.workspace AND channel = ${ref}.channel
    AND tool = ${ref}.tool AND members = 0;`;
}

/**
 * Recomputes the latest recommendation of `ref`'s member and tool across the workspace and moves
 * the workspace tally from the old one to the new one (idempotent: run twice, it changes nothing).
 */
function sqliteMemberStep(ref: Ref): string {
  const member = `platform = ${ref}.platform AND workspace = ${ref}.workspace AND member = ${ref}.member AND tool = ${ref}.tool`;
  const tool = `platform = ${ref}.platform AND workspace = ${ref}.workspace AND tool = ${ref}.tool`;
  return `
  UPDATE recommendation_workspace_tallies SET
    members = members - 1,
    ${TALLY_STANCES.map((s) => `${s} = ${s} - (l.stance = '${s}')`).join(", ")}
  FROM recommendation_member_latest AS l
  WHERE l.platform = ${ref}.platform AND l.workspace = ${ref}.workspace AND l.member = ${ref}.member
    AND l.tool = ${ref}.tool
    AND recommendation_workspace_tallies.platform = ${ref}.platform
    AND recommendation_workspace_tallies.workspace = ${ref}.workspace
    AND recommendation_workspace_tallies.tool = ${ref}.tool;
  DELETE FROM recommendation_member_latest WHERE ${member};
  INSERT INTO recommendation_member_latest (platform, workspace, member, tool, channel, stance, updated_at)
  SELECT platform, workspace, member, tool, channel, stance, updated_at FROM recommendations
  WHERE ${tool} AND member = ${ref}.member AND removed_at IS NULL
  ORDER BY updated_at DESC, channel LIMIT 1;
  INSERT INTO recommendation_workspace_tallies (platform, workspace, tool, ${TALLY_COLUMNS})
  SELECT ${ref}.platform, ${ref}.workspace, ${ref}.tool, COUNT(*), ${TALLY_COUNTS},
         COALESCE((SELECT updated_at FROM recommendations WHERE ${tool} AND removed_at IS NULL
                   ORDER BY updated_at DESC LIMIT 1), 0)
  FROM recommendation_member_latest WHERE ${member}
  ON CONFLICT (platform, workspace, tool) DO UPDATE SET
    members = members + excluded.members,
    ${TALLY_STANCES.map((s) => `${s} = ${s} + excluded.${s}`).join(", ")},
    last_at = excluded.last_at;
  DELETE FROM recommendation_workspace_tallies WHERE ${tool} AND members = 0;`;
}

function tallySqlite(): string {
  return `${tallyTables(" WITHOUT ROWID")}
CREATE TRIGGER recommendations_tallies_insert AFTER INSERT ON recommendations
WHEN NEW.removed_at IS NULL
BEGIN${sqliteChannelStep("NEW", tallyDelta("NEW", null, sqliteInt))}${sqliteMemberStep("NEW")}
END;

CREATE TRIGGER recommendations_tallies_delete AFTER DELETE ON recommendations
WHEN OLD.removed_at IS NULL
BEGIN${sqliteChannelStep("OLD", tallyDelta(null, "OLD", sqliteInt))}${sqliteMemberStep("OLD")}
END;

-- The store's own updates: the same place, a new stance or time, removed or revived.
CREATE TRIGGER recommendations_tallies_update AFTER UPDATE ON recommendations
WHEN ${sameKey(PLACE_KEY)} AND (${tallyUpdateMatters("IS NOT")})
BEGIN${sqliteChannelStep("NEW", tallyDelta("NEW", "OLD", sqliteInt))}${sqliteMemberStep("NEW")}
END;

-- A key column changed (never by the store itself): out of the old place, into the new one.
CREATE TRIGGER recommendations_tallies_move AFTER UPDATE ON recommendations
WHEN NOT (${sameKey(PLACE_KEY)})
BEGIN${sqliteChannelStep("OLD", tallyDelta(null, "OLD", sqliteInt))}${sqliteChannelStep("NEW", tallyDelta("NEW", null, sqliteInt))}${sqliteMemberStep("OLD")}${sqliteMemberStep("NEW")}
END;
${tallyBackfill("")}`;
}

// ---- PostgreSQL -----------------------------------------------------------------------------

const pgInt = (condition: string) => `(${condition})::int`;

function pgChannelCall(ref: Ref, delta: string[]): string {
  return `PERFORM recommendation_tallies_channel(${ref}.platform, ${ref}.workspace, ${ref}.channel, ${ref}.tool,
      ${delta.join(", ")});`;
}

const pgLock = (ref: Ref) =>
  `PERFORM recommendation_tallies_lock(${ref}.platform, ${ref}.workspace, ${ref}.tool);`;
const pgMemberCall = (ref: Ref) =>
  `PERFORM recommendation_tallies_member(${ref}.platform, ${ref}.workspace, ${ref}.member, ${ref}.tool);`;

function tallyPostgres(): string {
  const upsertCounts = TALLY_STANCES.map((s) => `${s} = t.${s} + excluded.${s}`).join(", ");
  return `${tallyTables("")}
-- Serialises every write that touches the tallies of one tool in one workspace (see migrations.ts).
CREATE FUNCTION recommendation_tallies_lock(p TEXT, w TEXT, tl TEXT) RETURNS void
LANGUAGE sql SET search_path FROM CURRENT AS $fn$
  SELECT pg_advisory_xact_lock(hashtextextended(
    current_schema() || chr(31) || p || chr(31) || w || chr(31) || tl, 0))
$fn$;

-- Adds a delta to a channel tally and recomputes its newest live time; deletes it when empty.
CREATE FUNCTION recommendation_tallies_channel(
  p TEXT, w TEXT, c TEXT, tl TEXT, d_members INTEGER, d_adopt INTEGER, d_trial INTEGER,
  d_assess INTEGER, d_hold INTEGER
) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
DECLARE
  newest BIGINT;
BEGIN
  SELECT r.updated_at INTO newest FROM recommendations r
  WHERE r.platform = p AND r.workspace = w AND r.channel = c AND r.tool = tl AND r.removed_at IS NULL
  ORDER BY r.updated_at DESC LIMIT 1;
  IF newest IS NULL THEN
    DELETE FROM recommendation_channel_tallies t
    WHERE t.platform = p AND t.workspace = w AND t.channel = c AND t.tool = tl;
  ELSE
    INSERT INTO recommendation_channel_tallies AS t (platform, workspace, channel, tool, ${TALLY_COLUMNS})
    VALUES (p, w, c, tl, d_members, d_adopt, d_trial, d_assess, d_hold, newest)
    ON CONFLICT (platform, workspace, channel, tool) DO UPDATE SET
      members = t.members + excluded.members, ${upsertCounts}, last_at = excluded.last_at;
  END IF;
END
$fn$;

-- Recomputes a member's latest recommendation of a tool across the workspace and moves the
-- workspace tally from the old one to the new one.
CREATE FUNCTION recommendation_tallies_member(p TEXT, w TEXT, m TEXT, tl TEXT) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
DECLARE
  was_channel TEXT; was_stance TEXT; was_at BIGINT;
  now_channel TEXT; now_stance TEXT; now_at BIGINT;
  newest BIGINT;
BEGIN
  SELECT l.channel, l.stance, l.updated_at INTO was_channel, was_stance, was_at
  FROM recommendation_member_latest l
  WHERE l.platform = p AND l.workspace = w AND l.member = m AND l.tool = tl;
  SELECT r.channel, r.stance, r.updated_at INTO now_channel, now_stance, now_at
  FROM recommendations r
  WHERE r.platform = p AND r.workspace = w AND r.tool = tl AND r.member = m AND r.removed_at IS NULL
  ORDER BY r.updated_at DESC, r.channel COLLATE "C" LIMIT 1;
  IF was_channel IS NOT DISTINCT FROM now_channel AND was_stance IS NOT DISTINCT FROM now_stance
     AND was_at IS NOT DISTINCT FROM now_at THEN
    RETURN; -- the same latest: the workspace tally does not change
  END IF;
  IF now_channel IS NULL THEN
    DELETE FROM recommendation_member_latest l
    WHERE l.platform = p AND l.workspace = w AND l.member = m AND l.tool = tl;
  ELSE
    INSERT INTO recommendation_member_latest AS l (platform, workspace, member, tool, channel, stance, updated_at)
    VALUES (p, w, m, tl, now_channel, now_stance, now_at)
    ON CONFLICT (platform, workspace, member, tool) DO UPDATE SET
      channel = excluded.channel, stance = excluded.stance, updated_at = excluded.updated_at;
  END IF;
  SELECT r.updated_at INTO newest FROM recommendations r
  WHERE r.platform = p AND r.workspace = w AND r.tool = tl AND r.removed_at IS NULL
  ORDER BY r.updated_at DESC LIMIT 1;
  IF newest IS NULL THEN
    DELETE FROM recommendation_workspace_tallies t WHERE t.platform = p AND t.workspace = w AND t.tool = tl;
  ELSE
    INSERT INTO recommendation_workspace_tallies AS t (platform, workspace, tool, ${TALLY_COLUMNS})
    VALUES (p, w, tl,
      (now_channel IS NOT NULL)::int - (was_channel IS NOT NULL)::int,
      ${TALLY_STANCES.map(
        (s) => `COALESCE((now_stance = '${s}')::int, 0) - COALESCE((was_stance = '${s}')::int, 0)`,
      ).join(",\n      ")},
      newest)
    ON CONFLICT (platform, workspace, tool) DO UPDATE SET
      members = t.members + excluded.members, ${upsertCounts}, last_at = excluded.last_at;
  END IF;
END
$fn$;

CREATE FUNCTION recommendations_keep_tallies() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    ${pgLock("NEW")}
    ${pgChannelCall("NEW", tallyDelta("NEW", null, pgInt))}
    ${pgMemberCall("NEW")}
  ELSIF TG_OP = 'DELETE' THEN
    ${pgLock("OLD")}
    ${pgChannelCall("OLD", tallyDelta(null, "OLD", pgInt))}
    ${pgMemberCall("OLD")}
  ELSIF ${sameKey(PLACE_KEY)} THEN
    ${pgLock("NEW")}
    ${pgChannelCall("NEW", tallyDelta("NEW", "OLD", pgInt))}
    ${pgMemberCall("NEW")}
  ELSE
    -- A key column changed (never by the store itself): out of the old place, into the new one.
    ${pgLock("OLD")}
    ${pgLock("NEW")}
    ${pgChannelCall("OLD", tallyDelta(null, "OLD", pgInt))}
    ${pgChannelCall("NEW", tallyDelta("NEW", null, pgInt))}
    ${pgMemberCall("OLD")}
    IF NOT (${sameKey(MEMBER_KEY)}) THEN
      ${pgMemberCall("NEW")}
    END IF;
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER recommendations_tallies_insert AFTER INSERT ON recommendations
FOR EACH ROW WHEN (NEW.removed_at IS NULL) EXECUTE FUNCTION recommendations_keep_tallies();

CREATE TRIGGER recommendations_tallies_delete AFTER DELETE ON recommendations
FOR EACH ROW WHEN (OLD.removed_at IS NULL) EXECUTE FUNCTION recommendations_keep_tallies();

CREATE TRIGGER recommendations_tallies_update AFTER UPDATE ON recommendations
FOR EACH ROW WHEN (${tallyUpdateMatters("IS DISTINCT FROM")}) EXECUTE FUNCTION recommendations_keep_tallies();

-- Recounts every tally from the rows; the migration fills them with it. Safe at any time: it
-- waits for writers and holds them off until its transaction ends.
CREATE FUNCTION recommendation_tallies_rebuild() RETURNS void
LANGUAGE sql SET search_path FROM CURRENT AS $fn$
  LOCK TABLE recommendations IN SHARE MODE;
  DELETE FROM recommendation_channel_tallies;
  DELETE FROM recommendation_member_latest;
  DELETE FROM recommendation_workspace_tallies;
  ${tallyBackfill(' COLLATE "C"')}
$fn$;

SELECT recommendation_tallies_rebuild();
`;
}

/*
 * Migration 3: removals kept for good, and the rate limit's lock (PostgreSQL).
 *
 * - recommendation_removals: one row per removal (whose, where, which tool and stance, who removed
 *   it and when), appended by a trigger when a row's removed_at goes from NULL to a time, in the
 *   same transaction as the removal, whoever writes it. The row in `recommendations` is revived
 *   (removed_at and removed_by back to NULL) by a later recommendation; this record is never
 *   updated or deleted by the store. Existing soft-deleted rows are copied in. `id` orders
 *   removals made in the same millisecond (newest first).
 * - recommendation_rate_gate (PostgreSQL): takes a transaction-scoped advisory lock on (schema,
 *   platform, workspace, member) and only then reads the member's change log, with a fresh
 *   snapshot (a statement in a volatile function sees everything committed before it started).
 *   A limited write calls it before touching any row, so the count and the write of one member
 *   are serialised across connections and replicas, in one round trip. It answers the time of
 *   the `max_changes`-th most recent change at or after `since` (the write must be refused), or
 *   NULL (room left, or no limit). SQLite needs no lock: a write is one IMMEDIATE transaction.
 *
 * Written out literally, not generated, so that no later edit elsewhere can change it.
 */
const REMOVALS_INDEXES = `
-- removals() in workspace scope, newest first.
CREATE INDEX recommendation_removals_by_workspace
  ON recommendation_removals (platform, workspace, removed_at DESC, id DESC);

-- removals() in channel scope.
CREATE INDEX recommendation_removals_by_channel
  ON recommendation_removals (platform, workspace, channel, removed_at DESC, id DESC);

-- removals() of one tool (in a channel: filtered on it).
CREATE INDEX recommendation_removals_by_tool
  ON recommendation_removals (platform, workspace, tool, removed_at DESC, id DESC);

INSERT INTO recommendation_removals
  (platform, workspace, channel, member, tool, stance, removed_by, removed_at)
SELECT platform, workspace, channel, member, tool, stance, removed_by, removed_at
FROM recommendations WHERE removed_at IS NOT NULL
ORDER BY removed_at, platform, workspace, channel, member, tool;
`;

const REMOVALS_COLUMNS = `
  platform   TEXT   NOT NULL,
  workspace  TEXT   NOT NULL,
  channel    TEXT   NOT NULL,
  member     TEXT   NOT NULL,
  tool       TEXT   NOT NULL,
  stance     TEXT   NOT NULL,
  -- NULL only for a removal written outside the store without saying who.
  removed_by TEXT,
  removed_at BIGINT NOT NULL
`;

const REMOVALS_SQLITE = `
CREATE TABLE recommendation_removals (
  id         INTEGER PRIMARY KEY,${REMOVALS_COLUMNS});

CREATE TRIGGER recommendations_removal_record AFTER UPDATE OF removed_at ON recommendations
WHEN OLD.removed_at IS NULL AND NEW.removed_at IS NOT NULL
BEGIN
  INSERT INTO recommendation_removals
    (platform, workspace, channel, member, tool, stance, removed_by, removed_at)
  VALUES (NEW.platform, NEW.workspace, NEW.channel, NEW.member, NEW.tool, NEW.stance,
          NEW.removed_by, NEW.removed_at);
END;
${REMOVALS_INDEXES}`;

const REMOVALS_POSTGRES = `
CREATE TABLE recommendation_removals (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,${REMOVALS_COLUMNS});

CREATE FUNCTION recommendations_record_removal() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
BEGIN
  INSERT INTO recommendation_removals
    (platform, workspace, channel, member, tool, stance, removed_by, removed_at)
  VALUES (NEW.platform, NEW.workspace, NEW.channel, NEW.member, NEW.tool, NEW.stance,
          NEW.removed_by, NEW.removed_at);
  RETURN NULL;
END
$fn$;

CREATE TRIGGER recommendations_removal_record AFTER UPDATE OF removed_at ON recommendations
FOR EACH ROW WHEN (OLD.removed_at IS NULL AND NEW.removed_at IS NOT NULL)
EXECUTE FUNCTION recommendations_record_removal();
${REMOVALS_INDEXES}
CREATE FUNCTION recommendation_rate_gate(p TEXT, w TEXT, m TEXT, max_changes INTEGER, since BIGINT)
RETURNS BIGINT
LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
DECLARE
  boundary BIGINT;
BEGIN
  IF max_changes IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended(
    current_schema() || chr(31) || 'rate' || chr(31) || p || chr(31) || w || chr(31) || m, 0));
  SELECT c.at INTO boundary FROM recommendation_changes c
  WHERE c.platform = p AND c.workspace = w AND c.member = m AND c.at >= since
  ORDER BY c.at DESC OFFSET max_changes - 1 LIMIT 1;
  RETURN boundary;
END
$fn$;
`;

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
  {
    version: 2,
    name: "tallies kept per channel and per workspace",
    sql: { sqlite: tallySqlite(), postgres: tallyPostgres() },
  },
  {
    version: 3,
    name: "removals kept for good, and the rate limit's lock",
    sql: { sqlite: REMOVALS_SQLITE, postgres: REMOVALS_POSTGRES },
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
