/**
 * Discord settings from the environment, parsed once with zod. Errors name the variable and
 * what it expects, never its value (a token must not end up in a log or a terminal).
 */
import { z } from "zod";
import { ConfigError } from "../../src/config.js";

export type DiscordMode = "gateway" | "http";

export interface DiscordConfig {
  mode: DiscordMode;
  /** The bot token: required for the gateway; HTTP mode answers without it. */
  token?: string;
  /** Required in HTTP mode (the invite URL); read from the READY event in gateway mode otherwise. */
  applicationId?: string;
  /** 64 hex characters; required in HTTP mode to verify request signatures. */
  publicKey?: string;
  /** Register commands to this one server (instant) instead of globally. */
  guildId?: string;
  /** Discord's REST base ("https://discord.com/api"); a local stand-in in tests. */
  apiUrl: string;
  /** Past this, a slow answer is deferred (type 5 or 6) and sent by editing the reply. */
  deferAfterMs: number;
  /** HTTP mode: larger request bodies are refused with 413 before any other work. */
  maxBodyBytes: number;
}

export interface DiscordRegisterConfig {
  token: string;
  applicationId: string;
  guildId?: string;
  apiUrl: string;
}

export const DEFAULT_API_URL = "https://discord.com/api";
/** Discord allows 3 s for the first response; 2 s leaves room for the network. */
export const DEFAULT_DEFER_AFTER_MS = 2000;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const blankIsUnset = (schema: z.ZodType<string>) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

const snowflake = (what: string) =>
  blankIsUnset(
    z
      .string()
      .trim()
      .regex(/^\d{15,21}$/, `expected ${what} (a number of 17 to 20 digits)`),
  );

const schema = z.object({
  DISCORD_MODE: z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() || undefined : v),
    z.enum(["gateway", "http"], { error: "expected gateway (the default) or http" }).optional(),
  ),
  DISCORD_TOKEN: blankIsUnset(
    z
      .string()
      .trim()
      .regex(/^[\w.-]{20,200}$/, "expected the bot token from the Developer Portal (Bot › Reset Token)"),
  ),
  DISCORD_APPLICATION_ID: snowflake("the Application ID from the Developer Portal (General Information)"),
  DISCORD_PUBLIC_KEY: blankIsUnset(
    z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F]{64}$/, "expected the 64 hex characters of the Public Key (General Information)"),
  ),
  DISCORD_GUILD_ID: snowflake("a server id (Developer Mode on, right-click the server › Copy Server ID)"),
  DISCORD_API_URL: blankIsUnset(
    z
      .string()
      .trim()
      .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, "expected an http(s) URL such as https://discord.com/api")
      .transform((url) => url.replace(/\/+$/, "")),
  ),
});

type Parsed = z.infer<typeof schema>;

function parse(env: NodeJS.ProcessEnv): Parsed {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(`${String(issue?.path[0] ?? "environment")}: ${issue?.message ?? "invalid value"}`);
  }
  return result.data;
}

/** True when the environment asks for the Discord adapter at all (a token, or HTTP mode). */
export function wantsDiscord(env: NodeJS.ProcessEnv): boolean {
  const set = (name: string) => (env[name] ?? "").trim() !== "";
  return set("DISCORD_TOKEN") || (env.DISCORD_MODE ?? "").trim().toLowerCase() === "http";
}

/** The bot's settings; throws ConfigError naming the first missing or bad variable. */
export function readDiscordConfig(env: NodeJS.ProcessEnv): DiscordConfig {
  const c = parse(env);
  const mode = c.DISCORD_MODE ?? "gateway";
  if (mode === "gateway" && !c.DISCORD_TOKEN) {
    throw new ConfigError(
      "DISCORD_TOKEN: required in gateway mode (the default); set the bot token, or DISCORD_MODE=http",
    );
  }
  if (mode === "http") {
    if (!c.DISCORD_PUBLIC_KEY) {
      throw new ConfigError(
        "DISCORD_PUBLIC_KEY: required when DISCORD_MODE=http; copy the Public Key from General Information",
      );
    }
    if (!c.DISCORD_APPLICATION_ID) {
      throw new ConfigError(
        "DISCORD_APPLICATION_ID: required when DISCORD_MODE=http; copy the Application ID from General Information",
      );
    }
  }
  return {
    mode,
    ...(c.DISCORD_TOKEN ? { token: c.DISCORD_TOKEN } : {}),
    ...(c.DISCORD_APPLICATION_ID ? { applicationId: c.DISCORD_APPLICATION_ID } : {}),
    ...(c.DISCORD_PUBLIC_KEY ? { publicKey: c.DISCORD_PUBLIC_KEY.toLowerCase() } : {}),
    ...(c.DISCORD_GUILD_ID ? { guildId: c.DISCORD_GUILD_ID } : {}),
    apiUrl: c.DISCORD_API_URL ?? DEFAULT_API_URL,
    deferAfterMs: DEFAULT_DEFER_AFTER_MS,
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  };
}

/** What `npm run discord:register` needs: a token and the application id, in any mode. */
export function readDiscordRegisterConfig(env: NodeJS.ProcessEnv): DiscordRegisterConfig {
  const c = parse(env);
  if (!c.DISCORD_TOKEN) {
    throw new ConfigError("DISCORD_TOKEN: required to register commands; set the bot token");
  }
  if (!c.DISCORD_APPLICATION_ID) {
    throw new ConfigError(
      "DISCORD_APPLICATION_ID: required to register commands; copy the Application ID from General Information",
    );
  }
  return {
    token: c.DISCORD_TOKEN,
    applicationId: c.DISCORD_APPLICATION_ID,
    ...(c.DISCORD_GUILD_ID ? { guildId: c.DISCORD_GUILD_ID } : {}),
    apiUrl: c.DISCORD_API_URL ?? DEFAULT_API_URL,
  };
}
