/**
 * Store read speed at scale: seeds 100,000 live recommendations (plus removed ones) into SQLite
 * and, when DATABASE_URL is set, PostgreSQL, then times tallies() and forTool() in channel and
 * workspace scope. Run: npx tsx bench/store.ts [rows]   (PostgreSQL uses a throwaway schema.)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { PostgresStore } from "../src/store/postgres.js";
import { SqliteStore } from "../src/store/sqlite.js";
import type { RecommendationStore } from "../src/store/types.js";

const ROWS = Number(process.argv[2] ?? 100_000);
// One busy workspace: 50 channels, 120 tools, members spread so many recommend in several channels.
const SEED = `
  WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS - 1})
  INSERT INTO recommendations (platform, workspace, channel, member, tool, member_name, stance, reason,
                               created_at, updated_at, removed_at, removed_by)
  SELECT 'slack', 'T1', 'C' || (i % 50), 'U' || (i / 50 % 2000), 'tool' || (i * 7 % 120), NULL,
         CASE i % 4 WHEN 0 THEN 'adopt' WHEN 1 THEN 'trial' WHEN 2 THEN 'assess' ELSE 'hold' END,
         'a reason', 1700000000000 + i, 1700000000000 + i,
         CASE WHEN i % 10 = 0 THEN 1700000000000 + i + 1 END, NULL
  FROM n`;

async function time(label: string, run: () => Promise<unknown>): Promise<void> {
  await run(); // warm
  const runs = 5;
  const started = performance.now();
  for (let i = 0; i < runs; i++) await run();
  console.log(`  ${label.padEnd(28)} ${((performance.now() - started) / runs).toFixed(1)} ms`);
}

async function measure(name: string, store: RecommendationStore): Promise<void> {
  console.log(`${name}: ${ROWS} rows`);
  const ws = { platform: "slack", workspace: "T1" };
  const ch = { ...ws, channel: "C7" };
  await time("tallies(workspace, 10)", () => store.tallies(ws, 10));
  await time("tallies(channel, 10)", () => store.tallies(ch, 10));
  await time("forTool(workspace, 5)", () => store.forTool(ws, "tool7", 5));
  await time("forTool(channel, 5)", () => store.forTool(ch, "tool7", 5));
  await time("get", () => store.get(ch, "U3", "tool7"));
  await time("changesSince", () => store.changesSince("slack", "T1", "U3", 0));
}

const dir = mkdtempSync(join(tmpdir(), "skilltree-bench-"));
try {
  const path = join(dir, "bench.db");
  const sqlite = new SqliteStore({ path });
  await sqlite.init();
  const db = new Database(path);
  db.exec(SEED);
  db.exec("ANALYZE");
  db.close();
  await measure("SQLite", sqlite);
  await sqlite.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const url = process.env.DATABASE_URL;
if (url) {
  const schema = `skilltree_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    const scoped = new URL(url);
    scoped.searchParams.set("options", `-c search_path=${schema}`);
    const store = new PostgresStore({ connectionString: scoped.toString() });
    await store.init();
    await admin.query(`SET search_path = ${schema}`);
    await admin.query(SEED);
    await admin.query("ANALYZE");
    await measure("PostgreSQL", store);
    await store.close();
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}
