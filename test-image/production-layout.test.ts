/**
 * The Docker image, built without Docker (no engine runs here) by following the Dockerfile
 * itself: every stage gets a clean folder, its COPY lines copy exactly what they name (from the
 * build context, minus .dockerignore, or from an earlier stage), its RUN lines run there
 * (`npm ci`, `npm run build`, `npm ci --omit=dev`), and the runtime stage's ENV, CMD and
 * HEALTHCHECK start and probe the process. Only what needs root is skipped (apt-get, the
 * volume's folder), and the test fails if another RUN line would be.
 *
 * Slow (it installs the dependencies twice and compiles better-sqlite3 from source, the two
 * independent stages side by side as BuildKit does), so it runs as `npm run test:image`, in CI
 * after `npm test`.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync, sign } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { PROJECT_ROOT } from "../src/paths.js";

const { publicKey, privateKey } = generateKeyPairSync("ed25519");
// The raw 32-byte key is the tail of its SPKI encoding.
const publicKeyHex = publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("hex");

// --- the Dockerfile, read ------------------------------------------------------------------

interface Instruction {
  op: string;
  args: string;
}
interface StageSpec {
  name: string;
  from: string;
  instructions: Instruction[];
}

function readDockerfile(text: string): { args: Record<string, string>; stages: StageSpec[] } {
  const lines = text
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const args: Record<string, string> = {};
  const stages: StageSpec[] = [];
  for (const line of lines) {
    const [, op = "", rest = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = op.toUpperCase();
    if (upper === "FROM") {
      const [, from = "", name = ""] = /^(\S+)\s+AS\s+(\S+)$/i.exec(rest) ?? [];
      stages.push({ name, from, instructions: [] });
    } else if (upper === "ARG" && stages.length === 0) {
      const [key = "", value = ""] = rest.split("=");
      args[key] = value;
    } else {
      stages.at(-1)?.instructions.push({ op: upper, args: rest });
    }
  }
  return { args, stages };
}

/** `KEY=value KEY2=value2` of an ENV line. */
function envPairs(args: string): Record<string, string> {
  return Object.fromEntries([...args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1] ?? "", m[2] ?? ""]));
}

/** The exec form of CMD or HEALTHCHECK ... CMD: `["node", ...]`. */
function execForm(args: string): string[] {
  const json = args.slice(args.indexOf("["));
  return JSON.parse(json) as string[];
}

// --- .dockerignore, as Docker matches it (from the context root; * stays within a segment) ---

function ignoreMatcher(text: string): (rel: string) => boolean {
  const rules = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const negate = l.startsWith("!");
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+|\/+$/g, "");
      const source = pattern
        .split("/")
        .map((seg) =>
          seg === "**" ? ".*" : seg.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*"),
        )
        .join("/");
      return { negate, regex: new RegExp(`^${source}$`) };
    });
  return (rel) => {
    const parts = rel.split("/");
    let ignored = false;
    for (const rule of rules) {
      // A pattern matching a folder excludes everything under it.
      for (let i = 1; i <= parts.length; i++) {
        if (rule.regex.test(parts.slice(0, i).join("/"))) ignored = !rule.negate;
      }
    }
    return ignored;
  };
}

// --- building it --------------------------------------------------------------------------------

interface BuiltStage {
  name: string;
  dir: string;
  env: Record<string, string>;
  ran: string[];
  skipped: string[];
  volume?: string;
  healthcheck?: string[];
  cmd?: string[];
}

/** RUN lines that need root and the system's package manager; this machine has a compiler. */
const SKIPPABLE = [/^apt-get update && apt-get install /, /^mkdir -p \/var\/lib\/skilltree && chown /];

function sh(command: string, cwd: string, log: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // The npm cache of this machine, as a Docker build cache would be.
      npm_config_prefer_offline: "true",
      npm_config_update_notifier: "false",
    };
    // The build stages set no NODE_ENV (vitest sets "test").
    delete env.NODE_ENV;
    const child = spawn("sh", ["-c", command], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      log.push(`$ ${command}\n${output.slice(-4000)}`);
      if (code === 0) resolve();
      else reject(new Error(`RUN ${command} failed (${code}):\n${output.slice(-4000)}`));
    });
  });
}

