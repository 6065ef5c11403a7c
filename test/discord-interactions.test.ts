/**
 * The shared interaction handler (both modes) on its own, with an in-memory transport: every
 * tool and area opens itself by button and by suggestion (ids are never read as names), odd
 * payloads are tolerated, an unreadable command is said to be one, and the member's Discord
 * language wins over the text and the default.
 */
import type { APIInteractionResponse } from "discord.js";
import { REST } from "discord.js";
import { describe, expect, it, vi } from "vitest";
import { type HandlerContext, handleInteraction, type Transport } from "../adapters/discord/interactions.js";
import type { Answer } from "../src/answer.js";
import { Skilltree } from "../src/core.js";
import { MemoryStore } from "../src/store/memory.js";
import { taxonomy } from "./helpers/core.js";
import { interaction, type Json, makeCore } from "./helpers/discord-standin.js";

interface Reply {
  type: number;
  data?: {
    flags?: number;
    embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
    components?: { components?: { custom_id?: string }[] }[];
    choices?: { name: string; value: string }[];
  };
}

const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** Sends one payload through the handler and returns its first response. */
function harness(core: Skilltree) {
  const ctx: HandlerContext = { core, logger: silent, deferAfterMs: 2000 };
  return async (payload: Json): Promise<Reply> => {
    const sent: APIInteractionResponse[] = [];
    const transport: Transport = {
      rest: new REST(),
      respond: async (_interaction, body) => {
        sent.push(body);
      },
    };
    expect(await handleInteraction(payload, transport, ctx)).toBe("handled");
    expect(sent).toHaveLength(1);
    return sent[0] as Reply;
  };
}

/** The answers the core gave while `run` ran (answerAction answers through answer()). */
async function answersDuring(core: Skilltree, run: () => Promise<unknown>): Promise<Answer[]> {
  const spy = vi.spyOn(core, "answer");
  try {
    await run();
    return await Promise.all(spy.mock.results.map((r) => r.value as Promise<Answer>));
  } finally {
    spy.mockRestore();
  }
}

const button = (customId: string) => interaction("button-recommend", { data: { custom_id: customId } });
const typed = (command: "tool" | "skilltree", value: string) =>
  interaction(command === "tool" ? "command-tool" : "command-skilltree", {
    options: [{ name: command === "tool" ? "name" : "area", type: 3, value }],
  });
const typing = (command: "tool" | "skilltree", value: string) =>
  interaction("autocomplete-tool", {
    data: { name: command },
    options: [{ name: command === "tool" ? "name" : "area", type: 3, value, focused: true }],
  });

describe("every tool and area opens itself, by button and by suggestion", () => {
  const core = makeCore();
  const ask = harness(core);
  const tools = [...taxonomy().tools.values()];
  const areas = taxonomy().areas;

  it("covers the whole taxonomy: 100 tools and 14 areas", () => {
    expect(tools).toHaveLength(100);
    expect(areas).toHaveLength(14);
  });

  it("each tool id, photon and rancher included", async () => {
    for (const tool of tools) {
      const [byButton] = await answersDuring(core, () => ask(button(`st1:tool:${tool.id}`)));
      expect([tool.id, byButton?.kind, byButton?.tool?.id]).toEqual([tool.id, "tool", tool.id]);

      const suggestions = await ask(typing("tool", tool.name));
      const choice = suggestions.data?.choices?.find((c) => c.value === `id:${tool.id}`);
      expect([tool.id, choice?.name.startsWith(tool.name)]).toEqual([tool.id, true]);
      const [bySuggestion] = await answersDuring(core, () => ask(typed("tool", choice?.value ?? "")));
      expect([tool.id, bySuggestion?.kind, bySuggestion?.tool?.id]).toEqual([tool.id, "tool", tool.id]);
    }
  });

  it("each area id", async () => {
    for (const area of areas) {
      const [byButton] = await answersDuring(core, () => ask(button(`st1:area:${area.id}`)));
      expect([area.id, byButton?.kind, byButton?.category?.id]).toEqual([area.id, "category", area.id]);

      const suggestions = await ask(typing("skilltree", area.name.en));
      const choice = suggestions.data?.choices?.find((c) => c.value === `id:${area.id}`);
      expect([area.id, choice?.name]).toEqual([area.id, area.name.en]);
      const [bySuggestion] = await answersDuring(core, () => ask(typed("skilltree", choice?.value ?? "")));
      expect([area.id, bySuggestion?.kind, bySuggestion?.category?.id]).toEqual([
        area.id,
        "category",
        area.id,
      ]);
    }
  });

  it("typed free text still means every entry it names (photon, rancher)", async () => {
    for (const [name, ids] of [
      ["photon", ["photon", "photon-os"]],
      ["rancher", ["rancher", "rancheros"]],
    ] as const) {
      const [answer] = await answersDuring(core, () => ask(typed("tool", name)));
      expect(answer?.kind).toBe("disambiguation");
      expect(answer?.candidates?.map((c) => c.id)).toEqual(expect.arrayContaining([...ids]));
    }
  });

  it("an id that is gone from the data is tried as a name, and junk ids are a stale button", async () => {
    const [renamed] = await answersDuring(core, () => ask(typed("tool", "id:k8s")));
    expect(renamed?.tool?.id).toBe("kubernetes");
    const stale = await ask(button("st1:tool:Not A Tool!"));
    expect(stale.data?.flags).toBe(64);
    expect(JSON.stringify(stale.data?.embeds)).toContain("This button no longer works");
  });
});

