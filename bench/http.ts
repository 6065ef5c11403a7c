/**
 * HTTP endpoints (issue 7, part 3), on 127.0.0.1 with autocannon, bounded in time:
 * - Discord: POST /discord/interactions with real Ed25519 signatures (`/tool calico`, answered
 *   in the HTTP response), against a bare node:http server doing only the same verification;
 * - Slack: POST /slack/events with signed `/tool calico` slash commands (answered in the ack),
 *   against a bare Bolt app that only acks.
 * Each server runs in a process of its own (bench/http-target.ts) so the load generator here and
 * the server each have a core; bot and limit alternate round by round, so machine noise hits
 * both alike, and the figures are medians over the rounds.
 *
 * Run alone: npx tsx bench/http.ts
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import { PROJECT_ROOT } from "../src/paths.js";
import { type Measurement, percentile, type SectionResult } from "./types.js";

const CONNECTIONS = 50;
const ROUNDS = 3;
const WARMUP_SECONDS = 1;
const SECONDS = 5;

interface Target {
  port: number;
  child: ChildProcess;
}

/** Starts bench/http-target.ts NAME and resolves once it prints READY <port>. */
function startTarget(name: string, env: NodeJS.ProcessEnv): Promise<Target> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/http-target.ts", name], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${err}`)), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const port = /READY (\d+)/.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ port: Number(port), child });
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}): ${err}`));
    });
  });
}

async function stopTarget(target: Target): Promise<void> {
  if (target.child.exitCode !== null) return;
  const exited = new Promise((resolve) => target.child.once("exit", resolve));
  target.child.kill("SIGTERM");
  await exited;
}

interface Request {
  path: string;
  headers: Record<string, string>;
  body: string;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(port: number, request: Request, seconds: number): Promise<Load> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${request.path}`,
    method: "POST",
    connections: CONNECTIONS,
    duration: seconds,
    headers: request.headers,
    body: request.body,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/** One request first, to be sure the load measures a real answer and not an error path. */
async function checkAnswer(port: number, request: Request, expect?: RegExp): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
    method: "POST",
    headers: request.headers,
    body: request.body,
  });
  const text = await response.text();
  if (response.status !== 200 || (expect && !expect.test(text))) {
    throw new Error(`unexpected answer from port ${port}: ${response.status} ${text.slice(0, 200)}`);
  }
}

function discordRequest(privateKey: KeyObject): Request {
  const body = readFileSync(join(PROJECT_ROOT, "test", "fixtures", "discord", "command-tool.json"), "utf8");
  const payload = JSON.stringify(JSON.parse(body));
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(timestamp + payload), privateKey).toString("hex");
  return {
    path: "/discord/interactions",
    headers: {
      "content-type": "application/json",
      "x-signature-ed25519": signature,
      "x-signature-timestamp": timestamp,
    },
    body: payload,
  };
}

function slackRequest(secret: string): Request {
  const fixture = JSON.parse(
    readFileSync(join(PROJECT_ROOT, "test", "fixtures", "slack", "slash-command.json"), "utf8"),
  ) as Record<string, string>;
  const body = new URLSearchParams({
    ...fixture,
    command: "/tool",
    text: "calico",
    // Never called (the answer goes back in the ack); local all the same.
    response_url: "http://127.0.0.1:9/commands/T0001/1/bench",
  }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return {
    path: "/slack/events",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-signature": signature,
      "x-slack-request-timestamp": timestamp,
    },
    body,
  };
}

