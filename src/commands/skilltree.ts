/** `/skilltree [area]`: the map of all areas, or one area with its tools. */
import type { Answer, Block } from "../answer.js";
import { pick } from "../i18n/messages.js";
import { type Area, displayName } from "../taxonomy/model.js";
import { channelTallies, rankByRecommendations, type Tallies } from "./channel.js";
import type { Context } from "./context.js";
import { isAlive, itemOf } from "./present.js";
import { matchNotice, toolCard, unresolved, withRecommendations } from "./tool.js";

export async function skilltreeCommand(ctx: Context, areaName: string | undefined): Promise<Answer> {
  if (!areaName) return overview(ctx);
  const resolution = ctx.resolver.resolve("area", areaName);
  if ((resolution.kind === "exact" || resolution.kind === "fuzzy") && resolution.entry.type === "area") {
    const notice = matchNotice(ctx, areaName, resolution);
    const answer = await categoryAnswer(ctx, resolution.entry);
    return notice ? { ...answer, notice } : answer;
  }
  // /skilltree calico: the member named a tool; show its card rather than "not found".
  const tool = ctx.resolver.names.lookup("tool", areaName);
  if (tool.length === 1 && tool[0]?.entry.type === "tool") {
    const card = await withRecommendations(ctx, toolCard(ctx, tool[0].entry));
    return { ...card, notice: ctx.t.toolAsAreaNotice(areaName, tool[0].entry.name) };
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
    actions: taxonomy.areas.map((a) => ({
      type: "open_area" as const,
      id: a.id,
      label: displayName(a, locale),
    })),
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
    title: locale === "zh-CN" ? `${area.name.zh}(${area.name.en})` : `${area.name.en} (${area.name.zh})`,
    blocks,
    actions: tools.map((tool) => ({ type: "open_tool" as const, id: tool.id, label: tool.name })),
    footer: tallies === "unavailable" ? `${t.rec.unavailableNotice} ${t.categoryFooter}` : t.categoryFooter,
    color: area.color,
    category: { id: area.id, name, tools: area.toolIds, mentions: area.mentionIds },
  };
}
