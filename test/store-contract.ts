/**
 * The RecommendationStore contract: one suite every backend passes (memory, SQLite, PostgreSQL).
 * memory.ts is the reference; a backend that differs from it on any of these is wrong.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { MemoryStore } from "../src/store/memory.js";
import {
  emptyCounts,
  type Place,
  type RateLimit,
  type RecommendationStore,
  type RecommendInput,
  type RemoveInput,
  STANCES,
  type StanceCounts,
} from "../src/store/types.js";
import { seeded } from "./helpers/store-scenarios.js";

const HERE: Place = { platform: "slack", workspace: "T1", channel: "C1" };
const THERE: Place = { ...HERE, channel: "C2" };
const T0 = 1_700_000_000_000;

function rec(overrides: Partial<RecommendInput> = {}): RecommendInput {
  return {
    ...HERE,
    member: "U1",
    memberName: "Ada",
    tool: "docker",
    stance: "adopt",
    reason: null,
    at: T0,
    ...overrides,
  };
}

function removal(overrides: Partial<RemoveInput> = {}): RemoveInput {
  return { ...HERE, member: "U1", tool: "docker", removedBy: "U1", at: T0 + 1000, ...overrides };
}

/** A limit of `maxChanges` in the minute before `at` (both ends counted). */
function perMinute(maxChanges: number, at: number): RateLimit {
  return { maxChanges, since: at - 60_000 };
}

function counts(partial: Partial<StanceCounts>): StanceCounts {
  return { ...emptyCounts(), ...partial };
}

/** Reasons stored and returned exactly as given; renderers escape, never the store. */
export const AWKWARD_REASONS = [
  "Fast builds 🚀🐳 and 👩🏽‍💻 ZWJ sequences",
  "<!channel> <!here> <@U123> <#C1|general> & &amp; <b>bold</b>",
  "@everyone @here look at this",
  `${"x".repeat(279)}é`,
  "容器编排的事实标准，生态最完整。",
  "quotes ' \" ` and backslashes \\ \\n (literal) and % _ wildcards; DROP TABLE recommendations; --",
  "  leading and trailing spaces  ",
  "\u00e9 vs e\u0301 (NFC and NFD kept apart)",
  "",
];

