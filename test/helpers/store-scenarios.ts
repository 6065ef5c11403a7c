/**
 * Scenarios run against every shared-database backend (SQLite file, PostgreSQL): two store
 * instances on one database written at the same time, and writer processes killed mid-stream.
 * After the concurrent ones, the kept tallies (migration 2) must equal a recount from the rows
 * (`expectTalliesMatchRecount`), which the backend's test reads through a `ReadTable`.
 */
import { expect } from "vitest";
import { PRUNE_BATCH } from "../../src/store/rows.js";
import {
  emptyCounts,
  type RecommendationStore,
  type RecommendInput,
  STANCES,
  type Stance,
  type ToolTally,
} from "../../src/store/types.js";
import { gridWriters, killWriterAfter, spreadWriters } from "./writer.js";

/** Reads every row of a table (the store's own tables, by name) from the backend under test. */
export type ReadTable = (table: string) => Promise<Record<string, unknown>[]>;

interface BaseRow {
  platform: string;
  workspace: string;
  channel: string;
  member: string;
  tool: string;
  stance: Stance;
  updated_at: number;
  removed_at: number | null;
}

const TALLY_NUMBERS = ["members", "adopt", "trial", "assess", "hold", "last_at"] as const;

function normalise(row: Record<string, unknown>, text: string[], numbers: readonly string[]) {
  const out: Record<string, string | number> = {};
  for (const c of text) out[c] = String(row[c]);
  for (const c of numbers) out[c] = Number(row[c]);
  return out;
}

