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

/**
 * Options in declaration order. A free-text option followed by a choice option takes words up
 * to the first word that is one of those choices, so tool names may contain spaces:
 * "/recommend open vswitch trial fast" -> tool "open vswitch", stance "trial", reason "fast".
 * A choice option takes the next word only when it is one of its choices.
 */
function splitOptions(command: CommandDeclaration, rest: string): Record<string, string> {
  const args: Record<string, string> = {};
  let words = rest === "" ? [] : rest.split(/\s+/u);
  const options = command.options.filter((o) => !o.member);
  options.forEach((option, i) => {
    if (words.length === 0) return;
    if (option.choices) {
      const word = words[0]?.toLowerCase() ?? "";
      if (option.choices.some((c) => c.value === word)) {
        args[option.name] = word;
        words = words.slice(1);
      }
      return;
    }
    const next = options[i + 1];
    let take = option.rest ? words.length : 1;
    if (next?.choices) {
      const stop = words.findIndex((w) => next.choices?.some((c) => c.value === w.toLowerCase()));
      take = stop === -1 ? words.length : stop;
    }
    if (take > 0) args[option.name] = words.slice(0, take).join(" ");
    words = words.slice(take);
  });
  return args;
}

export const COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => c.name);
