/**
 * This channel's recommendations, for the answers that show them (tool card, area list,
 * overview). A store outage never breaks a lookup: the answer comes without them and says so.
 */
import type { Item } from "../answer.js";
import type { ToolTally } from "../store/types.js";
import type { Context } from "./context.js";

export type Tallies = Map<string, ToolTally>;

/** Channel tallies by tool id; undefined when there is no store or no channel; "unavailable" on failure. */
export async function channelTallies(ctx: Context): Promise<Tallies | "unavailable" | undefined> {
  if (!ctx.recs || !ctx.place) return undefined;
  try {
    const tallies = await ctx.recs.store.tallies(ctx.recs.scopeOf(ctx.place, "channel"), 10_000);
    return new Map(tallies.map((t) => [t.tool, t]));
  } catch (error) {
    ctx.onStoreError?.(error);
    return "unavailable";
  }
}

/** Adds each tool's recommendation count and orders by it, keeping the article's order on ties. */
export function rankByRecommendations(items: Item[], tallies: Tallies): Item[] {
  return items
    .map((item, index) => ({ item, index, members: tallies.get(item.id)?.members ?? 0 }))
    .sort((a, b) => b.members - a.members || a.index - b.index)
    .map(({ item, members }) => (members > 0 ? { ...item, recommendations: members } : item));
}
