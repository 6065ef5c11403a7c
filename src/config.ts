/**
 * Configuration from the environment (and .env through dotenv), parsed once with zod. A bad
 * value stops start-up with one line naming the variable and what it expects, never its value.
 */
import { userInfo } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { LOCALES, type Locale } from "./answer.js";
import { DEFAULT_DATA_DIR, PROJECT_ROOT } from "./paths.js";

const optional = (schema: z.ZodType<string>) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

const schema = z.object({
  SKILLTREE_LOCALE: z
    .enum(LOCALES as [Locale, ...Locale[]], { error: `expected one of ${LOCALES.join(", ")}` })
    .default("en"),
  SKILLTREE_DATA_DIR: z.string().min(1, "expected a folder path").default(DEFAULT_DATA_DIR),
  DATABASE_URL: optional(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, "expected a PostgreSQL URL such as postgres://user@host:5432/db"),
  ),
  SKILLTREE_SQLITE_PATH: z
    .string()
    .min(1, "expected a file path")
    .default(join(PROJECT_ROOT, "var", "skilltree.db")),
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
  SKILLTREE_CONSOLE_MEMBER: z
    .string()
    .regex(/^[\p{L}\p{N}_.-]{1,64}$/u, "expected a name of letters, digits, _ . or - (at most 64)")
    .optional(),
  PORT: z.coerce
    .number({ error: "expected a TCP port number, such as 3000" })
    .int("expected a TCP port number, such as 3000")
    .min(0, "expected a TCP port number from 0 to 65535")
    .max(65_535, "expected a TCP port number from 0 to 65535")
    .default(3000),
  /** Bind address of the HTTP server; 0.0.0.0 in containers. */
  HOST: z.string().min(1, "expected an address to listen on, such as 0.0.0.0").default("0.0.0.0"),
  SKILLTREE_ADAPTERS: optional(
    z
      .string()
      .regex(
        /^\s*(console|discord|slack)(\s*,\s*(console|discord|slack))*\s*$/,
        "expected a comma-separated list of console, discord, slack",
      ),
  ),
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
  SKILLTREE_CONSOLE_CHANNEL: z
    .string()
    .regex(/^[\p{L}\p{N}_.-]{1,64}$/u, "expected a name of letters, digits, _ . or - (at most 64)")
    .default("local"),
});

export interface Config {
  defaultLocale: Locale;
  dataDir: string;
  /** PostgreSQL when set; otherwise the SQLite file. */
  databaseUrl?: string;
  sqlitePath: string;
  moderators: string[];
  /** Changes per member per minute. */
  rateLimit: number;
  console: { member: string; channel: string };
  port: number;
  host: string;
  /** Explicit choice of adapters; undefined means: every platform with credentials, else the console. */
  adapters?: AdapterName[];
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  watchData: boolean;
}

export type AdapterName = "console" | "discord" | "slack";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Reads the given environment (process.env by default); throws ConfigError on a bad value. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue?.path[0] ?? "environment");
    throw new ConfigError(`${variable}: ${issue?.message ?? "invalid value"}`);
  }
  const c = result.data;
  return {
    defaultLocale: c.SKILLTREE_LOCALE,
    dataDir: c.SKILLTREE_DATA_DIR,
    ...(c.DATABASE_URL ? { databaseUrl: c.DATABASE_URL } : {}),
    sqlitePath: c.SKILLTREE_SQLITE_PATH,
    moderators: c.SKILLTREE_MODERATORS,
    rateLimit: c.SKILLTREE_RATE_LIMIT,
    console: { member: c.SKILLTREE_CONSOLE_MEMBER ?? localUser(), channel: c.SKILLTREE_CONSOLE_CHANNEL },
    port: c.PORT,
    host: c.HOST,
    ...(c.SKILLTREE_ADAPTERS
      ? { adapters: [...new Set(c.SKILLTREE_ADAPTERS.split(",").map((a) => a.trim() as AdapterName))] }
      : {}),
    logLevel: c.LOG_LEVEL,
    watchData: c.SKILLTREE_WATCH_DATA,
  };
}

/** Which adapters to run: SKILLTREE_ADAPTERS, else every platform with credentials, else the console. */
export function chooseAdapters(config: Config, env: NodeJS.ProcessEnv): AdapterName[] {
  if (config.adapters) return config.adapters;
  const chosen: AdapterName[] = [];
  if (env.DISCORD_TOKEN?.trim() || env.DISCORD_MODE?.trim() === "http") chosen.push("discord");
  if (env.SLACK_BOT_TOKEN?.trim()) chosen.push("slack");
  return chosen.length > 0 ? chosen : ["console"];
}

function localUser(): string {
  try {
    const name = userInfo().username;
    return /^[\p{L}\p{N}_.-]{1,64}$/u.test(name) ? name : "local";
  } catch {
    return "local";
  }
}

/** Loads .env into process.env (real environment variables win), quietly. */
export async function loadDotenv(): Promise<void> {
  const dotenv = await import("dotenv");
  dotenv.config({ quiet: true });
}
