/**
 * Starts the real `npm start` entry point in server mode (Discord HTTP interactions, which
 * needs no network at start) on 127.0.0.1, and signs interactions for it with a real key.
 * Isolated like every child (helpers/run.ts): clean environment, no .env, its own SQLite file.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync, sign } from "node:crypto";
import { pathToFileURL } from "node:url";
import { isolatedEnv, projectPath, scratchDir, TSX_LOADER } from "./run.js";

const { publicKey, privateKey } = generateKeyPairSync("ed25519");
export const PUBLIC_KEY_HEX = publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex");
export const APPLICATION_ID = "123456789012345678";

export interface RunningBot {
  port: number;
  process: ChildProcess;
  /** Everything the bot printed so far (JSON log lines). */
  output(): string;
  /** Resolves when a log line matching `pattern` has appeared. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
  url(path: string): string;
}

/** Every bot started in this worker that may still run; see stopStartedBots. */
const started = new Set<ChildProcess>();

/** Kills every bot this worker started that is still running: for afterAll, whatever failed. */
export function stopStartedBots(): void {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  started.clear();
}
// A worker that dies mid-test must not leave bots behind either.
process.once("exit", stopStartedBots);

/**
 * Starts the bot and resolves once it listens. `waitForListening: false` resolves at once (to
 * stop it during start-up); the port is then 0. `preload` is a module loaded before it.
 */
export async function startBot(
  env: NodeJS.ProcessEnv = {},
  options: { waitForListening?: boolean; timeoutMs?: number; preload?: string } = {},
): Promise<RunningBot> {
  const preload = options.preload ? ["--import", pathToFileURL(projectPath(options.preload)).href] : [];
  const child = spawn(process.execPath, [...preload, "--import", TSX_LOADER, projectPath("src/main.ts")], {
    cwd: scratchDir(),
    env: isolatedEnv({
      SKILLTREE_ADAPTERS: "discord",
      DISCORD_MODE: "http",
      DISCORD_PUBLIC_KEY: PUBLIC_KEY_HEX,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      // Nothing may leave the machine: any call to Discord would go here and fail.
      DISCORD_API_URL: "http://127.0.0.1:9/api",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      ...env,
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.add(child);
  child.once("exit", () => started.delete(child));
  let output = "";
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const onData = (chunk: string) => {
    output += chunk;
    for (const w of [...waiters]) {
      if (w.pattern.test(output)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout?.setEncoding("utf8").on("data", onData);
  child.stderr?.setEncoding("utf8").on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const waitFor = (pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<void>((resolve, reject) => {
      if (pattern.test(output)) return resolve();
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${pattern}; output:\n${output}`)),
        timeoutMs,
      );
      waiters.push({
        pattern,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      void exited.then(() => {
        clearTimeout(timer);
        if (!pattern.test(output)) reject(new Error(`the bot exited; output:\n${output}`));
      });
    });
  if (options.waitForListening !== false) {
    try {
      await waitFor(/skilltree listening/, options.timeoutMs ?? 40_000);
    } catch (error) {
      // A bot that did not come up must not outlive the test that started it.
      child.kill("SIGKILL");
      throw error;
    }
  }
  const port = Number(/"port":(\d+)[^\n]*skilltree listening/.exec(output)?.[1] ?? 0);
  return {
    port,
    process: child,
    output: () => output,
    waitFor,
    exited,
    url: (path) => `http://127.0.0.1:${port}${path}`,
  };
}

/** POSTs a signed interaction; returns the status and parsed JSON body. */
export async function interact(
  bot: RunningBot,
  payload: unknown,
): Promise<{ status: number; body: unknown }> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
  const res = await fetch(bot.url("/discord/interactions"), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-signature-ed25519": signature,
      "x-signature-timestamp": timestamp,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A slash command interaction, shaped like Discord's. */
export function slashCommand(
  name: string,
  options: Record<string, string>,
  extra: Record<string, unknown> = {},
) {
  return {
    type: 2,
    id: "1300000000000000001",
    application_id: APPLICATION_ID,
    token: "interaction-token",
    version: 1,
    guild_id: "1100000000000000001",
    channel_id: "1200000000000000001",
    locale: "en-US",
    member: {
      user: { id: "1000000000000000001", username: "alice", global_name: "Alice" },
      permissions: "0",
      roles: [],
    },
    data: {
      id: "1400000000000000001",
      name,
      type: 1,
      options: Object.entries(options).map(([n, value]) => ({ name: n, type: 3, value })),
    },
    ...extra,
  };
}
