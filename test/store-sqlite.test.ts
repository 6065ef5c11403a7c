/** The SQLite store beyond the contract: file, pragmas, migrations, concurrency, crashes, locks. */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS, migrationSql, SCHEMA_MIGRATIONS_DDL } from "../src/store/migrations.js";
import { DEFAULT_SQLITE_PATH, openStore } from "../src/store/open.js";
import { PostgresStore } from "../src/store/postgres.js";
import {
  latestSql,
  type Placeholders,
  removalsSql,
  talliesSql,
  tallyTiesSql,
  toolCountsSql,
} from "../src/store/rows.js";
import { SqliteStore, WAL_AUTOCHECKPOINT_PAGES } from "../src/store/sqlite.js";
import { type ScopeFilter, type Stance, StoreUnavailableError } from "../src/store/types.js";
import {
  confirmedWritesSurviveKill,
  expectAnswersMatchRecount,
  expectBatchedPruning,
  expectTalliesMatchRecount,
  gridFromTwoProcesses,
  gridThroughTwoInstances,
  HISTORY_SQL,
  PRUNE_BACKLOG,
  type ReadTable,
  racingAcrossChannels,
  rateLimitThroughTwoInstances,
  sameTwiceThroughTwoInstances,
  spreadFromTwoProcesses,
} from "./helpers/store-scenarios.js";

const dir = mkdtempSync(join(tmpdir(), "skilltree-sqlite-"));
let n = 0;
const newPath = () => join(dir, `t${++n}`, "nested", "skilltree.db");
const opened: SqliteStore[] = [];

async function store(path: string, options: { busyTimeoutMs?: number } = {}): Promise<SqliteStore> {
  const s = new SqliteStore({ path, ...options });
  opened.push(s);
  await s.init();
  return s;
}

/** A plain read connection to count what is really in the file. */
function countRows(path: string, table = "recommendations"): Promise<number> {
  const db = new Database(path, { readonly: true });
  try {
    return Promise.resolve(Number(db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get()));
  } finally {
    db.close();
  }
}

/** Every row of a table, read through a separate connection. */
const reader =
  (path: string): ReadTable =>
  async (table) => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  };

