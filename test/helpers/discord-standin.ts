/**
 * A local stand-in for Discord on 127.0.0.1: the REST routes the bot calls (gateway info,
 * interaction callbacks, webhook edits and followups, command registration) and a WebSocket
 * gateway that speaks enough of the protocol for discord.js (HELLO, IDENTIFY, heartbeats,
 * READY, GUILD_CREATE, then the dispatches a test sends). Everything it receives is recorded.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type WebSocket, WebSocketServer } from "ws";
import { Skilltree } from "../../src/core.js";
import { PROJECT_ROOT } from "../../src/paths.js";
import { Recommendations } from "../../src/recommendations.js";
import { MemoryStore } from "../../src/store/memory.js";
import type { RecommendationStore } from "../../src/store/types.js";
import { taxonomy } from "./core.js";

export const FIXTURES = join(PROJECT_ROOT, "test", "fixtures", "discord");

export type Json = Record<string, unknown>;

export function fixture(name: string): Json {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8")) as Json;
}

/** A core with an in-memory store (recommendations on), sharing the worker's loaded taxonomy. */
export function makeCore(store: RecommendationStore = new MemoryStore()): Skilltree {
  return new Skilltree(taxonomy(), {
    defaultLocale: "en",
    recommendations: new Recommendations(store, {
      moderators: new Set(),
      rateLimit: { changes: 10, windowMs: 60_000 },
      now: () => Date.now(),
    }),
  });
}

/**
 * A store whose every call (reads and writes; not init or close) first waits `delayMs`: answers
 * that touch it are slower than the defer deadline. A proxy rather than a subclass, so it keeps
 * working whichever methods the store contract grows.
 */
export function slowStore(delayMs: number): MemoryStore {
  const inner = new MemoryStore();
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || property === "init" || property === "close") return value;
      return async (...args: unknown[]) => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

let serial = 0;

/**
 * A recorded interaction payload with a fresh id and token (so its callback can be told apart)
 * and optional changes: `options` replaces data.options, `locale` the member's locale, `data`
 * is merged into data.
 */
export function interaction(
  name: string,
  changes: { options?: unknown[]; locale?: string; data?: Json; permissions?: string; userId?: string } = {},
): Json {
  const payload = fixture(name);
  serial++;
  payload.id = `12900000000000${50_000 + serial}`;
  payload.token = `aW50ZXJhY3Rpb246${serial}-${Math.random().toString(36).slice(2)}`;
  // A payload without data (a malformed one) keeps having none unless the test gives some.
  if (payload.data !== undefined || changes.data || changes.options) {
    const data = { ...(payload.data as Json), ...(changes.data ?? {}) };
    if (changes.options) data.options = changes.options;
    payload.data = data;
  }
  if (changes.locale) payload.locale = changes.locale;
  const member = payload.member as (Json & { user?: Json }) | undefined;
  if (member && changes.permissions) member.permissions = changes.permissions;
  if (member && changes.userId) member.user = { ...member.user, id: changes.userId };
  return payload;
}

export interface Captured {
  method: string;
  /** The path after /api/v10. */
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface StandInOptions {
  token: string;
}

export class DiscordStandIn {
  readonly requests: Captured[] = [];
  readonly identifies: Json[] = [];
  /** Query strings the gateway was opened with (v, encoding, compress). */
  readonly gatewayQueries: string[] = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly waiters: { match: (c: Captured) => boolean; resolve: (c: Captured) => void }[] = [];
  private seq = 0;
  private socket: WebSocket | undefined;

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    private readonly options: StandInOptions,
  ) {}

