/**
 * Gateway mode end to end: the real discord.js Client connects to a local stand-in for Discord
 * (REST and WebSocket gateway on 127.0.0.1), receives recorded INTERACTION_CREATE payloads and
 * answers through REST interaction callbacks, which the stand-in records.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDiscordAdapter, readDiscordConfig } from "../adapters/discord/index.js";
import type { HandledEvent, PlatformAdapter } from "../adapters/types.js";
import { MemoryStore } from "../src/store/memory.js";
import { DiscordStandIn, interaction, type Json, makeCore } from "./helpers/discord-standin.js";

const TOKEN = "MTI5MDAwMDAwMDAwMDAwMDAwMQ.GstAnd.in-token-for-tests-only_0123456789";
const GUILD = "1290000000000000100";
const CHANNEL = "1290000000000000200";
const ALICE = "1290000000000000501";

interface Embed {
  title?: string;
  description?: string;
  color?: number;
  fields?: { name: string; value: string }[];
}
interface Component {
  type: number;
  style?: number;
  label?: string;
  url?: string;
  custom_id?: string;
  options?: { value: string }[];
  components?: Component[];
}
interface Callback {
  type: number;
  data?: {
    embeds?: Embed[];
    components?: Component[];
    allowed_mentions?: unknown;
    flags?: number;
    choices?: { name: string; value: string }[];
  };
}

const flat = (components: Component[] = []): Component[] =>
  components.flatMap((c) => [c, ...flat(c.components)]);

describe("Discord gateway mode (discord.js against a local stand-in)", () => {
  let standIn: DiscordStandIn;
  let adapter: PlatformAdapter;
  const store = new MemoryStore();
  const handled: HandledEvent[] = [];
  const logs: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const log = (level: string) => (fields: Record<string, unknown>, message: string) =>
    logs.push({ level, fields, message });

  const ask = async (payload: Json): Promise<Callback> => {
    standIn.dispatch("INTERACTION_CREATE", payload);
    return (await standIn.callbackOf(payload)) as Callback;
  };

  beforeAll(async () => {
    standIn = await DiscordStandIn.start({ token: TOKEN });
    const config = readDiscordConfig({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: standIn.apiUrl });
    adapter = createDiscordAdapter(
      {
        core: makeCore(store),
        logger: { info: log("info"), warn: log("warn"), error: log("error") },
        onHandled: (event) => handled.push(event),
      },
      config,
    );
    await adapter.start();
  });

  afterAll(async () => {
    await adapter?.stop();
    await standIn?.close();
  });

  it("connects to the stand-in's gateway with the Guilds intent only, and logs an invite link", () => {
    expect(adapter.isReady()).toBe(true);
    expect(adapter.routes).toEqual([]);
    expect(standIn.requests.some((r) => r.method === "GET" && r.path === "/gateway/bot")).toBe(true);
    expect(standIn.identifies).toHaveLength(1);
    expect(standIn.identifies[0]).toMatchObject({ token: TOKEN, intents: 1 });
    expect(standIn.gatewayQueries[0]).toMatch(/v=10/);
    expect(standIn.gatewayQueries[0]).toMatch(/encoding=json/);
    expect(standIn.gatewayQueries[0]).not.toMatch(/compress/);
    const ready = logs.find((l) => l.message.includes("connected"));
    expect(String(ready?.fields.invite)).toMatch(
      /^https:\/\/discord\.com\/oauth2\/authorize\?client_id=1290000000000000001&scope=bot\+applications\.commands&permissions=0$/,
    );
  });

  it("answers /tool with a tool card: colour, fields, link buttons and a Recommend button", async () => {
    const reply = await ask(interaction("command-tool"));
    expect(reply.type).toBe(4);
    expect(reply.data?.flags).toBeUndefined();
    expect(reply.data?.allowed_mentions).toEqual({ parse: [] });
    const embed = reply.data?.embeds?.[0];
    expect(embed?.title).toBe("🟢 Calico");
    expect(embed?.color).toBe(0x1abc9c);
    expect(embed?.fields?.map((f) => f.name)).toEqual(
      expect.arrayContaining(["Area", "Status", "Licence", "Recommended in this channel"]),
    );
    const components = flat(reply.data?.components);
    const links = components.filter((c) => c.style === 5).map((c) => c.url);
    expect(links).toEqual([
      "https://www.tigera.io/project-calico/",
      "https://github.com/projectcalico/calico",
    ]);
    expect(components.find((c) => c.custom_id === "st1:rec:calico")).toMatchObject({ type: 2, style: 1 });
    expect(components.find((c) => c.custom_id === "st1:area:networking")).toBeDefined();
  });

  it("autocompletes a tool name in time, Calico first for 'cal', at most 25 choices", async () => {
    const started = performance.now();
    const reply = await ask(interaction("autocomplete-tool"));
    expect(performance.now() - started).toBeLessThan(1500);
    expect(reply.type).toBe(8);
    expect(reply.data?.choices?.length).toBeGreaterThan(0);
    expect(reply.data?.choices?.length).toBeLessThanOrEqual(25);
    // The value names the entry by id: the core resolves it to Calico alone.
    expect(reply.data?.choices?.[0]?.value).toBe("id:calico");
    const empty = await ask(
      interaction("autocomplete-tool", { options: [{ name: "name", type: 3, value: "", focused: true }] }),
    );
    expect(empty.data?.choices).toHaveLength(25);
  });

  it("turns Recommend into a private stance picker, and a stance button records it", async () => {
    const picker = await ask(interaction("button-recommend"));
    expect(picker.type).toBe(4);
    expect(picker.data?.flags).toBe(64);
    const ids = flat(picker.data?.components).map((c) => c.custom_id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "st1:recs:calico:adopt",
        "st1:recs:calico:trial",
        "st1:recs:calico:assess",
        "st1:recs:calico:hold",
      ]),
    );

    const recorded = await ask(interaction("button-stance"));
    // The picker is private: the result replaces it in place.
    expect(recorded.type).toBe(7);
    expect(recorded.data?.allowed_mentions).toEqual({ parse: [] });
    expect(recorded.data?.embeds?.[0]?.title).toMatch(/Calico/);
    const saved = await store.get(
      { platform: "discord", workspace: GUILD, channel: CHANNEL },
      ALICE,
      "calico",
    );
    expect(saved).toMatchObject({ stance: "adopt", memberName: "Alice" });
  });

  it("answers the overview's area select with that area, privately", async () => {
    const overview = await ask(interaction("command-skilltree"));
    const select = flat(overview.data?.components).find((c) => c.type === 3);
    expect(select?.custom_id).toBe("st1:page:skilltree:0:");
    expect(select?.options?.map((o) => o.value)).toContain("networking");

    const reply = await ask(interaction("select-area"));
    expect(reply.type).toBe(4);
    expect(reply.data?.flags).toBe(64);
    expect(reply.data?.embeds?.[0]?.title).toMatch(/^Container networking/);
    expect(reply.data?.embeds?.[0]?.description).toMatch(/Calico/);
  });

  it("answers an unknown tool with suggestions, privately", async () => {
    const reply = await ask(
      interaction("command-tool", { options: [{ name: "name", type: 3, value: "mesos dns x" }] }),
    );
    expect(reply.type).toBe(4);
    expect(reply.data?.flags).toBe(64);
    expect(reply.data?.embeds?.[0]?.title).toMatch(/mesos dns x/);
    const buttons = flat(reply.data?.components).filter((c) => c.custom_id?.startsWith("st1:"));
    expect(buttons.length).toBeGreaterThan(0);
    await vi.waitFor(() =>
      expect(handled.some((e) => e.command === "tool" && e.outcome === "not_found")).toBe(true),
    );
  });

  it("opens Photon from the 'photon' choice's Photon button, and Rancher likewise (no loop)", async () => {
    const choice = await ask(
      interaction("command-tool", { options: [{ name: "name", type: 3, value: "photon" }] }),
    );
    expect(choice.data?.embeds?.[0]?.title).toMatch(/photon/i);
    const ids = flat(choice.data?.components).map((c) => c.custom_id);
    expect(ids).toEqual(expect.arrayContaining(["st1:tool:photon", "st1:tool:photon-os"]));

    const photon = await ask(interaction("button-recommend", { data: { custom_id: "st1:tool:photon" } }));
    expect(photon.type).toBe(4);
    expect(photon.data?.embeds?.[0]?.title).toMatch(/^\S+ Photon$/);
    expect(flat(photon.data?.components).map((c) => c.custom_id)).toContain("st1:rec:photon");

    const rancher = await ask(interaction("button-recommend", { data: { custom_id: "st1:tool:rancher" } }));
    expect(rancher.data?.embeds?.[0]?.title).toMatch(/^\S+ Rancher$/);
    expect(flat(rancher.data?.components).map((c) => c.custom_id)).toContain("st1:rec:rancher");
  });

  it("suggests Photon for 'photon', and choosing the suggestion opens Photon, not the choice", async () => {
    const suggestions = await ask(
      interaction("autocomplete-tool", {
        options: [{ name: "name", type: 3, value: "photon", focused: true }],
      }),
    );
    const values = suggestions.data?.choices?.map((c) => c.value);
    expect(values).toEqual(expect.arrayContaining(["id:photon", "id:photon-os"]));
    const picked = suggestions.data?.choices?.find((c) => c.value === "id:photon");
    expect(picked?.name).toMatch(/^Photon · /);

    const card = await ask(
      interaction("command-tool", { options: [{ name: "name", type: 3, value: picked?.value }] }),
    );
    expect(card.data?.embeds?.[0]?.title).toMatch(/^\S+ Photon$/);
    expect(card.data?.embeds?.[0]?.description ?? "").not.toMatch(/Showing/);
    // Typed text that ignores the suggestions still means both.
    const typed = await ask(
      interaction("command-tool", { options: [{ name: "name", type: 3, value: "photon" }] }),
    );
    expect(typed.data?.flags).toBe(64);
    expect(flat(typed.data?.components).map((c) => c.custom_id)).toContain("st1:tool:photon-os");
  });

  it("records a stance for Photon from its stance button", async () => {
    const picker = await ask(interaction("button-recommend", { data: { custom_id: "st1:rec:photon" } }));
    expect(flat(picker.data?.components).map((c) => c.custom_id)).toContain("st1:recs:photon:trial");
    const recorded = await ask(
      interaction("button-stance", { data: { custom_id: "st1:recs:photon:trial" } }),
    );
    expect(recorded.type).toBe(7);
    expect(recorded.data?.embeds?.[0]?.title).toMatch(/Photon/);
    expect(
      await store.get({ platform: "discord", workspace: GUILD, channel: CHANNEL }, ALICE, "photon"),
    ).toMatchObject({ stance: "trial" });
  });

  it("opens Photon from the engines area's tool menu", async () => {
    const engines = await ask(
      interaction("command-skilltree", { options: [{ name: "area", type: 3, value: "engines" }] }),
    );
    const menu = flat(engines.data?.components).find((c) => c.type === 3);
    expect(menu?.options?.map((o) => o.value)).toContain("photon");
    const reply = await ask(
      interaction("select-area", { data: { custom_id: menu?.custom_id, values: ["photon"] } }),
    );
    expect(reply.type).toBe(4);
    expect(reply.data?.flags).toBe(64);
    expect(reply.data?.embeds?.[0]?.title).toMatch(/^\S+ Photon$/);
  });

  it("survives malformed interactions that discord.js itself would choke on, and answers the next one", async () => {
    const errorsBefore = logs.filter((l) => l.level === "error").length;
    // discord.js's own handler threw from inside the gateway's emitter: an unhandled rejection,
    // which ends a real process. Record any, so this test fails rather than only the run.
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    // A command without data: the member is told it could not be read, privately.
    const noData = interaction("malformed-command-no-data");
    const unreadable = await ask(noData);
    expect(unreadable.type).toBe(4);
    expect(unreadable.data?.flags).toBe(64);
    expect(JSON.stringify(unreadable.data?.embeds)).toContain("couldn't read this command");
    expect(JSON.stringify(unreadable.data?.embeds)).not.toContain("There is no command");
    // A member without a user: still a readable command, answered (without a member or channel).
    const noUser = await ask(interaction("malformed-member-without-user"));
    expect(noUser.type).toBe(4);
    expect(noUser.data?.embeds?.[0]?.title).toBe("🟢 Calico");
    // The client is still connected and answers a good interaction.
    expect(adapter.isReady()).toBe(true);
    const good = await ask(interaction("command-tool"));
    expect(good.data?.embeds?.[0]?.title).toBe("🟢 Calico");
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.off("unhandledRejection", onRejection);
    expect(rejections).toEqual([]);
    expect(logs.filter((l) => l.level === "error").length).toBe(errorsBefore);
  });

  it("answers in English for an en-US member, even for a Chinese question", async () => {
    const reply = await ask(
      interaction("command-search", {
        options: [{ name: "query", type: 3, value: "日志收集" }],
        locale: "en-US",
      }),
    );
    const text = JSON.stringify(reply.data?.embeds);
    expect(text).toMatch(/Search/);
    expect(text).not.toMatch(/搜索/);
  });

  it("answers in Chinese for a zh-CN member", async () => {
    const reply = await ask(interaction("command-tool-zh"));
    const text = JSON.stringify(reply.data?.embeds);
    expect(text).toMatch(/已归档/);
    expect(reply.data?.embeds?.[0]?.fields?.map((f) => f.name)).toContain("状态");
  });

  it("keeps errors private (flags 64)", async () => {
    const reply = await ask(
      interaction("command-search", { options: [{ name: "query", type: 3, value: "x".repeat(900) }] }),
    );
    expect(reply.type).toBe(4);
    expect(reply.data?.flags).toBe(64);
    expect(reply.data?.embeds?.[0]?.color).toBe(0xed4245);
    await vi.waitFor(() =>
      expect(handled.some((e) => e.command === "search" && e.outcome === "error")).toBe(true),
    );
  });

  it("never lets member text ping or format: reasons are escaped and mentions are off", async () => {
    await ask(interaction("command-recommend"));
    const card = await ask(interaction("command-tool"));
    const text = JSON.stringify(card.data?.embeds);
    expect(text).toContain("@\u200beveryone");
    expect(text).not.toMatch(/(^|[^\u200b])@everyone/);
    expect(text).toContain("\\\\<@&123\\\\>");
    expect(card.data?.allowed_mentions).toEqual({ parse: [] });
  });

  it("sent allowed_mentions {parse: []} with every message, and nothing to any other place", () => {
    const messages = standIn.requests.filter(
      (r) => r.path.includes("/callback") || r.path.startsWith("/webhooks/"),
    );
    expect(messages.length).toBeGreaterThan(8);
    for (const request of messages) {
      const body = request.body as Callback;
      if (body.type === 8 || body.type === 1) continue;
      expect(body.data?.allowed_mentions ?? (body as Callback["data"])?.allowed_mentions).toEqual({
        parse: [],
      });
    }
    expect(standIn.requests.every((r) => r.path !== "" && !r.path.startsWith("http"))).toBe(true);
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
    expect(logs.filter((l) => l.level !== "info")).toEqual([]);
  });
});
