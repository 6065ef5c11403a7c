/**
 * A local stand-in for Slack on 127.0.0.1: the Web API (auth.test, users.info,
 * apps.connections.open), response_url endpoints, and a Socket Mode WebSocket server. It records
 * every request, so tests can prove what the app called and that nothing else was reached. Plus
 * helpers to sign requests as Slack does, and a guard that records every outgoing connection.
 */
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import net from "node:net";
import { join } from "node:path";
import { type WebSocket, WebSocketServer } from "ws";
import type { Answer } from "../../src/answer.js";
import { Skilltree } from "../../src/core.js";
import { DEFAULT_DATA_DIR, PROJECT_ROOT } from "../../src/paths.js";
import type { Query } from "../../src/query.js";
import { Recommendations } from "../../src/recommendations.js";
import { MemoryStore } from "../../src/store/memory.js";
import type { RecommendationStore } from "../../src/store/types.js";
import { loadTaxonomy } from "../../src/taxonomy/load.js";

export interface StandInRequest {
  /** "api" for Web API methods, "respond" for response_url posts. */
  kind: "api" | "respond" | "other";
  /** The Web API method ("users.info") or the response_url id. */
  name: string;
  authorization?: string;
  body: Record<string, unknown>;
  at: number;
}

export interface SlackUser {
  is_admin?: boolean;
  is_owner?: boolean;
}

export class SlackStandIn {
  readonly requests: StandInRequest[] = [];
  /** users.info answers by user id; an id not here gets user_not_found. */
  readonly users = new Map<string, SlackUser>();
  /** Web API methods that fail as if Slack were down (HTTP 500). */
  readonly failing = new Set<string>();
  /** Tokens Slack no longer accepts (invalid_auth). */
  readonly invalidTokens = new Set<string>();
  readonly bot = { user_id: "UBOT0001", bot_id: "BBOT0001", team_id: "T0001" };
  private readonly sockets = new Set<WebSocket>();
  private readonly waiters: { test: (r: StandInRequest) => boolean; resolve: (r: StandInRequest) => void }[] =
    [];
  private readonly replies = new Map<string, (payload: unknown) => void>();
  private readonly wss: WebSocketServer;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    this.wss = new WebSocketServer({ server, path: "/socket" });
    this.wss.on("connection", (socket) => this.onSocket(socket));
  }

  static async start(): Promise<SlackStandIn> {
    let standIn: SlackStandIn | undefined;
    const server = createServer((req, res) => {
      void standIn?.onRequest(req).then(
        ({ status, body }) => {
          res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
        },
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("stand-in has no port");
    standIn = new SlackStandIn(server, `http://127.0.0.1:${address.port}`);
    return standIn;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A fresh response_url; posts to it are recorded under `id`. */
  responseUrl(id: string = randomUUID()): string {
    return `${this.url}/respond/${id}`;
  }

  calls(method: string): StandInRequest[] {
    return this.requests.filter((r) => r.kind === "api" && r.name === method);
  }

  responses(id: string): StandInRequest[] {
    return this.requests.filter((r) => r.kind === "respond" && r.name === id);
  }

  /** The first recorded request (past or future) that passes `test`. */
  waitFor(test: (r: StandInRequest) => boolean, timeoutMs = 5000): Promise<StandInRequest> {
    const done = this.requests.find(test);
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("stand-in: no such request in time")), timeoutMs);
      this.waiters.push({
        test,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      });
    });
  }

  /** Posts to response_url `id`, waiting for the `count`-th. */
  async waitForResponses(id: string, count: number, timeoutMs = 5000): Promise<StandInRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.responses(id).length < count) {
      if (Date.now() > deadline) throw new Error(`stand-in: ${count} responses to ${id} did not come`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.responses(id);
  }

  /** Socket Mode: sends an envelope to the connected app and waits for its ack. */
  sendEnvelope(
    envelope: { envelope_id: string } & Record<string, unknown>,
    timeoutMs = 5000,
  ): Promise<unknown> {
    const socket = [...this.sockets][0];
    if (!socket) return Promise.reject(new Error("stand-in: no Socket Mode connection"));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("stand-in: no ack for the envelope")), timeoutMs);
      this.replies.set(envelope.envelope_id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      socket.send(JSON.stringify(envelope));
    });
  }

  get socketCount(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(request: StandInRequest): void {
    this.requests.push(request);
    for (const waiter of [...this.waiters]) {
      if (waiter.test(request)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(request);
      }
    }
  }

  private async onRequest(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const type = req.headers["content-type"] ?? "";
    const body: Record<string, unknown> = type.includes("json")
      ? (JSON.parse(raw || "{}") as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(raw));
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const api = /^\/api\/([\w.]+)$/.exec(path);
    const respond = /^\/respond\/([\w-]+)$/.exec(path);
    const request: StandInRequest = {
      kind: api ? "api" : respond ? "respond" : "other",
      name: api?.[1] ?? respond?.[1] ?? path,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      body,
      at: Date.now(),
    };
    this.record(request);
    if (respond) return { status: 200, body: { ok: true } };
    if (!api) return { status: 404, body: { ok: false, error: "not_found" } };
    const method = api[1] ?? "";
    if (this.failing.has(method)) return { status: 500, body: { ok: false, error: "fatal_error" } };
    const token = req.headers.authorization?.replace(/^Bearer /, "") ?? String(body.token ?? "");
    if (this.invalidTokens.has(token)) return { status: 200, body: { ok: false, error: "invalid_auth" } };
    switch (method) {
      case "auth.test":
        return {
          status: 200,
          body: {
            ok: true,
            url: "https://example.slack.com/",
            team: "Example",
            user: "skilltree",
            ...this.bot,
          },
        };
      case "apps.connections.open":
        return { status: 200, body: { ok: true, url: `${this.url.replace(/^http/, "ws")}/socket` } };
      case "users.info": {
        const id = String(body.user ?? "");
        const user = this.users.get(id);
        return user
          ? { status: 200, body: { ok: true, user: { id, name: id.toLowerCase(), ...user } } }
          : { status: 200, body: { ok: false, error: "user_not_found" } };
      }
      default:
        return { status: 200, body: { ok: false, error: "unknown_method" } };
    }
  }

  private onSocket(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string };
      const reply = message.envelope_id ? this.replies.get(message.envelope_id) : undefined;
      if (message.envelope_id && reply) {
        this.replies.delete(message.envelope_id);
        reply(message);
      }
    });
    socket.send(
      JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A123456" } }),
    );
  }
}

