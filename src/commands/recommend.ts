/** `/recommend <tool> [stance] [reason]`, and `remove`: one recommendation per member, tool and channel. */
import type { Answer } from "../answer.js";
import type { Stance } from "../store/types.js";
import { STANCES } from "../store/types.js";
import type { Tool } from "../taxonomy/model.js";
import { type Context, slash } from "./context.js";
import { errorAnswer, openAction, typedName } from "./present.js";
import { unresolved } from "./tool.js";

export interface RecommendArgs {
  tool?: string;
  stance?: string;
  reason?: string;
  member?: string;
}

export async function recommendCommand(ctx: Context, args: RecommendArgs): Promise<Answer> {
  const { t, recs, place, member } = ctx;
  if (!args.tool) return errorAnswer(ctx, "empty_input", t.rec.emptyTool, t.rec.usageHint);
  const stance = args.stance ?? "adopt";
  if (stance !== "remove" && !isStance(stance)) {
    return errorAnswer(
      ctx,
      "bad_option",
      t.errors.badOption(stance, [...STANCES, "remove"].join(", ")),
      t.rec.usageHint,
    );
  }
  // Unknown or ambiguous names record nothing: the member picks from suggestions first.
  const resolution = ctx.resolver.resolve("tool", args.tool);
  if (resolution.kind !== "exact") {
    // A typo is a guess: recording it would put the member's name to a tool they did not name.
    if (resolution.kind === "fuzzy" && resolution.entry.type === "tool")
      return didYouMean(ctx, args.tool, resolution.entry, stance, args.reason);
    // "/recommend calico great tool": a reason without a stance was read as part of the name.
    const split = args.stance === undefined ? reasonWithoutStance(ctx, args.tool) : undefined;
    if (split) return errorAnswer(ctx, "bad_option", t.rec.stanceBeforeReason(split), t.rec.usageHint);
    if (resolution.kind !== "fuzzy") return withNothingRecorded(ctx, unresolved(ctx, args.tool, resolution));
  }
  const tool = resolution.entry;
  if (tool.type !== "tool") {
    return errorAnswer(
      ctx,
      "bad_option",
      t.rec.mentionNotTool(tool.type === "area" ? tool.name.en : tool.name),
    );
  }
  if (!recs || !place || !member)
    return errorAnswer(ctx, "unavailable", recs ? t.rec.noPlace : t.rec.unavailable);

  try {
    const who = { recs, place, member };
    if (stance === "remove") return await remove(ctx, who, tool, args.member ?? args.reason);
    return await record(ctx, who, tool, stance, args.reason ?? null);
  } catch (error) {
    ctx.onStoreError?.(error);
    return errorAnswer(ctx, "unavailable", t.rec.unavailable);
  }
}

type Who = Required<Pick<Context, "recs" | "place" | "member">>;

async function record(
  ctx: Context,
  { recs, place, member }: Who,
  tool: Tool,
  stance: Stance,
  reason: string | null,
): Promise<Answer> {
  const { t, locale } = ctx;
  const outcome = await recs.record(place, member, tool.id, stance, reason);
  if (outcome.kind === "rate_limited") {
    return errorAnswer(ctx, "rate_limited", t.rec.rateLimited(outcome.retryAfterSeconds));
  }
  const { result } = outcome;
  // The write is committed: from here on nothing may turn the answer into "unavailable".
  const total = await channelTotal(ctx, recs, place, tool);
  // The store says "updated" when it brings back a removed recommendation, but then no live
  // one was replaced (no previous stance): for the member it is a new one, so "Recorded".
  const revived = result.outcome === "updated" && result.previousStance === undefined;
  const shown = revived ? "created" : result.outcome;
  const title =
    shown === "created"
      ? t.rec.recordedTitle(tool.name)
      : shown === "updated"
        ? t.rec.updatedTitle(tool.name)
        : t.rec.unchangedTitle(tool.name);
  const lines = [t.rec.stanceLine(t.stance[stance], t.stanceMeaning[stance])];
  if (result.previousStance && result.previousStance !== stance)
    lines.push(t.rec.changedFrom(t.stance[result.previousStance]));
  if (reason) lines.push(t.rec.reasonLine(reason));
  if (total !== undefined) lines.push(t.rec.tally(total, t.scope.channel));
  return {
    kind: "recommend",
    locale,
    title,
    blocks: [{ type: "text", text: lines.join("\n") }],
    actions: [openAction(ctx, tool)],
    color: ctx.taxonomy.area(tool.area)?.color,
    recorded: { tool: tool.id, stance, outcome: shown },
  };
}

/** The channel's count after a committed write; undefined (and reported) when the store cannot say. */
async function channelTotal(
  ctx: Context,
  recs: Who["recs"],
  place: Who["place"],
  tool: Tool,
): Promise<number | undefined> {
  try {
    return (await recs.store.forTool(recs.scopeOf(place, "channel"), tool.id, 0)).total;
  } catch (error) {
    ctx.onStoreError?.(error);
    return undefined;
  }
}

