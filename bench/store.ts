/**
 * The store at 100,000 recommendations (issue 7): recommend latency, and the reads behind /top,
 * /radar and the tool card (tallies() in channel and workspace scope, forTool()), on SQLite always
 * and on PostgreSQL when DATABASE_URL or TEST_DATABASE_URL is set.
 *
 * Seeds 100,000 live recommendations plus 5,000 removed ones through the store's own schema: ten
 * workspaces on two platforms, one busy (60 channels, 4,000 members, 60% of the rows), 120 tools
 * with a long-tailed popularity, each member recommending in one to four channels. SQLite gets
 * the rows in one transaction (its triggers keep the tallies as they go); PostgreSQL gets them in
 * bulk with its triggers off, then `recommendation_tallies_rebuild()` (what migration 2 ran)
 * recounts. Then, with the stores the bot uses: 2,000 recommend calls over random members, tools
 * and channels, and 1,000 calls of each read, with the limits the commands pass. As a baseline
 * in the same run, the workspace-scope query this replaced (an aggregate over every row of the
 * workspace) is timed a few times.
 *
 * Throwaway SQLite file in the temp folder, throwaway PostgreSQL schema; both removed at the end.
 * The timing runs in a child process started with the image's Node flags (see run()).
 * Run alone: npx tsx bench/store.ts
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { PROJECT_ROOT } from "../src/paths.js";
import { PostgresStore } from "../src/store/postgres.js";
import { SqliteStore } from "../src/store/sqlite.js";
import {
  type Place,
  type RecommendationStore,
  type RecommendInput,
  type ScopeFilter,
  STANCES,
  type Stance,
} from "../src/store/types.js";
import { productionNodeFlags } from "./production-flags.js";
import { type Measurement, percentile, type SectionResult } from "./types.js";

const LIVE_ROWS = 100_000;
const REMOVED_ROWS = 5_000;
const TOOLS = Array.from({ length: 120 }, (_, i) => `tool-${String(i).padStart(3, "0")}`);
const RECOMMEND_CALLS = 2_000;
/** Writes after opening that are not timed: they grow the new WAL to its working size (see note). */
const RECOMMEND_WARMUP = 300;
const READ_CALLS = 1_000;
const BASELINE_CALLS = 10;
/** The bot's default: changes per member per minute. */
const RATE_LIMIT = 10;
const BAR_MS = 2;
/** What the commands pass: /top and /radar take every tally, the tool card the 3 latest. */
const TALLIES_LIMIT = 10_000;
const CARD_LIMIT = 3;
const T0 = 1_700_000_000_000;
const DAY = 86_400_000;

interface Workspace {
  platform: string;
  workspace: string;
  channels: string[];
  /** Each member's channels (one to four). */
  members: { id: string; channels: string[] }[];
  rows: number;
}

interface SeedRow {
  platform: string;
  workspace: string;
  channel: string;
  member: string;
  member_name: string;
  tool: string;
  stance: Stance;
  reason: string | null;
  created_at: number;
  updated_at: number;
  removed_at: number | null;
  removed_by: string | null;
}

/** mulberry32: a small seeded generator, so every run seeds the same data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Picks an index with weight 1/(i+1)^s: a few popular items, a long tail. */
function zipf(n: number, s: number, rand: () => number): () => number {
  const cumulative: number[] = [];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / (i + 1) ** s;
    cumulative.push(sum);
  }
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function pick<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

const STANCE_WEIGHTS: [Stance, number][] = [
  ["adopt", 0.4],
  ["trial", 0.3],
  ["assess", 0.2],
  ["hold", 0.1],
];

function stanceOf(rand: () => number): Stance {
  let x = rand();
  for (const [stance, weight] of STANCE_WEIGHTS) {
    if (x < weight) return stance;
    x -= weight;
  }
  return "hold";
}

function reasonOf(rand: () => number): string | null {
  return rand() < 0.5 ? null : `works for us: ${Math.floor(rand() * 1e6).toString(36)}`;
}

function workspaces(rand: () => number): Workspace[] {
  const make = (platform: string, workspace: string, channels: number, members: number, rows: number) => {
    const names = Array.from({ length: channels }, (_, i) => `C${i}`);
    const channelOf = zipf(channels, 1, rand);
    return {
      platform,
      workspace,
      channels: names,
      members: Array.from({ length: members }, (_, i) => {
        const own = new Set<string>();
        const count = 1 + Math.floor(rand() * Math.min(4, channels));
        while (own.size < count) own.add(pick(names, channelOf()));
        return { id: `U${i}`, channels: [...own] };
      }),
      rows,
    };
  };
  return [
    make("slack", "T-BUSY", 60, 4_000, Math.round(LIVE_ROWS * 0.6)),
    ...[2, 3, 4, 5, 6].map((i) => make("slack", `T-${i}`, 10, 600, Math.round(LIVE_ROWS * 0.05))),
    ...[1, 2, 3].map((i) => make("discord", `G-${i}`, 8, 400, Math.round(LIVE_ROWS * 0.05))),
  ];
}

