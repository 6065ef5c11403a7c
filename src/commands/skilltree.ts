/** `/skilltree [area]`: the map of all areas, or one area with its tools. */
import type { Answer, Block } from "../answer.js";
import { pick } from "../i18n/messages.js";
import { type Area, displayName } from "../taxonomy/model.js";
import { channelTallies, rankByRecommendations, type Tallies } from "./channel.js";
import type { Context } from "./context.js";
import { isAlive, itemOf, openAction } from "./present.js";
import { matchNotice, mentionCard, toolCard, unresolved, withRecommendations } from "./tool.js";

export async function skilltreeCommand(ctx: Context, areaName: string | undefined): Promise<Answer> {
  if (!areaName) return overview(ctx);
  const resolution = ctx.resolver.resolve("area", areaName);
  if ((resolution.kind === "exact" || resolution.kind === "fuzzy") && resolution.entry.type === "area") {
    const notice = matchNotice(ctx, areaName, resolution);
    const answer = await categoryAnswer(ctx, resolution.entry);
    return notice ? { ...answer, notice } : answer;
  }
  // /skilltree calico: the member named a tool; show its card rather than "not found". A name
  // of two tools (/skilltree photon) gets the same choice /tool gives.
  const tool = ctx.resolver.names.lookup("tool", areaName);
  const [only] = tool;
  if (only && tool.length === 1 && only.entry.type !== "area") {
    const card =
      only.entry.type === "tool"
        ? await withRecommendations(ctx, toolCard(ctx, only.entry))
        : mentionCard(ctx, only.entry);
    return { ...card, notice: ctx.t.toolAsAreaNotice(areaName, only.entry.name) };
  }
  if (tool.length > 1 && resolution.kind !== "ambiguous") {
    return unresolved(ctx, areaName, { kind: "ambiguous", candidates: tool.map((h) => h.entry) });
  }
  return unresolved(ctx, areaName, resolution);
}

async function overview(ctx: Context): Promise<Answer> {
  const { taxonomy, t, locale } = ctx;
  const tallies = await channelTallies(ctx);
  const items = taxonomy.areas.map((area) => {
    const tools = taxonomy.toolsOf(area);
    const line = t.overviewItem(tools.length, tools.filter(isAlive).length);
    const favourite = tallies instanceof Map ? favouriteOf(ctx, area, tallies) : undefined;
    return { ...itemOf(ctx, area), text: favourite ? `${line} · ${favourite}` : line };
  });
  return {
    kind: "overview",
    locale,
    title: t.overviewTitle(taxonomy.areas.length, taxonomy.tools.size),
    blocks: [
      { type: "text", text: t.overviewText },
      { type: "list", items },
    ],
    actions: taxonomy.areas.map((a) => openAction(ctx, a)),
    footer: tallies === "unavailable" ? `${t.rec.unavailableNotice} ${t.overviewFooter}` : t.overviewFooter,
    categories: taxonomy.areas.map((a) => ({
      id: a.id,
      name: displayName(a, locale),
      tools: a.toolIds.length,
    })),
  };
}

/** The area's most recommended tool in this channel: most members, then the article's order. */
function favouriteOf(ctx: Context, area: Area, tallies: Tallies): string | undefined {
  let best: { name: string; members: number } | undefined;
  for (const tool of ctx.taxonomy.toolsOf(area)) {
    const members = tallies.get(tool.id)?.members ?? 0;
    if (members > 0 && (!best || members > best.members)) best = { name: tool.name, members };
  }
  return best ? ctx.t.rec.favourite(best.name, best.members) : undefined;
}

export async function categoryAnswer(ctx: Context, area: Area): Promise<Answer> {
  const { taxonomy, t, locale } = ctx;
  const tools = taxonomy.toolsOf(area);
  const mentions = taxonomy.mentionsOf(area);
  const blocks: Block[] = [{ type: "text", text: pick(area.summary, locale) }];
  if (area.keyPoints.length > 0) {
    blocks.push({
      type: "points",
      heading: t.fields.keyPoints,
      points: area.keyPoints.map((k) => pick(k, locale)),
    });
  }
  const tallies = await channelTallies(ctx);
  const toolItems = tools.map((tool) => itemOf(ctx, tool));
  blocks.push({
    type: "list",
    heading: t.fields.tools,
    items: tallies instanceof Map ? rankByRecommendations(toolItems, tallies) : toolItems,
  });
  if (mentions.length > 0) {
    blocks.push({ type: "list", heading: t.fields.mentions, items: mentions.map((m) => itemOf(ctx, m)) });
  }
  const name = displayName(area, locale);
  return {
    kind: "category",
    locale,
    // Chinese sets a bracketed name in full-width brackets, with no space before them.
    title: locale === "zh-CN" ? `${area.name.zh}（${area.name.en}）` : `${area.name.en} (${area.name.zh})`,
    blocks,
    actions: tools.map((tool) => openAction(ctx, tool)),
    footer: tallies === "unavailable" ? `${t.rec.unavailableNotice} ${t.categoryFooter}` : t.categoryFooter,
    color: area.color,
    category: { id: area.id, name, tools: area.toolIds, mentions: area.mentionIds },
  };
}
