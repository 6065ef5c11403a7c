/**
 * HTTP interactions mode end to end: the adapter's route on a local node:http server, signed
 * requests with real Ed25519 keys, and a local stand-in for Discord's REST API that receives
 * the webhook edits of deferred answers.
 */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDiscordAdapter, readDiscordConfig } from "../adapters/discord/index.js";
import type { HandledEvent, PlatformAdapter } from "../adapters/types.js";
import type { Skilltree } from "../src/core.js";
import { DiscordStandIn, interaction, type Json, makeCore, slowStore } from "./helpers/discord-standin.js";

const APP = "1290000000000000001";
const TOKEN = "MTI5MDAwMDAwMDAwMDAwMDAwMQ.GstAnd.in-token-for-tests-only_0123456789";

function keyPair(): { hex: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  return { hex: publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex"), privateKey };
}

interface Reply {
  status: number;
  body: Json & {
    type?: number;
    data?: Json & { flags?: number; embeds?: Json[]; choices?: Json[]; allowed_mentions?: unknown };
  };
}

/** A running adapter in HTTP mode, mounted on its own server on 127.0.0.1. */
class Endpoint {
  private constructor(
    readonly adapter: PlatformAdapter,
    private readonly server: Server,
    readonly privateKey: KeyObject,
    readonly handled: HandledEvent[],
    readonly logs: { level: string; fields: Record<string, unknown> }[],
  ) {}

  static async start(core: Skilltree, apiUrl: string, deferAfterMs?: number): Promise<Endpoint> {
    const { hex, privateKey } = keyPair();
    const config = readDiscordConfig({
      DISCORD_MODE: "http",
      DISCORD_PUBLIC_KEY: hex,
      DISCORD_APPLICATION_ID: APP,
      DISCORD_API_URL: apiUrl,
    });
    const handled: HandledEvent[] = [];
    const logs: { level: string; fields: Record<string, unknown> }[] = [];
    const log = (level: string) => (fields: Record<string, unknown>) => logs.push({ level, fields });
    const adapter = createDiscordAdapter(
      {
        core,
        logger: { info: log("info"), warn: log("warn"), error: log("error") },
        onHandled: (event) => handled.push(event),
      },
      { ...config, ...(deferAfterMs === undefined ? {} : { deferAfterMs }) },
    );
    const server = createServer((req, res) => {
      const route = adapter.routes.find((r) => r.method === req.method && r.path === req.url);
      if (route) route.handle(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    await adapter.start();
    return new Endpoint(adapter, server, privateKey, handled, logs);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/discord/interactions`;
  }

  headers(
    body: string,
    options: { privateKey?: KeyObject; timestamp?: number } = {},
  ): Record<string, string> {
    const timestamp = String(Math.floor((options.timestamp ?? Date.now()) / 1000));
    const signature = sign(null, Buffer.from(timestamp + body), options.privateKey ?? this.privateKey);
    return {
      "content-type": "application/json",
      "x-signature-ed25519": signature.toString("hex"),
      "x-signature-timestamp": timestamp,
    };
  }

  async post(body: string, headers: Record<string, string> = this.headers(body)): Promise<Reply> {
    const res = await fetch(this.url, { method: "POST", body, headers });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Reply["body"]) : {} };
  }

  send(payload: Json): Promise<Reply> {
    return this.post(JSON.stringify(payload));
  }

  async close(): Promise<void> {
    await this.adapter.stop();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe("Discord HTTP interactions mode", () => {
  let standIn: DiscordStandIn;
  let endpoint: Endpoint;
  let core: Skilltree;

  beforeAll(async () => {
    standIn = await DiscordStandIn.start({ token: TOKEN });
    core = makeCore();
    endpoint = await Endpoint.start(core, standIn.apiUrl);
  });

  afterAll(async () => {
    await endpoint?.close();
    await standIn?.close();
  });

  it("starts without calling Discord, serves one POST route, and answers PING with PONG", async () => {
    expect(standIn.requests).toEqual([]);
    expect(endpoint.adapter.isReady()).toBe(true);
    expect(endpoint.adapter.routes.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /discord/interactions",
    ]);
    const ping = { id: "1290000000000004001", application_id: APP, type: 1, token: "ping-token", version: 1 };
    const reply = await endpoint.send(ping);
    expect(reply).toEqual({ status: 200, body: { type: 1 } });
  });

  it("answers a command inline (type 4) in the HTTP response", async () => {
    const reply = await endpoint.send(interaction("command-tool"));
    expect(reply.status).toBe(200);
    expect(reply.body.type).toBe(4);
    expect(reply.body.data?.embeds?.[0]).toMatchObject({ title: "🟢 Calico", color: 0x1abc9c });
    expect(reply.body.data?.allowed_mentions).toEqual({ parse: [] });
    expect(JSON.stringify(reply.body.data?.components)).toContain('"custom_id":"st1:rec:calico"');
  });

  it("resolves free text that ignores the suggestions, as the console does", async () => {
    const reply = await endpoint.send(
      interaction("command-tool", { options: [{ name: "name", type: 3, value: "calcio" }] }),
    );
    expect(reply.body.data?.embeds?.[0]).toMatchObject({ title: "🟢 Calico" });
    expect(reply.body.data?.embeds?.[0]?.description).toMatch(/^\*Showing Calico for “calcio”\.\*/);
  });

  it("makes a reply private with the hide option", async () => {
    const reply = await endpoint.send(interaction("command-search"));
    expect(reply.body.type).toBe(4);
    expect(reply.body.data?.flags).toBe(64);
    expect(JSON.stringify(reply.body.data?.embeds)).toMatch(/Flannel|Weave|overlay/i);
  });

  it("answers autocomplete with type 8", async () => {
    const reply = await endpoint.send(interaction("autocomplete-tool"));
    expect(reply.body.type).toBe(8);
    expect(reply.body.data?.choices?.[0]).toMatchObject({ value: "id:calico" });
    expect(reply.body.data?.choices?.length).toBeLessThanOrEqual(25);
  });

  it("answers buttons: a page click by the member who asked updates the message (type 7)", async () => {
    const page = await endpoint.send(
      interaction("button-recommend", { data: { custom_id: "st1:page:skilltree:0:" } }),
    );
    expect(page.body.type).toBe(7);
    expect(page.body.data?.flags).toBeUndefined();
    expect(page.body.data?.embeds?.[0]).toMatchObject({
      title: "The Docker skill tree: 14 areas, 100 tools",
    });

    // Someone else paging the same public message gets their own private copy instead.
    const other = await endpoint.send(
      interaction("button-recommend", {
        data: { custom_id: "st1:page:skilltree:0:" },
        userId: "1290000000000000502",
      }),
    );
    expect(other.body.type).toBe(4);
    expect(other.body.data?.flags).toBe(64);

    const open = await endpoint.send(
      interaction("button-recommend", { data: { custom_id: "st1:area:networking" } }),
    );
    expect(open.body.type).toBe(4);
    expect(open.body.data?.flags).toBe(64);
    expect(open.body.data?.embeds?.[0]?.title).toMatch(/^Container networking/);

    const stale = await endpoint.send(
      interaction("button-recommend", { data: { custom_id: "v0:old:button" } }),
    );
    expect(stale.body.type).toBe(4);
    expect(stale.body.data?.flags).toBe(64);
  });

  it("lets a member with Manage Messages remove someone else's recommendation, and no one else", async () => {
    const recorded = await endpoint.send(interaction("command-recommend"));
    expect(recorded.body.data?.embeds?.[0]?.title).toMatch(/Calico/);
    const removeAlices = (permissions: string) =>
      interaction("command-recommend", {
        options: [
          { name: "tool", type: 3, value: "calico" },
          { name: "stance", type: 3, value: "remove" },
          { name: "member", type: 6, value: "1290000000000000501" },
        ],
        userId: "1290000000000000502",
        permissions,
      });
    const refused = await endpoint.send(removeAlices("2248473465835073"));
    expect(refused.body.data?.flags).toBe(64);
    expect(JSON.stringify(refused.body.data?.embeds)).toContain("Only moderators can remove");
    const removed = await endpoint.send(removeAlices("2248473465843265"));
    expect(removed.body.data?.flags).toBeUndefined();
    expect(removed.body.data?.embeds?.[0]?.title).toBe(
      "Removed 1290000000000000501's recommendation of Calico",
    );
  });

  it("answers an unexpected failure with a friendly private message and logs it without member text", async () => {
    const failing = vi.spyOn(core, "answer").mockRejectedValueOnce(new Error("boom"));
    const before = endpoint.handled.length;
    const reply = await endpoint.send(
      interaction("command-search", { options: [{ name: "query", type: 3, value: "secret member words" }] }),
    );
    failing.mockRestore();
    expect(reply.status).toBe(200);
    expect(reply.body.type).toBe(4);
    expect(reply.body.data?.flags).toBe(64);
    expect(JSON.stringify(reply.body.data?.embeds)).toContain("Something went wrong on our side");
    expect(endpoint.handled.slice(before).map((e) => [e.command, e.outcome])).toEqual([["search", "error"]]);
    const errors = endpoint.logs.filter((l) => l.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.fields).toMatchObject({ error: "Error", message: "boom", command: "search" });
    expect(JSON.stringify(endpoint.logs)).not.toContain("secret member words");
    endpoint.logs.splice(endpoint.logs.indexOf(errors[0] as (typeof endpoint.logs)[number]), 1);
  });

  describe("refuses requests that are not Discord's (401), without running the handler", () => {
    const body = () => JSON.stringify(interaction("command-tool"));
    const cases: [string, () => Promise<Reply>][] = [
      ["stale", () => endpoint.post(body(), endpoint.headers(body(), { timestamp: Date.now() - 301_000 }))],
      [
        "tampered body",
        async () => {
          const original = body();
          return endpoint.post(original.replace("calico", "weave"), endpoint.headers(original));
        },
      ],
      [
        "missing header",
        () => {
          const b = body();
          const { "x-signature-ed25519": _, ...headers } = endpoint.headers(b);
          return endpoint.post(b, headers);
        },
      ],
      [
        "malformed hex",
        () => {
          const b = body();
          return endpoint.post(b, { ...endpoint.headers(b), "x-signature-ed25519": "not-hex".repeat(18) });
        },
      ],
      [
        "wrong key",
        () => endpoint.post(body(), endpoint.headers(body(), { privateKey: keyPair().privateKey })),
      ],
    ];

    for (const [name, request] of cases) {
      it(name, async () => {
        const answer = vi.spyOn(core, "answer");
        const before = endpoint.handled.length;
        const requestsBefore = standIn.requests.length;
        const reply = await request();
        expect(reply.status).toBe(401);
        expect(reply.body).toEqual({ error: "invalid request signature" });
        expect(answer).not.toHaveBeenCalled();
        expect(endpoint.handled.slice(before).map((e) => e.outcome)).toEqual(["rejected"]);
        expect(standIn.requests.length).toBe(requestsBefore);
        answer.mockRestore();
      });
    }
  });

  it("refuses oversized bodies with 413 and broken JSON or non-interactions with 400", async () => {
    const answer = vi.spyOn(core, "answer");
    const huge = JSON.stringify({ ...interaction("command-tool"), padding: "x".repeat(70_000) });
    expect((await endpoint.post(huge)).status).toBe(413);
    expect((await endpoint.post("{not json")).status).toBe(400);
    expect((await endpoint.post(JSON.stringify({ hello: "world" }))).status).toBe(400);
    expect(answer).not.toHaveBeenCalled();
    answer.mockRestore();
  });

  it("logged no secret and no error", () => {
    expect(endpoint.logs.filter((l) => l.level === "error")).toEqual([]);
    expect(JSON.stringify(endpoint.logs)).not.toMatch(/aW50ZXJhY3Rpb246/);
  });
});

describe("Discord HTTP mode with a slow store", () => {
  let standIn: DiscordStandIn;
  let endpoint: Endpoint;
  let core: Skilltree;

  beforeAll(async () => {
    standIn = await DiscordStandIn.start({ token: TOKEN });
    const store = slowStore(300);
    core = makeCore(store);
    endpoint = await Endpoint.start(core, standIn.apiUrl, 50);
  });

  afterAll(async () => {
    await endpoint?.close();
    await standIn?.close();
  });

  it("defers (type 5) and then edits the original response through the webhook route", async () => {
    const payload = interaction("command-tool");
    const reply = await endpoint.send(payload);
    expect(reply.body).toEqual({ type: 5, data: {} });
    const edit = await standIn.waitFor(
      (c) =>
        c.method === "PATCH" && c.path === `/webhooks/${APP}/${String(payload.token)}/messages/@original`,
    );
    const body = edit.body as { embeds: Json[]; allowed_mentions: unknown };
    expect(body.embeds[0]).toMatchObject({ title: "🟢 Calico" });
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(edit.headers.authorization).toBeUndefined();
  });

  it("defers privately when asked to hide, and a slow area list updates a clicked page in place", async () => {
    const hidden = interaction("command-tool", {
      options: [
        { name: "name", type: 3, value: "weave" },
        { name: "hide", type: 5, value: true },
      ],
    });
    expect((await endpoint.send(hidden)).body).toEqual({ type: 5, data: { flags: 64 } });
    await standIn.waitFor((c) => c.method === "PATCH" && c.path.includes(String(hidden.token)));

    const page = interaction("button-recommend", { data: { custom_id: "st1:page:skilltree:0:" } });
    expect((await endpoint.send(page)).body).toEqual({ type: 6 });
    const edit = await standIn.waitFor((c) => c.method === "PATCH" && c.path.includes(String(page.token)));
    expect((edit.body as { embeds: Json[] }).embeds[0]).toMatchObject({
      title: expect.stringMatching(/skill tree/),
    });
  });

  it("turns a deferred public reply private when the answer is an error: delete, then a private followup", async () => {
    const payload = interaction("command-recommend", {
      options: [
        { name: "tool", type: 3, value: "calico" },
        { name: "stance", type: 3, value: "remove" },
      ],
    });
    expect((await endpoint.send(payload)).body).toEqual({ type: 5, data: {} });
    const followup = await standIn.waitFor(
      (c) => c.method === "POST" && c.path === `/webhooks/${APP}/${String(payload.token)}`,
    );
    expect(standIn.webhookCalls(payload).map((c) => c.method)).toEqual(["DELETE", "POST"]);
    expect(followup.body).toMatchObject({ flags: 64, allowed_mentions: { parse: [] } });
    expect(JSON.stringify(followup.body)).toContain("There is no recommendation of Calico to remove here.");
  });

  it("logged no error while deferring", () => {
    expect(endpoint.logs.filter((l) => l.level === "error")).toEqual([]);
  });

  it("after a public deferral, an unexpected failure removes the public placeholder and apologises privately", async () => {
    const failing = vi.spyOn(core, "answer").mockImplementationOnce(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      throw new Error("boom after the deferral");
    });
    const payload = interaction("command-tool", { options: [{ name: "name", type: 3, value: "weave" }] });
    expect((await endpoint.send(payload)).body).toEqual({ type: 5, data: {} });
    const followup = await standIn.waitFor(
      (c) => c.method === "POST" && c.path === `/webhooks/${APP}/${String(payload.token)}`,
    );
    failing.mockRestore();
    // The public "thinking…" goes first; nothing is left in the channel.
    expect(standIn.webhookCalls(payload).map((c) => c.method)).toEqual(["DELETE", "POST"]);
    expect(followup.body).toMatchObject({ flags: 64, allowed_mentions: { parse: [] } });
    expect(JSON.stringify(followup.body)).toContain("Something went wrong on our side");
    const errors = endpoint.logs.filter((l) => l.level === "error");
    expect(errors.map((l) => l.fields.message)).toEqual(["boom after the deferral"]);
    endpoint.logs.splice(endpoint.logs.indexOf(errors[0] as (typeof endpoint.logs)[number]), 1);
  });

  it("after a private deferral, the failure becomes the private placeholder itself", async () => {
    const failing = vi.spyOn(core, "answer").mockImplementationOnce(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      throw new Error("boom after a private deferral");
    });
    const payload = interaction("command-tool", {
      options: [
        { name: "name", type: 3, value: "weave" },
        { name: "hide", type: 5, value: true },
      ],
    });
    expect((await endpoint.send(payload)).body).toEqual({ type: 5, data: { flags: 64 } });
    const edit = await standIn.waitFor((c) => c.method === "PATCH" && c.path.includes(String(payload.token)));
    failing.mockRestore();
    expect(standIn.webhookCalls(payload).map((c) => c.method)).toEqual(["PATCH"]);
    expect(JSON.stringify(edit.body)).toContain("Something went wrong on our side");
    const errors = endpoint.logs.filter((l) => l.level === "error");
    expect(errors).toHaveLength(1);
    endpoint.logs.splice(endpoint.logs.indexOf(errors[0] as (typeof endpoint.logs)[number]), 1);
  });

  it("stop() waits for deferred work in flight, then refuses new requests", async () => {
    const payload = interaction("command-tool", { options: [{ name: "name", type: 3, value: "flannel" }] });
    expect((await endpoint.send(payload)).body.type).toBe(5);
    await endpoint.adapter.stop();
    expect(standIn.webhookCalls(payload).map((c) => c.method)).toEqual(["PATCH"]);
    expect(endpoint.adapter.isReady()).toBe(false);
    expect((await endpoint.send(interaction("command-tool"))).status).toBe(503);
  });
});