function buildImage(root: string, dockerfile: string): Promise<Map<string, BuiltStage>> {
  const { stages } = readDockerfile(dockerfile);
  const ignored = ignoreMatcher(readFileSync(join(PROJECT_ROOT, ".dockerignore"), "utf8"));
  const built = new Map<string, Promise<BuiltStage>>();
  const byName = new Map(stages.map((s) => [s.name, s]));
  const log: string[] = [];

  const copyFromContext = (source: string, target: string) => {
    cpSync(join(PROJECT_ROOT, source), target, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (path) => !ignored(relative(PROJECT_ROOT, path).split("\\").join("/")),
    });
  };

  const run = async (spec: StageSpec): Promise<BuiltStage> => {
    const dir = join(root, spec.name);
    const stage: BuiltStage = { name: spec.name, dir, env: {}, ran: [], skipped: [] };
    const parent = byName.get(spec.from);
    if (parent) {
      const base = await runOnce(parent);
      cpSync(base.dir, dir, { recursive: true, verbatimSymlinks: true });
      stage.env = { ...base.env };
    } else {
      expect(spec.from, "a stage starts from the Node image or an earlier stage").toMatch(/^node:/);
      mkdirSync(dir, { recursive: true });
    }
    for (const { op, args } of spec.instructions) {
      if (op === "WORKDIR") expect(args, "the app lives in /app").toBe("/app");
      else if (op === "ENV") Object.assign(stage.env, envPairs(args));
      else if (op === "COPY") {
        const words = args.split(/\s+/);
        const from = /^--from=(\S+)$/.exec(words[0] ?? "")?.[1];
        const paths = from ? words.slice(1) : words;
        const dest = paths.pop() ?? ".";
        const target = join(dir, dest);
        if (from) {
          const source = await runOnce(byName.get(from) ?? fail(`COPY --from=${from}: no such stage`));
          for (const p of paths) {
            cpSync(join(source.dir, relative("/app", p)), target, {
              recursive: true,
              verbatimSymlinks: true,
            });
          }
        } else {
          for (const p of paths) {
            copyFromContext(p, dest.endsWith("/") || paths.length > 1 ? join(target, p) : target);
          }
        }
      } else if (op === "RUN") {
        if (SKIPPABLE.some((r) => r.test(args))) stage.skipped.push(args);
        else {
          await sh(args, dir, log);
          stage.ran.push(args);
        }
      } else if (op === "VOLUME") stage.volume = (JSON.parse(args) as string[])[0];
      else if (op === "HEALTHCHECK") stage.healthcheck = execForm(args);
      else if (op === "CMD") stage.cmd = execForm(args);
    }
    return stage;
  };
  const runOnce = (spec: StageSpec): Promise<BuiltStage> => {
    let promise = built.get(spec.name);
    if (!promise) {
      promise = run(spec);
      built.set(spec.name, promise);
    }
    return promise;
  };
  // Every stage at once: each waits only for the stages it copies from (as BuildKit does).
  return Promise.all(stages.map(runOnce)).then((all) => new Map(all.map((s) => [s.name, s])));
}

