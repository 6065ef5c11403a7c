/** /recommend, /top, /radar and the card and area changes, through the core on the memory store. */
import { beforeEach, describe, expect, it } from "vitest";
import type { Answer } from "../src/answer.js";
import { parseLine } from "../src/commands/parse.js";
import { ringOf } from "../src/commands/top.js";
import { Skilltree } from "../src/core.js";
import type { Member, Place } from "../src/query.js";
import { Recommendations } from "../src/recommendations.js";
import { MemoryStore } from "../src/store/memory.js";
import type { RecommendationStore } from "../src/store/types.js";
import { StoreUnavailableError } from "../src/store/types.js";
import { taxonomy } from "./helpers/core.js";

const general: Place = { platform: "discord", workspace: "guild-1", channel: "general" };
const random: Place = { platform: "discord", workspace: "guild-1", channel: "random" };
const alice: Member = { id: "U1", name: "alice" };
const bob: Member = { id: "U2", name: "bob" };
const mod: Member = { id: "M1", name: "mod" };

let now = 1_700_000_000_000;
let store: RecommendationStore;
let core: Skilltree;

function make(storeImpl: RecommendationStore) {
  return new Skilltree(taxonomy(), {
    defaultLocale: "en",
    recommendations: new Recommendations(storeImpl, {
      moderators: new Set(["M1"]),
      rateLimit: { changes: 10, windowMs: 60_000 },
      now: () => now,
    }),
  });
}

beforeEach(() => {
  now += 3_600_000;
  store = new MemoryStore();
  core = make(store);
});

const say = (
  line: string,
  member: Member = alice,
  place: Place = general,
  locale?: "en" | "zh-CN",
): Promise<Answer> => core.answer({ ...parseLine(line), member, place, ...(locale ? { locale } : {}) });

