/**
 * Scenarios run against every shared-database backend (SQLite file, PostgreSQL): two store
 * instances on one database written at the same time, and writer processes killed mid-stream.
 */
import { expect } from "vitest";
import type { RecommendationStore, RecommendInput } from "../../src/store/types.js";
import { gridWriters, killWriterAfter } from "./writer.js";

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
}

/** Every member sends the same recommendation twice at once, once through each instance. */
export async function sameTwiceThroughTwoInstances(
  a: RecommendationStore,
  b: RecommendationStore,
  countRows: () => Promise<number>,
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
}

/** Two writer processes write the same 50 x 4 grid at the same moment: each row created once. */
export async function gridFromTwoProcesses(
  target: string,
  open: () => Promise<RecommendationStore>,
  countRows: () => Promise<number>,
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