const byKey = (a: Record<string, string | number>, b: Record<string, string | number>) => {
  const ka = JSON.stringify(Object.values(a));
  const kb = JSON.stringify(Object.values(b));
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

interface Tally extends Record<Stance, number> {
  members: number;
  last_at: number;
}

function tallyOf(rows: BaseRow[]): Tally {
  const counts = emptyCounts();
  for (const r of rows) counts[r.stance]++;
  return { members: rows.length, ...counts, last_at: Math.max(...rows.map((r) => r.updated_at)) };
}

function groupBy<T>(items: T[], key: (item: T) => string[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = JSON.stringify(key(item));
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

/**
 * The tallies recounted from scratch out of the rows, in the contract's terms (the memory store's
 * rules): per channel and tool, the live rows; per member and tool, their most recent live row
 * across the workspace (on equal times, the channel first by name); per workspace and tool, those.
 */
export function recountTallies(rows: BaseRow[]) {
  const live = rows.filter((r) => r.removed_at === null);
  const channel = [...groupBy(live, (r) => [r.platform, r.workspace, r.channel, r.tool]).values()].map(
    (group) => {
      const [r] = group as [BaseRow];
      return {
        platform: r.platform,
        workspace: r.workspace,
        channel: r.channel,
        tool: r.tool,
        ...tallyOf(group),
      };
    },
  );
  const latest = [...groupBy(live, (r) => [r.platform, r.workspace, r.member, r.tool]).values()].map(
    (group) =>
      group.reduce((best, r) =>
        r.updated_at > best.updated_at || (r.updated_at === best.updated_at && r.channel < best.channel)
          ? r
          : best,
      ),
  );
  const workspace = [...groupBy(latest, (r) => [r.platform, r.workspace, r.tool]).values()].map((group) => {
    const [r] = group as [BaseRow];
    return { platform: r.platform, workspace: r.workspace, tool: r.tool, ...tallyOf(group) };
  });
  return { live, channel, latest, workspace };
}

/**
 * Reads the maintained tallies (migration 2) and the rows, and checks the tallies equal a recount
 * from scratch. Returns the recount, for comparing what the store answers.
 */
export async function expectTalliesMatchRecount(read: ReadTable): Promise<ReturnType<typeof recountTallies>> {
  const rows = (await read("recommendations")).map(
    (r): BaseRow => ({
      platform: String(r.platform),
      workspace: String(r.workspace),
      channel: String(r.channel),
      member: String(r.member),
      tool: String(r.tool),
      stance: r.stance as Stance,
      updated_at: Number(r.updated_at),
      removed_at: r.removed_at === null ? null : Number(r.removed_at),
    }),
  );
  const expected = recountTallies(rows);
  const channelKey = ["platform", "workspace", "channel", "tool"];
  const latestKey = ["platform", "workspace", "member", "tool", "channel", "stance"];
  const workspaceKey = ["platform", "workspace", "tool"];
  const sorted = <T extends Record<string, string | number>>(list: T[]) => [...list].sort(byKey);
  expect(
    sorted(
      (await read("recommendation_channel_tallies")).map((r) => normalise(r, channelKey, TALLY_NUMBERS)),
    ),
    "channel tallies",
  ).toEqual(sorted(expected.channel.map((r) => normalise(r, channelKey, TALLY_NUMBERS))));
  expect(
    sorted((await read("recommendation_member_latest")).map((r) => normalise(r, latestKey, ["updated_at"]))),
    "members' latest recommendations",
  ).toEqual(sorted(expected.latest.map((r) => normalise({ ...r }, latestKey, ["updated_at"]))));
  expect(
    sorted(
      (await read("recommendation_workspace_tallies")).map((r) => normalise(r, workspaceKey, TALLY_NUMBERS)),
    ),
    "workspace tallies",
  ).toEqual(sorted(expected.workspace.map((r) => normalise(r, workspaceKey, TALLY_NUMBERS))));
  return expected;
}

/** What tallies() must answer for a recount's rows, ordered as the contract says. */
function expectedTallies(rows: (Tally & { tool: string })[]): ToolTally[] {
  return rows
    .map((r) => ({
      tool: r.tool,
      members: r.members,
      stances: { adopt: r.adopt, trial: r.trial, assess: r.assess, hold: r.hold },
      lastAt: r.last_at,
    }))
    .sort((a, b) => b.members - a.members || b.lastAt - a.lastAt || a.tool.localeCompare(b.tool));
}

const PLACE = { platform: "test", workspace: "W", channel: "C" };
const WS = { platform: "test", workspace: "W" };
const TOOLS = ["docker", "podman", "kind", "helm"];
const MEMBERS = Array.from({ length: 50 }, (_, i) => `m${i}`);

function input(member: string, tool: string, overrides: Partial<RecommendInput> = {}): RecommendInput {
  return {
    ...PLACE,
    member,
    memberName: null,
    tool,
    stance: "trial",
    reason: "same",
    at: Date.now(),
    ...overrides,
  };
}

/** 50 members x 4 tools at once, alternating between the two instances: 200 rows, 50 per tool. */
export async function gridThroughTwoInstances(
  a: RecommendationStore,
  b: RecommendationStore,
  countRows: () => Promise<number>,
  read: ReadTable,
): Promise<void> {
  const writes = MEMBERS.flatMap((member, m) =>
    TOOLS.map((tool, t) => ((m + t) % 2 === 0 ? a : b).recommend(input(member, tool))),
  );
  const results = await Promise.all(writes);
  expect(results.every((r) => r.outcome === "created")).toBe(true);
  expect(await countRows()).toBe(200);
  for (const store of [a, b]) {
    const tallies = await store.tallies(WS, 10);
    expect(tallies.map((t) => [t.tool, t.members, t.stances.trial]).sort()).toEqual(
      TOOLS.map((tool) => [tool, 50, 50]).sort(),
    );
    for (const tool of TOOLS) expect((await store.forTool(PLACE, tool, 1)).total).toBe(50);
  }
  await expectTalliesMatchRecount(read);
}

/** Every member sends the same recommendation twice at once, once through each instance. */
export async function sameTwiceThroughTwoInstances(
  a: RecommendationStore,
  b: RecommendationStore,
  countRows: () => Promise<number>,
  read: ReadTable,
): Promise<void> {
  const pairs = await Promise.all(
    MEMBERS.map((member) =>
      Promise.all([a.recommend(input(member, "docker")), b.recommend(input(member, "docker"))]),
    ),
  );
  for (const pair of pairs) expect(pair.map((r) => r.outcome).sort()).toEqual(["created", "unchanged"]);
  expect(await countRows()).toBe(50);
  expect((await a.forTool(PLACE, "docker", 1)).total).toBe(50);
  for (const member of MEMBERS.slice(0, 5)) expect(await b.changesSince("test", "W", member, 0)).toBe(1);

  // Two different stances at once: one wins last, the other is the previous stance it reports.
  const racing = await Promise.all(
    MEMBERS.map((member) =>
      Promise.all([
        a.recommend(input(member, "podman", { stance: "adopt" })),
        b.recommend(input(member, "podman", { stance: "hold" })),
      ]),
    ),
  );
  for (const [i, pair] of racing.entries()) {
    const created = pair.find((r) => r.outcome === "created");
    const updated = pair.find((r) => r.outcome === "updated");
    expect(created && updated, JSON.stringify(pair)).toBeTruthy();
    expect(updated?.previousStance).toBe(created?.recommendation.stance);
    const member = MEMBERS[i] ?? "";
    expect((await a.get(PLACE, member, "podman"))?.stance).toBe(updated?.recommendation.stance);
  }
  expect(await countRows()).toBe(100);

  // Two updates of an existing row at once: they form a chain, each seeing the other's result.
  const before = new Map(racing.map((pair, i) => [MEMBERS[i], pair.find((r) => r.outcome === "updated")]));
  const updates = await Promise.all(
    MEMBERS.map((member) =>
      Promise.all([
        a.recommend(input(member, "podman", { stance: "assess" })),
        b.recommend(input(member, "podman", { stance: "trial" })),
      ]),
    ),
  );
  for (const [i, [first, second]] of updates.entries()) {
    const member = MEMBERS[i] ?? "";
    const prior = before.get(member)?.recommendation.stance;
    expect([first?.outcome, second?.outcome]).toEqual(["updated", "updated"]);
    const chain = [first?.previousStance, second?.previousStance];
    const final = (await a.get(PLACE, member, "podman"))?.stance;
    // Either assess came first (trial saw assess) or trial did (assess saw trial).
    const valid =
      (chain[0] === prior && chain[1] === "assess" && final === "trial") ||
      (chain[1] === prior && chain[0] === "trial" && final === "assess");
    expect(valid, JSON.stringify({ prior, chain, final })).toBe(true);
  }
  expect(await countRows()).toBe(100);
  await expectTalliesMatchRecount(read);
}

/**
 * One member sends 30 changes at once, alternating between the two instances, with a limit of
 * 10 a minute: exactly 10 go through, whatever the interleaving. First 30 tools (30 rows), then
 * 30 updates of one tool (one row, each with its own reason, so none is "unchanged"), where the
 * writers also race on the row itself.
 */
export async function rateLimitThroughTwoInstances(
  a: RecommendationStore,
  b: RecommendationStore,
  countRows: () => Promise<number>,
): Promise<void> {
  const at = Date.now();
  const limit = { maxChanges: 10, since: at - 60_000 };
  const spread = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      (i % 2 === 0 ? a : b).recommend(input("limited", `tool-${i}`, { at }), limit),
    ),
  );
  expect(spread.filter((r) => r.outcome === "created")).toHaveLength(10);
  expect(spread.filter((r) => r.outcome === "rate_limited")).toHaveLength(20);
  expect(await countRows()).toBe(10);
  expect(await a.changesSince("test", "W", "limited", 0)).toBe(10);

  const oneRow = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      (i % 2 === 0 ? a : b).recommend(input("limited-2", "docker", { at, reason: `take ${i}` }), limit),
    ),
  );
  const through = oneRow.filter((r) => r.outcome !== "rate_limited");
  expect(through).toHaveLength(10);
  expect(through.map((r) => r.outcome).sort()).toEqual(["created", ...Array(9).fill("updated")]);
  expect(await b.changesSince("test", "W", "limited-2", 0)).toBe(10);
  expect(await countRows()).toBe(11);
}

