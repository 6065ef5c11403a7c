/**
 * The PostgreSQL store (a pg Pool), used when DATABASE_URL is set, e.g. for several replicas.
 *
 * Writes are single statements, so each is atomic on its own and needs no client held across
 * round trips. `recommend` locks the existing row (SELECT ... FOR UPDATE, which in READ COMMITTED
 * waits for a concurrent writer and then reads its committed version), decides the outcome from
 * it, and inserts, updates and logs the change in the same statement. The one race a single
 * statement cannot see is a row created by another transaction after this statement's snapshot:
 * then its INSERT ... ON CONFLICT DO NOTHING does nothing, the statement writes nothing at all,
 * and it is run again with a fresh snapshot that sees the row.
 *
 * The tallies that reads use (migration 2) are kept by triggers that run at the end of that same
 * statement, so a write is still one round trip; they serialise on a per-tool advisory lock and
 * read with fresh snapshots after it (see migrations.ts), so concurrent writers keep them exact.
 *
 * Rate limit: a limited write calls recommendation_rate_gate (migration 3) in the same statement,
 * before it touches any row: the function takes a per-member advisory transaction lock and then
 * counts the member's recent changes with a fresh snapshot, and the statement writes only if
 * there is room. The lock is held until the statement's transaction commits (with its change
 * logged), so a member's limited writes, through any connection or replica, are counted one
 * after another. Always member lock first, then rows and the tallies' tool locks: no cycle.
 *
 * Removals: a trigger (migration 3) appends each one to recommendation_removals in the removing
 * statement's transaction.
 *
 * Outage: connecting gives up after `connectionTimeoutMillis`, a query after `statement_timeout`
 * (server side) or `query_timeout` (client side, for a server that went silent); every such
 * failure rejects with StoreUnavailableError. The pool drops a client whose query failed and
 * opens a new connection for the next query, so the same store recovers once the database is
 * back. An idle client's connection error is caught ('error' on the pool), never a crash. A store
 * whose database was down when it started recovers too: until `init()` has succeeded, every
 * call runs it first (concurrent calls share one attempt), and ping() fails.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type pg from "pg";
import { migrationSql, pendingMigrations, SCHEMA_MIGRATIONS_DDL } from "./migrations.js";
import {
  ChangePruning,
  COLUMNS,
  type CountsRow,
  latestSql,
  type Placeholders,
  PRUNE_BATCH,
  type RemovalRow,
  type Row,
  rankTallies,
  removalsLimit,
  removalsSql,
  sqlLimit,
  TALLY_TUPLE,
  type TallyTuple,
  talliesSql,
  tallyRowOf,
  tallyTiesSql,
  toCounts,
  toolCountsSql,
  toRecommendation,
  toRemoval,
  total,
} from "./rows.js";
import {
  checkedLimit,
  type Place,
  type RateLimit,
  type RateLimited,
  type Recommendation,
  type RecommendationStore,
  type RecommendInput,
  type RecommendResult,
  type Removal,
  type RemovalsQuery,
  type RemoveInput,
  type ScopeFilter,
  type Stance,
  StoreUnavailableError,
  type ToolRecommendations,
  type ToolTally,
} from "./types.js";

/**
 * pg (and the parts of undici it pulls in) is loaded when a PostgreSQL store is made, not when
 * this module is: the default SQLite store, and a one-shot console answer, never pay for it.
 */
const requireCjs = createRequire(import.meta.url);
let pgModule: typeof pg | undefined;

function loadPg(): typeof pg {
  pgModule ??= requireCjs("pg") as typeof pg;
  return pgModule;
}

export interface PostgresStoreOptions {
  /** A postgres:// connection string. */
  connectionString: string;
  /** Most connections this instance opens. Default 10. */
  maxConnections?: number;
  /** How long to wait for a connection (or a free pooled one). Default 2000 ms. */
  connectionTimeoutMillis?: number;
  /** Server-side limit on one statement. Default 4000 ms. */
  statementTimeoutMillis?: number;
  /** Client-side limit on one query, for a server that stopped answering. Default 5000 ms. */
  queryTimeoutMillis?: number;
  /** Told about errors on idle pooled connections (the pool has already dropped them). */
  onIdleError?: (error: Error) => void;
}

