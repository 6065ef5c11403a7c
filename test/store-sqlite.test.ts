/** The SQLite store beyond the contract: file, pragmas, migrations, concurrency, crashes, locks. */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS, migrationSql, SCHEMA_MIGRATIONS_DDL } from "../src/store/migrations.js";
import { DEFAULT_SQLITE_PATH, openStore } from "../src/store/open.js";
import { PostgresStore } from "../src/store/postgres.js";
import { latestSql, type Placeholders, talliesSql, tallyTiesSql, toolCountsSql } from "../src/store/rows.js";
import { SqliteStore, WAL_AUTOCHECKPOINT_PAGES } from "../src/store/sqlite.js";
import { type ScopeFilter, type Stance, StoreUnavailableError } from "../src/store/types.js";
import {
  confirmedWritesSurviveKill,
  expectAnswersMatchRecount,
  expectTalliesMatchRecount,
  gridFromTwoProcesses,
  gridThroughTwoInstances,
  HISTORY_SQL,
  type ReadTable,
  racingAcrossChannels,
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

  it("refuses to be used before init", async () => {
    const s = new SqliteStore({ path: newPath() });
    await expect(s.get(place, "U1", "docker")).rejects.toThrow(/init/);
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

describe("SQLite store: durability", () => {
  it("keeps every confirmed write when the writer is killed with SIGKILL", async () => {
    const path = newPath();
    await confirmedWritesSurviveKill(path, () => store(path));
    const db = new Database(path);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();
  });
});
