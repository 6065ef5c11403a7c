/**
 * `npm start`: the composition root, and the only file in src/ that loads adapters (lazily,
 * so the console never pays for discord.js or Bolt). With no platform configured it opens the
 * console, which needs no tokens, network or servers; with Discord and/or Slack settings it
 * runs them in one process behind one HTTP server with health, readiness and metrics.
 *
 * Only node: modules are imported statically: the signal and error handlers are in place
 * before anything slow runs (imports, the taxonomy, the store, listen), so a stop at any
 * moment of start-up exits cleanly.
 */
import { watch } from "node:fs";
import { join } from "node:path";
import type { DiscordConfig } from "../adapters/discord/config.js";
import type { SlackConfig } from "../adapters/slack/config.js";
import type { AdapterDeps, PlatformAdapter } from "../adapters/types.js";
import type { Config, ServerSettings } from "./config.js";

/** SIGTERM to exit: in-flight work gets this long, the whole stop stays under 10 s. */
const STOP_DEADLINE_MS = 9_000;
/** How long the last log lines and answers get to leave before exit. */
const FLUSH_TIMEOUT_MS = 1_000;

type Level = "info" | "warn" | "error" | "fatal";
type Log = (level: Level, fields: Record<string, unknown>, message: string) => void;

/** Until the server's logger exists (and always on the console): problems only, on stderr. */
const stderrLog: Log = (level, fields, message) => {
  if (level === "info") return;
  const detail = typeof fields.err === "string" ? `: ${fields.err}` : "";
  process.stderr.write(`skilltree: ${message}${detail}\n`);
};

let log: Log = stderrLog;
let flushLog: (timeoutMs: number) => Promise<void> = () => Promise.resolve();
/** Secret values of the environment, taken out of every error text (set once .env is read). */
let secrets: string[] = [];
let describe: (error: unknown) => string = (error) =>
  error instanceof Error ? error.message : String(error);
let stackOf: (error: unknown) => string | undefined = () => undefined;

/** What a stop undoes, in reverse order of registration; filled in as start-up goes. */
const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
let stopping = false;
let exiting = false;
let exitCode = 0;
/** Requests in flight, for the stop's log line (the HTTP server replaces it). */
let inFlight = () => 0;

/** Thrown at a start-up step once a stop has begun: the stop in progress ends the process. */
class Stopping extends Error {}
function checkpoint(): void {
  if (stopping) throw new Stopping("stopping");
}

function onStop(name: string, run: () => Promise<unknown>): void {
  cleanups.push({ name, run });
}

async function runCleanups(): Promise<void> {
  for (const step of cleanups.splice(0).reverse()) {
    try {
      await step.run();
    } catch (error) {
      log("warn", { step: step.name, err: describe(error) }, "stopping: a step failed");
    }
  }
}

/** Stop taking work, finish what is in flight, close the store, exit; never past the deadline. */
async function stop(reason: string, code = 0): Promise<void> {
  exitCode = Math.max(exitCode, code);
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    log("error", { inFlight: inFlight() }, "stop deadline passed; exiting");
    void exit(1, 300);
  }, STOP_DEADLINE_MS).unref();
  log("info", { signal: reason, inFlight: inFlight() }, "stopping: finishing work in flight");
  await runCleanups();
  log("info", {}, "stopped");
  await exit(exitCode);
}

/** Exits once the logs and stdout have flushed, or after `flushMs`, whichever is first. */
async function exit(code: number, flushMs = FLUSH_TIMEOUT_MS): Promise<void> {
  exitCode = Math.max(exitCode, code);
  if (exiting) return;
  exiting = true;
  // A hard timer as well: a flush that never calls back must not keep the process.
  setTimeout(() => process.exit(exitCode), flushMs + 50).unref();
  await Promise.race([
    Promise.all([flushLog(flushMs), drained(process.stdout), drained(process.stderr)]),
    new Promise((resolve) => setTimeout(resolve, flushMs).unref()),
  ]);
  process.exit(exitCode);
}

