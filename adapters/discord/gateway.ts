/**
 * Gateway mode: a discord.js Client holds the WebSocket (intent Guilds only: interactions need
 * no other) and hands each raw INTERACTION_CREATE payload to the shared handler, the same JSON
 * HTTP mode receives. First responses go out as REST interaction callbacks.
 *
 * discord.js would also turn every INTERACTION_CREATE into its own Interaction object. That code
 * trusts the payload: a type 2 without `data`, or a `member` without `user`, throws inside the
 * gateway's event emitter, an unhandled rejection that ends the process, before our own checks
 * (payload.ts) ever see it. Nothing here listens to Events.InteractionCreate, so
 * that work is switched off (`skipBuiltInInteractions`); test/discord-gateway.test.ts sends such
 * payloads and fails if a discord.js upgrade brings the crash back.
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

  skipBuiltInInteractions(client, logger);
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

/** discord.js's action that builds Interaction objects: private API, checked before use. */
interface BuiltInActions {
  InteractionCreate?: { handle?: (data: unknown) => unknown };
}

function skipBuiltInInteractions(client: Client, logger: AdapterLogger): void {
  const action = (client as unknown as { actions?: BuiltInActions }).actions?.InteractionCreate;
  if (action && typeof action.handle === "function") {
    // The raw listener above answers every interaction; discord.js has nothing left to do.
    action.handle = () => undefined;
    return;
  }
  logger.warn(
    { platform: "discord" },
    "discord.js no longer has the InteractionCreate action; malformed interactions may crash it",
  );
}
