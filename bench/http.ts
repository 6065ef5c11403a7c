/**
 * HTTP endpoints (issue 7, part 3), on 127.0.0.1 with autocannon, bounded in time:
 * - Discord: POST /discord/interactions with real Ed25519 signatures (`/tool calico`, answered
 *   in the HTTP response), against a bare node:http server doing only the same verification;
 * - Slack: POST /slack/events with signed `/tool calico` slash commands (answered in the ack),
 *   against a bare Bolt app that only acks. Every Slack request is its own delivery (its own
 *   trigger_id, timestamp and signature): the adapter acks a trigger_id it has already seen
 *   without answering it (Slack's retries), so a repeated body would measure empty acks.
 * Every answer under load is checked (the bot's must be the Calico card, the limit's its fixed
 * reply); one that is not fails the section, since its figures would not measure the bot.
 * Each server runs in a process of its own (bench/http-target.ts) so the load generator here and
 * the server each have a core; bot and limit alternate round by round, so machine noise hits
 * both alike, and the figures are medians over the rounds.
 *
 * Run alone: npx tsx bench/http.ts
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import { PROJECT_ROOT } from "../src/paths.js";
import { productionNodeFlags } from "./production-flags.js";
import { type Measurement, percentile, type SectionResult } from "./types.js";

const CONNECTIONS = 50;
const ROUNDS = 3;
const WARMUP_SECONDS = 1;
const SECONDS = 5;

interface Target {
  port: number;
  child: ChildProcess;
}

/** Starts bench/http-target.ts NAME and resolves once it prints READY <port> (on stderr). */
function startTarget(name: string, env: NodeJS.ProcessEnv): Promise<Target> {
  // The bot's log goes to /dev/null: a write per line, as to a container's log pipe, without this
  // process (the load generator's) having to read it.
  const devNull = openSync("/dev/null", "w");
  // The bot's targets run with the image's Node flags; the limits too, so both sides match.
  const child = spawn(
    process.execPath,
    [...productionNodeFlags(), "--import", "tsx", "bench/http-target.ts", name],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", devNull, "pipe"],
    },
  );
  closeSync(devNull);
  return new Promise((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${err}`)), 30_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString();
      const port = /READY (\d+)/.exec(err)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ port: Number(port), child });
      }
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
  /** Transport errors, timeouts and non-2xx answers. */
  errors: number;
  /** Answers (2xx or not) whose body failed the check. */
  mismatches: number;
  /** Responses received, all of them checked. */
  answers: number;
  /** The first body that failed the check, for the error message. */
  mismatch?: string;
}

/** What a load sends (`next`, called once per request when `unique`) and how its answers are checked. */
interface Traffic {
  next: () => Request;
  /** Build every request afresh (Slack: one delivery each) instead of repeating one. */
  unique: boolean;
  answer: RegExp;
}

async function load(port: number, traffic: Traffic, seconds: number): Promise<Load> {
  const first = traffic.next();
  let mismatch: string | undefined;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${first.path}`,
    method: "POST",
    connections: CONNECTIONS,
    duration: seconds,
    // One request repeated, or one built per request by autocannon's per-request hook (which
    // replaces the whole request: headers, body and path).
    requests: [
      traffic.unique
        ? {
            method: "POST",
            setupRequest: (req) => {
              const request = traffic.next();
              return { ...req, path: request.path, headers: request.headers, body: request.body };
            },
          }
        : { method: "POST", path: first.path, headers: first.headers, body: first.body },
    ],
    // Called on every response; expectBody cannot be combined with `requests`.
    verifyBody: (body) => {
      const text = String(body ?? "");
      const ok = traffic.answer.test(text);
      if (!ok && mismatch === undefined) mismatch = text.slice(0, 200) || "(empty body)";
      return ok;
    },
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    mismatches: result.mismatches,
    answers: result.requests.total,
    ...(mismatch !== undefined ? { mismatch } : {}),
  };
}

/**
 * Throws unless every answer of a load passed its check: else the figures measure something
 * else. The limit must also have no errors (a refused signature is a fast empty 401, which
 * would inflate it); the bot's errors are a measurement of their own.
 */
