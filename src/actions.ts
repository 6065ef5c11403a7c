/**
 * Button and menu ids, shared by every platform. An id carries everything needed to answer the
 * click (no server-side state), so buttons keep working after a restart and on any replica.
 * Format: "st1:<verb>:<fields...>". "st1" versions the format: a later one must keep reading st1.
 *
 * Entries are named by id, and a click resolves its id as an id (`idRef`), never as a name: the
 * Photon button of the "photon" choice opens Photon, not the choice again.
 *
 * Length: each renderer enforces its own platform's limit (Discord custom_id 100, Slack
 * action_id 255) and shows no button rather than a broken one; this module only refuses what
 * decodeAction would not read back.
 */

import { type CommandDeclaration, findCommand } from "./commands/declarations.js";
import type { Query } from "./query.js";
import { idRef } from "./search/resolve.js";
import { STANCES, type Stance } from "./store/types.js";

/** Discord's custom_id limit, the strictest of the platforms (Slack allows 255). */
export const MAX_ACTION_ID = 100;
/** The longest id decodeAction reads: above every platform's limit, a guard against junk. */
const MAX_DECODED = MAX_ACTION_ID * 3;
const PREFIX = "st1";

export { idRef };

export type ActionId =
  | { verb: "tool"; id: string }
  | { verb: "area"; id: string }
  /** Ask which stance (a follow-up with one button per stance). */
  | { verb: "rec"; id: string }
  /** Record this stance. */
  | { verb: "recs"; id: string; stance: Stance }
  /** Page `page` (0-based) of a command's answer with one text argument. */
  | { verb: "page"; command: string; page: number; arg: string };

export function encodeAction(action: ActionId): string | undefined {
  let id: string;
  switch (action.verb) {
    case "tool":
    case "area":
    case "rec":
      id = `${PREFIX}:${action.verb}:${action.id}`;
      break;
    case "recs":
      id = `${PREFIX}:recs:${action.id}:${action.stance}`;
      break;
    case "page":
      id = `${PREFIX}:page:${action.command}:${action.page}:${action.arg}`;
      break;
  }
  // Too long to read back (a very long search text): the caller shows no button at all.
  return id.length <= MAX_DECODED ? id : undefined;
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function decodeAction(raw: string): ActionId | undefined {
  if (raw.length > MAX_DECODED) return undefined;
  const [prefix, verb, ...rest] = raw.split(":");
  if (prefix !== PREFIX) return undefined;
  const [first = "", second = ""] = rest;
  switch (verb) {
    case "tool":
    case "area":
    case "rec":
      return rest.length === 1 && ID.test(first) ? { verb, id: first } : undefined;
    case "recs":
      return rest.length === 2 && ID.test(first) && (STANCES as readonly string[]).includes(second)
        ? { verb, id: first, stance: second as Stance }
        : undefined;
    case "page": {
      const page = Number(second);
      if (!/^[a-z]+$/.test(first) || !Number.isInteger(page) || page < 0 || page > 1000) return undefined;
      return { verb, command: first, page, arg: rest.slice(2).join(":") };
    }
    default:
      return undefined;
  }
}

/**
 * The query a click runs. Entries go by id (`idRef`), so an id that is also an ambiguous name
 * still opens its own entry. Paging re-runs the command; the renderer picks the page.
 */
export function queryOf(action: ActionId): Query {
  switch (action.verb) {
    case "tool":
    case "rec":
      return { command: "tool", args: { name: idRef(action.id) } };
    case "area":
      return { command: "skilltree", args: { area: idRef(action.id) } };
    case "recs":
      return { command: "recommend", args: { tool: idRef(action.id), stance: action.stance } };
    case "page":
      return { command: action.command, args: pageArgs(action.command, action.arg) };
  }
}

/**
 * Commands a page button (or a "run" action) may re-run: everything but those that change
 * something, so a click can never record a recommendation by itself.
 */
const CHANGES_STATE: ReadonlySet<string> = new Set(["recommend"]);

/**
 * The option a page button's one argument fills: the command's first declared option (none
 * for a command without options). Undefined for a command that cannot be paged.
 */
export function pageOption(command: string): { option: string | undefined } | undefined {
  const declared: CommandDeclaration | undefined = findCommand(command);
  if (!declared || CHANGES_STATE.has(declared.name)) return undefined;
  return { option: declared.options[0]?.name };
}

function pageArgs(command: string, arg: string): Record<string, string> {
  const option = pageOption(command)?.option;
  return arg !== "" && option ? { [option]: arg } : {};
}

/** The command and argument whose answer a click shows, for paging buttons on that answer. */
export function pagingOf(action: ActionId | undefined): { command: string; arg: string } | undefined {
  switch (action?.verb) {
    case "page":
      return { command: action.command, arg: action.arg };
    case "tool":
      return { command: "tool", arg: idRef(action.id) };
    case "area":
      return { command: "skilltree", arg: idRef(action.id) };
    default:
      return undefined;
  }
}
