/**
 * The Slack adapter: Bolt in Socket Mode (the default: no public URL) or over HTTP (a route on
 * the process's shared server, for replicas behind a load balancer). See docs/slack.md.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { webApi } from "@slack/bolt";
import { type AdapterDeps, type PlatformAdapter, type Route, silentLogger } from "../types.js";
import { type BotIdentity, createBolt } from "./app.js";
import type { SlackConfig } from "./config.js";
import { DELIVERY_MAX, DELIVERY_TTL_MS, SeenDeliveries } from "./deliveries.js";
import { errorText, registerHandlers, slackSyntax } from "./handlers.js";
import { ModeratorLookup } from "./moderators.js";

export { readSlackConfig, type SlackConfig } from "./config.js";

/** How long stop() waits for events in flight before disconnecting anyway. */
const DRAIN_MS = 6000;
/** How long start() waits for Socket Mode's hello. */
const CONNECT_MS = 30_000;

export function createSlackAdapter(deps: AdapterDeps, config: SlackConfig): PlatformAdapter {
  const logger = deps.logger ?? silentLogger;
  let identity: BotIdentity | undefined;
  let connected = false;
  let started = false;
  let stopping = false;
  const inFlight = new Set<Promise<unknown>>();

  const bolt = createBolt(config, { logger, identity: () => identity });
  const moderators = new ModeratorLookup({
    ttlMs: config.moderatorCacheMs,
    onFailure: (error) =>
      logger.warn({ platform: "slack", err: errorText(error) }, "users.info failed; not a moderator"),
  });
  registerHandlers(bolt.app, {
    core: deps.core,
    logger,
    ...(deps.onHandled ? { onHandled: deps.onHandled } : {}),
    ackBudgetMs: config.ackBudgetMs,
    commandPrefix: config.commandPrefix,
    syntax: slackSyntax(config.commandPrefix),
    moderators,
    deliveries: new SeenDeliveries({ ttlMs: DELIVERY_TTL_MS, max: DELIVERY_MAX }),
    track(work) {
      const promise = work();
      inFlight.add(promise);
      const forget = () => inFlight.delete(promise);
      promise.then(forget, forget);
      return promise;
    },
  });

  if (bolt.mode === "socket") {
    const client = bolt.receiver.client;
    client.on("connected", () => {
      connected = true;
    });
    for (const state of ["disconnected", "reconnecting", "disconnecting"]) {
      client.on(state, () => {
        connected = false;
      });
    }
  }

  const routes: Route[] = [];
  if (bolt.mode === "http") {
    const receiver = bolt.receiver;
    routes.push({
      method: "POST",
      path: config.path,
      handle(req: IncomingMessage, res: ServerResponse) {
        if (!started || stopping) {
          res.writeHead(503, { "retry-after": "1" }).end();
          return;
        }
        const length = Number(req.headers["content-length"] ?? 0);
        if (length > config.maxBodyBytes) {
          res.writeHead(413, { connection: "close" }).end();
          req.resume();
          return;
        }
        try {
          receiver.requestListener(req, res);
        } catch (error) {
          logger.warn({ platform: "slack", err: errorText(error) }, "slack request not handled");
          if (!res.headersSent) res.writeHead(404).end();
        }
      },
    });
  }

  async function learnIdentity(): Promise<void> {
    let result: Awaited<ReturnType<typeof bolt.app.client.auth.test>>;
    try {
      result = await bolt.app.client.auth.test({ token: config.botToken });
    } catch (error) {
      throw startError("SLACK_BOT_TOKEN", error, config.slackApiUrl);
    }
    if (!result.bot_id || !result.user_id) {
      throw new Error("SLACK_BOT_TOKEN: expected a bot token (xoxb-…); auth.test named no bot user");
    }
    identity = { botId: result.bot_id, botUserId: result.user_id };
  }

  return {
    platform: "slack",
    routes,
    isReady: () => started && !stopping && (bolt.mode === "http" || connected),
    async start() {
      stopping = false;
      await learnIdentity();
      if (bolt.mode === "socket") {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            bolt.receiver.start(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(
                () => reject(new Error(`Slack Socket Mode did not connect within ${CONNECT_MS / 1000} s`)),
                CONNECT_MS,
              );
            }),
          ]);
        } catch (error) {
          await bolt.receiver.client.disconnect().catch(() => {});
          throw startError("SLACK_APP_TOKEN", error, config.slackApiUrl);
        } finally {
          clearTimeout(timer);
        }
        connected = true;
      }
      started = true;
      logger.info({ platform: "slack", mode: config.mode }, "slack adapter ready");
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      const deadline = Date.now() + DRAIN_MS;
      while (inFlight.size > 0 && Date.now() < deadline) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...inFlight]),
          new Promise((resolve) => {
            timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
          }),
        ]);
        clearTimeout(timer);
      }
      if (bolt.mode === "socket" && started) await bolt.receiver.client.disconnect();
      connected = false;
      started = false;
    },
  };
}

/** A start-up failure that says which variable to check, without its value. */
function startError(variable: string, error: unknown, apiUrl: string): Error {
  const code = (error as { code?: string; data?: { error?: string } } | undefined) ?? {};
  if (code.code === webApi.ErrorCode.PlatformError) {
    return new Error(`${variable}: Slack rejected it (${code.data?.error ?? "unknown error"})`);
  }
  if (code.code === webApi.ErrorCode.RequestError || code.code === webApi.ErrorCode.HTTPError) {
    return new Error(
      `could not reach the Slack Web API at ${apiUrl} (${errorText(error)}); check SLACK_API_URL and the network`,
    );
  }
  return new Error(`${variable}: Slack did not accept it (${errorText(error)})`);
}
