/** Shared pieces of answers: how an entry looks in a list, a status badge, a choice list. */
import type { Action, Answer, Candidate, Item } from "../answer.js";
import { pick } from "../i18n/messages.js";
import { displayName, type Entry, type Tool } from "../taxonomy/model.js";
import { type Context, slash } from "./context.js";

const ALIVE = new Set(["active", "maintenance", "commercial"]);

export function isAlive(tool: Tool): boolean {
  return ALIVE.has(tool.status);
}

export function statusBadge(ctx: Context, tool: Tool): string {
  return ctx.t.statusBadge(ctx.t.status[tool.status], tool.statusYear);
}

/** The successors in the answer's language, joined as a reader says them ("containerd, CRI-O or Podman"). */
export function successorText(ctx: Pick<Context, "t" | "locale">, tool: Tool): string | undefined {
  const names = (tool.successor ?? []).map((s) => (typeof s === "string" ? s : pick(s, ctx.locale)));
  return names.length > 0 ? ctx.t.alternatives(names) : undefined;
}

/**
 * "archived 2019: use containerd, CRI-O or Podman instead": the most useful line about a dead
 * tool. The wording follows the status: a merged tool is "now part of" its successor, a
 * maintained one has "alternatives", never "use … instead".
 */
export function statusLine(ctx: Context, tool: Tool): string {
  return ctx.t.statusLine(tool.status, statusBadge(ctx, tool), successorText(ctx, tool));
}

/** A name to type for an entry that finds it and nothing else ("photon engine", not "photon"). */
export function typedName(ctx: Pick<Context, "resolver">, entry: Entry): string {
  return ctx.resolver.uniqueName(entry) ?? entry.id;
}

/**
 * The text command that opens an entry by a name that finds it alone ("/tool photon engine"),
 * written as the member types commands where they are.
 */
export function commandFor(ctx: Pick<Context, "resolver" | "syntax">, entry: Entry): string {
  return `${slash(ctx, entry.type === "area" ? "skilltree" : "tool")} ${typedName(ctx, entry)}`;
}

/** A button that opens an entry; `command` is the same as text, for the console's hints. */
export function openAction(ctx: Context, entry: Entry, label = displayName(entry, ctx.locale)): Action {
  return entry.type === "area"
    ? { type: "open_area", id: entry.id, label, command: commandFor(ctx, entry) }
    : { type: "open_tool", id: entry.id, label, command: commandFor(ctx, entry) };
}

export function itemOf(ctx: Context, entry: Entry): Item {
  const name = displayName(entry, ctx.locale);
  if (entry.type === "area")
    return { id: entry.id, type: "area", name, text: pick(entry.summary, ctx.locale) };
  if (entry.type === "mention")
    return { id: entry.id, type: "mention", name, text: pick(entry.summary, ctx.locale) };
  return {
    id: entry.id,
    type: "tool",
    name,
    text: pick(entry.summary, ctx.locale),
    status: entry.status,
    badge: statusBadge(ctx, entry),
  };
}

export function candidateOf(ctx: Context, entry: Entry): Candidate {
  return { id: entry.id, name: displayName(entry, ctx.locale), type: entry.type };
}

/** A list of entries to pick from, used by disambiguation, "did you mean" and not-found. */
export function choiceAnswer(
  ctx: Context,
  kind: "disambiguation" | "not_found",
  title: string,
  heading: string,
  entries: readonly Entry[],
  emptyText?: string,
): Answer {
  return {
    kind,
    locale: ctx.locale,
    title,
    blocks:
      entries.length > 0
        ? [{ type: "list", heading, items: entries.map((e) => itemOf(ctx, e)) }]
        : [{ type: "text", text: emptyText ?? heading }],
    actions: entries.map((e) => openAction(ctx, e)),
    candidates: entries.map((e) => candidateOf(ctx, e)),
    private: true,
  };
}

export function errorAnswer(
  ctx: Pick<Context, "t" | "locale">,
  code: NonNullable<Answer["error"]>["code"],
  message: string,
  hint?: string,
): Answer {
  return {
    kind: "error",
    locale: ctx.locale,
    title: ctx.t.errors.errorTitle,
    blocks: [{ type: "text", text: hint ? `${message}\n${hint}` : message }],
    actions: [],
    error: { code, message },
    private: true,
  };
}
