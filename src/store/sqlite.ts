/**
 * The SQLite store (better-sqlite3), the default backend: one file, no server.
 *
 * better-sqlite3 is synchronous, so every method does its work at once and the async signature
 * only wraps it. Each write is one IMMEDIATE transaction: it takes the database's write lock
 * before reading the old row, so two connections (two processes, or two instances in one) can
 * never both see "no row" and both count a creation. A writer that finds the lock taken waits up
 * to `busyTimeoutMs` (busy_timeout) instead of failing at once. The tallies (migration 2) are
 * updated by triggers in that same transaction, so they can never disagree with the rows. A rate
 * limit given to a write is checked in its transaction too, so no two writes can both see room
 * for one more. A removal is added to the removals record (migration 3) by a trigger, in the
 * same transaction.
 *
 * The store initialises itself: until `init()` has succeeded (a path that cannot be written, a
 * full disk), every call tries it again first, so it starts working once the cause is fixed.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { migrationSql, pendingMigrations, SCHEMA_MIGRATIONS_DDL } from "./migrations.js";
import {
  ChangePruning,
  COLUMNS,
  type CountsRow,
  lastTally,
  latestSql,
  PRUNE_BATCH,
  type RemovalRow,
  type Row,
  rankTallies,
  removalsLimit,
  removalsSql,
  sqlLimit,
  TALLY_TUPLE,
  type TallyRow,
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
  StoreUnavailableError,
  type ToolRecommendations,
  type ToolTally,
} from "./types.js";

export interface SqliteStoreOptions {
  /** The database file (its folder is created if missing), or ":memory:". */
  path: string;
  /** How long a write waits for another connection's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
}

/*
 * Reads never aggregate rows: tallies() and forTool()'s counts read the tallies that triggers on
 * `recommendations` keep (migration 2, see migrations.ts), inside the same IMMEDIATE transaction
 * as the write that changed them.
 */

const KEY =
  "platform = @platform AND workspace = @workspace AND channel = @channel AND member = @member AND tool = @tool";

/** See `open`: how many log pages trigger a checkpoint. */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

/** SQLite result codes that mean "the database cannot be used right now", not a bug. */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL|NOLFS)/;

export class SqliteStore implements RecommendationStore {
  private readonly path: string;
  private readonly busyTimeoutMs: number;
  private db: Database.Database | null = null;
  private readonly statements = new Map<string, Database.Statement>();
  /** init() has succeeded on this connection: the schema is there. */
  private ready = false;
  private closed = false;
  private readonly pruning = new ChangePruning();

  constructor(options: SqliteStoreOptions) {
    this.path = options.path;
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  }

  /**
   * Opens the file and applies pending migrations. better-sqlite3 is synchronous, so an attempt
   * runs to its end before any other call can start: concurrent callers never overlap.
   */
  async init(): Promise<void> {
    if (this.closed) throw new Error("SqliteStore: the store was closed");
    this.run(() => {
      const db = this.open();
      db.transaction(() => {
        db.exec(SCHEMA_MIGRATIONS_DDL);
        const applied = db.prepare("SELECT version FROM schema_migrations").pluck().all() as number[];
        const insert = db.prepare(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
        );
        for (const m of pendingMigrations(applied)) {
          db.exec(migrationSql(m, "sqlite"));
          insert.run(m.version, m.name, Date.now());
        }
      }).immediate();
    });
    this.ready = true;
  }

  recommend(input: RecommendInput): Promise<RecommendResult>;
  recommend(input: RecommendInput, limit: RateLimit): Promise<RecommendResult | RateLimited>;
  async recommend(input: RecommendInput, limit?: RateLimit): Promise<RecommendResult | RateLimited> {
    const checked = checkedLimit(limit);
    if (!this.ready) await this.init();
    return this.run(() => {
      const key = keyParams(input, input.member, input.tool);
      const write = this.connection().transaction((): RecommendResult | RateLimited => {
        const limited =
          checked && this.limited(input.platform, input.workspace, input.member, input.at, checked);
        if (limited) return limited;
        const row = this.sql(`SELECT ${COLUMNS} FROM recommendations WHERE ${KEY}`).get(key) as
          | Row
          | undefined;
        const live = row && row.removed_at === null ? row : undefined;
        if (live && live.stance === input.stance && live.reason === input.reason) {
          if (input.memberName && input.memberName !== live.member_name) {
            this.sql(`UPDATE recommendations SET member_name = @memberName WHERE ${KEY}`).run({
              ...key,
              memberName: input.memberName,
            });
            live.member_name = input.memberName;
          }
          return { outcome: "unchanged", recommendation: toRecommendation(live) };
        }
        const next: Row = {
          ...key,
          member_name: input.memberName ?? row?.member_name ?? null,
          stance: input.stance,
          reason: input.reason,
          created_at: row?.created_at ?? input.at,
          updated_at: input.at,
          removed_at: null,
        };
        this.sql(
          `INSERT INTO recommendations (${COLUMNS}, removed_by)
           VALUES (@platform, @workspace, @channel, @member, @member_name, @tool, @stance, @reason,
                   @created_at, @updated_at, NULL, NULL)
           ON CONFLICT (platform, workspace, channel, member, tool) DO UPDATE SET
             member_name = excluded.member_name, stance = excluded.stance, reason = excluded.reason,
             created_at = excluded.created_at, updated_at = excluded.updated_at,
             removed_at = NULL, removed_by = NULL`,
        ).run(next);
        this.logChange(input.platform, input.workspace, input.member, input.at);
        return {
          outcome: row ? "updated" : "created",
          recommendation: toRecommendation(next),
          ...(live ? { previousStance: live.stance } : {}),
        };
      });
      return write.immediate();
    });
  }

