/**
 * Turns one line of text ("/tool calico", "/search 日志收集") into a Query. The console and
 * Slack, which sends a command's arguments as one string, share it.
 */
import type { Query } from "../query.js";
import { COMMANDS, type CommandDeclaration, findCommand } from "./declarations.js";

/** Text with no leading slash is a search: the friendliest guess for a bare question. */
export function parseLine(line: string): Query {
  const trimmed = line.trim();
  if (!trimmed.startsWith("/") && !trimmed.startsWith("／"))
    return { command: "search", args: { query: trimmed } };
  const body = trimmed.slice(1);
  const space = body.search(/\s/u);
  const name = (space === -1 ? body : body.slice(0, space)).toLowerCase();
  const rest = space === -1 ? "" : body.slice(space + 1).trim();
  return parseArgs(name, rest);
}

/** Fills a command's options from the text after its name. */
export function parseArgs(name: string, rest: string): Query {
  const command = findCommand(name);
  if (!command) return { command: name, args: {} };
  return { command: command.name, args: splitOptions(command, rest) };
}

function splitOptions(command: CommandDeclaration, rest: string): Record<string, string> {
  const args: Record<string, string> = {};
  let remaining = rest;
  for (const option of command.options) {
    if (remaining === "") break;
    if (option.rest) {
      args[option.name] = remaining;
      remaining = "";
    } else {
      const space = remaining.search(/\s/u);
      args[option.name] = space === -1 ? remaining : remaining.slice(0, space);
      remaining = space === -1 ? "" : remaining.slice(space + 1).trim();
    }
  }
  return args;
}

export const COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => c.name);
