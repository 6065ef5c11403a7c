/** Shared pieces of answers: how an entry looks in a list, a status badge, a choice list. */
import type { Answer, Candidate, Item } from "../answer.js";
import { pick } from "../i18n/messages.js";
import { displayName, type Entry, type Tool } from "../taxonomy/model.js";
import type { Context } from "./context.js";

const ALIVE = new Set(["active", "maintenance", "commercial"]);

export function isAlive(tool: Tool): boolean {
  return ALIVE.has(tool.status);
}

export function statusBadge(ctx: Context, tool: Tool): string {
  return ctx.t.statusBadge(ctx.t.status[tool.status], tool.statusYear);
}

/** "archived 2019: use containerd / CRI-O / Podman instead": the most useful line about a dead tool. */
export function statusLine(ctx: Context, tool: Tool): string {
  const badge = statusBadge(ctx, tool);
  const successor = tool.successor ? pick(tool.successor, ctx.locale) : undefined;
  if (tool.status === "active" || tool.status === "commercial") return badge;
  return tool.status === "merged" ? ctx.t.mergedLine(badge, successor) : ctx.t.statusLine(badge, successor);
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
    actions: entries.map((e) =>
      e.type === "area"
        ? { type: "open_area" as const, id: e.id, label: displayName(e, ctx.locale) }
        : { type: "open_tool" as const, id: e.id, label: displayName(e, ctx.locale) },
    ),
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
