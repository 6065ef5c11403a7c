/**
 * `npm start`: the composition root, and the only file in src/ that loads adapters (lazily,
 * so the console never pays for discord.js or Bolt). With no platform configured it opens the
 * console, which needs no tokens, network or servers; with Discord and/or Slack credentials it
 * runs them in one process behind one HTTP server with health, readiness and metrics.
 */
import { watch } from "node:fs";
import { join } from "node:path";
import type { AdapterDeps, PlatformAdapter } from "../adapters/types.js";
import {
  type AdapterName,
  type Config,
  ConfigError,
  chooseAdapters,
  loadDotenv,
  readConfig,
} from "./config.js";
import { Skilltree } from "./core.js";
import { createOpsServer } from "./ops/http.js";
import { instrumentStore } from "./ops/instrumented-store.js";
import { createLogger, type Logger } from "./ops/logger.js";
import { Metrics } from "./ops/metrics.js";
import { Recommendations } from "./recommendations.js";
import { openStore } from "./store/open.js";
import { DataError, loadTaxonomy } from "./taxonomy/load.js";

/** SIGTERM to exit: in-flight work gets this long, the whole stop stays under 10 s. */
const STOP_DEADLINE_MS = 9_000;

async function loadPlatform(name: "discord" | "slack", deps: AdapterDeps): Promise<PlatformAdapter> {
  // Each platform's config is read where its adapter lives; errors name the variable.
  if (name === "discord") {
    const { createDiscordAdapter, readDiscordConfig } = await import("../adapters/discord/index.js");
    return createDiscordAdapter(
      deps,
      readConfigOf(() => readDiscordConfig(process.env)),
    );
  }
  const { createSlackAdapter, readSlackConfig } = await import("../adapters/slack/index.js");
  return createSlackAdapter(
    deps,
    readConfigOf(() => readSlackConfig(process.env)),
  );
}

function readConfigOf<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
}

async function runConsole(): Promise<void> {
  const { openSession } = await import("../adapters/console/session.js");
  const { runRepl } = await import("../adapters/console/repl.js");
  const session = await openSession();
  try {
    await runRepl(session);
  } finally {
    await session.close();
  }
}

async function runServer(config: Config, names: AdapterName[]): Promise<void> {
  const logger = await createLogger({ level: config.logLevel });
  const metrics = new Metrics();
  const taxonomy = loadTaxonomy(config.dataDir);
  const store = instrumentStore(
    openStore({
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
      sqlitePath: config.sqlitePath,
    }),
    metrics,
  );
  try {
    await store.init();
  } catch (error) {
    // Lookups work without the store; readiness reports it, and the store recovers by itself.
    logger.warn({ err: message(error) }, "recommendation store unavailable at start");
  }
  const core = new Skilltree(taxonomy, {
    defaultLocale: config.defaultLocale,
    recommendations: new Recommendations(store, {
      moderators: new Set(config.moderators),
      rateLimit: { changes: config.rateLimit, windowMs: 60_000 },
      now: () => Date.now(),
    }),
    onError: (error, query) =>
      logger.error({ err: message(error), command: query.command }, "error while answering"),
  });
  const deps: AdapterDeps = {
    core,
    logger,
    onHandled: (event) => {
      metrics.commands.inc({ command: event.command, platform: event.platform, outcome: event.outcome });
      metrics.latency.observe({ platform: event.platform }, event.durationMs / 1000);
      logger.info(event, "handled");
    },
  };
  const platforms: PlatformAdapter[] = [];
  for (const name of names) if (name !== "console") platforms.push(await loadPlatform(name, deps));

  let stopping = false;
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
  await new Promise<void>((resolve, reject) => {
    ops.server.once("error", reject);
    ops.server.listen(config.port, config.host, () => resolve());
  });
  const address = ops.server.address();
  logger.info(
    { port: typeof address === "object" && address ? address.port : config.port, adapters: names },
    "skilltree listening",
  );

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, inFlight: ops.inFlight() }, "stopping: finishing work in flight");
    setTimeout(() => {
      logger.error({ inFlight: ops.inFlight() }, "stop deadline passed; exiting");
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    await Promise.allSettled(platforms.map((p) => p.stop()));
    await ops.drain();
    await store
      .close()
      .catch((error: unknown) => logger.warn({ err: message(error) }, "closing the store failed"));
    logger.info({}, "stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));

  const reload = (reason: string) => {
    try {
      core.replaceTaxonomy(loadTaxonomy(config.dataDir));
      logger.info({ reason, tools: core.taxonomy.tools.size }, "taxonomy reloaded");
    } catch (error) {
      // A broken edit keeps the last good data.
      logger.error({ reason, err: message(error) }, "taxonomy reload failed; keeping the last good data");
    }
  };
  process.on("SIGHUP", () => reload("SIGHUP"));
  if (config.watchData) watchData(config.dataDir, reload, logger);

  for (const platform of platforms) {
    await platform.start();
    logger.info({ platform: platform.platform }, "platform ready");
  }
  if (names.includes("console")) {
    await runConsole();
    await stop("console closed");
  }
}

/** Reloads shortly after the last change, so an editor's several writes make one reload. */
function watchData(dataDir: string, reload: (reason: string) => void, logger: Logger): void {
  let timer: NodeJS.Timeout | undefined;
  const onChange = () => {
    clearTimeout(timer);
    timer = setTimeout(() => reload("data file changed"), 300);
  };
  for (const dir of [dataDir, join(dataDir, "areas")]) {
    try {
      watch(dir, onChange).unref();
    } catch (error) {
      logger.warn({ dir, err: message(error) }, "cannot watch the data folder");
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<void> {
  await loadDotenv();
  const config = readConfig();
  const names = chooseAdapters(config, process.env);
  if (names.length === 1 && names[0] === "console") await runConsole();
  else await runServer(config, names);
}

main().catch((error: unknown) => {
  if (error instanceof DataError || error instanceof ConfigError) {
    process.stderr.write(`skilltree: ${error.message}\n`);
  } else {
    process.stderr.write(`skilltree: could not start: ${message(error)}\n`);
  }
  process.exit(1);
});