// ---- Requests as Slack makes them ------------------------------------------------------------

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, "test", "fixtures", "slack", name), "utf8")) as T;
}

/** Slack's v0 signature: HMAC-SHA256 over "v0:<timestamp>:<body>" with the signing secret. */
export function sign(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return { "x-slack-signature": signature, "x-slack-request-timestamp": String(timestamp) };
}

/**
 * A fresh trigger_id, as Slack gives every command and click (and keeps across its retries):
 * the adapter skips a trigger_id it has already taken.
 */
export function triggerId(): string {
  return `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomUUID().replace(/-/g, "")}`;
}

export function slashBody(fields: Record<string, string>): string {
  return new URLSearchParams({
    ...fixture<Record<string, string>>("slash-command.json"),
    trigger_id: triggerId(),
    ...fields,
  }).toString();
}

export function actionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A block_actions payload (from the fixture) for one button click. */
export function buttonClick(options: {
  actionId: string;
  value?: string;
  responseUrl: string;
  user?: { id: string; username: string };
  ephemeral?: boolean;
  triggerId?: string;
}): Record<string, unknown> {
  const base = fixture<
    Record<string, unknown> & { actions: Record<string, unknown>[]; user: Record<string, unknown> }
  >("block-actions.json");
  return {
    ...base,
    trigger_id: options.triggerId ?? triggerId(),
    response_url: options.responseUrl,
    user: {
      ...base.user,
      ...(options.user
        ? { id: options.user.id, username: options.user.username, name: options.user.username }
        : {}),
    },
    container: { ...(base.container as object), is_ephemeral: options.ephemeral ?? false },
    actions: [{ ...base.actions[0], action_id: options.actionId, value: options.value ?? "c|en" }],
  };
}

// ---- Nothing leaves this machine ------------------------------------------------------------

const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|localhost|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Records the destination of every TCP connection this process opens (http, fetch/undici,
 * WebSocket all go through net.Socket#connect), until restore().
 */
export function watchConnections(): { destinations: string[]; offLoopback(): string[]; restore(): void } {
  const original = net.Socket.prototype.connect;
  const destinations: string[] = [];
  net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]) {
    destinations.push(destinationOf(args));
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof original;
  return {
    destinations,
    offLoopback: () =>
      destinations.filter((d) => !d.startsWith("unix:") && !LOOPBACK.test(d.replace(/:\d+$/, ""))),
    restore() {
      net.Socket.prototype.connect = original;
    },
  };
}

function destinationOf(args: unknown[]): string {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === "object") {
    const o = first as { host?: string; port?: number | string; path?: string };
    if (o.path) return `unix:${o.path}`;
    return `${o.host ?? "localhost"}:${o.port ?? "?"}`;
  }
  if (typeof first === "number" || typeof first === "string") {
    return `${typeof args[1] === "string" ? args[1] : "localhost"}:${first}`;
  }
  return "unknown";
}

// ---- A core for the Slack tests -------------------------------------------------------------

/** A memory store that can be made slow, as a busy database would be. */
export class SlowStore extends MemoryStore {
  delayMs = 0;

  override async forTool(...args: Parameters<MemoryStore["forTool"]>): ReturnType<MemoryStore["forTool"]> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    return super.forTool(...args);
  }
}

/** The real core, plus one query ("/search long list") whose answer is far too long for one message. */
export class LongAnswerCore extends Skilltree {
  override async answer(query: Query): Promise<Answer> {
    if (query.command === "search" && query.args.query === "long list") {
      return {
        kind: "search",
        locale: "en",
        title: "Everything",
        blocks: [
          {
            type: "list",
            heading: "Results",
            items: Array.from({ length: 120 }, (_, i) => ({
              id: `item-${i}`,
              type: "tool" as const,
              name: `Item ${i}`,
              text: `${"A long line about this item. ".repeat(6)}#${i}`,
            })),
          },
        ],
        actions: [],
      };
    }
    return super.answer(query);
  }
}

export function slackCore(store: RecommendationStore = new MemoryStore()): LongAnswerCore {
  return new LongAnswerCore(loadTaxonomy(DEFAULT_DATA_DIR), {
    defaultLocale: "en",
    recommendations: new Recommendations(store, {
      moderators: new Set(),
      rateLimit: { changes: 100, windowMs: 60_000 },
      now: () => Date.now(),
    }),
  });
}