describe("the same ids through the core, as the Slack adapter uses them", () => {
  it("opens, picks a stance for and records Photon and Rancher by id", async () => {
    const store = new MemoryStore();
    const core = makeCore(store);
    const place = { platform: "slack", workspace: "T1", channel: "C1" };
    const who = { member: { id: "U1", name: "alice" }, place };
    expect((await core.answerAction("st1:tool:photon", who)).answer.tool?.id).toBe("photon");
    expect((await core.answerAction("st1:tool:rancher", who)).answer.tool?.id).toBe("rancher");
    expect((await core.answerAction("st1:area:engines", who)).answer.category?.id).toBe("engines");
    const picker = (await core.answerAction("st1:rec:photon", who)).answer;
    expect(picker.actions.map((a) => (a.type === "recommend_stance" ? a.id : a.type))).toContain("photon");
    const recorded = (await core.answerAction("st1:recs:photon:adopt", who)).answer;
    expect(recorded.recorded).toMatchObject({ tool: "photon", stance: "adopt", outcome: "created" });
    await core.answerAction("st1:recs:rancher:hold", who);
    expect(await store.get(place, "U1", "rancher")).toMatchObject({ stance: "hold" });
    // Paging a card opened by id keeps the id.
    const page = await core.answerAction("st1:page:tool:0:id:photon", who);
    expect(page.answer.tool?.id).toBe("photon");
  });
});

describe("payloads: strict where it matters, tolerant elsewhere", () => {
  const ask = harness(makeCore());

  it("tolerates a member without a user, invokers without users, long locales and unknown fields", async () => {
    const odd = interaction("command-tool", { locale: `en-${"x".repeat(40)}` });
    delete (odd.member as Json).user;
    odd.brand_new_field = { anything: [1, 2, 3] };
    const reply = await ask(odd);
    expect(reply.type).toBe(4);
    expect(reply.data?.embeds?.[0]?.title).toBe("🟢 Calico");

    const click = interaction("select-area");
    const message = click.message as Json;
    message.interaction_metadata = { id: "1", type: 2 };
    message.interaction = { id: "1", user: "not an object" };
    message.flags = "sixty-four";
    const clicked = await ask(click);
    expect(clicked.type).toBe(4);
    expect(clicked.data?.embeds?.[0]?.title).toMatch(/^Container networking/);
  });

  it("answers an unreadable command with a clear private error in the member's language", async () => {
    const noData = interaction("malformed-command-no-data");
    const reply = await ask(noData);
    expect(reply.type).toBe(4);
    expect(reply.data?.flags).toBe(64);
    const text = JSON.stringify(reply.data?.embeds);
    expect(text).toContain("I couldn't read this command");
    expect(text).not.toContain("There is no command");

    const zh = await ask(interaction("malformed-command-no-data", { locale: "zh-CN" }));
    expect(JSON.stringify(zh.data?.embeds)).toContain("无法读取这条命令");

    const badOptions = await ask(interaction("command-tool", { data: { options: "calico" } }));
    expect(JSON.stringify(badOptions.data?.embeds)).toContain("I couldn't read this command");

    // A readable command that does not exist is still called by its name.
    const unknown = await ask(interaction("command-tool", { data: { name: "nope" } }));
    expect(JSON.stringify(unknown.data?.embeds)).toContain("There is no command “/nope”");
  });

  it("still refuses what is not an interaction: no id, token, type or application id", async () => {
    const ctx: HandlerContext = { core: makeCore(), logger: silent, deferAfterMs: 2000 };
    const transport: Transport = { rest: new REST(), respond: async () => {} };
    for (const field of ["id", "token", "type", "application_id"]) {
      const payload = interaction("command-tool");
      delete payload[field];
      expect([field, await handleInteraction(payload, transport, ctx)]).toEqual([field, "invalid"]);
    }
  });
});

describe("the answer language", () => {
  const zhDefault = new Skilltree(taxonomy(), { defaultLocale: "zh-CN" });
  const ask = harness(zhDefault);
  const fieldNames = (r: Reply) => r.data?.embeds?.[0]?.fields?.map((f) => f.name) ?? [];

  it("is English for an en-US or en-GB member, even with a Chinese default", async () => {
    expect(fieldNames(await ask(interaction("command-tool", { locale: "en-US" })))).toContain("Status");
    expect(fieldNames(await ask(interaction("command-tool", { locale: "en-GB" })))).toContain("Status");
  });

  it("is English for an en-US member who asks in Chinese", async () => {
    const reply = await harness(makeCore())(
      interaction("command-search", { options: [{ name: "query", type: 3, value: "日志收集" }] }),
    );
    const text = JSON.stringify(reply.data?.embeds);
    expect(text).not.toMatch(/搜索/);
    expect(text).toMatch(/Search/);
  });

  it("is Chinese for zh-TW, and the default for a locale without a catalogue", async () => {
    expect(fieldNames(await ask(interaction("command-tool", { locale: "zh-TW" })))).toContain("状态");
    expect(fieldNames(await ask(interaction("command-tool", { locale: "ja" })))).toContain("状态");
    const en = harness(makeCore());
    expect(fieldNames(await en(interaction("command-tool", { locale: "ja" })))).toContain("Status");
  });

  it("labels suggestions in the member's language", async () => {
    const reply = await ask(typing("skilltree", "network"));
    expect(reply.data?.choices?.[0]?.value).toBe("id:networking");
    expect(reply.data?.choices?.[0]?.name).toMatch(/^Container networking/);
    const zh = await ask({ ...typing("skilltree", "network"), locale: "zh-CN" });
    expect(zh.data?.choices?.[0]?.value).toBe("id:networking");
    expect(zh.data?.choices?.[0]?.name).toMatch(/[\u4e00-\u9fff]/);
  });
});