describe("/recommend", () => {
  it("records a new recommendation with the default stance adopt", async () => {
    const answer = await say("/recommend calico");
    expect(answer).toMatchObject({
      kind: "recommend",
      recorded: { tool: "calico", stance: "adopt", outcome: "created" },
    });
    expect(answer.title).toBe("Recorded: you recommend Calico");
    expect(await store.get(general, "U1", "calico")).toMatchObject({
      stance: "adopt",
      reason: null,
      memberName: "alice",
    });
  });

  it("parses tool names with spaces, the stance and the reason", async () => {
    const answer = await say("/recommend open vswitch trial works well with OVN");
    expect(answer.recorded).toMatchObject({ tool: "open-vswitch", stance: "trial" });
    expect((await store.get(general, "U1", "open-vswitch"))?.reason).toBe("works well with OVN");
  });

  it("updates stance and reason when sent again, and says what changed", async () => {
    await say("/recommend calico trial fine");
    const answer = await say("/recommend calico adopt in prod now");
    expect(answer.recorded?.outcome).toBe("updated");
    expect(JSON.stringify(answer.blocks)).toMatch(/Changed from trial/);
    expect(await store.tallies({ ...general }, 10)).toMatchObject([{ tool: "calico", members: 1 }]);
  });

  it("says unchanged for the same recommendation again", async () => {
    await say("/recommend calico adopt x");
    expect((await say("/recommend calico adopt x")).recorded?.outcome).toBe("unchanged");
  });

  it("retracts your own with remove", async () => {
    await say("/recommend calico");
    const answer = await say("/recommend calico remove");
    expect(answer).toMatchObject({ kind: "recommend", recorded: { stance: "removed" } });
    expect(await store.get(general, "U1", "calico")).toBeNull();
    expect((await say("/recommend calico remove")).error?.code).toBe("bad_option");
  });

  it("records nothing for an unknown or ambiguous tool and offers suggestions", async () => {
    expect((await say("/recommend zzqqxx adopt")).kind).toBe("not_found");
    expect((await say("/recommend photon adopt")).kind).toBe("disambiguation");
    expect((await say("/recommend kibana")).error?.code).toBe("bad_option");
    expect(await store.tallies({ ...general }, 10)).toEqual([]);
  });

  it("records nothing for a typo, and says which tool and what to send", async () => {
    const answer = await say("/recommend calcio trial");
    expect(answer).toMatchObject({
      kind: "not_found",
      title: "No exact match for “calcio”",
      notice: "Nothing was recorded.",
      candidates: [{ id: "calico" }],
    });
    expect(JSON.stringify(answer.blocks)).toMatch(
      /did you mean Calico\? To recommend it, send: \/recommend calico trial/,
    );
    // One click records the stance the member chose.
    expect(answer.actions).toContainEqual(
      expect.objectContaining({ type: "recommend_stance", id: "calico", stance: "trial" }),
    );
    const withReason = await say("/recommend calcio trial runs well");
    expect(JSON.stringify(withReason.blocks)).toMatch(/send: \/recommend calico trial runs well/);
    expect(await store.get(general, "U1", "calico")).toBeNull();
    expect(await store.tallies({ ...general }, 10)).toEqual([]);
  });

  it("says a reason needs a stance before it, and records nothing", async () => {
    const answer = await say("/recommend calico great tool");
    expect(answer.error?.code).toBe("bad_option");
    expect(answer.error?.message).toBe(
      "Nothing was recorded: a reason comes after a stance (adopt, trial, assess or hold). Did you mean: /recommend calico adopt great tool",
    );
    const zh = await say("/recommend open vswitch 很好用", alice, general, "zh-CN");
    expect(zh.error?.message).toMatch(
      /^未记录任何推荐：理由要写在立场.*\/recommend open-vswitch adopt 很好用$/,
    );
    expect(await store.tallies({ ...general }, 10)).toEqual([]);
  });

  it("says Recorded, not Updated, when recommending again after a removal", async () => {
    await say("/recommend calico trial");
    await say("/recommend calico remove");
    const again = await say("/recommend calico adopt");
    expect(again.title).toBe("Recorded: you recommend Calico");
    expect(again.recorded).toMatchObject({ stance: "adopt", outcome: "created" });
    expect(JSON.stringify(again.blocks)).not.toMatch(/Changed from/);
  });

  it("still says Recorded when only the count after the write fails", async () => {
    const errors: unknown[] = [];
    const flaky: RecommendationStore = new Proxy(new MemoryStore(), {
      get(target, prop) {
        if (prop === "forTool") return () => Promise.reject(new StoreUnavailableError("read timeout"));
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const answer = await new Skilltree(taxonomy(), {
      defaultLocale: "en",
      recommendations: new Recommendations(flaky),
      onError: (e) => errors.push(e),
    }).answer({ ...parseLine("/recommend calico trial"), member: alice, place: general });
    expect(answer.title).toBe("Recorded: you recommend Calico");
    expect(answer.recorded?.outcome).toBe("created");
    expect(JSON.stringify(answer.blocks)).not.toMatch(/recommends? it/);
    expect(await flaky.get(general, "U1", "calico")).toMatchObject({ stance: "trial" });
    expect(errors).toHaveLength(1);
  });

  it("refuses a reason over 280 characters and records nothing", async () => {
    const answer = await say(`/recommend calico adopt ${"x".repeat(281)}`);
    expect(answer.error).toMatchObject({ code: "input_too_long", message: expect.stringMatching(/280/) });
    expect(await store.get(general, "U1", "calico")).toBeNull();
    expect((await say(`/recommend calico adopt ${"好".repeat(280)}`)).recorded?.outcome).toBe("created");
  });

  it("stores a reason as given, pings and markup included (renderers escape it)", async () => {
    await say("/recommend calico adopt @everyone <!channel> <script>，全角");
    expect((await store.get(general, "U1", "calico"))?.reason).toBe("@everyone <!channel> <script>，全角");
  });

  it("rejects an unknown stance with the list of valid ones", async () => {
    const answer = await core.answer({
      command: "recommend",
      args: { tool: "calico", stance: "love" },
      member: alice,
      place: general,
    });
    expect(answer.error?.message).toMatch(/adopt, trial, assess, hold, remove/);
  });

  it("rate-limits a member's changes and says when to retry", async () => {
    const tools = [
      "calico",
      "flannel",
      "weave",
      "romana",
      "canal",
      "pipework",
      "libnetwork",
      "open-vswitch",
      "docker",
      "lxc",
    ];
    for (const tool of tools) expect((await say(`/recommend ${tool}`)).kind).toBe("recommend");
    const limited = await say("/recommend gvisor");
    expect(limited.error).toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/Try again in 60 seconds/),
    });
    expect(await store.get(general, "U1", "gvisor")).toBeNull();
    expect((await say("/recommend gvisor", bob)).kind).toBe("recommend"); // others are not limited
    now += 61_000;
    expect((await say("/recommend gvisor")).kind).toBe("recommend");
  });

  it("lets moderators remove someone else's recommendation, and no one else", async () => {
    await say("/recommend calico adopt", bob);
    expect((await say("/recommend calico remove <@U2>", alice)).error?.code).toBe("forbidden");
    const removed = await say("/recommend calico remove <@U2>", mod);
    expect(removed.title).toBe("Removed U2's recommendation of Calico");
    expect(await store.get(general, "U2", "calico")).toBeNull();
    // A platform moderator (Manage Messages, Slack admin) needs no config entry.
    await say("/recommend flannel adopt", bob);
    const platformMod = await say("/recommend flannel remove U2", { id: "X9", isModerator: true });
    expect(platformMod.recorded?.stance).toBe("removed");
  });

  it("answers in Chinese", async () => {
    const answer = await say("/recommend calico trial 很好用", alice, general);
    expect(answer.locale).toBe("zh-CN");
    expect(answer.title).toBe("已记录：你推荐 Calico");
  });
});

