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
 *
 * Nothing is dropped. Words left over go to a free-text option still empty, so the order does
 * not matter where it is unambiguous ("/top workspace networking"); failing that they are
 * given to the last choice option, with the choice it took, as a value that is none of its
 * choices ("/radar workspace extra" -> scope "workspace extra"), and the command answers
 * bad_option naming what was typed instead of silently ignoring it.
 */
function splitOptions(command: CommandDeclaration, rest: string): Record<string, string> {
  const args: Record<string, string> = {};
  let words = rest === "" ? [] : rest.split(/\s+/u);
  const options = command.options.filter((o) => !o.member);
  options.forEach((option, i) => {
    if (words.length === 0) return;
    if (option.choices) {
      if (isChoice(option, words[0])) {
        args[option.name] = (words[0] as string).toLowerCase();
        words = words.slice(1);
      }
      return;
    }
    const next = options[i + 1];
    let take = option.rest ? words.length : 1;
    if (next?.choices) {
      const stop = words.findIndex((w) => isChoice(next, w));
      take = stop === -1 ? words.length : stop;
    }
    if (take > 0) args[option.name] = words.slice(0, take).join(" ");
    words = words.slice(take);
  });
  if (words.length === 0) return args;

  const choiceOptions = options.filter((o) => o.choices);
  // A repeated choice ("/top channel workspace") is a mistake, not a name.
  const repeated = choiceOptions.find((o) => args[o.name] !== undefined && isChoice(o, words[0]));
  const emptyFree = options.find((o) => !o.choices && args[o.name] === undefined);
  if (emptyFree && !repeated) {
    args[emptyFree.name] = words.join(" ");
    return args;
  }
  const target = repeated ?? choiceOptions.at(-1);
  if (target) {
    const typed = [args[target.name], ...words].filter((w) => w !== undefined).join(" ");
    args[target.name] = fitted(typed, target.maxLength);
  }
  return args;
}

function isChoice(option: CommandDeclaration["options"][number], word: string | undefined): boolean {
  const lower = word?.toLowerCase();
  return option.choices?.some((c) => c.value === lower) ?? false;
}

/**
 * Cuts a value to an option's length, so the command quotes it rather than the core refusing
 * it as too long. The ellipsis is U+22EF, which NFKC (the core's cleaning) leaves as one
 * character; "…" would become three.
 */
function fitted(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}⋯`;
}

export const COMMAND_NAMES: readonly string[] = COMMANDS.map((c) => c.name);
