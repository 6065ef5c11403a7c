/**
 * Configuration from the environment (and .env through dotenv), parsed once with zod. A bad
 * value stops start-up with one line per bad variable naming it and what it expects, never its
 * value. Only the variables of what actually runs are checked: the console does not refuse a
 * PORT it never listens on, and a chat server does not refuse a console member name.
 */
import { userInfo } from "node:os";
import { z } from "zod";
import { LOCALES, type Locale } from "./answer.js";
import { DEFAULT_ANSWER_CACHE_MS } from "./answer-cache.js";
import { DEFAULT_DATA_DIR, DEFAULT_SQLITE_PATH } from "./paths.js";

const optional = (schema: z.ZodType<string>) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

const NAME = /^[\p{L}\p{N}_.-]{1,64}$/u;
const NAME_MESSAGE = "expected a name of letters, digits, _ . or - (at most 64)";

/** Read whatever runs. */
const sharedShape = {
  SKILLTREE_LOCALE: z
    .enum(LOCALES as [Locale, ...Locale[]], { error: `expected one of ${LOCALES.join(", ")}` })
    .default("en"),
  SKILLTREE_DATA_DIR: z.string().min(1, "expected a folder path").default(DEFAULT_DATA_DIR),
  DATABASE_URL: optional(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, "expected a PostgreSQL URL such as postgres://user@host:5432/db"),
  ),
  SKILLTREE_SQLITE_PATH: z.string().min(1, "expected a file path").default(DEFAULT_SQLITE_PATH),
  SKILLTREE_MODERATORS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  SKILLTREE_RATE_LIMIT: z.coerce
    .number({ error: "expected a whole number of changes per minute, such as 10" })
    .int("expected a whole number of changes per minute, such as 10")
    .min(1, "expected at least 1 change per minute")
    .max(10_000, "expected at most 10000 changes per minute")
    .default(10),
};

/** Read only when the console runs. */
const consoleShape = {
  SKILLTREE_CONSOLE_MEMBER: z.string().regex(NAME, NAME_MESSAGE).optional(),
  SKILLTREE_CONSOLE_CHANNEL: z.string().regex(NAME, NAME_MESSAGE).default("local"),
};