/** How many times `recommend` runs its statement when a concurrent creation hides the row. */
const RECOMMEND_ATTEMPTS = 5;

const KEY = "platform = $1 AND workspace = $2 AND channel = $3 AND member = $4 AND tool = $5";

/**
 * The rate limit's gate: NULL when the write may go ahead. Every row the statement touches is
 * reached only through `(SELECT boundary FROM gate) IS NULL`, a one-time filter evaluated before
 * the first row is read, so the member's lock is always taken before any row lock (see above).
 * $max NULL: no limit, no lock.
 */
const gate = (platform: string, workspace: string, member: string, max: string, since: string) =>
  `gate AS MATERIALIZED (
  SELECT recommendation_rate_gate(${platform}, ${workspace}, ${member}, ${max}::int, ${since}::bigint) AS boundary
)`;

/**
 * $1-$5 key, $6 member name, $7 stance, $8 reason, $9 at, $10 most changes (NULL: no limit),
 * $11 since. One row out: the outcome, the row as it is now, and the stance before when a live
 * row was updated; or `rate_limited` with the gate's time in limited_at; no row: retry (see
 * above). An unchanged recommendation still goes through `updated` (keeping updated_at,
 * refreshing a given member name), so the statement always returns the row; it logs no change.
 */
const RECOMMEND_SQL = `
WITH ${gate("$1", "$2", "$4", "$10", "$11")},
old AS MATERIALIZED (
  SELECT stance, reason, removed_at,
         removed_at IS NULL AND stance = $7::text AND reason IS NOT DISTINCT FROM $8::text AS same
  FROM recommendations WHERE ${KEY} AND (SELECT boundary FROM gate) IS NULL
  FOR UPDATE
),
inserted AS (
  INSERT INTO recommendations (${COLUMNS}, removed_by)
  SELECT $1, $2, $3, $4, $6::text, $5, $7::text, $8::text, $9::bigint, $9::bigint, NULL, NULL
  WHERE NOT EXISTS (SELECT 1 FROM old) AND (SELECT boundary FROM gate) IS NULL
  ON CONFLICT (platform, workspace, channel, member, tool) DO NOTHING
  RETURNING ${COLUMNS}
),
updated AS (
  UPDATE recommendations r SET
    member_name = CASE WHEN old.same THEN COALESCE(NULLIF($6::text, ''), r.member_name)
                       ELSE COALESCE($6::text, r.member_name) END,
    stance = $7::text,
    reason = $8::text,
    updated_at = CASE WHEN old.same THEN r.updated_at ELSE $9::bigint END,
    removed_at = NULL,
    removed_by = NULL
  FROM old
  WHERE r.platform = $1 AND r.workspace = $2 AND r.channel = $3 AND r.member = $4 AND r.tool = $5
  RETURNING ${COLUMNS.split(", ")
    .map((c) => `r.${c}`)
    .join(", ")},
    CASE WHEN old.same THEN 'unchanged' ELSE 'updated' END AS outcome,
    CASE WHEN old.removed_at IS NULL AND NOT old.same THEN old.stance END AS previous_stance
),
logged AS (
  INSERT INTO recommendation_changes (platform, workspace, member, at)
  SELECT $1, $2, $4, $9::bigint
  WHERE EXISTS (SELECT 1 FROM inserted) OR EXISTS (SELECT 1 FROM updated WHERE outcome = 'updated')
)
SELECT ${COLUMNS}, 'created' AS outcome, NULL AS previous_stance, NULL::bigint AS limited_at FROM inserted
UNION ALL
SELECT ${COLUMNS}, outcome, previous_stance, NULL::bigint AS limited_at FROM updated
UNION ALL
SELECT ${COLUMNS.split(", ")
  .map((c) => `NULL AS ${c}`)
  .join(", ")}, 'rate_limited' AS outcome, NULL AS previous_stance, boundary AS limited_at
FROM gate WHERE boundary IS NOT NULL`;

/**
 * $1-$5 key, $6 at, $7 removed by, $8 most changes (NULL: no limit), $9 since. The trigger of
 * migration 3 records the removal. Out: how many rows were removed (0 or 1), and the gate's time
 * when the limit refused it.
 */