function checkLoad(what: string, run: Load, limit = false): Load {
  if (run.answers === 0) throw new Error(`${what}: no answers under load`);
  if (limit && run.errors > 0) {
    throw new Error(`${what}: ${run.errors} errors, timeouts or non-2xx answers under load`);
  }
  if (run.mismatches > 0) {
    throw new Error(
      `${what}: ${run.mismatches} of ${run.answers} answers under load were not the expected answer, e.g. ${JSON.stringify(run.mismatch)}`,
    );
  }
  return run;
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

/**
 * A factory of signed `/tool calico` slash commands, each its own delivery: a trigger_id never
 * used before (the adapter treats a repeat as Slack's retry and answers it with an empty ack),
 * the current timestamp and the signature over both, as Slack signs them.
 */
function slackRequests(secret: string): () => Request {
  const fixture = JSON.parse(
    readFileSync(join(PROJECT_ROOT, "test", "fixtures", "slack", "slash-command.json"), "utf8"),
  ) as Record<string, string>;
  const { trigger_id: _, ...fields } = fixture;
  const form = new URLSearchParams({
    ...fields,
    command: "/tool",
    text: "calico",
    // Never called (the answer goes back in the ack); local all the same.
    response_url: "http://127.0.0.1:9/commands/T0001/1/bench",
  }).toString();
  // The counter never repeats within this run (across targets and rounds); the random part
  // keeps two runs apart as well.
  const run = randomBytes(6).toString("hex");
  let count = 0;
  return () => {
    count += 1;
    const body = `${form}&trigger_id=${run}.${count}.bench`;
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
  };
}

async function compare(options: {
  platform: string;
  bot: string;
  bare: string;
  env: NodeJS.ProcessEnv;
  request: () => Request;
  /** Each request its own (Slack deliveries); else one request per load, repeated. */
  unique: boolean;
  botAnswer: RegExp;
  /** What botAnswer matches, in words, for the note. */
  answerName: string;
  bareAnswer: RegExp;
  limitName: string;
}): Promise<Measurement[]> {
  // A fixed request is built once per load: a fresh signature each round, since timestamps
  // older than 5 minutes are refused. A unique one is built per request by load().
  const traffic = (answer: RegExp): Traffic => {
    if (options.unique) return { next: options.request, unique: true, answer };
    const request = options.request();
    return { next: () => request, unique: false, answer };
  };
  const botName = `${options.platform}, the bot`;
  const bareName = `${options.platform}, ${options.limitName}`;
  const bot = await startTarget(options.bot, options.env);
  const bare = await startTarget(options.bare, options.env);
  try {
    await checkAnswer(bot.port, options.request(), options.botAnswer);
    await checkAnswer(bare.port, options.request(), options.bareAnswer);
    const runs: { bot: Load; bare: Load }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      checkLoad(bareName, await load(bare.port, traffic(options.bareAnswer), WARMUP_SECONDS), true);
      const limit = checkLoad(bareName, await load(bare.port, traffic(options.bareAnswer), SECONDS), true);
      checkLoad(botName, await load(bot.port, traffic(options.botAnswer), WARMUP_SECONDS));
      const ours = checkLoad(botName, await load(bot.port, traffic(options.botAnswer), SECONDS));
      runs.push({ bot: ours, bare: limit });
    }
    // For the record, not a bar: the same load with the answer cache off, as every request
    // would be if no two members ever asked for the same thing within a second.
    const uncached = await startTarget(options.bot, { ...options.env, SKILLTREE_ANSWER_CACHE_MS: "0" });
    let cold: Load;
    try {
      const coldName = `${botName} with the answer cache off`;
      checkLoad(coldName, await load(uncached.port, traffic(options.botAnswer), WARMUP_SECONDS));
      cold = checkLoad(coldName, await load(uncached.port, traffic(options.botAnswer), SECONDS));
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
    const checked = runs.reduce((sum, r) => sum + r.bot.answers, 0);
    const note = `${ROUNDS} alternating rounds of ${SECONDS} s at ${CONNECTIONS} connections; medians`;
    return [
      {
        name: `${options.platform} requests per second vs ${options.limitName}`,
        unit: "req/s",
        value: botRps,
        baseline: { name: options.limitName, value: bareRps },
        bar: "at least 80% of the limit",
        pass: ratio >= 0.8,
        note: `${note}; ratio ${(ratio * 100).toFixed(0)}%; all ${checked} answers checked: ${options.answerName}${options.unique ? "; each request a new delivery" : ""}`,
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
    // Discord's interactions are not de-duplicated: the same signed body, repeated, is fine.
    unique: false,
    botAnswer: /"type":4.*Calico/s,
    answerName: "the Calico card (type 4)",
    bareAnswer: /^\{"type":4,/,
    limitName: "bare node:http + Ed25519",
  });
  const slack = await compare({
    platform: "Slack /slack/events",
    bot: "slack-bot",
    bare: "slack-bare",
    env: { SLACK_SIGNING_SECRET: secret },
    request: slackRequests(secret),
    unique: true,
    botAnswer: /"response_type":"in_channel".*Calico/s,
    answerName: "the Calico card in the ack (in_channel)",
    // Bolt's ack() with nothing to say: 200 and an empty body.
    bareAnswer: /^$/,
    limitName: "bare Bolt app that only acks",
  });
  return { section: "http endpoints", measurements: [...discord, ...slack] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2));
}