/** Read only when a chat platform runs (the HTTP server, logs, reload). */
const serverShape = {
  PORT: z.coerce
    .number({ error: "expected a TCP port number, such as 3000" })
    .int("expected a TCP port number, such as 3000")
    .min(0, "expected a TCP port number from 0 to 65535")
    .max(65_535, "expected a TCP port number from 0 to 65535")
    .default(3000),
  /** Bind address of the HTTP server; 0.0.0.0 in containers. */
  HOST: z.string().min(1, "expected an address to listen on, such as 0.0.0.0").default("0.0.0.0"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "expected one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
  /** Reload the taxonomy when a data file changes (SIGHUP always reloads). */
  SKILLTREE_WATCH_DATA: z
    .enum(["true", "false", "1", "0"], { error: "expected true or false" })
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  /** How long a lookup answer is reused (src/answer-cache.ts); 0 turns it off. */
  SKILLTREE_ANSWER_CACHE_MS: z.coerce
    .number({ error: "expected milliseconds, such as 1000 (0 turns the cache off)" })
    .int("expected a whole number of milliseconds, such as 1000")
    .min(0, "expected 0 (off) or more milliseconds")
    .max(60_000, "expected at most 60000 milliseconds")
    .default(DEFAULT_ANSWER_CACHE_MS),
};

const adaptersSchema = optional(
  z
    .string()
    .regex(
      /^\s*(console|discord|slack)(\s*,\s*(console|discord|slack))*\s*$/,
      "expected a comma-separated list of console, discord, slack",
    ),
);

export type AdapterName = "console" | "discord" | "slack";
export type PlatformName = Exclude<AdapterName, "console">;
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export interface ConsoleSettings {
  member: string;
  channel: string;
}

export interface ServerSettings {
  port: number;
  host: string;
  logLevel: LogLevel;
  watchData: boolean;
  /** How long a lookup answer is reused, in milliseconds; 0: never. */
  answerCacheMs: number;
}

export interface Config {
  defaultLocale: Locale;
  dataDir: string;
  /** PostgreSQL when set; otherwise the SQLite file. */
  databaseUrl?: string;
  sqlitePath: string;
  moderators: string[];
  /** Changes per member per minute. */
  rateLimit: number;
  /** What runs: SKILLTREE_ADAPTERS, else every platform with settings, else the console. */
  adapters: AdapterName[];
  /** True when SKILLTREE_ADAPTERS chose, false when the choice came from the platform variables. */
  adaptersExplicit: boolean;
  /** Present when the console runs. */
  console?: ConsoleSettings;
  /** Present when a chat platform runs. */
  server?: ServerSettings;
}

export class ConfigError extends Error {
  /** One line per bad variable, each starting with its name. */
  readonly problems: string[];
  constructor(problems: string | string[]) {
    const lines = typeof problems === "string" ? [problems] : problems;
    super(lines.join("\n"));
    this.name = "ConfigError";
    this.problems = lines;
  }
}

/**
 * The variables of each platform, from docs/discord.md and docs/slack.md. Any of them set means
 * the platform was meant to run: a half-set platform (a public key without DISCORD_MODE, an app
 * token without a bot token) then stops with its own config error naming what is missing,
 * instead of quietly falling back to the console.
 */
export const PLATFORM_VARIABLES: Record<PlatformName, readonly string[]> = {
  discord: [
    "DISCORD_TOKEN",
    "DISCORD_MODE",
    "DISCORD_APPLICATION_ID",
    "DISCORD_PUBLIC_KEY",
    "DISCORD_GUILD_ID",
    "DISCORD_API_URL",
  ],
  slack: [
    "SLACK_BOT_TOKEN",
    "SLACK_MODE",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_API_URL",
    "SLACK_COMMAND_PREFIX",
  ],
};

/** The platforms the environment has settings for (blank values count as unset). */
export function detectPlatforms(env: NodeJS.ProcessEnv): PlatformName[] {
  const set = (name: string) => (env[name] ?? "").trim() !== "";
  return (["discord", "slack"] as const).filter((p) => PLATFORM_VARIABLES[p].some(set));
}

export type ConfigCheck =
  | { ok: true; config: Config }
  | { ok: false; problems: string[]; adapters: AdapterName[] };

/**
 * Parses the environment once, collecting every bad variable. `adapters` forces what runs
 * (`npm run ask` is the console whatever SKILLTREE_ADAPTERS says); otherwise SKILLTREE_ADAPTERS,
 * else the detected platforms, else the console. On failure `adapters` is still the best guess,
 * so the caller can check the platforms' own variables in the same pass.
 */
export function checkConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: { adapters?: AdapterName[] } = {},
): ConfigCheck {
  const problems: string[] = [];
  let adapters: AdapterName[];
  let adaptersExplicit = false;
  if (options.adapters) {
    adapters = [...new Set(options.adapters)];
    adaptersExplicit = true;
  } else {
    const chosen = adaptersSchema.safeParse(env.SKILLTREE_ADAPTERS);
    if (!chosen.success) problems.push(`SKILLTREE_ADAPTERS: ${chosen.error.issues[0]?.message}`);
    if (chosen.success && chosen.data) {
      adapters = [...new Set(chosen.data.split(",").map((a) => a.trim() as AdapterName))];
      adaptersExplicit = true;
    } else {
      const detected = detectPlatforms(env);
      adapters = detected.length > 0 ? detected : ["console"];
    }
  }
  const runsConsole = adapters.includes("console");
  const runsServer = adapters.some((a) => a !== "console");
  const schema = z.object({
    ...sharedShape,
    ...(runsConsole ? consoleShape : {}),
    ...(runsServer ? serverShape : {}),
  });
  const result = schema.safeParse(env);
  if (!result.success) {
    const seen = new Set<string>();
    for (const issue of result.error.issues) {
      const variable = String(issue.path[0] ?? "environment");
      if (seen.has(variable)) continue; // one line per variable: its first problem
      seen.add(variable);
      problems.push(`${variable}: ${issue.message}`);
    }
  }
  if (!result.success || problems.length > 0) return { ok: false, problems, adapters };
  // The object is built from optional shapes, so read the parts back with their own schemas'
  // types (they parsed above; these casts only restore what the spread loses).
  const c = result.data as z.infer<z.ZodObject<typeof sharedShape>>;
  const config: Config = {
    defaultLocale: c.SKILLTREE_LOCALE,
    dataDir: c.SKILLTREE_DATA_DIR,
    ...(c.DATABASE_URL ? { databaseUrl: c.DATABASE_URL } : {}),
    sqlitePath: c.SKILLTREE_SQLITE_PATH,
    moderators: c.SKILLTREE_MODERATORS,
    rateLimit: c.SKILLTREE_RATE_LIMIT,
    adapters,
    adaptersExplicit,
  };
  if (runsConsole) {
    const k = result.data as z.infer<z.ZodObject<typeof consoleShape>>;
    config.console = {
      member: k.SKILLTREE_CONSOLE_MEMBER ?? localUser(),
      channel: k.SKILLTREE_CONSOLE_CHANNEL,
    };
  }
  if (runsServer) {
    const s = result.data as z.infer<z.ZodObject<typeof serverShape>>;
    config.server = {
      port: s.PORT,
      host: s.HOST,
      logLevel: s.LOG_LEVEL,
      watchData: s.SKILLTREE_WATCH_DATA,
      answerCacheMs: s.SKILLTREE_ANSWER_CACHE_MS,
    };
  }
  return { ok: true, config };
}

/** Like checkConfig, but throws a ConfigError holding every problem. */
export function readConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: { adapters?: AdapterName[] } = {},
): Config {
  const check = checkConfig(env, options);
  if (!check.ok) throw new ConfigError(check.problems);
  return check.config;
}

function localUser(): string {
  try {
    const name = userInfo().username;
    return NAME.test(name) ? name : "local";
  } catch {
    return "local";
  }
}

/** Loads .env into process.env (real environment variables win), quietly. */
export async function loadDotenv(): Promise<void> {
  // dotenv is CommonJS: its functions live on the default export (module.exports).
  const { default: dotenv } = await import("dotenv");
  dotenv.config({ quiet: true });
}