const REMOVE_SQL = `
WITH ${gate("$1", "$2", "$7::text", "$8", "$9")},
removed AS (
  UPDATE recommendations SET removed_at = $6::bigint, removed_by = $7::text
  WHERE ${KEY} AND removed_at IS NULL AND (SELECT boundary FROM gate) IS NULL
  RETURNING 1
),
logged AS (
  INSERT INTO recommendation_changes (platform, workspace, member, at)
  SELECT $1, $2, $7::text, $6::bigint WHERE EXISTS (SELECT 1 FROM removed)
)
SELECT (SELECT COUNT(*) FROM removed)::int AS removed, (SELECT boundary FROM gate) AS limited_at`;

/** At most $2 change-log rows older than $1; the oldest rows come first in the heap. */
const PRUNE_SQL = `DELETE FROM recommendation_changes WHERE ctid IN (
  SELECT ctid FROM recommendation_changes WHERE at < $1::bigint LIMIT $2::int
)`;

/** How long the prune after a write may delay the write's answer. */
const PRUNE_TIMEOUT_MS = 1000;

type RecommendRow = Row & {
  outcome: RecommendResult["outcome"] | "rate_limited";
  previous_stance: Stance | null;
  limited_at: string | null;
};

export class PostgresStore implements RecommendationStore {
  private readonly pool: pg.Pool;
  /** init() has succeeded: the schema is there. */
  private ready = false;
  /** The init attempt in progress, which concurrent callers share. */
  private initializing: Promise<void> | null = null;
  private readonly pruning = new ChangePruning();