/** Resolves once a stream has written what it holds, or failed (exit() bounds the wait). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (stream.writableLength === 0) resolve();
    };
    stream.on("drain", check);
    stream.once("error", () => resolve());
    stream.once("close", () => resolve());
  });
}

// `on`, not `once`: a second signal while stopping must not kill the process half-way (the
// deadline bounds the stop anyway).
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
process.on("uncaughtException", (error) => {
  // The process is in an unknown state: log, flush, exit non-zero (the supervisor restarts it).
  log("fatal", { err: describe(error), stack: stackOf(error) }, "uncaught exception; exiting");
  void exit(1);
});
process.on("unhandledRejection", (reason) => {
  // One malformed platform event must not take the bot down for everyone: log and carry on.
  log("error", { err: describe(reason), stack: stackOf(reason) }, "unhandled promise rejection");
});

interface PlatformConfigs {
  discord?: DiscordConfig;
  slack?: SlackConfig;
}

/** Each platform's own variables, read before anything is opened; every problem is collected. */
async function readPlatformConfigs(
  names: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ configs: PlatformConfigs; problems: string[] }> {
  const configs: PlatformConfigs = {};
  const problems: string[] = [];
  // The config modules are plain zod: they load neither discord.js nor Bolt.
  if (names.includes("discord")) {
    const { readDiscordConfig } = await import("../adapters/discord/config.js");
    try {
      configs.discord = readDiscordConfig(env);
    } catch (error) {
      problems.push(...problemLines(error));
    }
  }
  if (names.includes("slack")) {
    const { readSlackConfig } = await import("../adapters/slack/config.js");
    try {
      configs.slack = readSlackConfig(env);
    } catch (error) {
      problems.push(...problemLines(error));
    }
  }
  return { configs, problems };
}

function problemLines(error: unknown): string[] {
  const problems = (error as { problems?: unknown }).problems;
  if (Array.isArray(problems)) return problems.map(String);
  return [error instanceof Error ? error.message : String(error)];
}

async function loadPlatform(
  name: "discord" | "slack",
  deps: AdapterDeps,
  configs: PlatformConfigs,
): Promise<PlatformAdapter> {
  if (name === "discord") {
    const { createDiscordAdapter } = await import("../adapters/discord/index.js");
    return createDiscordAdapter(deps, required(configs.discord));
  }
  const { createSlackAdapter } = await import("../adapters/slack/index.js");
  return createSlackAdapter(deps, required(configs.slack));
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("a platform's configuration was not read");
  return value;
}

async function runConsole(config: Config): Promise<void> {
  const { openSession } = await import("../adapters/console/session.js");
  const { runRepl } = await import("../adapters/console/repl.js");
  checkpoint();
  const session = await openSession(config);
  onStop("store", () => session.close());
  checkpoint();
  await runRepl(session);
}

async function runServer(config: Config, server: ServerSettings, configs: PlatformConfigs): Promise<void> {
  const [
    { createLogger, flushLogger },
    { Metrics, reportHandled },
    { createOpsServer },
    { instrumentStore },
  ] = await Promise.all([
    import("./ops/logger.js"),
    import("./ops/metrics.js"),
    import("./ops/http.js"),
    import("./ops/instrumented-store.js"),
  ]);
  const logger = await createLogger({ level: server.logLevel });
  log = (level, fields, message) => logger[level](fields, message);
  flushLog = (timeoutMs) => flushLogger(logger, timeoutMs);
  checkpoint();
  const [{ Skilltree }, { Recommendations }, { openStore }, { loadTaxonomyFast }, { cacheDirBeside }] =
    await Promise.all([
      import("./core.js"),
      import("./recommendations.js"),
      import("./store/open.js"),
      import("./taxonomy/compiled.js"),
      import("./paths.js"),
    ]);
  checkpoint();
  const metrics = new Metrics();
  // The compiled taxonomy when data/ has not changed since it was last validated: a faster start,
  // and none of the YAML parser's garbage, which would otherwise leave the heap grown for good.
  const loadData = () => loadTaxonomyFast(config.dataDir, cacheDirBeside(config.sqlitePath));
  const taxonomy = await loadData();
  checkpoint();
  const store = instrumentStore(
    openStore({
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
      sqlitePath: config.sqlitePath,
    }),
    metrics,
  );
  onStop("store", () =>
    store
      .close()
      .catch((error: unknown) => log("warn", { err: describe(error) }, "closing the store failed")),
  );
  try {
    await store.init();
  } catch (error) {
    // Lookups work without the store; readiness reports it, and the store recovers by itself.
    logger.warn({ err: describe(error) }, "recommendation store unavailable at start");
  }
  checkpoint();
  const core = new Skilltree(taxonomy, {
    defaultLocale: config.defaultLocale,
    recommendations: new Recommendations(store, {
      moderators: new Set(config.moderators),
      rateLimit: { changes: config.rateLimit, windowMs: 60_000 },
      now: () => Date.now(),
    }),
    onError: (error, query) =>
      logger.error({ err: describe(error), command: query.command }, "error while answering"),
    answerCacheMs: server.answerCacheMs,
  });
  // The first member's lookup must not pay for building the typo and full-text indexes.
  core.warm();
  const deps: AdapterDeps = {
    core,
    logger,
    onHandled: reportHandled(metrics, logger),
  };
  const platforms: PlatformAdapter[] = [];
  for (const name of config.adapters) {
    if (name !== "console") platforms.push(await loadPlatform(name, deps, configs));
    checkpoint();
  }

  const ops = createOpsServer({
    routes: platforms.flatMap((p) => p.routes),
    readiness: [
      { name: "taxonomy", check: async () => core.taxonomy.tools.size > 0 },
      { name: "store", check: () => store.ping().then(() => true) },
      ...platforms.map((p) => ({ name: p.platform, check: async () => p.isReady() })),
    ],
    metrics,
    isStopping: () => stopping,
  });
  inFlight = ops.inFlight;
  onStop("http server", () => ops.drain());
  await new Promise<void>((resolve, reject) => {
    ops.server.once("error", reject);
    ops.server.listen(server.port, server.host, () => resolve());
  });
  checkpoint();
  const address = ops.server.address();
  logger.info(
    { port: typeof address === "object" && address ? address.port : server.port, adapters: config.adapters },
    "skilltree listening",
  );
  // Registered after the HTTP server, so a stop runs it first: no new events, then the drain.
  onStop("platforms", () => Promise.allSettled(platforms.map((p) => p.stop())));

  const reload = async (reason: string) => {
    try {
      core.replaceTaxonomy(await loadData());
      logger.info({ reason, tools: core.taxonomy.tools.size }, "taxonomy reloaded");
    } catch (error) {
      // A broken edit keeps the last good data.
      logger.error({ reason, err: describe(error) }, "taxonomy reload failed; keeping the last good data");
    }
  };
  process.on("SIGHUP", () => void reload("SIGHUP"));
  if (server.watchData) watchData(config.dataDir, reload);

  for (const platform of platforms) {
    await platform.start();
    checkpoint();
    logger.info({ platform: platform.platform }, "platform ready");
  }
  if (config.adapters.includes("console")) {
    await runConsole(config);
    await stop("console closed");
  }
}

