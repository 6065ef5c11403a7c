/**
 * The Docker image's production layout, built without Docker (no engine runs here): a clean
 * copy with the compiled JavaScript, `npm ci --omit=dev`, and the compiled entry point, as the
 * Dockerfile's runtime stage has them. Slow (it installs and compiles production dependencies
 * from scratch), so it runs as `npm run test:image`, in CI after `npm test`.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync, sign } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../src/paths.js";

const { publicKey, privateKey } = generateKeyPairSync("ed25519");
// The raw 32-byte key is the tail of its SPKI encoding.
const publicKeyHex = publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex");

let dir: string;
let bot: ChildProcess;
let port = 0;
let stdout = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "skilltree-image-"));
  execFileSync(
    process.execPath,
    [
      join(PROJECT_ROOT, "node_modules/typescript/bin/tsc"),
      "-p",
      "tsconfig.build.json",
      "--outDir",
      join(dir, "dist"),
    ],
    {
      cwd: PROJECT_ROOT,
      stdio: "pipe",
    },
  );
  for (const name of ["package.json", "package-lock.json", "data"])
    cpSync(join(PROJECT_ROOT, name), join(dir, name), { recursive: true });
  execFileSync("npm", ["ci", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd: dir,
    stdio: "pipe",
    env: { ...process.env, NODE_ENV: "production" },
  });
  bot = spawn(process.execPath, ["dist/src/main.js"], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      SKILLTREE_ADAPTERS: "discord",
      DISCORD_MODE: "http",
      DISCORD_PUBLIC_KEY: publicKeyHex,
      DISCORD_APPLICATION_ID: "123456789012345678",
      PORT: "0",
      HOST: "127.0.0.1",
      SKILLTREE_SQLITE_PATH: join(dir, "var", "skilltree.db"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line; output:\n${stdout}`)), 30_000);
    bot.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const match = /"port":(\d+)[^\n]*skilltree listening/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    bot.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
  });
}, 600_000);

afterAll(() => {
  if (bot && bot.exitCode === null) bot.kill("SIGKILL");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const url = (path: string) => `http://127.0.0.1:${port}${path}`;

describe("the production layout", () => {
  it("holds compiled JavaScript and production dependencies only", () => {
    expect(existsSync(join(dir, "dist/src/main.js"))).toBe(true);
    for (const dev of ["tsx", "typescript", "vitest", "@biomejs/biome", "fast-check"]) {
      expect(existsSync(join(dir, "node_modules", dev)), dev).toBe(false);
    }
    expect(existsSync(join(dir, "node_modules/better-sqlite3/build/Release/better_sqlite3.node"))).toBe(true);
  });

  it("answers /healthz and /readyz", async () => {
    expect((await fetch(url("/healthz"))).status).toBe(200);
    const ready = await fetch(url("/readyz"));
    expect(await ready.json()).toMatchObject({
      status: "ready",
      checks: { taxonomy: "ok", store: "ok", discord: "ok" },
    });
  });

  it("serves signed Discord interactions and counts them in /metrics", async () => {
    const body = JSON.stringify({
      type: 1,
      id: "1",
      application_id: "123456789012345678",
      token: "t",
      version: 1,
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString("hex");
    const pong = await fetch(url("/discord/interactions"), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-signature-ed25519": signature,
        "x-signature-timestamp": timestamp,
      },
      body,
    });
    expect(pong.status).toBe(200);
    expect(await pong.json()).toEqual({ type: 1 });
    const unsigned = await fetch(url("/discord/interactions"), { method: "POST", body });
    expect(unsigned.status).toBe(401);
    const metrics = await (await fetch(url("/metrics"))).text();
    expect(metrics).toMatch(/# TYPE skilltree_commands_total counter/);
    expect(metrics).toMatch(/# TYPE skilltree_answer_duration_seconds histogram/);
    expect(metrics).toMatch(/skilltree_process_resident_memory_bytes \d+/);
  });

  it("stops cleanly on SIGTERM", async () => {
    const started = Date.now();
    bot.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => {
      if (bot.exitCode !== null) resolve(bot.exitCode);
      else bot.once("exit", (c) => resolve(c));
    });
    expect(code, stdout).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(stdout).toMatch(/"msg":"stopped"/);
  });
});
