/**
 * Slash command names on Slack, from the one declaration (COMMANDS), and the way back from what
 * Slack sends to a declared command. Shared by the manifest and the handlers so they agree.
 */
import { COMMANDS, type CommandDeclaration } from "../../src/commands/declarations.js";

/**
 * Slack's built-in commands, which an app cannot register (a manifest naming one is rejected
 * whole). Of ours, only /search collides; it becomes /skilltree-search, next to /skilltree
 * in the command menu.
 */
export const SLACK_RESERVED = new Set([
  "me",
  "status",
  "away",
  "active",
  "dnd",
  "shrug",
  "remind",
  "msg",
  "dm",
  "feed",
  "who",
  "collapse",
  "expand",
  "leave",
  "join",
  "open",
  "search",
  "topic",
  "mute",
  "invite",
  "remove",
  "kick",
  "archive",
  "rename",
  "shortcuts",
  "apps",
]);

/** The slash command (without "/") that runs a declared command on Slack. */
export function slackCommandName(name: string, prefix = ""): string {
  const full = `${prefix}${name}`;
  return SLACK_RESERVED.has(full) ? `skilltree-${name}` : full;
}

/**
 * The declared command a Slack slash command runs, or undefined for one we do not know. The
 * prefixed name comes first; the plain and the renamed ones also work, so a manifest made with
 * another prefix still reaches the right command.
 */
export function declaredCommandFor(slash: string, prefix = ""): CommandDeclaration | undefined {
  const sent = slash.replace(/^\//, "").toLowerCase();
  const commands = COMMANDS as readonly CommandDeclaration[];
  return (
    commands.find((c) => slackCommandName(c.name, prefix) === sent) ??
    commands.find((c) => c.name === sent || `skilltree-${c.name}` === sent)
  );
}