/**
 * "Did you mean Calico?" for a typo: nothing is recorded until the member names the tool. The
 * answer spells out the command to send (with their reason); without a reason, the stance
 * button records it in one click.
 */
function didYouMean(
  ctx: Context,
  query: string,
  tool: Tool,
  stance: Stance | "remove",
  reason: string | undefined,
): Answer {
  const { t, locale } = ctx;
  const command = [slash(ctx, "recommend"), typedName(ctx, tool), stance, reason].filter(Boolean).join(" ");
  return {
    kind: "not_found",
    locale,
    title: t.didYouMeanTitle(query),
    blocks: [{ type: "text", text: t.rec.didYouMean(tool.name, command) }],
    actions: [
      ...(stance !== "remove" && !reason
        ? [
            {
              type: "recommend_stance" as const,
              id: tool.id,
              stance,
              label: `${tool.name}: ${t.stance[stance]}`,
            },
          ]
        : []),
      openAction(ctx, tool),
    ],
    candidates: [{ id: tool.id, name: tool.name, type: "tool" }],
    notice: t.rec.nothingRecorded,
    private: true,
  };
}

/**
 * When the words before the end name a tool ("calico" in "calico great tool"), the rest was a
 * reason given without a stance: the command the member meant, with the default stance.
 */
function reasonWithoutStance(ctx: Context, text: string): string | undefined {
  const words = text.split(" ");
  for (let k = words.length - 1; k >= 1; k--) {
    const resolution = ctx.resolver.resolve("tool", words.slice(0, k).join(" "));
    if ((resolution.kind === "exact" || resolution.kind === "fuzzy") && resolution.entry.type === "tool") {
      return `${slash(ctx, "recommend")} ${typedName(ctx, resolution.entry)} adopt ${words.slice(k).join(" ")}`;
    }
  }
  return undefined;
}

function withNothingRecorded(ctx: Context, answer: Answer): Answer {
  return { ...answer, notice: ctx.t.rec.nothingRecorded };
}

async function remove(
  ctx: Context,
  { recs, place, member: actor }: Who,
  tool: Tool,
  target: string | undefined,
): Promise<Answer> {
  const { t, locale } = ctx;
  const targetId = target ? memberIdOf(target) : actor.id;
  if (targetId === undefined) return errorAnswer(ctx, "bad_option", t.rec.badMember);
  const outcome = await recs.remove(place, actor, targetId, tool.id);
  switch (outcome.kind) {
    case "forbidden":
      return errorAnswer(ctx, "forbidden", t.rec.forbidden);
    case "rate_limited":
      return errorAnswer(ctx, "rate_limited", t.rec.rateLimited(outcome.retryAfterSeconds));
    case "nothing_to_remove":
      return errorAnswer(ctx, "bad_option", t.rec.nothingToRemove(tool.name));
    case "removed":
      return {
        kind: "recommend",
        locale,
        title:
          targetId === actor.id
            ? t.rec.removedTitle(tool.name)
            : t.rec.removedOtherTitle(tool.name, targetId),
        blocks: [{ type: "text", text: t.rec.removedNote }],
        actions: [openAction(ctx, tool)],
        recorded: { tool: tool.id, stance: "removed", outcome: "removed" },
      };
  }
}

/** "<@U123>", "<@U123|alice>", "<@!123>", "@alice" or a bare id -> the id; undefined if it is none of these. */
export function memberIdOf(text: string): string | undefined {
  const trimmed = text.trim();
  const mention = /^<@!?([A-Za-z0-9_.-]+)(?:\|[^>]*)?>$/.exec(trimmed);
  if (mention) return mention[1];
  const plain = /^@?([\p{L}\p{N}_.-]{1,64})$/u.exec(trimmed);
  return plain?.[1];
}

function isStance(value: string): value is Stance {
  return (STANCES as readonly string[]).includes(value);
}

/** The answer to a "Recommend" button: one button per stance, seen only by the member. */
export function stancePicker(ctx: Context, tool: Tool): Answer {
  const { t, locale } = ctx;
  return {
    kind: "recommend",
    locale,
    title: t.rec.pickTitle(tool.name),
    blocks: [
      {
        type: "points",
        points: STANCES.map((s) => `${t.stance[s]}: ${t.stanceMeaning[s]}`),
      },
      { type: "text", text: t.rec.pickText },
    ],
    actions: STANCES.map((stance) => ({
      type: "recommend_stance" as const,
      id: tool.id,
      stance,
      label: t.stance[stance],
    })),
    color: ctx.taxonomy.area(tool.area)?.color,
    private: true,
  };
}
