/**
 * Gateway mode: a discord.js Client holds the WebSocket (intent Guilds only: interactions need
 * no other) and hands each raw INTERACTION_CREATE payload to the shared handler, the same JSON
 * HTTP mode receives. First responses go out as REST interaction callbacks.
 */
import { once } from "node:events";
import { Client, Events, GatewayDispatchEvents, GatewayIntentBits, Routes } from "discord.js";
import type { AdapterLogger } from "../types.js";
import { describeError, type HandlerContext, handleInteraction, type Transport } from "./interactions.js";
import { inviteUrl } from "./invite.js";

export interface GatewayOptions {
  token: string;
  apiUrl: string;
  applicationId?: string | undefined;
  handler: HandlerContext;
  logger: AdapterLogger;
  accepting: () => boolean;
  track: (work: Promise<unknown>) => void;
}

export interface Gateway {
  start(): Promise<void>;
  stop(): Promise<void>;
  isReady(): boolean;
}

export function createGateway(options: GatewayOptions): Gateway {
  const { logger } = options;
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: options.apiUrl } });
  const transport: Transport = {
    rest: client.rest,
    respond: async (interaction, body) => {
      await client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
        body,
        auth: false,
      });
    },
  };

  client.ws.on(GatewayDispatchEvents.InteractionCreate, (raw: unknown) => {
    if (!options.accepting()) return;
    options.track(handleInteraction(raw, transport, options.handler));
  });
  client.on(Events.Error, (error) =>
    logger.error({ platform: "discord", ...describeError(error) }, "discord client error"),
  );
  client.on(Events.ShardError, (error, shard) =>
    logger.warn({ platform: "discord", shard, ...describeError(error) }, "discord connection error"),
  );
  client.on(Events.ShardDisconnect, (event, shard) =>
    logger.warn({ platform: "discord", shard, code: event.code }, "discord connection closed for good"),
  );

  return {
    async start() {
      const ready = once(client, Events.ClientReady);
      await client.login(options.token);
      await ready;
      const applicationId = options.applicationId ?? client.application?.id;
      logger.info(
        {
          platform: "discord",
          mode: "gateway",
          ...(applicationId ? { invite: inviteUrl(applicationId) } : {}),
        },
        "discord bot connected; add it to a server with the invite link",
      );
    },
    async stop() {
      await client.destroy();
    },
    isReady: () => client.isReady(),
  };
}