async function compare(options: {
  platform: string;
  bot: string;
  bare: string;
  env: NodeJS.ProcessEnv;
  request: () => Request;
  botAnswer: RegExp;
  limitName: string;
}): Promise<Measurement[]> {
  const bot = await startTarget(options.bot, options.env);
  const bare = await startTarget(options.bare, options.env);
  try {
    await checkAnswer(bot.port, options.request(), options.botAnswer);
    await checkAnswer(bare.port, options.request());
    const runs: { bot: Load; bare: Load }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A fresh signature each round: timestamps older than 5 minutes are refused.
      const request = options.request();
      await load(bare.port, request, WARMUP_SECONDS);
      const limit = await load(bare.port, request, SECONDS);
      await load(bot.port, request, WARMUP_SECONDS);
      const ours = await load(bot.port, request, SECONDS);
      runs.push({ bot: ours, bare: limit });
    }
    // For the record, not a bar: the same load with the answer cache off, as every request
    // would be if no two members ever asked for the same thing within a second.
    const uncached = await startTarget(options.bot, { ...options.env, SKILLTREE_ANSWER_CACHE_MS: "0" });
    let cold: Load;
    try {
      const request = options.request();
      await load(uncached.port, request, WARMUP_SECONDS);
      cold = await load(uncached.port, request, SECONDS);
    } finally {
      await stopTarget(uncached);
    }
    const median = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        50,
      );
    const botRps = median(runs.map((r) => r.bot.rps));
    const bareRps = median(runs.map((r) => r.bare.rps));
    const ratio = botRps / bareRps;
    const botP99 = median(runs.map((r) => r.bot.p99));
    const errors = runs.reduce((sum, r) => sum + r.bot.errors, 0);
    const note = `${ROUNDS} alternating rounds of ${SECONDS} s at ${CONNECTIONS} connections; medians`;
    return [
      {
        name: `${options.platform} requests per second vs ${options.limitName}`,
        unit: "req/s",
        value: botRps,
        baseline: { name: options.limitName, value: bareRps },
        bar: "at least 80% of the limit",
        pass: ratio >= 0.8,
        note: `${note}; ratio ${(ratio * 100).toFixed(0)}%`,
      },
      {
        name: `${options.platform} latency at ${CONNECTIONS} connections`,
        unit: "ms",
        p50: median(runs.map((r) => r.bot.p50)),
        p99: botP99,
        baseline: {
          name: options.limitName,
          p50: median(runs.map((r) => r.bare.p50)),
          p99: median(runs.map((r) => r.bare.p99)),
        },
        bar: "p99 under 50 ms",
        pass: botP99 < 50,
        note,
      },
      {
        name: `${options.platform} requests per second, answer cache off (for the record)`,
        unit: "req/s",
        value: cold.rps,
        baseline: { name: options.limitName, value: bareRps },
        note: `one round of ${SECONDS} s; ${((cold.rps / bareRps) * 100).toFixed(0)}% of the limit; p99 ${cold.p99} ms; ${cold.errors} errors`,
      },
      {
        name: `${options.platform} errors, timeouts and non-2xx answers`,
        unit: "count",
        value: errors,
        bar: "zero",
        pass: errors === 0,
        note: `over ${runs.reduce((sum, r) => sum + Math.round(r.bot.rps * SECONDS), 0)} requests`,
      },
    ];
  } finally {
    await Promise.all([stopTarget(bot), stopTarget(bare)]);
  }
}

export async function run(): Promise<SectionResult> {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const publicHex = publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex");
  const secret = "8f742231b10e8888abcd99yyyzzz85a5".replace(/y|z/g, "0");
  const discord = await compare({
    platform: "Discord /discord/interactions",
    bot: "discord-bot",
    bare: "discord-bare",
    env: { DISCORD_PUBLIC_KEY: publicHex },
    request: () => discordRequest(privateKey),
    botAnswer: /"type":4.*Calico/,
    limitName: "bare node:http + Ed25519",
  });
  const slack = await compare({
    platform: "Slack /slack/events",
    bot: "slack-bot",
    bare: "slack-bare",
    env: { SLACK_SIGNING_SECRET: secret },
    request: () => slackRequest(secret),
    botAnswer: /"response_type":"in_channel".*Calico/,
    limitName: "bare Bolt app that only acks",
  });
  return { section: "http endpoints", measurements: [...discord, ...slack] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2));
}
