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
    expect(reply.data?.choices?.[0]?.value).toBe("calico");
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