  remove(input: RemoveInput): Promise<boolean>;
  remove(input: RemoveInput, limit: RateLimit): Promise<boolean | RateLimited>;
  async remove(input: RemoveInput, limit?: RateLimit): Promise<boolean | RateLimited> {
    const checked = checkedLimit(limit);
    if (!this.ready) await this.init();
    return this.run(() => {
      const write = this.connection().transaction((): boolean | RateLimited => {
        const limited =
          checked && this.limited(input.platform, input.workspace, input.removedBy, input.at, checked);
        if (limited) return limited;
        // The trigger of migration 3 adds the removal to recommendation_removals.
        const { changes } = this.sql(
          `UPDATE recommendations SET removed_at = @at, removed_by = @removedBy
           WHERE ${KEY} AND removed_at IS NULL`,
        ).run({ ...keyParams(input, input.member, input.tool), at: input.at, removedBy: input.removedBy });
        if (changes === 0) return false;
        this.logChange(input.platform, input.workspace, input.removedBy, input.at);
        return true;
      });
      return write.immediate();
    });
  }

  async removals(scope: ScopeFilter, query: RemovalsQuery = {}): Promise<Removal[]> {
    if (!this.ready) await this.init();
    return this.run(() => {
      const n = removalsLimit(query.limit);
      if (n === 0) return [];
      const byTool = query.tool !== undefined;
      const params = { ...scopeParams(scope), ...(byTool ? { tool: query.tool } : {}), limit: n };
      return (this.sql(removalsSql(scope, NAMED, byTool)).all(params) as RemovalRow[]).map(toRemoval);
    });
  }

  async get(place: Place, member: string, tool: string): Promise<Recommendation | null> {
    if (!this.ready) await this.init();
    return this.run(() => {
      const row = this.sql(`SELECT ${COLUMNS} FROM recommendations WHERE ${KEY} AND removed_at IS NULL`).get(
        keyParams(place, member, tool),
      ) as Row | undefined;
      return row ? toRecommendation(row) : null;
    });
  }

  async forTool(scope: ScopeFilter, tool: string, limit: number): Promise<ToolRecommendations> {
    if (!this.ready) await this.init();
    return this.run(() => {
      const params = { ...scopeParams(scope), tool };
      // The counts are the tool's tally in the scope (a member once, with their most recent stance).
      const counts = this.sql(toolCountsSql(scope, NAMED)).get(params) as CountsRow | undefined;
      const n = sqlLimit(limit);
      const latest = n === 0 ? [] : (this.sql(latestSql(scope, NAMED)).all({ ...params, limit: n }) as Row[]);
      const stances = toCounts(counts);
      return { stances, total: total(stances), latest: latest.map(toRecommendation) };
    });
  }

  async tallies(scope: ScopeFilter, limit: number): Promise<ToolTally[]> {
    if (!this.ready) await this.init();
    return this.run(() => {
      const n = sqlLimit(limit);
      if (n === 0) return [];
      const params = scopeParams(scope);
      const json = this.sql(
        `SELECT json_group_array(json_array(${TALLY_TUPLE.join(", ")})) FROM (${talliesSql(scope, NAMED)})`,
      )
        .pluck()
        .get({ ...params, limit: n }) as string;
      const rows = (JSON.parse(json) as TallyTuple[]).map(tallyRowOf);
      // As many as the limit: the last one's ties may lie beyond it (see tallyTiesSql).
      const last = rows.length === n ? lastTally(rows) : undefined;
      if (last) {
        const ties = this.sql(tallyTiesSql(scope, { ...NAMED, members: "@members", lastAt: "@lastAt" })).all({
          ...params,
          members: last.members,
          lastAt: last.last_at,
        }) as TallyRow[];
        rows.push(...ties);
      }
      return rankTallies(rows, n);
    });
  }

  async changesSince(platform: string, workspace: string, member: string, since: number): Promise<number> {
    if (!this.ready) await this.init();
    return this.run(() =>
      Number(
        this.sql(
          `SELECT COUNT(*) FROM recommendation_changes
           WHERE platform = ? AND workspace = ? AND member = ? AND at >= ?`,
        )
          .pluck()
          .get(platform, workspace, member, since),
      ),
    );
  }