/** Two writer processes write the same 50 x 4 grid at the same moment: each row created once. */
export async function gridFromTwoProcesses(
  target: string,
  open: () => Promise<RecommendationStore>,
  countRows: () => Promise<number>,
  read: ReadTable,
): Promise<void> {
  const lines = await gridWriters(target, ["p1", "p2"]);
  expect(lines).toHaveLength(400);
  const outcomes = new Map<string, string[]>();
  for (const line of lines) {
    const [member, tool, outcome] = line.split(" ");
    const key = `${member} ${tool}`;
    outcomes.set(key, [...(outcomes.get(key) ?? []), outcome ?? ""]);
  }
  expect(outcomes.size).toBe(200);
  for (const list of outcomes.values()) expect(list.sort()).toEqual(["created", "unchanged"]);
  expect(await countRows()).toBe(200);
  const store = await open();
  try {
    const tallies = await store.tallies(WS, 10);
    expect(tallies.map((t) => [t.tool, t.members]).sort()).toEqual(TOOLS.map((tool) => [tool, 50]).sort());
    expect(await store.changesSince("test", "W", "m7", 0)).toBe(4);
  } finally {
    await store.close();
  }
  await expectTalliesMatchRecount(read);
}

/** What the store must answer in a workspace and in each channel, from a recount. */
export async function expectAnswersMatchRecount(
  store: RecommendationStore,
  expected: ReturnType<typeof recountTallies>,
  ws: { platform: string; workspace: string },
  channels: readonly string[],
  tools: readonly string[],
): Promise<void> {
  const inWs = <T extends { platform: string; workspace: string }>(r: T) =>
    r.platform === ws.platform && r.workspace === ws.workspace;
  expect(await store.tallies(ws, 100)).toEqual(expectedTallies(expected.workspace.filter(inWs)));
  for (const channel of channels) {
    const here = { ...ws, channel };
    expect(await store.tallies(here, 100)).toEqual(
      expectedTallies(expected.channel.filter((r) => inWs(r) && r.channel === channel)),
    );
    for (const tool of tools) {
      const tally = expected.channel.find((r) => inWs(r) && r.channel === channel && r.tool === tool);
      expect((await store.forTool(here, tool, 0)).total).toBe(tally?.members ?? 0);
    }
  }
  for (const tool of tools) {
    const tally = expected.workspace.find((r) => inWs(r) && r.tool === tool);
    const { stances, latest } = await store.forTool(ws, tool, 1000);
    expect(stances).toEqual(Object.fromEntries(STANCES.map((s) => [s, tally?.[s] ?? 0])));
    expect(latest).toHaveLength(expected.live.filter((r) => inWs(r) && r.tool === tool).length);
  }
}