/** 100,000 live rows spread over the workspaces, plus 5,000 removed ones, all distinct keys. */
function seedRows(spaces: Workspace[], rand: () => number): SeedRow[] {
  const toolOf = zipf(TOOLS.length, 0.8, rand);
  const rows: SeedRow[] = [];
  const total = spaces.reduce((n, s) => n + s.rows, 0);
  for (const space of spaces) {
    const removed = Math.round((space.rows / total) * REMOVED_ROWS);
    const keys = new Set<string>();
    while (keys.size < space.rows + removed) {
      const member = pick(space.members, Math.floor(rand() * space.members.length));
      const channel = pick(member.channels, Math.floor(rand() * member.channels.length));
      const tool = pick(TOOLS, toolOf());
      const key = `${channel}\u0000${member.id}\u0000${tool}`;
      if (keys.has(key)) continue;
      keys.add(key);
      const updated = T0 + Math.floor(rand() * 180 * DAY);
      const isRemoved = keys.size > space.rows;
      rows.push({
        platform: space.platform,
        workspace: space.workspace,
        channel,
        member: member.id,
        member_name: `Member ${member.id}`,
        tool,
        stance: stanceOf(rand),
        reason: reasonOf(rand),
        created_at: updated - Math.floor(rand() * 30 * DAY),
        updated_at: updated,
        removed_at: isRemoved ? updated + DAY : null,
        removed_by: isRemoved ? member.id : null,
      });
    }
  }
  return rows;
}

const ROW_COLUMNS = [
  "platform",
  "workspace",
  "channel",
  "member",
  "member_name",
  "tool",
  "stance",
  "reason",
  "created_at",
  "updated_at",
  "removed_at",
  "removed_by",
] as const;

function seedSqlite(path: string, rows: SeedRow[]): void {
  const db = new Database(path);
  try {
    const insert = db.prepare(
      `INSERT INTO recommendations (${ROW_COLUMNS.join(", ")})
       VALUES (${ROW_COLUMNS.map((c) => `@${c}`).join(", ")})`,
    );
    db.transaction(() => {
      for (const row of rows) insert.run(row);
    })();
    db.exec("ANALYZE");
  } finally {
    db.close();
  }
}

async function seedPostgres(admin: pg.Client, rows: SeedRow[]): Promise<void> {
  const types = [
    "text",
    "text",
    "text",
    "text",
    "text",
    "text",
    "text",
    "text",
    "int8",
    "int8",
    "int8",
    "text",
  ];
  await admin.query("BEGIN");
  await admin.query("ALTER TABLE recommendations DISABLE TRIGGER USER");
  for (let start = 0; start < rows.length; start += 10_000) {
    const batch = rows.slice(start, start + 10_000);
    await admin.query(
      `INSERT INTO recommendations (${ROW_COLUMNS.join(", ")})
       SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(", ")})`,
      ROW_COLUMNS.map((c) => batch.map((r) => r[c])),
    );
  }
  await admin.query("ALTER TABLE recommendations ENABLE TRIGGER USER");
  await admin.query("SELECT recommendation_tallies_rebuild()");
  await admin.query("COMMIT");
  await admin.query("VACUUM ANALYZE recommendations");
  await admin.query(
    "VACUUM ANALYZE recommendation_channel_tallies, recommendation_member_latest, recommendation_workspace_tallies",
  );
}

interface Timing {
  sorted: number[];
}

/** Collects one operation's samples; `timing()` sorts them. */
class Samples {
  private readonly samples: number[] = [];

  async time<T>(step: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await step();
    this.samples.push(performance.now() - started);
    return result;
  }

  timing(): Timing {
    return { sorted: [...this.samples].sort((a, b) => a - b) };
  }
}