  /** Fails until init has succeeded (trying it), so readiness stays off until the schema is there. */
  async ping(): Promise<void> {
    if (!this.ready) await this.init();
    this.run(() => this.sql("SELECT 1").get());
  }

  async close(): Promise<void> {
    this.closed = true;
    this.ready = false;
    this.statements.clear();
    this.db?.close();
    this.db = null;
  }

  private open(): Database.Database {
    if (this.db) return this.db;
    let db: Database.Database;
    try {
      if (this.path !== ":memory:" && !this.path.startsWith("file:")) {
        mkdirSync(dirname(resolve(this.path)), { recursive: true });
      }
      db = new Database(this.path);
    } catch (error) {
      // A folder that cannot be created or a file that cannot be opened (permissions, a file in
      // the way, a read-only or full disk) is an outage to report, not a bug: the next call
      // tries again.
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreUnavailableError(`SQLite database ${this.path} cannot be opened (${reason})`, {
        cause: error,
      });
    }
    try {
      // First, so that switching to WAL also waits for another connection instead of failing.
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(this.busyTimeoutMs))}`);
      // WAL: readers never block the writer, and a commit is one append to the log.
      db.pragma("journal_mode = WAL");
      // FULL, not NORMAL. With WAL, NORMAL already survives a crash of this process (the log is
      // written before the commit returns) but fsyncs it only at checkpoints, so an OS crash or
      // a power loss can lose the last commits. FULL fsyncs the log on every commit: a
      // recommendation the bot has confirmed to a member is on disk. Writes come a few a minute,
      // so the extra fsync per write costs nothing that matters.
      db.pragma("synchronous = FULL");
      // A checkpoint (copying the log into the database file, then fsyncing it: ~4 ms here) runs
      // in the commit that finds the log over this many pages. A change writes ~13 pages (the row,
      // its indexes, the change log and the tallies), so at SQLite's default of 1,000 pages one
      // write in ~77 paid for it, enough to be the p99; at 4,000 (a 16 MB log) one in ~300 does.
      // Durability is unchanged: every commit is still fsynced to the log.
      db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    } catch (error) {
      db.close();
      throw error;
    }
    this.db = db;
    return db;
  }

  private connection(): Database.Database {
    if (!this.db) throw new Error("SqliteStore: the store was closed");
    return this.db;
  }

  /**
   * Inside a write's transaction: prunes the change log when it is time (see ChangePruning),
   * then finds the `maxChanges`-th most recent change of the actor in the window, if any, from
   * the end of recommendation_changes_by_member.
   */
  private limited(
    platform: string,
    workspace: string,
    member: string,
    at: number,
    limit: RateLimit,
  ): RateLimited | null {
    const cut = this.pruning.due(at, limit.since);
    if (cut !== null) {
      // A batch at a time, so that a long backlog (after an upgrade) never makes one write slow.
      const { changes } = this.sql(
        `DELETE FROM recommendation_changes WHERE rowid IN (
           SELECT rowid FROM recommendation_changes WHERE at < ? LIMIT ?)`,
      ).run(cut, PRUNE_BATCH);
      if (changes === PRUNE_BATCH) this.pruning.again();
    }
    const boundary = this.sql(
      `SELECT at FROM recommendation_changes
       WHERE platform = ? AND workspace = ? AND member = ? AND at >= ?
       ORDER BY at DESC LIMIT 1 OFFSET ?`,
    )
      .pluck()
      .get(platform, workspace, member, limit.since, limit.maxChanges - 1) as number | undefined;
    return boundary === undefined ? null : { outcome: "rate_limited", oldestAt: Number(boundary) };
  }

  /** A prepared statement, prepared once per connection. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.connection().prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  private logChange(platform: string, workspace: string, member: string, at: number): void {
    this.sql("INSERT INTO recommendation_changes (platform, workspace, member, at) VALUES (?, ?, ?, ?)").run(
      platform,
      workspace,
      member,
      at,
    );
  }

  /** Runs a synchronous step, turning "database unusable right now" into StoreUnavailableError. */
  private run<T>(step: () => T): T {
    try {
      return step();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code === "string" && UNAVAILABLE.test(code)) {
        throw new StoreUnavailableError(`SQLite database unavailable (${code})`, { cause: error });
      }
      throw error;
    }
  }
}

/** Named parameters (better-sqlite3 binds only the names a statement uses). */
const NAMED = {
  platform: "@platform",
  workspace: "@workspace",
  channel: "@channel",
  tool: "@tool",
  limit: "@limit",
};

function scopeParams(scope: ScopeFilter) {
  return scope.channel === undefined
    ? { platform: scope.platform, workspace: scope.workspace }
    : { platform: scope.platform, workspace: scope.workspace, channel: scope.channel };
}

function keyParams(place: Place, member: string, tool: string) {
  return { platform: place.platform, workspace: place.workspace, channel: place.channel, member, tool };
}