export function storeContract(
  name: string,
  makeStore: () => Promise<RecommendationStore>,
  cleanup?: () => Promise<void>,
): void {
  describe(`RecommendationStore contract: ${name}`, () => {
    const open: RecommendationStore[] = [];

    /** A fresh, empty, initialised store; closed after the test. */
    async function fresh(): Promise<RecommendationStore> {
      const store = await makeStore();
      open.push(store);
      await store.init();
      return store;
    }

    /** A fresh store nobody has called init() on. */
    async function uninitialised(): Promise<RecommendationStore> {
      const store = await makeStore();
      open.push(store);
      return store;
    }

    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });

    if (cleanup) afterAll(cleanup);

    describe("init and ping", () => {
      it("can be initialised again and still works", async () => {
        const store = await fresh();
        await store.recommend(rec());
        await store.init();
        await expect(store.ping()).resolves.toBeUndefined();
        expect(await store.get(HERE, "U1", "docker")).not.toBeNull();
      });

      it("initialises itself on first use: every call works without init()", async () => {
        const calls: ((s: RecommendationStore) => Promise<unknown>)[] = [
          (s) => s.ping(),
          (s) => s.recommend(rec()),
          (s) => s.recommend(rec(), perMinute(5, T0)),
          (s) => s.remove(removal()),
          (s) => s.remove(removal(), perMinute(5, T0)),
          (s) => s.removals(HERE),
          (s) => s.get(HERE, "U1", "docker"),
          (s) => s.forTool(HERE, "docker", 3),
          (s) => s.tallies(HERE, 3),
          (s) => s.changesSince("slack", "T1", "U1", 0),
        ];
        for (const call of calls) await call(await uninitialised()); // rejects if it needed init()
        const store = await uninitialised();
        // Several first calls at once.
        await Promise.all([store.recommend(rec()), store.ping(), store.tallies(HERE, 1)]);
        expect(await store.get(HERE, "U1", "docker")).not.toBeNull();
      });

      it("starts empty", async () => {
        const store = await fresh();
        expect(await store.get(HERE, "U1", "docker")).toBeNull();
        expect(await store.tallies({ platform: "slack", workspace: "T1" }, 10)).toEqual([]);
        expect(await store.forTool({ platform: "slack", workspace: "T1" }, "docker", 5)).toEqual({
          stances: emptyCounts(),
          total: 0,
          latest: [],
        });
        expect(await store.changesSince("slack", "T1", "U1", 0)).toBe(0);
        expect(await store.removals({ platform: "slack", workspace: "T1" })).toEqual([]);
      });
    });

    describe("recommend", () => {
      it("creates a recommendation and returns it, with no previous stance", async () => {
        const store = await fresh();
        const result = await store.recommend(rec({ reason: "the standard" }));
        const expected = {
          ...HERE,
          member: "U1",
          memberName: "Ada",
          tool: "docker",
          stance: "adopt",
          reason: "the standard",
          createdAt: T0,
          updatedAt: T0,
        };
        expect(result).toEqual({ outcome: "created", recommendation: expected });
        expect(result).not.toHaveProperty("previousStance");
        expect(await store.get(HERE, "U1", "docker")).toEqual(expected);
      });

      it("keeps a null member name and a null reason as null", async () => {
        const store = await fresh();
        await store.recommend(rec({ memberName: null, reason: null }));
        expect(await store.get(HERE, "U1", "docker")).toMatchObject({ memberName: null, reason: null });
      });

      it("answers unchanged for the same stance and reason again, leaving the times alone", async () => {
        const store = await fresh();
        await store.recommend(rec({ reason: "why" }));
        const again = await store.recommend(rec({ reason: "why", at: T0 + 5000 }));
        expect(again.outcome).toBe("unchanged");
        expect(again).not.toHaveProperty("previousStance");
        expect(again.recommendation).toMatchObject({
          stance: "adopt",
          reason: "why",
          createdAt: T0,
          updatedAt: T0,
        });
        expect(await store.get(HERE, "U1", "docker")).toMatchObject({ updatedAt: T0 });
        expect(await store.changesSince("slack", "T1", "U1", 0)).toBe(1);
      });

      it("treats a null reason sent again as unchanged", async () => {
        const store = await fresh();
        await store.recommend(rec({ reason: null }));
        expect((await store.recommend(rec({ reason: null, at: T0 + 1 }))).outcome).toBe("unchanged");
      });

      it("refreshes the member name on an unchanged recommendation when one is given", async () => {
        const store = await fresh();
        await store.recommend(rec({ memberName: "Ada" }));
        const renamed = await store.recommend(rec({ memberName: "Ada L.", at: T0 + 1 }));
        expect(renamed.outcome).toBe("unchanged");
        expect(renamed.recommendation.memberName).toBe("Ada L.");
        expect((await store.get(HERE, "U1", "docker"))?.memberName).toBe("Ada L.");
        // No name, or an empty one, keeps the known name.
        await store.recommend(rec({ memberName: null, at: T0 + 2 }));
        await store.recommend(rec({ memberName: "", at: T0 + 3 }));
        expect((await store.get(HERE, "U1", "docker"))?.memberName).toBe("Ada L.");
      });

      it("updates a new stance, returning the previous one and keeping createdAt", async () => {
        const store = await fresh();
        await store.recommend(rec({ stance: "trial", reason: "try it" }));
        const result = await store.recommend(rec({ stance: "adopt", reason: "it works", at: T0 + 60_000 }));
        expect(result).toEqual({
          outcome: "updated",
          previousStance: "trial",
          recommendation: expect.objectContaining({
            stance: "adopt",
            reason: "it works",
            createdAt: T0,
            updatedAt: T0 + 60_000,
          }),
        });
        expect(await store.get(HERE, "U1", "docker")).toMatchObject({
          stance: "adopt",
          updatedAt: T0 + 60_000,
        });
      });

      it("counts a changed reason alone as an update (previous stance the same)", async () => {
        const store = await fresh();
        await store.recommend(rec({ reason: null }));
        const withReason = await store.recommend(rec({ reason: "now with a reason", at: T0 + 1 }));
        expect(withReason).toMatchObject({ outcome: "updated", previousStance: "adopt" });
        const cleared = await store.recommend(rec({ reason: null, at: T0 + 2 }));
        expect(cleared).toMatchObject({ outcome: "updated", previousStance: "adopt" });
        expect(cleared.recommendation.reason).toBeNull();
      });

      it("keeps the known member name on an update that gives none", async () => {
        const store = await fresh();
        await store.recommend(rec({ memberName: "Ada" }));
        const result = await store.recommend(rec({ memberName: null, stance: "hold", at: T0 + 1 }));
        expect(result.recommendation.memberName).toBe("Ada");
        const named = await store.recommend(rec({ memberName: "Grace", stance: "trial", at: T0 + 2 }));
        expect(named.recommendation.memberName).toBe("Grace");
      });

      it("keys on platform, workspace, channel, member and tool", async () => {
        const store = await fresh();
        const variants: RecommendInput[] = [
          rec(),
          rec({ platform: "discord" }),
          rec({ workspace: "T2" }),
          rec({ channel: "C2" }),
          rec({ member: "U2" }),
          rec({ tool: "podman" }),
        ];
        for (const v of variants) expect((await store.recommend(v)).outcome).toBe("created");
        for (const v of variants)
          expect(await store.get(v, v.member, v.tool)).toMatchObject({ stance: "adopt" });
      });

      it("stores every stance", async () => {
        const store = await fresh();
        for (const stance of ["adopt", "trial", "assess", "hold"] as const) {
          await store.recommend(rec({ tool: `tool-${stance}`, stance }));
          expect((await store.get(HERE, "U1", `tool-${stance}`))?.stance).toBe(stance);
        }
      });

      it("stores reasons byte-exact: emoji, mentions, markup, 280 characters, Chinese", async () => {
        const store = await fresh();
        for (const [i, reason] of AWKWARD_REASONS.entries()) {
          const result = await store.recommend(rec({ member: `U${i}`, reason, at: T0 + i }));
          expect(result.recommendation.reason).toBe(reason);
          const back = await store.get(HERE, `U${i}`, "docker");
          expect(back?.reason).toBe(reason);
          expect(Buffer.from(back?.reason ?? "x").equals(Buffer.from(reason))).toBe(true);
        }
        expect(AWKWARD_REASONS[3]).toHaveLength(280);
        const { latest } = await store.forTool({ platform: "slack", workspace: "T1" }, "docker", 100);
        expect(latest.map((r) => r.reason).sort()).toEqual([...AWKWARD_REASONS].sort());
        // The same reason again is unchanged: compared exactly, not after any normalisation.
        expect(
          (await store.recommend(rec({ member: "U0", reason: AWKWARD_REASONS[0], at: T0 + 99 }))).outcome,
        ).toBe("unchanged");
        const nfc = (AWKWARD_REASONS[7] ?? "").normalize("NFC");
        expect(nfc).not.toBe(AWKWARD_REASONS[7]);
        expect((await store.recommend(rec({ member: "U7", reason: nfc, at: T0 + 99 }))).outcome).toBe(
          "updated",
        );
      });

      it("stores names, members and tools exactly too", async () => {
        const store = await fresh();
        const place = { platform: "discord", workspace: "公会 🐳", channel: "général" };
        await store.recommend(
          rec({ ...place, member: "用户#0001", memberName: "小明 🐳", tool: "k8s.io/kind" }),
        );
        expect(await store.get(place, "用户#0001", "k8s.io/kind")).toMatchObject({
          ...place,
          member: "用户#0001",
          memberName: "小明 🐳",
          tool: "k8s.io/kind",
        });
        expect(await store.get({ ...place, channel: "generale" }, "用户#0001", "k8s.io/kind")).toBeNull();
      });
    });

    describe("remove (soft delete)", () => {
      it("removes a live recommendation once, then answers false", async () => {
        const store = await fresh();
        await store.recommend(rec());
        expect(await store.remove(removal())).toBe(true);
        expect(await store.get(HERE, "U1", "docker")).toBeNull();
        expect(await store.remove(removal({ at: T0 + 2000 }))).toBe(false);
      });

      it("answers false when there was nothing, and logs no change", async () => {
        const store = await fresh();
        expect(await store.remove(removal())).toBe(false);
        await store.recommend(rec({ channel: "C2" }));
        expect(await store.remove(removal())).toBe(false); // another channel's is not this one
        expect(await store.changesSince("slack", "T1", "U1", 0)).toBe(1);
      });

      it("no longer counts a removed recommendation anywhere", async () => {
        const store = await fresh();
        await store.recommend(rec({ member: "U1" }));
        await store.recommend(rec({ member: "U2", at: T0 + 1 }));
        await store.remove(removal({ member: "U1", removedBy: "MOD" }));
        const ws = { platform: "slack", workspace: "T1" };
        expect(await store.tallies(ws, 10)).toEqual([
          { tool: "docker", members: 1, stances: counts({ adopt: 1 }), lastAt: T0 + 1 },
        ]);
        const forTool = await store.forTool({ ...ws, channel: "C1" }, "docker", 10);
        expect(forTool.total).toBe(1);
        expect(forTool.latest.map((r) => r.member)).toEqual(["U2"]);
        await store.remove(removal({ member: "U2", removedBy: "U2" }));
        expect(await store.tallies(ws, 10)).toEqual([]);
        expect(await store.forTool(ws, "docker", 10)).toEqual({
          stances: emptyCounts(),
          total: 0,
          latest: [],
        });
      });

      it("logs the removal against whoever removed it", async () => {
        const store = await fresh();
        await store.recommend(rec({ member: "U1", at: T0 }));
        await store.remove(removal({ member: "U1", removedBy: "MOD", at: T0 + 10 }));
        expect(await store.changesSince("slack", "T1", "MOD", 0)).toBe(1);
        expect(await store.changesSince("slack", "T1", "U1", 0)).toBe(1);
      });

      it("revives on a new recommendation: updated, no previous stance, original createdAt", async () => {
        const store = await fresh();
        await store.recommend(rec({ stance: "trial", memberName: "Ada" }));
        await store.remove(removal({ at: T0 + 10 }));
        const revived = await store.recommend(rec({ stance: "hold", memberName: null, at: T0 + 20 }));
        expect(revived.outcome).toBe("updated");
        expect(revived).not.toHaveProperty("previousStance");
        expect(revived.recommendation).toMatchObject({
          stance: "hold",
          memberName: "Ada",
          createdAt: T0,
          updatedAt: T0 + 20,
        });
        expect(await store.get(HERE, "U1", "docker")).toMatchObject({ stance: "hold" });
        expect((await store.tallies({ platform: "slack", workspace: "T1" }, 10))[0]?.members).toBe(1);
      });

      it("revives with the very same stance and reason as an update, not unchanged", async () => {
        const store = await fresh();
        await store.recommend(rec({ reason: "same" }));
        await store.remove(removal({ at: T0 + 10 }));
        const again = await store.recommend(rec({ reason: "same", at: T0 + 20 }));
        expect(again.outcome).toBe("updated");
        expect(again).not.toHaveProperty("previousStance");
        expect(again.recommendation.updatedAt).toBe(T0 + 20);
        expect(await store.changesSince("slack", "T1", "U1", 0)).toBe(3);
        expect(await store.remove(removal({ at: T0 + 30 }))).toBe(true);
      });
    });

    describe("removals (kept for good)", () => {
      const ws = { platform: "slack", workspace: "T1" };

      it("records who removed whose recommendation, where and when, and keeps it after a re-recommend", async () => {
        const store = await fresh();
        await store.recommend(rec({ stance: "hold", reason: "spam" }));
        expect(await store.remove(removal({ removedBy: "MOD", at: T0 + 10 }))).toBe(true);
        const first = {
          ...HERE,
          member: "U1",
          tool: "docker",
          stance: "hold",
          removedBy: "MOD",
          removedAt: T0 + 10,
        };
        expect(await store.removals(HERE)).toEqual([first]);
        // Recommending again revives the row; the removal stays recorded.
        expect((await store.recommend(rec({ stance: "adopt", at: T0 + 20 }))).outcome).toBe("updated");
        expect(await store.removals(HERE)).toEqual([first]);
        expect(await store.removals(ws, { tool: "docker" })).toEqual([first]);
        // Removed again, by the member this time: both, newest first.
        expect(await store.remove(removal({ removedBy: "U1", at: T0 + 30 }))).toBe(true);
        await store.recommend(rec({ stance: "trial", at: T0 + 40 }));
        expect(await store.removals(ws)).toEqual([
          { ...first, stance: "adopt", removedBy: "U1", removedAt: T0 + 30 },
          first,
        ]);
      });

      it("records nothing when there was nothing to remove", async () => {
        const store = await fresh();
        expect(await store.remove(removal())).toBe(false);
        await store.recommend(rec());
        await store.remove(removal({ at: T0 + 1 }));
        expect(await store.remove(removal({ at: T0 + 2 }))).toBe(false); // already removed
        expect(await store.removals(ws)).toHaveLength(1);
      });

      it("reads a channel's or a workspace's, optionally of one tool, newest first, at most `limit`", async () => {
        const store = await fresh();
        const removed: [Place, string, string, number][] = [
          [HERE, "U1", "docker", T0 + 5],
          [HERE, "U2", "podman", T0 + 3],
          [THERE, "U1", "docker", T0 + 4],
          [{ ...HERE, workspace: "T2" }, "U1", "docker", T0 + 6],
          [{ ...HERE, platform: "discord" }, "U1", "docker", T0 + 7],
        ];
        for (const [place, member, tool, at] of removed) {
          await store.recommend(rec({ ...place, member, tool }));
          await store.remove(removal({ ...place, member, tool, removedBy: "MOD", at }));
        }
        const key = (r: { channel: string; member: string; tool: string }) =>
          `${r.channel} ${r.member} ${r.tool}`;
        expect((await store.removals(ws)).map(key)).toEqual(["C1 U1 docker", "C2 U1 docker", "C1 U2 podman"]);
        expect((await store.removals(HERE)).map(key)).toEqual(["C1 U1 docker", "C1 U2 podman"]);
        expect((await store.removals(ws, { tool: "docker" })).map(key)).toEqual([
          "C1 U1 docker",
          "C2 U1 docker",
        ]);
        expect((await store.removals(THERE, { tool: "docker" })).map(key)).toEqual(["C2 U1 docker"]);
        expect((await store.removals(THERE, { tool: "podman" })).map(key)).toEqual([]);
        expect((await store.removals(ws, { limit: 2 })).map(key)).toEqual(["C1 U1 docker", "C2 U1 docker"]);
        expect(await store.removals(ws, { limit: 0 })).toEqual([]);
        expect(await store.removals({ platform: "slack", workspace: "T2" })).toHaveLength(1);
      });

      it("orders removals made in the same millisecond by the order they were made, latest first", async () => {
        const store = await fresh();
        for (const member of ["U3", "U1", "U2"]) await store.recommend(rec({ member }));
        for (const member of ["U3", "U1", "U2"])
          await store.remove(removal({ member, removedBy: "MOD", at: T0 + 9 }));
        expect((await store.removals(HERE)).map((r) => r.member)).toEqual(["U2", "U1", "U3"]);
      });
    });

    describe("tallies", () => {
      it("counts members per tool and stance in a channel", async () => {
        const store = await fresh();
        await store.recommend(rec({ member: "U1", tool: "docker", stance: "adopt", at: T0 + 1 }));
        await store.recommend(rec({ member: "U2", tool: "docker", stance: "hold", at: T0 + 2 }));
        await store.recommend(rec({ member: "U3", tool: "docker", stance: "adopt", at: T0 + 3 }));
        await store.recommend(rec({ member: "U1", tool: "podman", stance: "trial", at: T0 + 4 }));
        await store.recommend(rec({ ...THERE, member: "U4", tool: "podman", stance: "assess", at: T0 + 5 }));
        expect(await store.tallies(HERE, 10)).toEqual([
          { tool: "docker", members: 3, stances: counts({ adopt: 2, hold: 1 }), lastAt: T0 + 3 },
          { tool: "podman", members: 1, stances: counts({ trial: 1 }), lastAt: T0 + 4 },
        ]);
        expect(await store.tallies(THERE, 10)).toEqual([
          { tool: "podman", members: 1, stances: counts({ assess: 1 }), lastAt: T0 + 5 },
        ]);
      });

      it("counts a member once per tool across the workspace, with their most recent stance", async () => {
        const store = await fresh();
        await store.recommend(rec({ member: "U1", stance: "trial", at: T0 + 10 }));
        await store.recommend(rec({ ...THERE, member: "U1", stance: "hold", at: T0 + 30 }));
        await store.recommend(rec({ ...THERE, member: "U2", stance: "adopt", at: T0 + 20 }));
        const ws = { platform: "slack", workspace: "T1" };
        expect(await store.tallies(ws, 10)).toEqual([
          { tool: "docker", members: 2, stances: counts({ hold: 1, adopt: 1 }), lastAt: T0 + 30 },
        ]);
        // Later, the member's recommendation in the first channel becomes the most recent.
        await store.recommend(rec({ member: "U1", stance: "assess", at: T0 + 40 }));
        expect(await store.tallies(ws, 10)).toEqual([
          { tool: "docker", members: 2, stances: counts({ assess: 1, adopt: 1 }), lastAt: T0 + 40 },
        ]);
        // Each channel still counts its own.
        expect((await store.tallies(THERE, 10))[0]?.stances).toEqual(counts({ hold: 1, adopt: 1 }));
        // Removing the most recent one falls back to the member's other live recommendation.
        await store.remove(removal({ member: "U1", at: T0 + 50 }));
        expect(await store.tallies(ws, 10)).toEqual([
          { tool: "docker", members: 2, stances: counts({ hold: 1, adopt: 1 }), lastAt: T0 + 30 },
        ]);
      });

      it("orders by members, then most recent, then tool name, and applies the limit", async () => {
        const store = await fresh();
        let at = T0;
        const say = (member: string, tool: string, when = ++at) =>
          store.recommend(rec({ member, tool, at: when }));
        await say("U1", "alpha");
        await say("U2", "alpha");
        await say("U1", "beta");
        await say("U2", "beta"); // beta: 2 members, newer than alpha
        await say("U1", "gamma", T0 + 100);
        await say("U1", "delta", T0 + 100); // gamma and delta tie on members and time: by name
        await say("U1", "epsilon", T0 + 50);
        const ws = { platform: "slack", workspace: "T1" };
        const all = await store.tallies(ws, 10);
        expect(all.map((t) => t.tool)).toEqual(["beta", "alpha", "delta", "gamma", "epsilon"]);
        expect((await store.tallies(ws, 3)).map((t) => t.tool)).toEqual(["beta", "alpha", "delta"]);
        expect(await store.tallies(ws, 0)).toEqual([]);
      });

      it("keeps platforms and workspaces apart", async () => {
        const store = await fresh();
        await store.recommend(rec({ member: "U1", at: T0 + 1 }));
        await store.recommend(rec({ platform: "discord", member: "U2", at: T0 + 2 }));
        await store.recommend(rec({ workspace: "T2", member: "U3", stance: "hold", at: T0 + 3 }));
        await store.recommend(rec({ workspace: "T2", member: "U4", stance: "hold", at: T0 + 4 }));
        const tally = (platform: string, workspace: string) => store.tallies({ platform, workspace }, 10);
        expect(await tally("slack", "T1")).toEqual([
          { tool: "docker", members: 1, stances: counts({ adopt: 1 }), lastAt: T0 + 1 },
        ]);
        expect(await tally("discord", "T1")).toEqual([
          { tool: "docker", members: 1, stances: counts({ adopt: 1 }), lastAt: T0 + 2 },
        ]);
        expect(await tally("slack", "T2")).toEqual([
          { tool: "docker", members: 2, stances: counts({ hold: 2 }), lastAt: T0 + 4 },
        ]);
        expect(await tally("discord", "T2")).toEqual([]);
      });
    });

    describe("forTool", () => {
      it("counts stances and lists the latest, newest first, at most `limit`", async () => {
        const store = await fresh();
        await store.recommend(rec({ member: "U1", stance: "adopt", reason: "one", at: T0 + 1 }));
        await store.recommend(rec({ member: "U2", stance: "trial", reason: "two", at: T0 + 3 }));
        await store.recommend(rec({ member: "U3", stance: "adopt", reason: "three", at: T0 + 2 }));
        await store.recommend(rec({ member: "U4", tool: "podman", at: T0 + 4 }));
        const result = await store.forTool(HERE, "docker", 2);
        expect(result.stances).toEqual(counts({ adopt: 2, trial: 1 }));
        expect(result.total).toBe(3);
        expect(result.latest.map((r) => [r.member, r.reason])).toEqual([
          ["U2", "two"],
          ["U3", "three"],
        ]);
        expect(result.latest[0]).toEqual({
          ...HERE,
          member: "U2",
          memberName: "Ada",
          tool: "docker",
          stance: "trial",
          reason: "two",
          createdAt: T0 + 3,
          updatedAt: T0 + 3,
        });
        expect((await store.forTool(HERE, "docker", 10)).latest).toHaveLength(3);
        expect((await store.forTool(HERE, "docker", 0)).latest).toEqual([]);
        expect((await store.forTool(HERE, "docker", 0)).total).toBe(3);
      });

      it("orders the latest by the last change, not by creation", async () => {
        const store = await fresh();
        await store.recommend(rec({ member: "U1", at: T0 + 1 }));
        await store.recommend(rec({ member: "U2", at: T0 + 2 }));
        await store.recommend(rec({ member: "U1", stance: "hold", at: T0 + 3 }));
        const { latest } = await store.forTool(HERE, "docker", 10);
        expect(latest.map((r) => r.member)).toEqual(["U1", "U2"]);
      });

      it("orders latest recommendations made at the same time by channel, then member", async () => {
        const store = await fresh();
        const C3 = { ...HERE, channel: "C3" };
        for (const [place, member] of [
          [THERE, "U1"],
          [HERE, "U3"],
          [C3, "U0"],
          [HERE, "U2"],
          [THERE, "U0"],
        ] as const)
          await store.recommend(rec({ ...place, member, at: T0 + 5 }));
        await store.recommend(rec({ ...C3, member: "U9", at: T0 + 6 }));
        const key = (r: { channel: string; member: string }) => `${r.channel} ${r.member}`;
        const ws = await store.forTool({ platform: "slack", workspace: "T1" }, "docker", 10);
        expect(ws.latest.map(key)).toEqual(["C3 U9", "C1 U2", "C1 U3", "C2 U0", "C2 U1", "C3 U0"]);
        expect(
          (await store.forTool({ platform: "slack", workspace: "T1" }, "docker", 3)).latest.map(key),
        ).toEqual(["C3 U9", "C1 U2", "C1 U3"]);
        expect((await store.forTool(HERE, "docker", 10)).latest.map(key)).toEqual(["C1 U2", "C1 U3"]);
      });

      it("counts a member once across the workspace, but lists each channel's recommendation", async () => {
        const store = await fresh();
        await store.recommend(rec({ member: "U1", stance: "trial", at: T0 + 1 }));
        await store.recommend(rec({ ...THERE, member: "U1", stance: "adopt", at: T0 + 2 }));
        await store.recommend(rec({ ...THERE, member: "U2", stance: "hold", at: T0 + 3 }));
        const ws = await store.forTool({ platform: "slack", workspace: "T1" }, "docker", 10);
        expect(ws.stances).toEqual(counts({ adopt: 1, hold: 1 }));
        expect(ws.total).toBe(2);
        expect(ws.latest.map((r) => [r.channel, r.member])).toEqual([
          ["C2", "U2"],
          ["C2", "U1"],
          ["C1", "U1"],
        ]);
        const here = await store.forTool(HERE, "docker", 10);
        expect(here.stances).toEqual(counts({ trial: 1 }));
        expect(here.latest.map((r) => r.member)).toEqual(["U1"]);
      });

      it("answers zero for a tool nobody recommended, and keeps workspaces apart", async () => {
        const store = await fresh();
        await store.recommend(rec({ workspace: "T2" }));
        await store.recommend(rec({ platform: "discord" }));
        expect(await store.forTool(HERE, "docker", 5)).toEqual({
          stances: emptyCounts(),
          total: 0,
          latest: [],
        });
        expect(await store.forTool({ ...HERE, workspace: "T2" }, "podman", 5)).toEqual({
          stances: emptyCounts(),
          total: 0,
          latest: [],
        });
        expect((await store.forTool({ platform: "discord", workspace: "T1" }, "docker", 5)).total).toBe(1);
      });
    });

    describe("tallies and forTool as rows change (kept tallies)", () => {
      const ws = { platform: "slack", workspace: "T1" };

      it("on equal times across channels, counts the member's recommendation in the channel first by name", async () => {
        const store = await fresh();
        await store.recommend(rec({ ...THERE, member: "U1", stance: "hold", at: T0 + 5 }));
        await store.recommend(rec({ member: "U1", stance: "trial", at: T0 + 5 }));
        expect(await store.tallies(ws, 10)).toEqual([
          { tool: "docker", members: 1, stances: counts({ trial: 1 }), lastAt: T0 + 5 },
        ]);
        expect((await store.forTool(ws, "docker", 0)).stances).toEqual(counts({ trial: 1 }));
        await store.remove(removal({ member: "U1", at: T0 + 6 }));
        expect((await store.tallies(ws, 10))[0]?.stances).toEqual(counts({ hold: 1 }));
      });

      it("breaks a tie cut by the limit on the tool name as the reference does, not by byte order", async () => {
        const store = await fresh();
        // Byte order would put "Beta" and "Gamma" before "alpha"; the reference compares names
        // with localeCompare: alpha, Beta, delta, Gamma.
        for (const tool of ["Gamma", "delta", "Beta", "alpha"])
          await store.recommend(rec({ tool, at: T0 + 7 }));
        await store.recommend(rec({ member: "U2", tool: "zeta", at: T0 + 1 }));
        await store.recommend(rec({ member: "U3", tool: "zeta", at: T0 + 2 }));
        for (const scope of [ws, HERE]) {
          expect((await store.tallies(scope, 1)).map((t) => t.tool)).toEqual(["zeta"]);
          expect((await store.tallies(scope, 2)).map((t) => t.tool)).toEqual(["zeta", "alpha"]);
          expect((await store.tallies(scope, 3)).map((t) => t.tool)).toEqual(["zeta", "alpha", "Beta"]);
          expect((await store.tallies(scope, 5)).map((t) => t.tool)).toEqual([
            "zeta",
            "alpha",
            "Beta",
            "delta",
            "Gamma",
          ]);
        }
      });

      it("moves a member's latest to their other channel when an update goes back in time", async () => {
        const store = await fresh();
        await store.recommend(rec({ member: "U1", stance: "adopt", at: T0 + 10 }));
        await store.recommend(rec({ ...THERE, member: "U1", stance: "hold", at: T0 + 20 }));
        expect((await store.tallies(ws, 10))[0]).toMatchObject({
          stances: counts({ hold: 1 }),
          lastAt: T0 + 20,
        });
        // The caller's clock went back: the update in THERE is now the older one.
        await store.recommend(rec({ ...THERE, member: "U1", stance: "trial", at: T0 + 5 }));
        expect(await store.tallies(ws, 10)).toEqual([
          { tool: "docker", members: 1, stances: counts({ adopt: 1 }), lastAt: T0 + 10 },
        ]);
        expect(await store.tallies(THERE, 10)).toEqual([
          { tool: "docker", members: 1, stances: counts({ trial: 1 }), lastAt: T0 + 5 },
        ]);
        expect((await store.forTool(ws, "docker", 10)).latest.map((r) => r.channel)).toEqual(["C1", "C2"]);
      });

      it("lowers lastAt when the newest recommendation is removed, in both scopes", async () => {
        const store = await fresh();
        await store.recommend(rec({ member: "U1", at: T0 + 1 }));
        await store.recommend(rec({ member: "U2", at: T0 + 2 }));
        await store.recommend(rec({ ...THERE, member: "U3", at: T0 + 3 }));
        await store.remove(removal({ ...THERE, member: "U3", at: T0 + 9 }));
        expect((await store.tallies(ws, 10))[0]).toMatchObject({ members: 2, lastAt: T0 + 2 });
        expect(await store.tallies(THERE, 10)).toEqual([]);
        await store.remove(removal({ member: "U2", at: T0 + 10 }));
        expect((await store.tallies(HERE, 10))[0]).toMatchObject({ members: 1, lastAt: T0 + 1 });
        expect((await store.tallies(ws, 10))[0]).toMatchObject({ members: 1, lastAt: T0 + 1 });
      });

      it("follows removals and revivals of a member's recommendations in several channels", async () => {
        const store = await fresh();
        const C3 = { ...HERE, channel: "C3" };
        await store.recommend(rec({ member: "U1", stance: "adopt", at: T0 + 1 }));
        await store.recommend(rec({ ...THERE, member: "U1", stance: "trial", at: T0 + 2 }));
        await store.recommend(rec({ ...C3, member: "U1", stance: "assess", at: T0 + 3 }));
        await store.recommend(rec({ member: "U2", stance: "hold", at: T0 + 4 }));
        const wsCounts = async () => (await store.forTool(ws, "docker", 0)).stances;
        expect(await wsCounts()).toEqual(counts({ assess: 1, hold: 1 }));
        await store.remove(removal({ ...C3, member: "U1", at: T0 + 5 }));
        expect(await wsCounts()).toEqual(counts({ trial: 1, hold: 1 }));
        await store.remove(removal({ ...THERE, member: "U1", at: T0 + 6 }));
        expect(await wsCounts()).toEqual(counts({ adopt: 1, hold: 1 }));
        await store.remove(removal({ member: "U1", at: T0 + 7 }));
        expect(await wsCounts()).toEqual(counts({ hold: 1 }));
        // Revived in C3 with a new time: that one counts again.
        await store.recommend(rec({ ...C3, member: "U1", stance: "hold", at: T0 + 8 }));
        expect(await wsCounts()).toEqual(counts({ hold: 2 }));
        expect(await store.tallies(ws, 10)).toEqual([
          { tool: "docker", members: 2, stances: counts({ hold: 2 }), lastAt: T0 + 8 },
        ]);
        expect((await store.forTool(C3, "docker", 5)).total).toBe(1);
        expect((await store.forTool(HERE, "docker", 5)).stances).toEqual(counts({ hold: 1 }));
      });

      it("answers as the reference store after random histories", async () => {
        const store = await fresh();
        const reference = new MemoryStore();
        const channels = ["C1", "C2", "C3"];
        const members = ["U1", "U2", "U3", "U4"];
        const tools = ["docker", "podman", "kind"];
        for (let run = 0; run < 30; run++) {
          const rand = seeded(run + 1);
          const workspace = `R${run}`;
          const history: string[] = [];
          const one = <T>(items: T[]) => items[Math.floor(rand() * items.length)] as T;
          for (let step = 0; step < 25; step++) {
            const place = { platform: "slack", workspace, channel: one(channels) };
            const [member, tool] = [one(members), one(tools)];
            // A few distinct times: ties, and a clock that goes back.
            const at = T0 + Math.floor(rand() * 6);
            if (rand() < 0.3) {
              const input = { ...place, member, tool, removedBy: member, at };
              history.push(`remove ${JSON.stringify(input)}`);
              expect(await store.remove(input)).toBe(await reference.remove(input));
            } else {
              const input = rec({
                ...place,
                member,
                tool,
                stance: one([...STANCES]),
                reason: one([null, "a"]),
                at,
              });
              history.push(`recommend ${JSON.stringify(input)}`);
              const [got, want] = [await store.recommend(input), await reference.recommend(input)];
              expect(got.outcome, history.join("\n")).toBe(want.outcome);
            }
          }
          const scope = { platform: "slack", workspace };
          const context = `run ${run}:\n${history.join("\n")}`;
          for (const where of [scope, ...channels.map((channel) => ({ ...scope, channel }))]) {
            expect(await store.tallies(where, 100), context).toEqual(await reference.tallies(where, 100));
            expect(await store.tallies(where, 1), context).toEqual(await reference.tallies(where, 1));
            for (const tool of tools) {
              const [got, want] = [
                await store.forTool(where, tool, 100),
                await reference.forTool(where, tool, 100),
              ];
              expect(got.stances, context).toEqual(want.stances);
              expect(got.total, context).toBe(want.total);
              const key = (r: { channel: string; member: string }) => `${r.channel} ${r.member}`;
              expect(got.latest.map(key).sort(), context).toEqual(want.latest.map(key).sort());
              expect(
                got.latest.map((r) => r.updatedAt),
                context,
              ).toEqual(want.latest.map((r) => r.updatedAt));
            }
          }
        }
      });
    });

    describe("rate limit inside the write", () => {
      it("refuses a change past the limit without writing it, and names the oldest change counted", async () => {
        const store = await fresh();
        for (const [i, tool] of ["a", "b", "c"].entries()) {
          const at = T0 + i * 10;
          expect((await store.recommend(rec({ tool, at }), perMinute(3, at))).outcome).toBe("created");
        }
        const refused = await store.recommend(rec({ tool: "d", at: T0 + 30 }), perMinute(3, T0 + 30));
        expect(refused).toEqual({ outcome: "rate_limited", oldestAt: T0 });
        expect(await store.get(HERE, "U1", "d")).toBeNull();
        expect(await store.changesSince("slack", "T1", "U1", 0)).toBe(3);
        // Refused even when it would change nothing; others are not limited.
        expect((await store.recommend(rec({ tool: "a", at: T0 + 31 }), perMinute(3, T0 + 31))).outcome).toBe(
          "rate_limited",
        );
        expect(
          (await store.recommend(rec({ member: "U2", at: T0 + 31 }), perMinute(3, T0 + 31))).outcome,
        ).toBe("created");
        // Once the oldest is out of the window there is room for one more.
        const later = T0 + 60_001;
        expect((await store.recommend(rec({ tool: "d", at: later }), perMinute(3, later))).outcome).toBe(
          "created",
        );
        expect(await store.recommend(rec({ tool: "e", at: later }), perMinute(3, later))).toEqual({
          outcome: "rate_limited",
          oldestAt: T0 + 10,
        });
      });

      it("counts the changes the window holds beyond the limit: the limit-th most recent must leave it", async () => {
        const store = await fresh();
        for (let i = 0; i < 5; i++) await store.recommend(rec({ tool: `t${i}`, at: T0 + i })); // no limit
        expect(await store.recommend(rec({ tool: "x", at: T0 + 10 }), perMinute(3, T0 + 10))).toEqual({
          outcome: "rate_limited",
          oldestAt: T0 + 2,
        });
        expect((await store.recommend(rec({ tool: "x", at: T0 + 10 }), perMinute(6, T0 + 10))).outcome).toBe(
          "created",
        );
        const unlimited = { maxChanges: Number.POSITIVE_INFINITY, since: 0 };
        expect((await store.recommend(rec({ tool: "y", at: T0 + 11 }), unlimited)).outcome).toBe("created");
        for (const maxChanges of [0, -1, 1.5, Number.NaN])
          await expect(store.recommend(rec({ tool: "z" }), { maxChanges, since: 0 })).rejects.toThrow(
            RangeError,
          );
        expect(await store.get(HERE, "U1", "z")).toBeNull();
      });

      it("limits removals by whoever removes, and records nothing for a refused one", async () => {
        const store = await fresh();
        await store.recommend(rec({ member: "U1", tool: "a" }));
        await store.recommend(rec({ member: "U2", tool: "a" }));
        expect(
          await store.remove(
            removal({ member: "U1", tool: "a", removedBy: "MOD", at: T0 + 1 }),
            perMinute(1, T0 + 1),
          ),
        ).toBe(true);
        expect(
          await store.remove(
            removal({ member: "U2", tool: "a", removedBy: "MOD", at: T0 + 2 }),
            perMinute(1, T0 + 2),
          ),
        ).toEqual({ outcome: "rate_limited", oldestAt: T0 + 1 });
        expect(await store.get(HERE, "U2", "a")).not.toBeNull();
        expect((await store.removals(HERE)).map((r) => r.member)).toEqual(["U1"]);
        // The removal counted against the moderator, not the member whose it was (U1 has made
        // one change: their recommendation).
        expect(
          (await store.recommend(rec({ member: "U1", tool: "b", at: T0 + 3 }), perMinute(2, T0 + 3))).outcome,
        ).toBe("created");
        expect(
          await store.remove(removal({ member: "U9", removedBy: "U9", at: T0 + 4 }), perMinute(1, T0 + 4)),
        ).toBe(false);
      });

      it("lets exactly `maxChanges` of 30 concurrent changes through", async () => {
        const store = await fresh();
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            store.recommend(rec({ tool: `tool-${i}`, at: T0 + i }), perMinute(10, T0 + 29)),
          ),
        );
        expect(results.filter((r) => r.outcome === "created")).toHaveLength(10);
        expect(results.filter((r) => r.outcome === "rate_limited")).toHaveLength(20);
        expect(await store.changesSince("slack", "T1", "U1", 0)).toBe(10);
        expect((await store.tallies(HERE, 100)).length).toBe(10);
      });

      it("prunes the change log: the first limited write drops what is two windows old, then once a window", async () => {
        const store = await fresh();
        for (const at of [T0 - 200_000, T0 - 100_000, T0 - 1000])
          await store.recommend(rec({ tool: `old-${at}`, at })); // no limit: no pruning
        const count = () => store.changesSince("slack", "T1", "U1", 0);
        expect(await count()).toBe(3);
        await store.recommend(rec({ tool: "now", at: T0 }), perMinute(100, T0)); // cut: T0 - 120 s
        expect(await count()).toBe(3);
        await store.recommend(rec({ tool: "soon", at: T0 + 30_000 }), perMinute(100, T0 + 30_000)); // not yet
        expect(await count()).toBe(4);
        await store.recommend(rec({ tool: "later", at: T0 + 70_000 }), perMinute(100, T0 + 70_000)); // cut: T0 - 50 s
        expect(await count()).toBe(4);
        expect(await store.changesSince("slack", "T1", "U1", T0 - 1000)).toBe(4);
        // Other members' old changes go too.
        await store.recommend(rec({ member: "U2", at: T0 - 500_000 }));
        await store.recommend(rec({ member: "U3", at: T0 + 200_000 }), perMinute(100, T0 + 200_000));
        expect(await store.changesSince("slack", "T1", "U2", 0)).toBe(0);
      });
    });

    describe("changesSince", () => {
      it("counts creations, updates and removals since a time (inclusive), not unchanged ones", async () => {
        const store = await fresh();
        await store.recommend(rec({ tool: "a", at: T0 + 100 })); // created
        await store.recommend(rec({ tool: "a", at: T0 + 200 })); // unchanged: not a change
        await store.recommend(rec({ tool: "a", stance: "hold", at: T0 + 300 })); // updated
        await store.remove(removal({ tool: "a", at: T0 + 400 })); // removed
        await store.remove(removal({ tool: "a", at: T0 + 450 })); // nothing to remove
        await store.recommend(rec({ tool: "a", at: T0 + 500 })); // revived
        await store.recommend(rec({ tool: "b", channel: "C9", at: T0 + 600 })); // other channel counts too
        const since = (t: number) => store.changesSince("slack", "T1", "U1", t);
        expect(await since(0)).toBe(5);
        expect(await since(T0 + 300)).toBe(4);
        expect(await since(T0 + 301)).toBe(3);
        expect(await since(T0 + 600)).toBe(1);
        expect(await since(T0 + 601)).toBe(0);
      });

      it("counts per member, platform and workspace", async () => {
        const store = await fresh();
        await store.recommend(rec({ member: "U1" }));
        await store.recommend(rec({ member: "U2" }));
        await store.recommend(rec({ member: "U1", platform: "discord" }));
        await store.recommend(rec({ member: "U1", workspace: "T2", tool: "a" }));
        await store.recommend(rec({ member: "U1", workspace: "T2", tool: "b" }));
        expect(await store.changesSince("slack", "T1", "U1", 0)).toBe(1);
        expect(await store.changesSince("slack", "T1", "U2", 0)).toBe(1);
        expect(await store.changesSince("discord", "T1", "U1", 0)).toBe(1);
        expect(await store.changesSince("slack", "T2", "U1", 0)).toBe(2);
        expect(await store.changesSince("discord", "T2", "U1", 0)).toBe(0);
      });
    });
  });
}
