/**
 * Builds what the console needs: config, the taxonomy, the store, and the core. The console
 * acts as one local member (SKILLTREE_CONSOLE_MEMBER, default the OS user) in one local
 * channel, so recommendations work offline on the embedded SQLite store.
 */
import { type Config, readConfig } from "../../src/config.js";
import { Skilltree } from "../../src/core.js";
import { errorMessage, secretsOf } from "../../src/ops/redact.js";
import { cacheDirBeside } from "../../src/paths.js";
import type { CommandSyntax, Member, Place } from "../../src/query.js";
import { Recommendations } from "../../src/recommendations.js";
import { openStore } from "../../src/store/open.js";
import type { RecommendationStore } from "../../src/store/types.js";
import { loadTaxonomyFast } from "../../src/taxonomy/compiled.js";

export interface ConsoleSession {
  core: Skilltree;
  member: Member;
  place: Place;
  /** How commands are typed here: the declared names, every option as words on one line. */
  syntax: CommandSyntax;
  close(): Promise<void>;
}

/**
 * `config` is the one parse `npm start` already made; without it (`npm run ask`) the
 * environment is read for the console alone, so a server-only variable (PORT...) is not checked.
 */
export async function openSession(
  config: Config = readConfig(process.env, { adapters: ["console"] }),
): Promise<ConsoleSession> {
  const settings = config.console;
  if (!settings) throw new Error("openSession: the configuration was read without the console's variables");
  const taxonomy = await loadTaxonomyFast(config.dataDir, cacheDirBeside(config.sqlitePath));
  const store = openConsoleStore(config);
  await initQuietly(store);
  const core = new Skilltree(taxonomy, {
    defaultLocale: config.defaultLocale,
    recommendations: new Recommendations(store, {
      moderators: new Set(config.moderators),
      rateLimit: { changes: config.rateLimit, windowMs: 60_000 },
      now: () => Date.now(),
    }),
    onError: (error) => process.stderr.write(`skilltree: ${describe(error)}\n`),
  });
  return {
    core,
    member: { id: settings.member, name: settings.member },
    place: { platform: "console", workspace: "local", channel: settings.channel },
    syntax: CONSOLE_SYNTAX,
    close: () => store.close(),
  };
}

const CONSOLE_SYNTAX: CommandSyntax = { commandName: (name) => name, oneLine: true };

function openConsoleStore(config: Config): RecommendationStore {
  return openStore({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    sqlitePath: config.sqlitePath,
  });
}

/** An unreachable database must not stop lookups: the commands that need it say so. */
async function initQuietly(store: RecommendationStore): Promise<void> {
  try {
    await store.init();
  } catch (error) {
    process.stderr.write(`skilltree: recommendations are unavailable: ${describe(error)}\n`);
  }
}

function describe(error: unknown): string {
  return errorMessage(error, secretsOf(process.env));
}
