/**
 * The Bolt App for both modes. We build the receiver ourselves: in Socket Mode so that the
 * socket client gets its own Web API options (SLACK_API_URL reaches apps.connections.open), in
 * HTTP mode so that its request listener can be mounted on the process's shared HTTP server
 * instead of Bolt opening a port of its own.
 */
import { App, type Logger, LogLevel, SocketModeReceiver } from "@slack/bolt";
import type { AdapterLogger } from "../types.js";
import type { SlackConfig } from "./config.js";
import { ReplyReceiver } from "./receiver.js";

export interface BotIdentity {
  botId: string;
  botUserId: string;
}

export type BoltParts =
  | { mode: "socket"; app: App; receiver: SocketModeReceiver }
  | { mode: "http"; app: App; receiver: ReplyReceiver };

export interface BoltOptions {
  logger: AdapterLogger;
  /** Filled by start() from auth.test; until then events are refused. */
  identity: () => BotIdentity | undefined;
}

export function createBolt(config: SlackConfig, options: BoltOptions): BoltParts {
  const logger = boltLogger(options.logger);
  const apiOptions = { slackApiUrl: config.slackApiUrl };
  // The one token of a single-workspace app, with the identity learnt once at start: Bolt never
  // calls auth.test per request. (The same as App options token, botId, botUserId and
  // tokenVerificationEnabled: false, which would need the identity before the App is built; here
  // start() learns it with one auth.test call, after the App exists.)
  const authorize = async () => {
    const identity = options.identity();
    if (!identity) throw new Error("the Slack adapter has not started");
    return { botToken: config.botToken, botId: identity.botId, botUserId: identity.botUserId };
  };
  const clientOptions = {
    ...apiOptions,
    // Calls made while a member waits (users.info) must fail fast rather than retry for minutes.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 5000,
  };

  if (config.mode === "socket") {
    const receiver = new SocketModeReceiver({
      appToken: config.appToken ?? "",
      logger,
      installerOptions: { clientOptions: { ...apiOptions } },
    });
    const app = new App({ receiver, authorize, logger, clientOptions, ignoreSelf: false, convoStore: false });
    return { mode: "socket", app, receiver };
  }

  // Bolt's HTTP handling, with each rendered reply serialised once (receiver.ts).
  const receiver = new ReplyReceiver({
    signingSecret: config.signingSecret ?? "",
    logger,
    bodyLimit: config.maxBodyBytes,
  });
  // No conversation store in either mode: nothing uses it, and it would be one more lookup per event.
  const app = new App({ receiver, authorize, logger, clientOptions, ignoreSelf: false, convoStore: false });
  return { mode: "http", app, receiver };
}

/**
 * Bolt's logger interface onto ours. Debug lines (which carry whole payloads) are dropped;
 * the rest is cut short and scrubbed of anything that looks like a token.
 */
export function boltLogger(sink: AdapterLogger): Logger {
  const text = (parts: unknown[]) =>
    parts
      .map((p) => (p instanceof Error ? `${p.name}: ${p.message}` : typeof p === "string" ? p : safeJson(p)))
      .join(" ")
      .replace(/xox[a-z]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+/g, "[token]")
      .slice(0, 300);
  return {
    debug() {},
    info(...msg: unknown[]) {
      sink.info({ platform: "slack", source: "bolt" }, text(msg));
    },
    warn(...msg: unknown[]) {
      sink.warn({ platform: "slack", source: "bolt" }, text(msg));
    },
    error(...msg: unknown[]) {
      sink.error({ platform: "slack", source: "bolt" }, text(msg));
    },
    setLevel() {},
    getLevel: () => LogLevel.INFO,
    setName() {},
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
