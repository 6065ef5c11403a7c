/**
 * One HTTP server for bench/http.ts, in a process of its own so that the load generator and
 * the server each get a core. Prints `READY <port>` on stderr once it listens on 127.0.0.1
 * (stdout is the bot's log, which bench/http.ts sends to /dev/null).
 *
 *   discord-bot   the bot's server (src/ops/http.ts) with the Discord adapter in HTTP mode
 *   discord-bare  a bare node:http server doing only the same Ed25519 check (the limit)
 *   slack-bot     the bot's server with the Slack adapter in HTTP mode
 *   slack-bare    a bare Bolt app (same receiver, same signing check) that only acks
 *
 * Every process is handed its keys through the environment by bench/http.ts; nothing here
 * reaches past 127.0.0.1 (the Slack adapter's one auth.test at start goes to a local stand-in).
 */
import { createPublicKey, verify } from "node:crypto";
import { createServer, type IncomingMessage, type RequestListener, type Server } from "node:http";
import { join } from "node:path";
import { App, HTTPReceiver } from "@slack/bolt";
import { createDiscordAdapter, readDiscordConfig } from "../adapters/discord/index.js";
import { createSlackAdapter, readSlackConfig } from "../adapters/slack/index.js";
import type { AdapterDeps, PlatformAdapter } from "../adapters/types.js";
import { DEFAULT_ANSWER_CACHE_MS } from "../src/answer-cache.js";
import { Skilltree } from "../src/core.js";
import { createOpsServer } from "../src/ops/http.js";
import { createLogger } from "../src/ops/logger.js";
import { Metrics, reportHandled } from "../src/ops/metrics.js";
import { DEFAULT_DATA_DIR, PROJECT_ROOT } from "../src/paths.js";
import { Recommendations } from "../src/recommendations.js";
import { openStore } from "../src/store/open.js";
import { loadTaxonomy } from "../src/taxonomy/load.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`bench/http-target: ${name} is not set`);
  return value;
};

async function listen(listener: RequestListener): Promise<Server> {
  const server = createServer(listener);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/**
 * The bot as src/main.ts composes it: the SQLite store, metrics, and a JSON log line on stdout
 * for every handled command (LOG_LEVEL=info, the default).
 */
async function botServer(adapter: (deps: AdapterDeps) => PlatformAdapter): Promise<Server> {
  const metrics = new Metrics();
  const logger = await createLogger({ level: "info", pretty: false });
  const store = openStore({ sqlitePath: join(PROJECT_ROOT, "var", "bench-http.db") });
  await store.init();
  const core = new Skilltree(loadTaxonomy(DEFAULT_DATA_DIR), {
    defaultLocale: "en",
    recommendations: new Recommendations(store),
    answerCacheMs: Number(process.env.SKILLTREE_ANSWER_CACHE_MS ?? DEFAULT_ANSWER_CACHE_MS),
  });
  const platform = adapter({
    core,
    logger,
    onHandled: reportHandled(metrics, logger),
  });
  const ops = createOpsServer({
    routes: platform.routes,
    readiness: [],
    metrics,
    isStopping: () => false,
  });
  await platform.start();
  await new Promise<void>((resolve) => ops.server.listen(0, "127.0.0.1", resolve));
  return ops.server;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

/** The limit: read the body, check the signature exactly as Discord asks, answer a fixed reply. */
async function discordBare(): Promise<Server> {
  const prefix = Buffer.from("302a300506032b6570032100", "hex");
  const key = createPublicKey({
    key: Buffer.concat([prefix, Buffer.from(env("DISCORD_PUBLIC_KEY"), "hex")]),
    format: "der",
    type: "spki",
  });
  const reply = JSON.stringify({ type: 4, data: { content: "ok", allowed_mentions: { parse: [] } } });
  return listen(async (req, res) => {
    const body = await readBody(req);
    const signature = String(req.headers["x-signature-ed25519"] ?? "");
    const timestamp = String(req.headers["x-signature-timestamp"] ?? "");
    const ok = verify(
      null,
      Buffer.concat([Buffer.from(timestamp), body]),
      key,
      Buffer.from(signature, "hex"),
    );
    if (!ok) return void res.writeHead(401).end();
    res.writeHead(200, { "content-type": "application/json" }).end(reply);
  });
}

/** Answers the Slack adapter's one auth.test at start, so nothing leaves the machine. */
async function slackApiStandIn(): Promise<string> {
  const server = await listen((_req, res) => {
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ ok: true, user_id: "UBENCH", bot_id: "BBENCH", team_id: "T0001" }));
  });
  server.unref();
  const address = server.address();
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/api/`;
}

/** The limit: Bolt's own HTTP receiver and signature check, and a command handler that only acks. */
async function slackBare(): Promise<Server> {
  const receiver = new HTTPReceiver({
    signingSecret: env("SLACK_SIGNING_SECRET"),
    endpoints: "/slack/events",
  });
  const app = new App({
    receiver,
    token: "xoxb-0000000000-0000000000000-bench",
    botId: "BBENCH",
    botUserId: "UBENCH",
    tokenVerificationEnabled: false,
  });
  app.command(/^\/.+/, async ({ ack }) => {
    await ack();
  });
  return listen((req, res) => receiver.requestListener(req, res));
}

const targets: Record<string, () => Promise<Server>> = {
  "discord-bare": discordBare,
  "discord-bot": () =>
    botServer((deps) =>
      createDiscordAdapter(
        deps,
        readDiscordConfig({
          DISCORD_MODE: "http",
          DISCORD_PUBLIC_KEY: env("DISCORD_PUBLIC_KEY"),
          DISCORD_APPLICATION_ID: "1290000000000000001",
          DISCORD_API_URL: "http://127.0.0.1:9/api",
        }),
      ),
    ),
  "slack-bare": slackBare,
  "slack-bot": async () => {
    const apiUrl = await slackApiStandIn();
    return botServer((deps) =>
      createSlackAdapter(
        deps,
        readSlackConfig({
          SLACK_MODE: "http",
          SLACK_BOT_TOKEN: "xoxb-0000000000-0000000000000-bench",
          SLACK_SIGNING_SECRET: env("SLACK_SIGNING_SECRET"),
          SLACK_API_URL: apiUrl,
        }),
      ),
    );
  },
};

const name = process.argv[2] ?? "";
const start = targets[name];
if (!start) {
  process.stderr.write(`usage: http-target.ts ${Object.keys(targets).join("|")}\n`);
  process.exit(2);
}
const server = await start();
const address = server.address();
process.stderr.write(`READY ${typeof address === "object" && address ? address.port : 0}\n`);
process.on("SIGTERM", () => process.exit(0));
