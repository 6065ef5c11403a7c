/**
 * The Discord adapter: gateway mode (a discord.js Client, no public URL needed) or HTTP
 * interactions mode (POST /discord/interactions on the shared server, stateless). Both share
 * the payload -> Query code (interactions.ts) and the renderer (render.ts).
 */
import { createRequire } from "node:module";
import type { REST } from "@discordjs/rest";
import { ConfigError } from "../../src/config.js";
import { type AdapterDeps, type PlatformAdapter, silentLogger } from "../types.js";
import type { DiscordConfig } from "./config.js";
import type { Gateway } from "./gateway.js";
import { interactionsRoute } from "./http.js";
import type { HandlerContext } from "./interactions.js";
import { inviteUrl } from "./invite.js";
import { publicKeyFromHex } from "./verify.js";

export { type DiscordConfig, readDiscordConfig, wantsDiscord } from "./config.js";

export interface DiscordAdapterOptions {
  /** The clock request signatures are checked against (HTTP mode). */
  now?: () => number;
}

export function createDiscordAdapter(
  deps: AdapterDeps,
  config: DiscordConfig,
  options: DiscordAdapterOptions = {},
): PlatformAdapter {
  const logger = deps.logger ?? silentLogger;
  const handler: HandlerContext = {
    core: deps.core,
    logger,
    onHandled: deps.onHandled,
    deferAfterMs: config.deferAfterMs,
  };
  const inflight = new Set<Promise<unknown>>();
  let accepting = false;
  const track = (work: Promise<unknown>) => {
    const settled = work.catch(() => undefined);
    inflight.add(settled);
    void settled.finally(() => inflight.delete(settled));
  };
  /** Stops taking new events and waits for the ones in flight (deferred edits included). */
  const drain = async () => {
    accepting = false;
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  };

  if (config.mode === "http") {
    if (!config.publicKey) throw new ConfigError("DISCORD_PUBLIC_KEY: required when DISCORD_MODE=http");
    // Built once; no call to Discord until a deferred answer needs an edit.
    const publicKey = publicKeyFromHex(config.publicKey);
    // Discord's REST API is only needed after a deferral, so @discordjs/rest (and undici under it)
    // is loaded then: most HTTP-mode processes never need it.
    let rest: REST | undefined;
    const restClient = () => {
      if (!rest) {
        const { REST } = createRequire(import.meta.url)(
          "@discordjs/rest",
        ) as typeof import("@discordjs/rest");
        rest = new REST({ api: config.apiUrl, version: "10" });
      }
      return rest;
    };
    return {
      platform: "discord",
      routes: [
        interactionsRoute({
          publicKey,
          rest: restClient,
          handler,
          maxBodyBytes: config.maxBodyBytes,
          logger,
          onHandled: deps.onHandled,
          now: options.now ?? Date.now,
          accepting: () => accepting,
          track,
        }),
      ],
      async start() {
        accepting = true;
        logger.info(
          {
            platform: "discord",
            mode: "http",
            ...(config.applicationId ? { invite: inviteUrl(config.applicationId) } : {}),
          },
          "discord interactions endpoint ready at POST /discord/interactions",
        );
      },
      async stop() {
        await drain();
      },
      isReady: () => accepting,
    };
  }

  const { token } = config;
  if (!token) throw new ConfigError("DISCORD_TOKEN: required in gateway mode");
  let gateway: Gateway | undefined;
  return {
    platform: "discord",
    routes: [],
    async start() {
      // discord.js itself (the Client, its WebSocket manager) only in gateway mode: HTTP mode
      // needs the API types and REST alone, and the whole library is some 15 MB of memory more.
      const { createGateway } = await import("./gateway.js");
      gateway ??= createGateway({
        token,
        apiUrl: config.apiUrl,
        applicationId: config.applicationId,
        handler,
        logger,
        accepting: () => accepting,
        track,
      });
      accepting = true;
      await gateway.start();
    },
    async stop() {
      await drain();
      await gateway?.stop();
    },
    isReady: () => accepting && (gateway?.isReady() ?? false),
  };
}
