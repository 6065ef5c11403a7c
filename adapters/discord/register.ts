/**
 * `npm run discord:register` (tsx adapters/discord/register.ts): registers the slash commands
 * generated from the one declaration. With DISCORD_GUILD_ID, to that one server (instant: for
 * development); otherwise globally. Both are a PUT of the whole list, so running it again
 * updates the commands and removes any that are gone.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { REST } from "@discordjs/rest";
import { Routes } from "discord-api-types/v10";
import { ConfigError, loadDotenv } from "../../src/config.js";
import { applicationCommands } from "./commands.js";
import { type DiscordRegisterConfig, readDiscordRegisterConfig } from "./config.js";
import { inviteUrl } from "./invite.js";

export interface RegisterResult {
  scope: "guild" | "global";
  count: number;
}

export async function registerCommands(config: DiscordRegisterConfig, rest?: REST): Promise<RegisterResult> {
  const client = rest ?? new REST({ api: config.apiUrl, version: "10" }).setToken(config.token);
  const body = applicationCommands();
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.applicationId, config.guildId)
    : Routes.applicationCommands(config.applicationId);
  const registered = await client.put(route, { body });
  return {
    scope: config.guildId ? "guild" : "global",
    count: Array.isArray(registered) ? registered.length : body.length,
  };
}

async function main(): Promise<void> {
  await loadDotenv();
  const config = readDiscordRegisterConfig(process.env);
  const result = await registerCommands(config);
  const where =
    result.scope === "guild"
      ? `to server ${config.guildId} (available now)`
      : "globally (Discord may take a few minutes to show them everywhere)";
  process.stdout.write(`Registered ${result.count} commands ${where}.\n`);
  process.stdout.write(`Invite the bot: ${inviteUrl(config.applicationId, config.guildId)}\n`);
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(resolve(entry)).href) {
  main().catch((error: unknown) => {
    const message =
      error instanceof ConfigError
        ? error.message
        : error instanceof Error
          ? `could not register the commands: ${error.message.slice(0, 300)}`
          : "could not register the commands";
    process.stderr.write(`discord:register: ${message}\n`);
    process.exitCode = 1;
  });
}
