/**
 * The link that adds the bot to a server. Scopes: `bot` (the bot user, for gateway mode) and
 * `applications.commands` (the slash commands).
 *
 * Permissions: none. Every reply is an interaction response or a webhook edit of one, and
 * those need no channel permission (they may always embed links: see discord-api-docs#5316,
 * "applications always have EMBED_LINKS and ATTACH_FILES when responding to interactions").
 * Moderators are recognised from the member's own Manage Messages, not the bot's. Add a flag
 * here, with the reason, if the bot ever posts outside an interaction.
 */
import { PermissionFlagsBits } from "discord-api-types/v10";

export const INVITE_SCOPES = ["bot", "applications.commands"] as const;

export const INVITE_PERMISSIONS: readonly (keyof typeof PermissionFlagsBits)[] = [];

export function invitePermissions(): bigint {
  return INVITE_PERMISSIONS.reduce((bits, name) => bits | PermissionFlagsBits[name], 0n);
}

export function inviteUrl(applicationId: string, guildId?: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: INVITE_SCOPES.join(" "),
    permissions: invitePermissions().toString(),
  });
  if (guildId) params.set("guild_id", guildId);
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}