describe("the tool card and area list show the channel's recommendations", () => {
  it("shows counts by stance and the latest reasons with who gave them", async () => {
    await say("/recommend calico adopt runs prod", alice);
    now += 1000;
    await say("/recommend calico trial lab only", bob);
    await say("/recommend calico hold", mod, random);
    const card = await say("/tool calico");
    expect(card.recommendations).toMatchObject({
      total: 2,
      stances: { adopt: 1, trial: 1, assess: 0, hold: 0 },
    });
    expect(card.recommendations?.latest.map((r) => r.member)).toEqual(["bob", "alice"]);
    expect(JSON.stringify(card.blocks)).toMatch(/bob \(trial\): lab only/);
    expect(card.actions[0]).toMatchObject({ type: "recommend", id: "calico" });
  });

  it("orders and badges an area's tools by this channel's recommendations", async () => {
    await say("/recommend weave hold", alice);
    await say("/recommend weave hold", bob);
    await say("/recommend flannel adopt", alice);
    const area = await say("/skilltree networking");
    const list = area.blocks.find((b) => b.type === "list" && b.heading === "Tools");
    expect(list?.type === "list" && list.items.slice(0, 3).map((i) => [i.id, i.recommendations])).toEqual([
      ["weave", 2],
      ["flannel", 1],
      ["libnetwork", undefined],
    ]);
  });

  it("names each area's channel favourite in the overview", async () => {
    await say("/recommend calico", alice);
    await say("/recommend calico", bob);
    await say("/recommend flannel", mod);
    const overview = await say("/skilltree");
    expect(JSON.stringify(overview.blocks)).toMatch(/favourite here: Calico \(2\)/);
  });
});

