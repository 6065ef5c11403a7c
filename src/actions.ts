/**
 * Button and menu ids, shared by every platform. An id carries everything needed to answer the
 * click (no server-side state), so buttons keep working after a restart and on any replica.
 * Format: "st1:<verb>:<fields...>", at most 100 characters (Discord's custom_id limit; Slack
 * allows 255). "st1" versions the format: a later one must keep reading st1.
 */

import type { Query } from "./query.js";
import { STANCES, type Stance } from "./store/types.js";

export const MAX_ACTION_ID = 100;
const PREFIX = "st1";

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
  // Too long to fit (a long search text): the caller shows no button rather than a broken one.
  return id.length <= MAX_ACTION_ID ? id : undefined;
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function decodeAction(raw: string): ActionId | undefined {
  if (raw.length > MAX_ACTION_ID * 3) return undefined;
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

/** The query a click runs. Paging re-runs the command; the renderer picks the page. */
export function queryOf(action: ActionId): Query {
  switch (action.verb) {
    case "tool":
      return { command: "tool", args: { name: action.id } };
    case "area":
      return { command: "skilltree", args: { area: action.id } };
    case "rec":
      return { command: "tool", args: { name: action.id } };
    case "recs":
      return { command: "recommend", args: { tool: action.id, stance: action.stance } };
    case "page":
      return { command: action.command, args: pageArgs(action.command, action.arg) };
  }
}

function pageArgs(command: string, arg: string): Record<string, string> {
  if (arg === "") return {};
  const first: Record<string, string> = {
    skilltree: "area",
    tool: "name",
    search: "query",
    top: "area",
    radar: "scope",
  };
  const name = first[command];
  return name ? { [name]: arg } : {};
}

/** The command and argument whose answer a click shows, for paging buttons on that answer. */
export function pagingOf(action: ActionId | undefined): { command: string; arg: string } | undefined {
  switch (action?.verb) {
    case "page":
      return { command: action.command, arg: action.arg };
    case "tool":
      return { command: "tool", arg: action.id };
    case "area":
      return { command: "skilltree", arg: action.id };
    default:
      return undefined;
  }
}
