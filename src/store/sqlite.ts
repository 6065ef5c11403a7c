/**
 * The SQLite store (better-sqlite3), the default backend: one file, no server.
 *
 * better-sqlite3 is synchronous, so every method does its work at once and the async signature
 * only wraps it. Each write is one IMMEDIATE transaction: it takes the database's write lock
 * before reading the old row, so two connections (two processes, or two instances in one) can
 * never both see "no row" and both count a creation. A writer that finds the lock taken waits up
 * to `busyTimeoutMs` (busy_timeout) instead of failing at once.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { migrationSql, pendingMigrations, SCHEMA_MIGRATIONS_DDL } from "./migrations.js";
import {
  COLUMNS,
  type CountsRow,
  type Row,
  rankTallies,
  STANCE_COUNTS,
  sqlLimit,
  type TallyRow,
  toCounts,
  toRecommendation,
  total,
} from "./rows.js";
import {
  type Place,
  type Recommendation,
  type RecommendationStore,
  type RecommendInput,
  type RecommendResult,
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
 * LATEST_PER_MEMBER: "a member's most recent row per tool" is written `SELECT stance,
 * MAX(updated_at) ... GROUP BY tool, member`. SQLite documents that with exactly one max()
 * aggregate, bare columns (stance) come from the row holding the maximum
 * (https://sqlite.org/lang_select.html#bare_columns_in_an_aggregate_query). It reads the covering
 * index in order and is over twice as fast as ROW_NUMBER() at 100,000 rows (bench/store.ts).
 * PostgreSQL has no such rule and uses DISTINCT ON instead.
 */

const KEY =
  "platform = @platform AND workspace = @workspace AND channel = @channel AND member = @member AND tool = @tool";

/** SQLite result codes that mean "the database cannot be used right now", not a bug. */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL|NOLFS)/;

export class SqliteStore implements RecommendationStore {
  private readonly path: string;
  private readonly busyTimeoutMs: number;
  private db: Database.Database | null = null;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(options: SqliteStoreOptions) {
    this.path = options.path;
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  }

  async init(): Promise<void> {
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
  }

  async recommend(input: RecommendInput): Promise<RecommendResult> {
    return this.run(() => {
      const key = keyParams(input, input.member, input.tool);
      const write = this.connection().transaction((): RecommendResult => {
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

  async remove(input: RemoveInput): Promise<boolean> {
    return this.run(() => {
      const write = this.connection().transaction((): boolean => {
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

  async get(place: Place, member: string, tool: string): Promise<Recommendation | null> {
    return this.run(() => {
      const row = this.sql(`SELECT ${COLUMNS} FROM recommendations WHERE ${KEY} AND removed_at IS NULL`).get(
        keyParams(place, member, tool),
      ) as Row | undefined;
      return row ? toRecommendation(row) : null;
    });
  }

  async forTool(scope: ScopeFilter, tool: string, limit: number): Promise<ToolRecommendations> {
    return this.run(() => {
      const where = `platform = @platform AND workspace = @workspace AND tool = @tool AND removed_at IS NULL${
        scope.channel === undefined ? "" : " AND channel = @channel"
      }`;
      const params = {
        platform: scope.platform,
        workspace: scope.workspace,
        channel: scope.channel ?? null,
        tool,
      };
      // A member counts once, with the stance of their most recent recommendation (LATEST_PER_MEMBER).
      const counts = this.sql(
        `SELECT ${STANCE_COUNTS} FROM (
           SELECT stance, MAX(updated_at) FROM recommendations WHERE ${where} GROUP BY member
         )`,
      ).get(params) as CountsRow | undefined;
      const latest = this.sql(
        `SELECT ${COLUMNS} FROM recommendations WHERE ${where}
         ORDER BY updated_at DESC, channel, member LIMIT @limit`,
      ).all({ ...params, limit: sqlLimit(limit) }) as Row[];
      const stances = toCounts(counts);
      return { stances, total: total(stances), latest: latest.map(toRecommendation) };
    });
  }

  async tallies(scope: ScopeFilter, limit: number): Promise<ToolTally[]> {
    return this.run(() => {
      const live = "platform = @platform AND workspace = @workspace AND removed_at IS NULL";
      // In one channel (member, tool) is unique already; across the workspace keep each member's
      // most recent row per tool.
      const rows =
        scope.channel === undefined
          ? `SELECT tool, stance, MAX(updated_at) AS updated_at FROM recommendations WHERE ${live}
             GROUP BY tool, member`
          : `SELECT tool, stance, updated_at FROM recommendations WHERE ${live} AND channel = @channel`;
      const tallies = this.sql(
        `SELECT tool, COUNT(*) AS members, MAX(updated_at) AS last_at, ${STANCE_COUNTS}
         FROM (${rows}) GROUP BY tool`,
      ).all({
        platform: scope.platform,
        workspace: scope.workspace,
        channel: scope.channel ?? null,
      }) as TallyRow[];
      return rankTallies(tallies, limit);
    });
  }

  async changesSince(platform: string, workspace: string, member: string, since: number): Promise<number> {
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

  async ping(): Promise<void> {
    this.run(() => this.sql("SELECT 1").get());
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.db?.close();
    this.db = null;
  }

  private open(): Database.Database {
    if (this.db) return this.db;
    if (this.path !== ":memory:" && !this.path.startsWith("file:")) {
      mkdirSync(dirname(resolve(this.path)), { recursive: true });
    }
    const db = new Database(this.path);
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
    } catch (error) {
      db.close();
      throw error;
    }
    this.db = db;
    return db;
  }

  private connection(): Database.Database {
    if (!this.db) throw new Error("SqliteStore: call init() first (or the store was closed)");
    return this.db;
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

function keyParams(place: Place, member: string, tool: string) {
  return { platform: place.platform, workspace: place.workspace, channel: place.channel, member, tool };
}