describe("/top and /radar", () => {
  beforeEach(async () => {
    await say("/recommend calico adopt", alice);
    await say("/recommend calico trial", bob);
    await say("/recommend kubernetes adopt", alice);
    await say("/recommend weave hold", bob, random);
    await say("/recommend calico adopt", mod, random);
  });

  it("ranks the channel's tools, optionally within an area", async () => {
    const top = await say("/top");
    expect(top.leaderboard?.tools.map((t) => [t.id, t.members])).toEqual([
      ["calico", 2],
      ["kubernetes", 1],
    ]);
    const net = await say("/top networking");
    expect(net.leaderboard).toMatchObject({ area: "networking", tools: [{ id: "calico" }] });
  });

  it("sums the workspace, counting each member once per tool", async () => {
    const top = await say("/top workspace");
    expect(top.leaderboard?.scope).toBe("workspace");
    expect(top.leaderboard?.tools.map((t) => [t.id, t.members])).toEqual([
      ["calico", 3],
      ["kubernetes", 1],
      ["weave", 1],
    ]);
  });

  it("places tools in radar rings, ties going to the more cautious ring", async () => {
    const radar = await say("/radar");
    expect(radar.radar?.rings.trial.map((e) => e.id)).toEqual(["calico"]); // 1 adopt, 1 trial: a tie
    expect(radar.radar?.rings.adopt.map((e) => e.id)).toEqual(["kubernetes"]);
    const workspace = await say("/radar workspace");
    expect(workspace.radar?.rings.adopt.map((e) => e.id)).toEqual(
      expect.arrayContaining(["calico", "kubernetes"]),
    );
    expect(workspace.radar?.rings.hold.map((e) => e.id)).toEqual(["weave"]);
    expect(ringOf({ adopt: 2, trial: 2, assess: 0, hold: 0 })).toBe("trial");
    expect(ringOf({ adopt: 1, trial: 0, assess: 0, hold: 1 })).toBe("hold");
    expect(ringOf({ adopt: 3, trial: 1, assess: 1, hold: 1 })).toBe("adopt");
  });

  it("takes the area and the scope in either order", async () => {
    for (const line of ["/top workspace networking", "/top networking workspace"]) {
      const answer = await say(line);
      expect(answer.leaderboard, line).toMatchObject({ scope: "workspace", area: "networking" });
      expect(
        answer.leaderboard?.tools.map((t) => [t.id, t.members]),
        line,
      ).toEqual([
        ["calico", 3],
        ["weave", 1],
      ]);
    }
    expect((await say("/top workspace service discovery")).leaderboard).toMatchObject({
      scope: "workspace",
      area: "service-discovery",
    });
  });

  it.each([
    ["/radar everywhere", "“everywhere”"],
    ["/radar workspace extra", "“workspace extra”"],
    ["/radar channel channel", "“channel channel”"],
    ["/top networking everywhere", "“everywhere”"],
    ["/top channel workspace", "“channel workspa⋯”"],
    ["/top networking workspace extra", "“workspace extra”"],
  ])("answers %s with bad_option instead of ignoring words", async (line, quoted) => {
    const answer = await say(line);
    expect(answer.error?.code).toBe("bad_option");
    expect(answer.error?.message).toBe(
      `${quoted} is not a valid choice here. Use one of: channel, workspace.`,
    );
    const zh = await say(line, alice, general, "zh-CN");
    expect(zh.error?.message).toBe(`${quoted}不是有效的选项，可选：channel, workspace。`);
  });

  it("says when there is nothing yet, and rejects a bad scope", async () => {
    expect(JSON.stringify((await say("/top", alice, { ...general, channel: "empty" })).blocks)).toMatch(
      /Be the first/,
    );
    const bad = await core.answer({
      command: "radar",
      args: { scope: "galaxy" },
      member: alice,
      place: general,
    });
    expect(bad.error?.code).toBe("bad_option");
  });
});

describe("when the store is down", () => {
  const down: RecommendationStore = new Proxy(new MemoryStore(), {
    get(target, prop) {
      if (prop === "init" || prop === "close") return Reflect.get(target, prop);
      return () => Promise.reject(new StoreUnavailableError("connect ECONNREFUSED"));
    },
  });

  it("keeps lookups working and says recommendations are unavailable", async () => {
    const errors: unknown[] = [];
    const broken = new Skilltree(taxonomy(), {
      defaultLocale: "en",
      recommendations: new Recommendations(down),
      onError: (e) => errors.push(e),
    });
    const ask = (line: string) => broken.answer({ ...parseLine(line), member: alice, place: general });
    const card = await ask("/tool calico");
    expect(card.kind).toBe("tool");
    expect(card.footer).toMatch(/unavailable right now/);
    expect((await ask("/skilltree networking")).kind).toBe("category");
    for (const line of ["/recommend calico", "/top", "/radar"]) {
      const answer = await ask(line);
      expect(answer.error?.code, line).toBe("unavailable");
      expect(answer.error?.message).toMatch(/Recommendations are unavailable right now; lookups still work/);
    }
    expect(errors.length).toBeGreaterThan(0);
  });
});

describe("the stance picker", () => {
  it("names the command as the platform does", async () => {
    const { answer } = await core.answerAction("st1:rec:calico", {
      syntax: { commandName: (name) => `st-${name}`, oneLine: true },
    });
    expect(JSON.stringify(answer)).toContain("/st-recommend <tool> <stance> <reason>");
  });
});