/** Reloads shortly after the last change, so an editor's several writes make one reload. */
function watchData(dataDir: string, reload: (reason: string) => Promise<void>): void {
  let timer: NodeJS.Timeout | undefined;
  const onChange = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void reload("data file changed"), 300);
  };
  for (const dir of [dataDir, join(dataDir, "areas")]) {
    try {
      watch(dir, onChange).unref();
    } catch (error) {
      log("warn", { dir, err: describe(error) }, "cannot watch the data folder");
    }
  }
}

async function main(): Promise<void> {
  const { checkConfig, loadDotenv } = await import("./config.js");
  await loadDotenv();
  const { errorMessage, errorStack, secretsOf } = await import("./ops/redact.js");
  secrets = secretsOf(process.env);
  describe = (error) => errorMessage(error, secrets);
  stackOf = (error) => errorStack(error, secrets);
  checkpoint();

  const check = checkConfig(process.env);
  const names = check.ok ? check.config.adapters : check.adapters;
  // The platforms' own variables too, before anything is opened, so every problem shows at once.
  const platforms = await readPlatformConfigs(names, process.env);
  const problems = [...(check.ok ? [] : check.problems), ...platforms.problems];
  if (!check.ok || problems.length > 0) {
    for (const line of problems) process.stderr.write(`skilltree: ${line}\n`);
    return exit(1);
  }
  const config = check.config;
  checkpoint();

  if (config.server) await runServer(config, config.server, platforms.configs);
  else {
    if (!config.adaptersExplicit && !process.stdin.isTTY) {
      // An empty container log must explain itself (`docker run` without -it, compose without .env).
      process.stderr.write(
        "skilltree: no chat platform is configured (see .env.example); answering standard input on the console\n",
      );
    }
    // Nobody reads the answers any more (`npm start | head -3`): stop like at the end of input.
    process.stdout.on("error", () => void stop("stdout closed"));
    await runConsole(config);
    // End of input: close the store and let the process end by itself, so every answer still
    // waiting in a pipe is written (process.exit would cut it off).
    await runCleanups();
  }
}

main().catch(async (error: unknown) => {
  if (error instanceof Stopping) return; // the stop in progress exits
  const { ConfigError } = await import("./config.js");
  const { DataError } = await import("./taxonomy/errors.js");
  if (error instanceof DataError || error instanceof ConfigError) {
    process.stderr.write(`skilltree: ${describe(error)}\n`);
  } else {
    process.stderr.write(`skilltree: could not start: ${describe(error)}\n`);
  }
  // Whatever start-up had opened (the store, the HTTP server) is closed on the way out.
  await stop("start-up failed", 1);
});