function fail(message: string): never {
  throw new Error(message);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs an exec-form command (HEALTHCHECK, compose's healthcheck) the way Docker would. */
function runExec(command: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number | null> {
  const [program, ...args] = command;
  expect(program).toBe("node");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

// --- the test ------------------------------------------------------------------------------------

let root: string;
let image: Map<string, BuiltStage>;
let runtime: BuiltStage;
let runtimeEnv: NodeJS.ProcessEnv;
let bot: ChildProcess;
let port = 0;
let output = "";

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "skilltree-image-"));
  image = await buildImage(root, readFileSync(join(PROJECT_ROOT, "Dockerfile"), "utf8"));
  runtime = [...image.values()].at(-1) ?? fail("no stages");
  port = await freePort();
  const volume = join(root, "volume");
  mkdirSync(volume);
  const sqlitePath = runtime.env.SKILLTREE_SQLITE_PATH ?? "";
  // The image's environment, with the volume mapped to a temporary folder and the port free.
  runtimeEnv = {
    PATH: process.env.PATH,
    ...runtime.env,
    SKILLTREE_SQLITE_PATH: join(volume, relative(runtime.volume ?? "/", sqlitePath)),
    PORT: String(port),
    HOST: "127.0.0.1",
    DISCORD_MODE: "http",
    DISCORD_PUBLIC_KEY: publicKeyHex,
    DISCORD_APPLICATION_ID: "123456789012345678",
  };
  const [program, ...args] = runtime.cmd ?? fail("no CMD");
  expect(program).toBe("node");
  bot = spawn(process.execPath, args, {
    cwd: runtime.dir,
    env: runtimeEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line; output:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (/skilltree listening/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    bot.stdout?.on("data", onData);
    bot.stderr?.on("data", onData);
    bot.once("exit", (code) => reject(new Error(`exited with ${code}; output:\n${output}`)));
  });
}, 600_000);

afterAll(() => {
  if (bot && bot.exitCode === null) bot.kill("SIGKILL");
  if (root) rmSync(root, { recursive: true, force: true });
});

const url = (path: string) => `http://127.0.0.1:${port}${path}`;

describe("the image's layout, built by following the Dockerfile", () => {
  it("ran the build stage's npm ci and build, and the production install apart", () => {
    const ran = [...image.values()].flatMap((s) => s.ran);
    expect(ran.some((r) => /^npm ci\b/.test(r) && !r.includes("--omit=dev"))).toBe(true);
    expect(ran.some((r) => /npm run build/.test(r))).toBe(true);
    expect(ran.some((r) => /^npm ci --omit=dev\b/.test(r))).toBe(true);
    // Only what needs root was skipped.
    expect([...image.values()].flatMap((s) => s.skipped)).toHaveLength(2);
  });

  it("holds compiled JavaScript and production dependencies only", () => {
    expect(existsSync(join(runtime.dir, "dist/src/main.js"))).toBe(true);
    expect(existsSync(join(runtime.dir, "src")), "no TypeScript sources").toBe(false);
    for (const dev of ["tsx", "typescript", "vitest", "@biomejs/biome", "fast-check", "fuse.js"]) {
      expect(existsSync(join(runtime.dir, "node_modules", dev)), dev).toBe(false);
    }
    const bins = readdirSync(join(runtime.dir, "node_modules/.bin"));
    expect(bins).not.toContain("tsx");
    expect(bins).not.toContain("tsc");
    expect(
      existsSync(join(runtime.dir, "node_modules/better-sqlite3/build/Release/better_sqlite3.node")),
    ).toBe(true);
    expect(readdirSync(runtime.dir).sort()).toEqual(["data", "dist", "node_modules", "package.json"]);
  });

  it("answers a one-shot question with node dist/ask.cjs, its code cache in the volume", () => {
    const env = {
      PATH: process.env.PATH,
      ...runtime.env,
      SKILLTREE_SQLITE_PATH: runtimeEnv.SKILLTREE_SQLITE_PATH,
    };
    const result = spawnSync(process.execPath, ["dist/ask.cjs", "/tool calico"], {
      cwd: runtime.dir,
      env,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Calico$/m);
    const cache = join(dirname(runtimeEnv.SKILLTREE_SQLITE_PATH ?? ""), "cache");
    expect(readdirSync(cache).some((f) => f.endsWith(".v8cache"))).toBe(true);
  });

  it("passes its own HEALTHCHECK, and compose's readiness check", async () => {
    const env = { PATH: process.env.PATH, PORT: String(port) };
    expect(await runExec(runtime.healthcheck ?? fail("no HEALTHCHECK"), env, runtime.dir)).toBe(0);
    const compose = parseYaml(readFileSync(join(PROJECT_ROOT, "compose.yaml"), "utf8")) as {
      services: { bot: { healthcheck: { test: string[] } } };
    };
    const [kind, ...command] = compose.services.bot.healthcheck.test;
    expect(kind).toBe("CMD");
    expect(await runExec(command, env, runtime.dir)).toBe(0);
  });

  it("answers /healthz and /readyz, with the SQLite file in the volume", async () => {
    expect((await fetch(url("/healthz"))).status).toBe(200);
    const ready = await fetch(url("/readyz"));
    expect(await ready.json()).toMatchObject({
      status: "ready",
      checks: { taxonomy: "ok", store: "ok", discord: "ok" },
    });
    expect(existsSync(runtimeEnv.SKILLTREE_SQLITE_PATH ?? "")).toBe(true);
    expect(dirname(runtimeEnv.SKILLTREE_SQLITE_PATH ?? "")).toBe(join(root, "volume"));
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

  it("stops cleanly on SIGTERM, and then fails its HEALTHCHECK", async () => {
    const started = Date.now();
    bot.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => {
      if (bot.exitCode !== null) resolve(bot.exitCode);
      else bot.once("exit", (c) => resolve(c));
    });
    expect(code, output).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(output).toMatch(/"msg":"stopped"/);
    const env = { PATH: process.env.PATH, PORT: String(port) };
    expect(await runExec(runtime.healthcheck ?? [], env, runtime.dir)).toBe(1);
  });
});