function measurement(
  name: string,
  timing: Timing,
  options: { bar?: boolean; note: string; baseline?: { name: string; timing: Timing } },
): Measurement {
  const p99 = percentile(timing.sorted, 99);
  return {
    name,
    unit: "ms",
    p50: round(percentile(timing.sorted, 50)),
    p99: round(p99),
    ...(options.baseline
      ? {
          baseline: {
            name: options.baseline.name,
            p50: round(percentile(options.baseline.timing.sorted, 50)),
            p99: round(percentile(options.baseline.timing.sorted, 99)),
          },
        }
      : {}),
    ...(options.bar === false ? {} : { bar: `p99 < ${BAR_MS} ms`, pass: p99 < BAR_MS }),
    note: options.note,
  };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Random calls in the data's own proportions: busy workspace most, popular tools most. */
class Traffic {
  private readonly rand = random(7);
  private readonly toolOf = zipf(TOOLS.length, 0.8, this.rand);
  private at = T0 + 200 * DAY;
  constructor(private readonly spaces: Workspace[]) {}

  private space(): Workspace {
    return this.rand() < 0.7 ? pick(this.spaces, 0) : pick(this.spaces, 1 + Math.floor(this.rand() * 8));
  }

  private tick(): number {
    this.at += 1000;
    return this.at;
  }

  tool(): string {
    return pick(TOOLS, this.toolOf());
  }

  recommendation(): RecommendInput {
    const space = this.space();
    const member = pick(space.members, Math.floor(this.rand() * space.members.length));
    return {
      platform: space.platform,
      workspace: space.workspace,
      channel: pick(member.channels, Math.floor(this.rand() * member.channels.length)),
      member: member.id,
      memberName: `Member ${member.id}`,
      tool: this.tool(),
      stance: pick(STANCES, Math.floor(this.rand() * STANCES.length)),
      reason: reasonOf(this.rand),
      at: this.tick(),
    };
  }

  channel(): Place {
    const space = this.space();
    const member = pick(space.members, Math.floor(this.rand() * space.members.length));
    const channel = pick(member.channels, Math.floor(this.rand() * member.channels.length));
    return { platform: space.platform, workspace: space.workspace, channel };
  }

  workspace(): ScopeFilter {
    const { platform, workspace } = this.space();
    return { platform, workspace };
  }
}

/**
 * Times every operation on one backend; `reopen` gives a fresh store on the seeded database.
 * First the writes, then the reads taking turns (one call of each, a thousand times over), so the
 * machine's noise falls on all of them alike rather than on whichever ran during a burst.
 */
async function measureBackend(
  backend: string,
  spaces: Workspace[],
  reopen: () => Promise<RecommendationStore>,
  baselineQuery: () => Promise<unknown>,
  seedNote: string,
): Promise<Measurement[]> {
  const traffic = new Traffic(spaces);
  const store = await reopen();
  try {
    const reads: [name: string, call: () => Promise<unknown>][] = [
      ["channelTallies", () => store.tallies(traffic.channel(), TALLIES_LIMIT)],
      ["workspaceTallies", () => store.tallies(traffic.workspace(), TALLIES_LIMIT)],
      ["workspaceTop10", () => store.tallies(traffic.workspace(), 10)],
      ["toolCard", () => store.forTool(traffic.channel(), traffic.tool(), CARD_LIMIT)],
      ["toolWorkspace", () => store.forTool(traffic.workspace(), traffic.tool(), CARD_LIMIT)],
      ["ping", () => store.ping()],
    ];
    // Untimed: the first writes after opening grow the new WAL file (see the note), and every
    // statement gets prepared.
    for (let i = 0; i < RECOMMEND_WARMUP; i++) await store.recommend(traffic.recommendation());
    for (let i = 0; i < 50; i++) for (const [, call] of reads) await call();

    const recommend = new Samples();
    const outcomes = { created: 0, updated: 0, unchanged: 0, rate_limited: 0 };
    for (let i = 0; i < RECOMMEND_CALLS; i++) {
      const input = traffic.recommendation();
      // With the rate limit inside the write, as the bot sends it (src/recommendations.ts).
      const limit = { maxChanges: RATE_LIMIT, since: input.at - 60_000 };
      const result = await recommend.time(() => store.recommend(input, limit));
      outcomes[result.outcome]++;
    }
    const samples = new Map(reads.map(([name]) => [name, new Samples()]));
    for (let i = 0; i < READ_CALLS; i++)
      for (const [name, call] of reads) await samples.get(name)?.time(call);
    const timing = (name: string) => samples.get(name)?.timing() ?? { sorted: [] };

    const before = new Samples();
    await baselineQuery();
    for (let i = 0; i < BASELINE_CALLS; i++) await before.time(baselineQuery);
    const busy = pick(spaces, 0);
    const tools = (await store.tallies({ platform: busy.platform, workspace: busy.workspace }, TALLIES_LIMIT))
      .length;
    const readNote = `${READ_CALLS} calls over random channels/workspaces/tools (70% the busy workspace)`;
    const writes = recommend.timing();
    const slow = writes.sorted.filter((ms) => ms >= BAR_MS).length;
    const max = writes.sorted.at(-1) ?? Number.NaN;
    return [
      measurement(`${backend}: recommend`, writes, {
        bar: backend === "SQLite",
        note: [
          `${RECOMMEND_CALLS} calls over random members/tools/channels after ${RECOMMEND_WARMUP} untimed ones`,
          `(${outcomes.created} created, ${outcomes.updated} updated, ${outcomes.unchanged} unchanged, ${outcomes.rate_limited} rate limited; limit checked in the write)`,
          `${slow} took ${BAR_MS} ms or more, the slowest ${max.toFixed(1)} ms`,
          backend === "SQLite"
            ? "(a WAL checkpoint every ~300 writes: it copies the log into the database file and fsyncs it)"
            : "no bar on PostgreSQL: one round trip plus a commit",
          seedNote,
        ].join("; "),
      }),
      measurement(`${backend}: tallies, channel scope (/top, /radar)`, timing("channelTallies"), {
        note: `limit ${TALLIES_LIMIT} as the commands pass; ${readNote}`,
      }),
      measurement(`${backend}: tallies, workspace scope (/top, /radar)`, timing("workspaceTallies"), {
        note: `limit ${TALLIES_LIMIT} (all ${tools} tools of the busy workspace); ${readNote}`,
        baseline: {
          name: "aggregating the busy workspace's rows, as before migration 2",
          timing: before.timing(),
        },
      }),
      measurement(`${backend}: tallies, workspace scope, top 10`, timing("workspaceTop10"), {
        note: readNote,
      }),
      measurement(
        `${backend}: forTool, channel scope, ${CARD_LIMIT} latest (tool card)`,
        timing("toolCard"),
        {
          note: readNote,
        },
      ),
      measurement(`${backend}: forTool, workspace scope, ${CARD_LIMIT} latest`, timing("toolWorkspace"), {
        note: readNote,
      }),
      measurement(`${backend}: ping (SELECT 1), for scale`, timing("ping"), {
        bar: false,
        note: `the same store's cheapest call, timed in the same turns: the floor (and the noise) under the others; load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores at the end`,
      }),
    ];
  } finally {
    await store.close();
  }
}

/**
 * Seeds with rows made for the purpose and lets them go before anything is timed: 100,000 row
 * objects kept alive in this process would make its garbage collector (not the store) the
 * slowest part of the p99s, and the bot holds no such heap.
 */
async function seedWith(makeRows: () => SeedRow[], seed: (rows: SeedRow[]) => unknown): Promise<number> {
  const rows = makeRows();
  await seed(rows);
  return rows.length;
}

async function sqliteSection(spaces: Workspace[], makeRows: () => SeedRow[]): Promise<Measurement[]> {
  const dir = mkdtempSync(join(tmpdir(), "skilltree-bench-store-"));
  try {
    const path = join(dir, "bench.db");
    const setup = new SqliteStore({ path });
    await setup.init();
    await setup.close();
    const started = performance.now();
    const seeded = await seedWith(makeRows, (rows) => seedSqlite(path, rows));
    const seedSeconds = (performance.now() - started) / 1000;
    const busy = pick(spaces, 0);
    const reader = new Database(path, { readonly: true });
    try {
      // The workspace tallies as they were read before migration 2 (sqlite.ts at migration 1).
      const before = reader.prepare(
        `SELECT tool, COUNT(*) AS members, MAX(updated_at) AS last_at,
           COUNT(*) FILTER (WHERE stance = 'adopt') AS adopt, COUNT(*) FILTER (WHERE stance = 'trial') AS trial,
           COUNT(*) FILTER (WHERE stance = 'assess') AS assess, COUNT(*) FILTER (WHERE stance = 'hold') AS hold
         FROM (SELECT tool, stance, MAX(updated_at) AS updated_at FROM recommendations
               WHERE platform = ? AND workspace = ? AND removed_at IS NULL GROUP BY tool, member)
         GROUP BY tool`,
      );
      return await measureBackend(
        "SQLite",
        spaces,
        async () => {
          const store = new SqliteStore({ path });
          await store.init();
          return store;
        },
        async () => before.all(busy.platform, busy.workspace),
        `seeded ${seeded} rows in ${seedSeconds.toFixed(1)} s; WAL, synchronous=FULL (fsync per commit)`,
      );
    } finally {
      reader.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresSection(
  url: string,
  spaces: Workspace[],
  makeRows: () => SeedRow[],
): Promise<Measurement[]> {
  const schema = `skilltree_bench_${process.pid}_${Date.now().toString(36)}`;
  const scoped = new URL(url);
  scoped.searchParams.set("options", `-c search_path=${schema}`);
  const admin = new pg.Client({ connectionString: scoped.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const setup = new PostgresStore({ connectionString: scoped.toString() });
    await setup.init();
    await setup.close();
    const started = performance.now();
    const seeded = await seedWith(makeRows, (rows) => seedPostgres(admin, rows));
    const seedSeconds = (performance.now() - started) / 1000;
    const busy = pick(spaces, 0);
    return await measureBackend(
      "PostgreSQL",
      spaces,
      async () => {
        const store = new PostgresStore({ connectionString: scoped.toString() });
        await store.init();
        return store;
      },
      // The workspace tallies as they were read before migration 2 (postgres.ts at migration 1).
      () =>
        admin.query(
          `SELECT tool, COUNT(*) AS members, MAX(updated_at) AS last_at,
             COUNT(*) FILTER (WHERE stance = 'adopt') AS adopt, COUNT(*) FILTER (WHERE stance = 'trial') AS trial,
             COUNT(*) FILTER (WHERE stance = 'assess') AS assess, COUNT(*) FILTER (WHERE stance = 'hold') AS hold
           FROM (SELECT DISTINCT ON (tool, member) tool, stance, updated_at FROM recommendations
                 WHERE platform = $1 AND workspace = $2 AND removed_at IS NULL
                 ORDER BY tool, member, updated_at DESC, channel) scoped
           GROUP BY tool`,
          [busy.platform, busy.workspace],
        ),
      `seeded ${seeded} rows in ${seedSeconds.toFixed(1)} s (bulk insert, then recount)`,
    );
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await admin.end();
  }
}

const CHILD_FLAG = "--measure-here";
const RESULT_PREFIX = "STORE_SECTION ";

/**
 * The stores are timed in a process of their own, started with the Node flags the image starts
 * the bot with (bench/production-flags.ts): under Node's default young generation, this process's
 * own scavenges (3 to 5 ms each, every 80 ms) were most of PostgreSQL's p99, a cost the bot with
 * its small young generation does not pay.
 */
export async function run(): Promise<SectionResult> {
  const child = spawnSync(
    process.execPath,
    [...productionNodeFlags(), "--import", "tsx", "bench/store.ts", CHILD_FLAG],
    { cwd: PROJECT_ROOT, env: process.env, encoding: "utf8", maxBuffer: 16 * 1024 * 1024, timeout: 300_000 },
  );
  const line = child.stdout?.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) {
    const why = child.error?.message ?? `exit ${child.status ?? child.signal}`;
    throw new Error(`the store benchmark process failed (${why}): ${(child.stderr ?? "").slice(-500)}`);
  }
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as SectionResult;
}

async function measure(): Promise<SectionResult> {
  const spaces = workspaces(random(42));
  // The same rows for both backends, made afresh for each (see seedWith).
  const makeRows = () => seedRows(spaces, random(43));
  const measurements = await sqliteSection(spaces, makeRows);
  const url = (process.env.DATABASE_URL || process.env.TEST_DATABASE_URL)?.trim();
  if (url) {
    measurements.push(...(await postgresSection(url, spaces, makeRows)));
  } else {
    measurements.push({
      name: "PostgreSQL",
      unit: "ms",
      note: "skipped: set DATABASE_URL or TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)",
    });
  }
  return { section: "store", measurements };
}

if (process.argv.includes(CHILD_FLAG)) {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(await measure())}\n`);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  const result = await run();
  const fmt = (n: number | undefined) => (n === undefined ? "" : n.toFixed(3));
  for (const m of result.measurements) {
    const figures = m.p50 === undefined ? "" : `p50 ${fmt(m.p50)} ms  p99 ${fmt(m.p99)} ms`;
    const bar = m.bar ? `  [${m.bar}: ${m.pass ? "met" : "MISSED"}]` : "";
    console.log(`${m.name.padEnd(58)} ${figures}${bar}`);
    if (m.baseline) {
      console.log(
        `${"".padEnd(58)} baseline ${m.baseline.name}: p50 ${fmt(m.baseline.p50)} ms  p99 ${fmt(m.baseline.p99)} ms`,
      );
    }
    if (m.note) console.log(`${"".padEnd(58)} ${m.note}`);
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