  static async start(options: StandInOptions): Promise<DiscordStandIn> {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    const standIn = new DiscordStandIn(server, wss, options);
    server.on("request", (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const reply = standIn.route(req.method ?? "GET", req.url ?? "/", req.headers, text);
        // Like Discord: 204 has no body and no content type; everything else is JSON.
        const body = reply.body === undefined ? "" : JSON.stringify(reply.body);
        res.writeHead(reply.status, {
          ...(body === "" ? {} : { "content-type": "application/json" }),
          "content-length": Buffer.byteLength(body),
        });
        res.end(body);
      });
    });
    wss.on("connection", (socket, req) => standIn.connect(socket, req.url ?? ""));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return standIn;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The REST base to give discord.js (`rest.api`) and DISCORD_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Sends a gateway dispatch (op 0) to the connected bot. */
  dispatch(t: string, d: unknown): void {
    if (!this.socket) throw new Error("no bot is connected to the stand-in gateway");
    this.socket.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
  }

  /** The first recorded request matching, now or within `timeoutMs`. */
  waitFor(match: (c: Captured) => boolean, timeoutMs = 5000): Promise<Captured> {
    const found = this.requests.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (c: Captured) => {
          clearTimeout(timer);
          resolve(c);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`the stand-in received no matching request in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The interaction callback (first response) for this interaction payload. */
  callbackOf(payload: Json, timeoutMs = 5000): Promise<unknown> {
    const path = `/interactions/${String(payload.id)}/${String(payload.token)}/callback`;
    return this.waitFor((c) => c.method === "POST" && c.path === path, timeoutMs).then((c) => c.body);
  }

  /** Webhook calls (edits, followups, deletes) made with this interaction's token. */
  webhookCalls(payload: Json): Captured[] {
    return this.requests.filter(
      (c) => c.path.startsWith(`/webhooks/`) && c.path.includes(String(payload.token)),
    );
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(captured: Captured): void {
    this.requests.push(captured);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(captured)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(captured);
      }
    }
  }

  private route(
    method: string,
    url: string,
    headers: IncomingHttpHeaders,
    text: string,
  ): { status: number; body?: unknown } {
    // Decoded, as Discord does: @discordjs/rest sends "@original" as "%40original".
    const path = safeDecode(url.replace(/^\/api\/v10/, "").replace(/\?.*$/, ""));
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    this.record({ method, path, headers, body });
    const authorized = headers.authorization === `Bot ${this.options.token}`;
    if (method === "GET" && path === "/gateway/bot") {
      if (!authorized) return { status: 401, body: { message: "401: Unauthorized", code: 0 } };
      return {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        },
      };
    }
    if (method === "POST" && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return { status: 204 };
    if (/^\/webhooks\/\d+\/[^/]+\/messages\/@original$/.test(path)) {
      if (method === "DELETE") return { status: 204 };
      if (method === "PATCH") return { status: 200, body: message(body) };
    }
    if (method === "POST" && /^\/webhooks\/\d+\/[^/]+$/.test(path))
      return { status: 200, body: message(body) };
    if (method === "PUT" && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      if (!authorized) return { status: 401, body: { message: "401: Unauthorized", code: 0 } };
      const commands = Array.isArray(body) ? body : [];
      return { status: 200, body: commands.map((c, i) => ({ id: `12900000000000${10_300 + i}`, ...c })) };
    }
    return { status: 404, body: { message: "404: Not Found", code: 0 } };
  }

  private connect(socket: WebSocket, query: string): void {
    this.sockets.add(socket);
    this.socket = socket;
    this.gatewayQueries.push(query);
    socket.on("close", () => this.sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    socket.on("message", (raw) => {
      const packet = JSON.parse(String(raw)) as { op: number; d: Json };
      if (packet.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (packet.op === 2) {
        this.identifies.push(packet.d);
        if (packet.d.token !== this.options.token) {
          socket.close(4004, "Authentication failed.");
          return;
        }
        const ready = fixture("gateway-ready");
        ready.resume_gateway_url = this.gatewayUrl;
        this.dispatch("READY", ready);
        this.dispatch("GUILD_CREATE", fixture("gateway-guild-create"));
      }
    });
  }
}

function message(body: unknown): Json {
  return {
    id: "1290000000000003001",
    channel_id: "1290000000000000200",
    type: 20,
    content: "",
    embeds: [],
    components: [],
    ...(typeof body === "object" && body !== null ? (body as Json) : {}),
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
