/** The micro-cache of lookup answers: reuse within the time to live, and never past a change. */
import { describe, expect, it } from "vitest";
import { AnswerCache } from "../src/answer-cache.js";
import { Skilltree } from "../src/core.js";
import type { Place } from "../src/query.js";
import { Recommendations } from "../src/recommendations.js";
import { MemoryStore } from "../src/store/memory.js";
import { taxonomy } from "./helpers/core.js";

describe("AnswerCache", () => {
  it("reuses a value within the time to live, and computes again after it", async () => {
    let now = 0;
    const cache = new AnswerCache<number>({ ttlMs: 1000, now: () => now });
    let computed = 0;
    const compute = async () => ++computed;
    expect(await cache.get("a", compute)).toBe(1);
    now = 999;
    expect(await cache.get("a", compute)).toBe(1);
    expect(await cache.get("b", compute)).toBe(2);
    now = 1000;
    expect(await cache.get("a", compute)).toBe(3);
  });

  it("shares one computation between concurrent asks", async () => {
    const cache = new AnswerCache<string>({ ttlMs: 1000 });
    let calls = 0;
    let release: (value: string) => void = () => {};
    const compute = () => {
      calls++;
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    };
    const first = cache.get("k", compute);
    const second = cache.get("k", compute);
    release("done");
    expect(await Promise.all([first, second])).toEqual(["done", "done"]);
    expect(calls).toBe(1);
  });

  it("does not keep a failed computation", async () => {
    const cache = new AnswerCache<string>({ ttlMs: 1000 });
    await expect(cache.get("k", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await cache.get("k", async () => "ok")).toBe("ok");
  });

  it("keeps at most maxEntries, dropping the oldest", async () => {
    const cache = new AnswerCache<number>({ ttlMs: 60_000, maxEntries: 3 });
    for (let i = 0; i < 5; i++) await cache.get(`k${i}`, async () => i);
    expect(cache.size).toBe(3);
    expect(await cache.get("k0", async () => -1)).toBe(-1);
    expect(await cache.get("k4", async () => -1)).toBe(4);
  });

  it("computes every time when the time to live is 0", async () => {
    const cache = new AnswerCache<number>({ ttlMs: 0 });
    let computed = 0;
    await cache.get("a", async () => ++computed);
    await cache.get("a", async () => ++computed);
    expect(computed).toBe(2);
    expect(cache.size).toBe(0);
  });
});

describe("Skilltree with an answer cache", () => {
  const general: Place = { platform: "discord", workspace: "g1", channel: "general" };
  const make = () => {
    const store = new MemoryStore();
    const core = new Skilltree(taxonomy(), {
      defaultLocale: "en",
      recommendations: new Recommendations(store),
      answerCacheMs: 60_000,
    });
    return { store, core };
  };
  const card = { command: "tool", args: { name: "calico" }, place: general };

  it("answers a repeated lookup with the same answer", async () => {
    const { core } = make();
    const first = await core.answer(card);
    expect(await core.answer(card)).toBe(first);
    expect(await core.answer({ ...card, place: { ...general, channel: "other" } })).not.toBe(first);
    expect(await core.answer({ ...card, locale: "zh-CN" })).not.toBe(first);
    expect(await core.answer({ ...card, args: { name: "weave" } })).not.toBe(first);
  });

  it("keeps answers apart for platforms that name commands differently", async () => {
    const { core } = make();
    const help = { command: "help", args: {} };
    const plain = await core.answer(help);
    const renamed = { commandName: (name: string) => `st-${name}` };
    const slack = await core.answer({ ...help, syntax: renamed });
    expect(slack).not.toBe(plain);
    expect(JSON.stringify(slack)).toContain("/st-tool");
    expect(await core.answer({ ...help, syntax: renamed })).toBe(slack);
  });

  it("shows this process's own recommendation at once", async () => {
    const { core } = make();
    const before = JSON.stringify(await core.answer(card));
    expect(before).not.toContain("alice");
    const recorded = await core.answer({
      command: "recommend",
      args: { tool: "calico", stance: "adopt", reason: "fast" },
      member: { id: "U1", name: "alice" },
      place: general,
    });
    expect(recorded.kind).not.toBe("error");
    expect(JSON.stringify(await core.answer(card))).toContain("alice");
  });

  it("is emptied by a taxonomy swap", async () => {
    const { core } = make();
    const first = await core.answer(card);
    core.replaceTaxonomy(taxonomy());
    expect(await core.answer(card)).not.toBe(first);
  });

  it("never caches the writing command", async () => {
    const { core, store } = make();
    const recommend = {
      command: "recommend",
      args: { tool: "calico", stance: "trial" },
      member: { id: "U2", name: "bob" },
      place: general,
    };
    const first = await core.answer(recommend);
    await core.answer({ ...recommend, args: { tool: "calico", stance: "hold" } });
    expect(first).not.toBe(await core.answer(recommend));
    expect(await store.get(general, "U2", "calico")).toMatchObject({ stance: "trial" });
  });
});