  constructor(options: PostgresStoreOptions) {
    const { Pool } = loadPg();
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 2000,
      statement_timeout: options.statementTimeoutMillis ?? 4000,
      query_timeout: options.queryTimeoutMillis ?? 5000,
      // A transaction left open by a vanished client must not hold its locks for long.
      idle_in_transaction_session_timeout: 10_000,
      keepAlive: true,
      application_name: "skilltree",
    });
    // Without a listener, an idle client's error (server restart, network cut) would crash the
    // process. The pool has already removed that client; the next query opens a new one.
    const onIdleError = options.onIdleError ?? (() => {});
    this.pool.on("error", (error) => onIdleError(error));
  }

  /** Migrates; one attempt at a time per store, shared by whoever calls while it runs. */
  init(): Promise<void> {
    if (!this.initializing) {
      this.initializing = this.migrate()
        .then(() => {
          this.ready = true;
        })
        .finally(() => {
          this.initializing = null;
        });
    }
    return this.initializing;
  }

  private async migrate(): Promise<void> {
    // Several replicas may start at once: a transaction-scoped advisory lock (per schema, so
    // separate schemas on one server do not wait for each other) lets one migrate while the
    // others wait, then find nothing left to do.
    const client = await this.connect();
    let failed = false;
    try {
      await client.query("BEGIN");
      await client.query(
        "SELECT pg_advisory_xact_lock(hashtext('skilltree.migrations'), hashtext(current_schema()))",
      );
      await client.query(SCHEMA_MIGRATIONS_DDL);
      const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
      for (const m of pendingMigrations(rows.map((r) => r.version))) {
        await client.query(migrationSql(m, "postgres"));
        await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
          m.version,
          m.name,
          Date.now(),
        ]);
      }
      await client.query("COMMIT");
    } catch (error) {
      failed = true;
      await client.query("ROLLBACK").catch(() => {});
      throw unavailable(error);
    } finally {
      // Releasing with `true` destroys the connection instead of pooling a possibly broken one.
      client.release(failed);
    }
  }

  recommend(input: RecommendInput): Promise<RecommendResult>;
  recommend(input: RecommendInput, limit: RateLimit): Promise<RecommendResult | RateLimited>;
  async recommend(input: RecommendInput, limit?: RateLimit): Promise<RecommendResult | RateLimited> {
    const checked = checkedLimit(limit);
    if (!this.ready) await this.init();
    const values = [
      input.platform,
      input.workspace,
      input.channel,
      input.member,
      input.tool,
      input.memberName,
      input.stance,
      input.reason,
      input.at,
      checked?.maxChanges ?? null,
      checked?.since ?? null,
    ];
    const cut = checked && this.pruning.due(input.at, checked.since);
    for (let attempt = 1; attempt <= RECOMMEND_ATTEMPTS; attempt++) {
      const row = (await this.query<RecommendRow>(RECOMMEND_SQL, values))[0];
      if (!row) continue; // created concurrently after our snapshot: nothing written, run again
      if (cut !== null) await this.prune(cut);
      if (row.outcome === "rate_limited")
        return { outcome: "rate_limited", oldestAt: Number(row.limited_at) };
      return {
        outcome: row.outcome,
        recommendation: toRecommendation(row),
        ...(row.previous_stance ? { previousStance: row.previous_stance } : {}),
      };
    }
    throw new Error(`recommend: the row kept changing under ${RECOMMEND_ATTEMPTS} attempts`);
  }

  remove(input: RemoveInput): Promise<boolean>;
  remove(input: RemoveInput, limit: RateLimit): Promise<boolean | RateLimited>;
  async remove(input: RemoveInput, limit?: RateLimit): Promise<boolean | RateLimited> {
    const checked = checkedLimit(limit);
    if (!this.ready) await this.init();
    const cut = checked && this.pruning.due(input.at, checked.since);
    const rows = await this.query<{ removed: number; limited_at: string | null }>(REMOVE_SQL, [
      input.platform,
      input.workspace,
      input.channel,
      input.member,
      input.tool,
      input.at,
      input.removedBy,
      checked?.maxChanges ?? null,
      checked?.since ?? null,
    ]);
    if (cut !== null) await this.prune(cut);
    const row = rows[0];
    if (row?.limited_at != null) return { outcome: "rate_limited", oldestAt: Number(row.limited_at) };
    return (row?.removed ?? 0) > 0;
  }

  async removals(scope: ScopeFilter, query: RemovalsQuery = {}): Promise<Removal[]> {
    const n = removalsLimit(query.limit);
    if (n === 0) return [];
    if (!this.ready) await this.init();
    const [values, p] = scopeValues(scope, query.tool);
    values.push(n);
    p.limit = `$${values.length}`;
    const rows = await this.query<RemovalRow>(removalsSql(scope, p, query.tool !== undefined), values);
    return rows.map(toRemoval);
  }

  async get(place: Place, member: string, tool: string): Promise<Recommendation | null> {
    if (!this.ready) await this.init();
    const rows = await this.query<Row>(
      `SELECT ${COLUMNS} FROM recommendations WHERE ${KEY} AND removed_at IS NULL`,
      [place.platform, place.workspace, place.channel, member, tool],
    );
    return rows[0] ? toRecommendation(rows[0]) : null;
  }

  async forTool(scope: ScopeFilter, tool: string, limit: number): Promise<ToolRecommendations> {
    if (!this.ready) await this.init();
    const [values, p] = scopeValues(scope, tool);
    values.push(sqlLimit(limit));
    p.limit = `$${values.length}`;
    // One round trip: the tool's tally in the scope (a member once, with their most recent
    // stance) and the latest; the one-row `one` keeps the counts when there is no latest.
    const rows = await this.query<Row & CountsRow>(
      `WITH counts AS (${toolCountsSql(scope, p)}),
       latest AS (${latestSql(scope, p)})
       SELECT latest.*, counts.* FROM (SELECT 1) one
       LEFT JOIN counts ON true LEFT JOIN latest ON true`,
      values,
    );
    const stances = toCounts(rows[0]); // no tally: NULL counts, read as 0
    const latest = rows.filter((r) => r.platform !== null).map(toRecommendation);
    return { stances, total: total(stances), latest };
  }

  async tallies(scope: ScopeFilter, limit: number): Promise<ToolTally[]> {
    const n = sqlLimit(limit);
    if (n === 0) return [];
    if (!this.ready) await this.init();
    const [values, p] = scopeValues(scope);
    values.push(n);
    p.limit = `$${values.length}`;
    // One round trip: the first `limit`, and when there are that many, the last one's ties; as
    // one JSON array (see TALLY_TUPLE).
    const rows = await this.query<{ tallies: TallyTuple[] }>(
      `WITH top AS (${talliesSql(scope, p)}),
       cut AS (SELECT members, last_at FROM top ORDER BY members, last_at LIMIT 1),
       picked AS (
         SELECT * FROM top
         UNION ALL
         SELECT ties.* FROM cut, LATERAL (${tallyTiesSql(scope, { ...p, members: "cut.members", lastAt: "cut.last_at" })}) ties
         WHERE (SELECT COUNT(*) FROM top) = ${p.limit}
       )
       SELECT COALESCE(json_agg(json_build_array(${TALLY_TUPLE.join(", ")})), '[]') AS tallies FROM picked`,
      values,
    );
    return rankTallies((rows[0]?.tallies ?? []).map(tallyRowOf), n);
  }

  async changesSince(platform: string, workspace: string, member: string, since: number): Promise<number> {
    if (!this.ready) await this.init();
    const rows = await this.query<{ count: string }>(
      `SELECT COUNT(*) AS count FROM recommendation_changes
       WHERE platform = $1 AND workspace = $2 AND member = $3 AND at >= $4`,
      [platform, workspace, member, since],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Fails until init has succeeded (trying it), so readiness stays off until the schema is there. */
  async ping(): Promise<void> {
    if (!this.ready) await this.init();
    await this.query("SELECT 1");
  }

  async close(): Promise<void> {
    if (!this.pool.ended && !this.pool.ending) await this.pool.end();
  }

  /**
   * Runs one statement as a named prepared statement: each pooled connection parses and plans
   * it once, then only binds and executes it.
   */
  private async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
    try {
      return (await this.pool.query<R>({ name: statementName(text), text, values })).rows;
    } catch (error) {
      throw unavailable(error);
    }
  }

  /**
   * Deletes a batch of aged change-log rows (see ChangePruning) after the write, in a statement
   * of its own: a committed write must not fail on housekeeping, so a failure is ignored (the
   * next prune deletes those rows), and the wait is kept short. Once a window per instance this
   * is the write's one extra round trip; a full batch means more are left, for the next write.
   */
  private async prune(cut: number): Promise<void> {
    try {
      // pg reads a per-query query_timeout; its types do not declare it.
      const config: pg.QueryConfig & { query_timeout: number } = {
        name: statementName(PRUNE_SQL),
        text: PRUNE_SQL,
        values: [cut, PRUNE_BATCH],
        query_timeout: PRUNE_TIMEOUT_MS,
      };
      const result = await this.pool.query(config);
      if (result.rowCount === PRUNE_BATCH) this.pruning.again();
    } catch {
      this.pruning.again();
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw unavailable(error);
    }
  }
}

