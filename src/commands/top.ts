/** `/top [area] [scope]` and `/radar [scope]`: the channel's (or workspace's) tallies. */
import type { Answer, Block, Item, LeaderboardEntry } from "../answer.js";
import { STANCES, type Stance, type ToolTally } from "../store/types.js";
import { type Area, displayName } from "../taxonomy/model.js";
import type { Context } from "./context.js";
import { errorAnswer, itemOf, openAction } from "./present.js";
import { unresolved } from "./tool.js";

const TOP_LIMIT = 10;

export type Scope = "channel" | "workspace";

export function parseScope(value: string | undefined): Scope | undefined {
  if (value === undefined) return "channel";
  return value === "channel" || value === "workspace" ? value : undefined;
}

async function talliesIn(ctx: Context, scope: Scope): Promise<ToolTally[] | Answer> {
  const { t, recs, place } = ctx;
  if (!recs || !place) return errorAnswer(ctx, "unavailable", recs ? t.rec.noPlace : t.rec.unavailable);
  try {
    const tallies = await recs.store.tallies(recs.scopeOf(place, scope), 10_000);
    // Recommendations of tools no longer in the data are kept in the store but not shown.
    return tallies.filter((tally) => ctx.taxonomy.tool(tally.tool));
  } catch (error) {
    ctx.onStoreError?.(error);
    return errorAnswer(ctx, "unavailable", t.rec.unavailable);
  }
}

function entryOf(ctx: Context, tally: ToolTally): LeaderboardEntry {
  return {
    id: tally.tool,
    name: ctx.taxonomy.tool(tally.tool)?.name ?? tally.tool,
    members: tally.members,
    stances: tally.stances,
  };
}

function countsText(ctx: Context, stances: Record<Stance, number>): string {
  const { t } = ctx;
  return t.rec.counts(
    STANCES.filter((s) => stances[s] > 0).map((s) => t.rec.countPart(stances[s], t.stance[s])),
  );
}

export async function topCommand(
  ctx: Context,
  areaName: string | undefined,
  scopeValue: string | undefined,
): Promise<Answer> {
  const { t, locale, taxonomy } = ctx;
  const scope = parseScope(scopeValue);
  if (!scope)
    return errorAnswer(ctx, "bad_option", t.errors.badOption(scopeValue ?? "", "channel, workspace"));
  let area: Area | undefined;
  if (areaName) {
    const resolution = ctx.resolver.resolve("area", areaName);
    if ((resolution.kind !== "exact" && resolution.kind !== "fuzzy") || resolution.entry.type !== "area") {
      // "/top networking everywhere": an area followed by a word that is no scope.
      const extra = trailingWords(ctx, areaName);
      if (extra) return errorAnswer(ctx, "bad_option", t.errors.badOption(extra, "channel, workspace"));
      return unresolved(ctx, areaName, resolution);
    }
    area = resolution.entry;
  }
  const tallies = await talliesIn(ctx, scope);
  if (!Array.isArray(tallies)) return tallies;
  const ranked = tallies
    .filter((tally) => !area || taxonomy.tool(tally.tool)?.area === area.id)
    .slice(0, TOP_LIMIT);
  const scopeName = t.scope[scope];
  const areaLabel = area ? displayName(area, locale) : undefined;
  const items: Item[] = ranked.flatMap((tally) => {
    const tool = taxonomy.tool(tally.tool);
    if (!tool) return [];
    return [
      {
        ...itemOf(ctx, tool),
        recommendations: tally.members,
        text: t.rec.topLine(tally.members, countsText(ctx, tally.stances)),
      },
    ];
  });
  const blocks: Block[] =
    items.length > 0 ? [{ type: "list", items }] : [{ type: "text", text: t.rec.topEmpty(scopeName) }];
  return {
    kind: "top",
    locale,
    title: t.rec.topTitle(scopeName, areaLabel),
    blocks,
    actions: ranked.flatMap((tally) => {
      const tool = taxonomy.tool(tally.tool);
      return tool ? [openAction(ctx, tool)] : [];
    }),
    ...(area ? { color: area.color } : {}),
    leaderboard: {
      scope,
      ...(area ? { area: area.id } : {}),
      tools: ranked.map((tally) => entryOf(ctx, tally)),
    },
  };
}

/**
 * The words after the longest leading part of `text` that names an area, when there is one:
 * they were meant as something else (a scope). Area names have at most a few words.
 */
function trailingWords(ctx: Context, text: string): string | undefined {
  const words = text.split(" ");
  for (let k = Math.min(words.length - 1, 4); k >= 1; k--) {
    const resolution = ctx.resolver.resolve("area", words.slice(0, k).join(" "));
    if (resolution.kind === "exact" || resolution.kind === "fuzzy") return words.slice(k).join(" ");
  }
  return undefined;
}

/**
 * The ring a tool sits in: the stance most of its members chose. A tie goes to the more
 * cautious ring (hold, then assess, then trial), because a split team has not adopted it yet.
 */
export function ringOf(stances: Record<Stance, number>): Stance {
  const cautiousFirst: Stance[] = ["hold", "assess", "trial", "adopt"];
  let best: Stance = "hold";
  for (const stance of cautiousFirst) if (stances[stance] > stances[best]) best = stance;
  return best;
}

export async function radarCommand(ctx: Context, scopeValue: string | undefined): Promise<Answer> {
  const { t, locale } = ctx;
  const scope = parseScope(scopeValue);
  if (!scope)
    return errorAnswer(ctx, "bad_option", t.errors.badOption(scopeValue ?? "", "channel, workspace"));
  const tallies = await talliesIn(ctx, scope);
  if (!Array.isArray(tallies)) return tallies;
  const rings: Record<Stance, LeaderboardEntry[]> = { adopt: [], trial: [], assess: [], hold: [] };
  for (const tally of tallies) rings[ringOf(tally.stances)].push(entryOf(ctx, tally));
  const scopeName = t.scope[scope];
  const blocks: Block[] =
    tallies.length === 0
      ? [{ type: "text", text: t.rec.radarEmpty(scopeName) }]
      : [
          ...STANCES.filter((s) => rings[s].length > 0).map(
            (s): Block => ({
              type: "list",
              heading: t.rec.radarRing(t.stance[s], t.stanceMeaning[s]),
              items: rings[s].map((e) => {
                const tool = ctx.taxonomy.tool(e.id);
                const base = tool ? itemOf(ctx, tool) : { id: e.id, type: "tool" as const, name: e.name };
                return {
                  ...base,
                  recommendations: e.members,
                  text: `${t.rec.radarItem(e.members)}: ${countsText(ctx, e.stances)}`,
                };
              }),
            }),
          ),
          { type: "text", text: t.rec.radarNote },
        ];
  return {
    kind: "radar",
    locale,
    title: t.rec.radarTitle(scopeName),
    blocks,
    actions: [],
    radar: { scope, rings },
  };
}
