/**
 * The Slack adapter's configuration, read from the environment once. A bad or missing value
 * throws an Error naming the variable and what it expects, never its value.
 */
import { z } from "zod";

export type SlackMode = "socket" | "http";

export interface SlackConfig {
  mode: SlackMode;
  /** xoxb-…: the bot token, for the Web API (users.info, auth.test). */
  botToken: string;
  /** xapp-…: the app-level token with connections:write, for Socket Mode. */
  appToken?: string;
  /** Verifies that HTTP requests come from Slack (HTTP mode). */
  signingSecret?: string;
  /** The Web API base, ending in "/": Slack's, GovSlack's, or a local stand-in in tests. */
  slackApiUrl: string;
  /** Prepended to every slash command name (e.g. "st-" gives /st-tool), when names clash. */
  commandPrefix: string;
  /** The path of the HTTP endpoint for commands and interactivity (HTTP mode). */
  path: string;
  /** Largest request body accepted in HTTP mode, in bytes. */
  maxBodyBytes: number;
  /**
   * How long a slash command may take before it is acknowledged empty and answered through
   * its response_url instead. Slack allows 3 s; the rest is margin for the network.
   */
  ackBudgetMs: number;
  /** How long a users.info answer (admin or owner) is trusted. */
  moderatorCacheMs: number;
}

export const DEFAULT_SLACK_API_URL = "https://slack.com/api/";
export const SLACK_EVENTS_PATH = "/slack/events";

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = (schema: z.ZodType<string>) => z.preprocess(blank, schema.optional());

const schema = z.object({
  SLACK_MODE: z.preprocess(
    (v) => (typeof blank(v) === "string" ? String(v).trim().toLowerCase() : undefined),
    z.enum(["socket", "http"], { error: "expected socket or http" }).default("socket"),
  ),
  SLACK_BOT_TOKEN: z.preprocess(
    blank,
    z
      .string({ error: "expected the bot token (xoxb-…) from OAuth & Permissions" })
      .regex(/^xoxb-[A-Za-z0-9-]+$/, "expected a bot token starting with xoxb-"),
  ),
  SLACK_APP_TOKEN: optional(
    z.string().regex(/^xapp-[A-Za-z0-9-]+$/, "expected an app-level token starting with xapp-"),
  ),
  SLACK_SIGNING_SECRET: optional(
    z.string().regex(/^[A-Za-z0-9]{16,128}$/, "expected the signing secret from Basic Information (hex)"),
  ),
  SLACK_API_URL: optional(
    z
      .string()
      .refine(
        isHttpUrl,
        "expected an http(s) URL such as https://slack.com/api/ or https://slack-gov.com/api/",
      ),
  ),
  SLACK_COMMAND_PREFIX: optional(
    z.string().regex(/^[a-z0-9_-]{1,16}$/, "expected up to 16 lowercase letters, digits, - or _ (e.g. st-)"),
  ),
});

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === "https:" || url.protocol === "http:") && url.username === "" && url.password === ""
    );
  } catch {
    return false;
  }
}

/** Reads the Slack variables; throws an Error naming the first bad one. */
export function readSlackConfig(env: NodeJS.ProcessEnv): SlackConfig {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue?.path[0] ?? "environment");
    throw new Error(`${variable}: ${issue?.message ?? "invalid value"}`);
  }
  const c = result.data;
  if (c.SLACK_MODE === "socket" && !c.SLACK_APP_TOKEN) {
    throw new Error(
      "SLACK_APP_TOKEN: expected an app-level token (xapp-…) with connections:write for Socket Mode, or set SLACK_MODE=http",
    );
  }
  if (c.SLACK_MODE === "http" && !c.SLACK_SIGNING_SECRET) {
    throw new Error(
      "SLACK_SIGNING_SECRET: expected the signing secret from Basic Information for SLACK_MODE=http",
    );
  }
  const apiUrl = c.SLACK_API_URL ?? DEFAULT_SLACK_API_URL;
  return {
    mode: c.SLACK_MODE,
    botToken: c.SLACK_BOT_TOKEN,
    ...(c.SLACK_APP_TOKEN ? { appToken: c.SLACK_APP_TOKEN } : {}),
    ...(c.SLACK_SIGNING_SECRET ? { signingSecret: c.SLACK_SIGNING_SECRET } : {}),
    slackApiUrl: apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`,
    commandPrefix: c.SLACK_COMMAND_PREFIX ?? "",
    path: SLACK_EVENTS_PATH,
    maxBodyBytes: 256 * 1024,
    ackBudgetMs: 2500,
    moderatorCacheMs: 5 * 60_000,
  };
}