const place = { platform: "slack", workspace: "T", channel: "C" };
const rec = (member: string, at = 1) => ({
  ...place,
  member,
  memberName: null,
  tool: "docker",
  stance: "adopt" as const,
  reason: null,
  at,
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SQLite store: the file", () => {
  it("creates the parent folders, uses WAL and synchronous=FULL, waits on locks", async () => {
    const path = newPath();
    const s = await store(path);
    expect(existsSync(path)).toBe(true);
    const db = (s as unknown as { db: Database.Database }).db;
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("synchronous", { simple: true })).toBe(2); // FULL
    expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
  });

  it("keeps data across close and reopen", async () => {
    const path = newPath();
    const first = await store(path);
    await first.recommend(rec("U1"));
    await first.close();
    const second = await store(path);
    expect(await second.get(place, "U1", "docker")).toMatchObject({ member: "U1" });
  });

  it("records each migration once, however often init runs", async () => {
    const path = newPath();
    const s = await store(path);
    await Promise.all([s.init(), s.init(), (await store(path)).init()]);
    const db = new Database(path, { readonly: true });
    const versions = db.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all();
    db.close();
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it("initialises itself on first use", async () => {
    const path = newPath();
    const s = new SqliteStore({ path });
    opened.push(s);
    expect((await s.recommend(rec("U1"))).outcome).toBe("created");
    expect(await countRows(path, "schema_migrations")).toBe(MIGRATIONS.length);
  });

  it("recovers by itself when the file could not be opened at start", async () => {
    const folder = join(dir, `blocked-${++n}`);
    writeFileSync(folder, "a file where the database's folder should be");
    const path = join(folder, "skilltree.db");
    const s = new SqliteStore({ path });
    opened.push(s);
    // What main.ts does: one init at start, a failure only logged.
    await expect(s.init()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(s.ping()).rejects.toBeInstanceOf(StoreUnavailableError); // readiness stays off
    const failed = await s.recommend(rec("U1")).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(StoreUnavailableError);
    expect(String(failed)).toMatch(/cannot be opened/);
    await expect(s.tallies(place, 5)).rejects.toBeInstanceOf(StoreUnavailableError);

    rmSync(folder); // the cause goes away: no restart, no init() call
    expect((await s.recommend(rec("U1"))).outcome).toBe("created");
    await expect(s.ping()).resolves.toBeUndefined();
    expect(await s.get(place, "U1", "docker")).toMatchObject({ member: "U1" });
  });

  it("refuses to be used once closed", async () => {
    const s = await store(newPath());
    await s.close();
    await expect(s.get(place, "U1", "docker")).rejects.toThrow(/closed/);
    await expect(s.ping()).rejects.toThrow(/closed/);
  });

  it("rejects a stance outside the four (CHECK), as a plain error", async () => {
    const s = await store(newPath());
    const error = await s.recommend({ ...rec("U1"), stance: "love" as Stance }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(StoreUnavailableError);
    expect(String(error)).toMatch(/CHECK/);
  });

  it("answers StoreUnavailableError while another connection holds the write lock, then recovers", async () => {
    const path = newPath();
    const s = await store(path, { busyTimeoutMs: 100 });
    const other = new Database(path);
    other.exec("BEGIN IMMEDIATE");
    try {
      await expect(s.recommend(rec("U1"))).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(await s.get(place, "U1", "docker")).toBeNull(); // reads still work under WAL
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect((await s.recommend(rec("U1"))).outcome).toBe("created");
  });
});

describe("openStore", () => {
  it("picks SQLite without a database URL and PostgreSQL with one", async () => {
    const sqlite = openStore({ sqlitePath: newPath() });
    expect(sqlite).toBeInstanceOf(SqliteStore);
    const blank = openStore({ databaseUrl: "  ", sqlitePath: newPath() });
    expect(blank).toBeInstanceOf(SqliteStore);
    const pg = openStore({ databaseUrl: "postgres://user@127.0.0.1:1/none", sqlitePath: newPath() });
    expect(pg).toBeInstanceOf(PostgresStore);
    await Promise.all([sqlite.close(), blank.close(), pg.close()]);
    expect(DEFAULT_SQLITE_PATH).toBe("var/skilltree.db");
  });
});

describe("SQLite store: two writers on one file", () => {
  it("two instances writing 50 members x 4 tools at once give exact counts", async () => {
    const path = newPath();
    const [a, b] = [await store(path), await store(path)];
    await gridThroughTwoInstances(a, b, () => countRows(path), reader(path));
    expect(await countRows(path, "recommendation_changes")).toBe(200);
  });

  it("the same recommendation sent twice at once through two instances is one row", async () => {
    const path = newPath();
    const [a, b] = [await store(path), await store(path)];
    await sameTwiceThroughTwoInstances(a, b, () => countRows(path), reader(path));
  });

  it("30 changes by one member at once through two instances, limit 10: exactly 10 go through", async () => {
    const path = newPath();
    const [a, b] = [await store(path), await store(path)];
    await rateLimitThroughTwoInstances(a, b, () => countRows(path));
  });

  it("two instances racing across channels keep the tallies equal to a recount", async () => {
    const path = newPath();
    const [a, b] = [await store(path), await store(path)];
    await racingAcrossChannels(a, b, reader(path));
  });

  it("two processes writing the same grid at the same moment create each row once", async () => {
    const path = newPath();
    await gridFromTwoProcesses(
      path,
      () => store(path),
      () => countRows(path),
      reader(path),
    );
  });

  it("two processes racing across channels keep the tallies equal to a recount", async () => {
    const path = newPath();
    await store(path); // migrated once, so the two writers do not also race on init
    await spreadFromTwoProcesses(path, () => store(path), reader(path));
  });
});

describe("SQLite store: kept tallies (migration 2)", () => {
  it("fills the tallies from the rows written before it", async () => {
    const path = newPath();
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.exec(SCHEMA_MIGRATIONS_DDL);
    const first = MIGRATIONS[0];
    if (!first) throw new Error("no migration 1");
    db.exec(migrationSql(first, "sqlite"));
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, ?, 0)").run(first.name);
    db.exec(HISTORY_SQL);
    db.close();
    const s = await store(path);
    const expected = await expectTalliesMatchRecount(reader(path));
    expect(expected.live.length).toBeGreaterThan(10);
    await expectAnswersMatchRecount(
      s,
      expected,
      { platform: "slack", workspace: "T" },
      ["C1", "C2", "C3"],
      ["docker", "podman"],
    );
  });

  it("follows writes made outside the store: deletes, moved keys, bulk updates", async () => {
    const path = newPath();
    const s = await store(path);
    const read = reader(path);
    const db = new Database(path);
    try {
      db.exec(HISTORY_SQL);
      await expectTalliesMatchRecount(read);
      for (const change of [
        "DELETE FROM recommendations WHERE member = 'U1' AND channel = 'C1'",
        "UPDATE recommendations SET channel = 'C4' WHERE member = 'U2' AND channel = 'C2'",
        "UPDATE recommendations SET member = 'U9' WHERE member = 'U3' AND tool = 'docker'",
        "UPDATE recommendations SET tool = 'kind' WHERE member = 'U4' AND tool = 'podman'",
        "UPDATE recommendations SET removed_at = NULL, updated_at = updated_at + 100",
        "UPDATE recommendations SET stance = 'hold' WHERE channel = 'C1'",
        "DELETE FROM recommendations WHERE tool = 'docker'",
      ]) {
        db.exec(change);
        await expectTalliesMatchRecount(read);
      }
      const expected = await expectTalliesMatchRecount(read);
      await expectAnswersMatchRecount(
        s,
        expected,
        { platform: "slack", workspace: "T" },
        ["C1", "C2", "C3"],
        ["docker", "podman", "kind"],
      );
    } finally {
      db.close();
    }
  });

  it("reads through indexes only: no table scan, no sort, on every read statement", async () => {
    const path = newPath();
    const s = await store(path);
    const db = (s as unknown as { db: Database.Database }).db;
    db.exec(HISTORY_SQL);
    db.exec("ANALYZE");
    const p: Placeholders = {
      platform: "@platform",
      workspace: "@workspace",
      channel: "@channel",
      tool: "@tool",
      limit: "@limit",
    };
    const values = {
      platform: "slack",
      workspace: "T",
      channel: "C1",
      tool: "docker",
      limit: 3,
      members: 1,
      lastAt: 1,
    };
    const ws: ScopeFilter = { platform: "slack", workspace: "T" };
    const ch: ScopeFilter = { ...ws, channel: "C1" };
    for (const scope of [ws, ch]) {
      for (const sql of [
        talliesSql(scope, p),
        tallyTiesSql(scope, { ...p, members: "@members", lastAt: "@lastAt" }),
        toolCountsSql(scope, p),
        latestSql(scope, p),
        removalsSql(scope, p, false),
        removalsSql(scope, p, true),
      ]) {
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(values) as { detail: string }[]).map(
          (r) => r.detail,
        );
        expect(plan.join("\n"), sql).not.toMatch(/\bSCAN\b|TEMP B-TREE/);
        expect(plan.join("\n"), sql).toMatch(/USING (COVERING )?INDEX|USING PRIMARY KEY/);
      }
    }
  });
});

describe("SQLite store: pruning the change log", () => {
  it("deletes a long backlog a batch per limited write, so that no write gets slow", async () => {
    const path = newPath();
    const s = await store(path);
    const db = new Database(path);
    const insert = db.prepare(
      "INSERT INTO recommendation_changes (platform, workspace, member, at) VALUES (?, ?, ?, ?)",
    );
    db.transaction(() => {
      for (let i = 0; i < PRUNE_BACKLOG; i++) insert.run("slack", "T", `old-${i % 50}`, 1000 + i);
    })();
    db.close();
    await expectBatchedPruning(s, () => countRows(path, "recommendation_changes"));
  });
});

describe("SQLite store: the removals record (migration 3)", () => {
  it("copies the removals made before it, and records removals written outside the store", async () => {
    const path = newPath();
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.exec(SCHEMA_MIGRATIONS_DDL);
    for (const m of MIGRATIONS.slice(0, 2)) {
      db.exec(migrationSql(m, "sqlite"));
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)").run(
        m.version,
        m.name,
      );
    }
    db.exec(HISTORY_SQL);
    const removedBefore = db
      .prepare(
        "SELECT channel, member, tool, stance, removed_by, removed_at FROM recommendations WHERE removed_at IS NOT NULL",
      )
      .all() as { channel: string; member: string; tool: string }[];
    expect(removedBefore.length).toBeGreaterThan(3);
    const s = await store(path);
    const ws = { platform: "slack", workspace: "T" };
    const key = (r: { channel: unknown; member: unknown; tool: unknown }) =>
      `${r.channel} ${r.member} ${r.tool}`;
    const copied = await s.removals(ws, { limit: 1000 });
    expect(copied.map(key).sort()).toEqual(removedBefore.map(key).sort());
    expect(copied.every((r) => r.removedBy === "MOD")).toBe(true);
    // A removal by hand goes into the record too; a revival by hand does not erase it.
    db.exec(
      "UPDATE recommendations SET removed_at = 5000, removed_by = 'ADMIN' WHERE member = 'U6' AND removed_at IS NULL",
    );
    db.exec("UPDATE recommendations SET removed_at = NULL, removed_by = NULL WHERE member = 'U6'");
    db.close();
    const byHand = (await s.removals(ws, { limit: 1000 })).filter((r) => r.removedBy === "ADMIN");
    expect(byHand.length).toBeGreaterThan(0);
    expect(byHand.every((r) => r.member === "U6" && r.removedAt === 5000)).toBe(true);
    expect(await countRows(path, "recommendation_removals")).toBe(copied.length + byHand.length);
  });
});

describe("SQLite store: durability", () => {
  it("keeps every confirmed write when the writer is killed with SIGKILL", async () => {
    const path = newPath();
    await confirmedWritesSurviveKill(path, () => store(path));
    const db = new Database(path);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();
  });
});