/**
 * Rows written straight into `recommendations` (SQL both backends take), as if before the
 * tallies existed: workspace slack/T, members U1-U6 in channels C1-C3, docker and podman, some
 * removed, equal times across channels.
 */
export const HISTORY_SQL = (() => {
  const values: string[] = [];
  for (let m = 1; m <= 6; m++)
    for (const [t, tool] of ["docker", "podman"].entries())
      for (let c = 1; c <= 3; c++) {
        if ((m + c + t) % 3 === 0) continue;
        const stance = STANCES[(m * 3 + c + t) % 4];
        const at = 1000 + ((m * 7 + c * 3 + t) % 5) * 10;
        const removed = (m + c) % 4 === 0 ? `${at + 1}, 'MOD'` : "NULL, NULL";
        values.push(
          `('slack', 'T', 'C${c}', 'U${m}', '${tool}', NULL, '${stance}', NULL, ${at - 5}, ${at}, ${removed})`,
        );
      }
  return `INSERT INTO recommendations (platform, workspace, channel, member, tool, member_name, stance, reason,
  created_at, updated_at, removed_at, removed_by) VALUES
${values.join(",\n")}`;
})();

const RACE_WS = { platform: "test", workspace: "R" };
const RACE_CHANNELS = ["C0", "C1", "C2"];
const RACE_TOOLS = ["docker", "podman", "kind"];
const RACE_MEMBERS = Array.from({ length: 20 }, (_, i) => `r${i}`);

/** A small seeded generator (mulberry32), so a failing race can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * 20 members x 3 tools x 3 channels, three rounds all at once through two instances: creations,
 * stance changes, times that go back and tie across channels, removals, and a second write of the
 * same recommendation through the other instance. A member writing one tool in two channels at
 * once is the race the workspace tallies must survive. After each round the tallies must equal a
 * recount of the rows, and both instances answer what the recount says.
 */