const statementNames = new Map<string, string>();

/** A prepared statement's name, from its text (one text, one name, on every connection). */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `skilltree_${createHash("sha256").update(text).digest("hex").slice(0, 32)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** The values and placeholders of a scope (and a tool): $1 platform, $2 workspace, then the rest. */
function scopeValues(scope: ScopeFilter, tool?: string): [unknown[], Placeholders] {
  const values: unknown[] = [scope.platform, scope.workspace];
  const p: Placeholders = { platform: "$1", workspace: "$2", channel: "NULL", tool: "NULL", limit: "NULL" };
  if (scope.channel !== undefined) {
    values.push(scope.channel);
    p.channel = `$${values.length}`;
  }
  if (tool !== undefined) {
    values.push(tool);
    p.tool = `$${values.length}`;
  }
  return [values, p];
}

/**
 * The error to throw for a failed query: StoreUnavailableError when the database could not be
 * reached or answered in time, the error itself when the database answered with a real error
 * (a bug or bad data must not hide behind "unavailable").
 */
export function unavailable(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  // Only a loaded pg can have thrown one of its errors.
  if (pgModule && error instanceof pgModule.DatabaseError) {
    const code = error.code ?? "";
    // 08 connection exception, 53 insufficient resources, 57 operator intervention (admin
    // shutdown, cannot connect now, statement timeout = 57014), 58 system error.
    if (!/^(08|53|57|58)/.test(code)) return error;
    return new StoreUnavailableError(`PostgreSQL unavailable (${code}: ${error.message})`, { cause: error });
  }
  // Anything else came from the connection: refused, reset, timed out, terminated.
  const message = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`PostgreSQL unavailable (${message})`, { cause: error });
}