export async function racingAcrossChannels(
  a: RecommendationStore,
  b: RecommendationStore,
  read: ReadTable,
  seed = 1,
): Promise<void> {
  const rand = seeded(seed);
  const T = 1_700_000_000_000;
  for (let round = 0; round < 3; round++) {
    const writes: Promise<unknown>[] = [];
    const write = (store: RecommendationStore, member: string, tool: string, channel: string) => {
      const place = { ...RACE_WS, channel };
      if (round > 0 && rand() < 0.3) {
        writes.push(store.remove({ ...place, member, tool, removedBy: member, at: T + round * 10_000 }));
      } else {
        writes.push(
          store.recommend({
            ...place,
            member,
            memberName: null,
            tool,
            stance: STANCES[Math.floor(rand() * STANCES.length)] ?? "adopt",
            reason: rand() < 0.5 ? null : "why",
            // A few distinct times: ties across channels, and updates that go back in time.
            at: T + Math.floor(rand() * 4) * 1000,
          }),
        );
      }
    };
    for (const member of RACE_MEMBERS)
      for (const tool of RACE_TOOLS)
        for (const channel of RACE_CHANNELS) {
          if (rand() < 0.2) continue;
          const first = rand() < 0.5 ? a : b;
          write(first, member, tool, channel);
          if (rand() < 0.25) write(first === a ? b : a, member, tool, channel);
        }
    await Promise.all(writes);
    const expected = await expectTalliesMatchRecount(read);
    for (const store of [a, b])
      await expectAnswersMatchRecount(store, expected, RACE_WS, RACE_CHANNELS, RACE_TOOLS);
  }
}

/**
 * Two writer processes run the same kind of race at the same moment (see durability-writer.ts,
 * mode spread): the tallies must equal a recount, and a fresh store answer what it says.
 */
export async function spreadFromTwoProcesses(
  target: string,
  open: () => Promise<RecommendationStore>,
  read: ReadTable,
): Promise<void> {
  await spreadWriters(target, ["s1", "s2"]);
  const expected = await expectTalliesMatchRecount(read);
  expect(expected.live.length).toBeGreaterThan(0);
  const store = await open();
  try {
    await expectAnswersMatchRecount(store, expected, RACE_WS, RACE_CHANNELS, RACE_TOOLS);
  } finally {
    await store.close();
  }
}

/** A writer killed with SIGKILL after some confirmations: every confirmed write is there. */
export async function confirmedWritesSurviveKill(
  target: string,
  open: () => Promise<RecommendationStore>,
): Promise<void> {
  const confirmed = await killWriterAfter(target, "d", 40);
  expect(confirmed.length).toBeGreaterThanOrEqual(40);
  const store = await open();
  try {
    for (const i of confirmed) {
      const row = await store.get(PLACE, `d-${i}`, "docker");
      expect(row?.reason, `confirmed write ${i}`).toBe(`confirmed ${i}`);
    }
    expect((await store.forTool(PLACE, "docker", 1)).total).toBeGreaterThanOrEqual(confirmed.length);
  } finally {
    await store.close();
  }
}

/** How many aged change-log rows a backend's test seeds before `expectBatchedPruning`. */
export const PRUNE_BACKLOG = 2 * PRUNE_BATCH + 500;

/**
 * With PRUNE_BACKLOG aged rows in the change log (member ids `old-*`, workspace T on slack):
 * each limited write deletes one batch, and asks for another while a full batch went; once
 * nothing is left, the next prune waits for a window. `left` counts the change-log rows.
 */
export async function expectBatchedPruning(
  store: RecommendationStore,
  left: () => Promise<number>,
): Promise<void> {
  const place = { platform: "slack", workspace: "T", channel: "C" };
  const at = 10_000_000;
  const limit = { maxChanges: 10, since: at - 60_000 };
  const write = (tool: string) =>
    store.recommend(
      { ...place, member: "U1", memberName: null, tool, stance: "adopt", reason: null, at },
      limit,
    );
  await write("a");
  expect(await left()).toBe(PRUNE_BATCH + 500 + 1);
  await write("b"); // a full batch went: again
  expect(await left()).toBe(500 + 2);
  await store.remove({ ...place, member: "U1", tool: "a", removedBy: "U1", at }, limit);
  expect(await left()).toBe(3);
  await write("c"); // nothing left: not before a window
  expect(await left()).toBe(4);
}
