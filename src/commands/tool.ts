/** `/tool <name>`: a tool card, a mention card, or a choice when the name is unclear. */
import type { Answer, Block, Field, Link } from "../answer.js";
import { pick } from "../i18n/messages.js";
import type { Resolution } from "../search/resolve.js";
import { STANCES } from "../store/types.js";
import { displayName, type Mention, type Tool } from "../taxonomy/model.js";
import { nameKey } from "../text/normalize.js";
import type { Context } from "./context.js";
import { choiceAnswer, openAction, statusLine, successorText } from "./present.js";
import { categoryAnswer } from "./skilltree.js";

export async function toolCommand(ctx: Context, name: string): Promise<Answer> {
  const resolution = ctx.resolver.resolve("tool", name);
  if (resolution.kind === "exact" || resolution.kind === "fuzzy") {
    const notice = matchNotice(ctx, name, resolution);
    const entry = resolution.entry;
    if (entry.type === "tool")
      return withNotice(await withRecommendations(ctx, toolCard(ctx, entry)), notice);
    if (entry.type === "mention") return withNotice(mentionCard(ctx, entry), notice);
  }
  // Someone asking /tool networking wants the area: show it rather than "not found".
  const area = ctx.resolver.names.lookup("area", name);
  if (area.length === 1 && area[0]?.entry.type === "area") {
    return withNotice(await categoryAnswer(ctx, area[0].entry), ctx.t.areaAsToolNotice(name));
  }
  if (area.length > 1 && resolution.kind !== "ambiguous") {
    return unresolved(ctx, name, { kind: "ambiguous", candidates: area.map((h) => h.entry) });
  }
  return unresolved(ctx, name, resolution);
}

/** Disambiguation, "did you mean" and not-found, shared by /tool and /skilltree. */
export function unresolved(ctx: Context, query: string, resolution: Resolution): Answer {
  switch (resolution.kind) {
    case "ambiguous":
      return choiceAnswer(
        ctx,
        "disambiguation",
        ctx.t.disambiguationTitle(query),
        ctx.t.disambiguationText,
        resolution.candidates,
      );
    case "did_you_mean":
      return choiceAnswer(
        ctx,
        "not_found",
        ctx.t.didYouMeanTitle(query),
        ctx.t.didYouMeanText,
        resolution.candidates,
      );
    case "none":
      return choiceAnswer(
        ctx,
        "not_found",
        ctx.t.notFoundTitle(query),
        ctx.t.notFoundSuggestions,
        resolution.candidates,
        ctx.t.notFoundNoSuggestions,
      );
    default:
      return choiceAnswer(ctx, "not_found", ctx.t.notFoundTitle(query), ctx.t.notFoundSuggestions, [
        resolution.entry,
      ]);
  }
}

/** Says what a query matched when it was not simply the entry's own name. */
export function matchNotice(
  ctx: Context,
  query: string,
  resolution: Extract<Resolution, { kind: "exact" | "fuzzy" }>,
): string | undefined {
  const name = displayName(resolution.entry, ctx.locale);
  if (resolution.kind === "fuzzy") return ctx.t.fuzzyNotice(query.trim(), name);
  const matchedKey = nameKey(resolution.matched);
  const entry = resolution.entry;
  if (
    entry.type === "tool" &&
    matchedKey === nameKey(entry.articleName) &&
    matchedKey !== nameKey(entry.name)
  ) {
    return ctx.t.articleSpellingNotice(entry.articleName, entry.name);
  }
  return undefined;
}

function withNotice(answer: Answer, notice: string | undefined): Answer {
  return notice ? { ...answer, notice } : answer;
}

export function toolCard(ctx: Context, tool: Tool): Answer {
  const { t, locale, taxonomy } = ctx;
  const area = taxonomy.area(tool.area);
  const fields: Field[] = [
    { name: t.fields.area, value: area ? displayName(area, locale) : tool.area, inline: true },
    { name: t.fields.status, value: statusLine(ctx, tool), inline: true },
    {
      name: t.fields.license,
      value: t.licenseLine(tool.license, t.licenseKind[tool.licenseKind]),
      inline: true,
    },
  ];
  const aliases = tool.aliases.filter((a) => nameKey(a) !== nameKey(tool.name));
  if (aliases.length > 0) fields.push({ name: t.fields.aliases, value: t.list(aliases) });
  const related = tool.related.flatMap((id) => {
    const entry = taxonomy.entry(id);
    return entry ? [displayName(entry, locale)] : [];
  });
  if (related.length > 0) fields.push({ name: t.fields.related, value: t.list(related) });
  if (tool.note) fields.push({ name: t.fields.note, value: pick(tool.note, locale) });

  const blocks: Block[] = [
    { type: "text", text: `${pick(tool.summary, locale)}\n\n${pick(tool.description, locale)}` },
    { type: "fields", fields },
  ];
  const links = toolLinks(ctx, tool);
  if (links.length > 0) blocks.push({ type: "links", links });

  return {
    kind: "tool",
    locale,
    // Chinese sets a bracketed name in full-width brackets.
    title: tool.nameZh && locale === "zh-CN" ? `${tool.name}（${tool.nameZh}）` : tool.name,
    blocks,
    actions: [
      ...(area ? [openAction(ctx, area)] : []),
      ...[...new Set([...tool.successorIds, ...tool.related])].flatMap((id) => {
        const entry = taxonomy.entry(id);
        return entry ? [openAction(ctx, entry)] : [];
      }),
    ],
    color: area?.color,
    tool: {
      id: tool.id,
      name: tool.name,
      category: tool.area,
      status: tool.status,
      ...(tool.statusYear ? { statusYear: tool.statusYear } : {}),
      ...(tool.successor?.length ? { successor: successorText(ctx, tool) } : {}),
      successorIds: tool.successorIds,
      ...(tool.homepage ? { homepage: tool.homepage } : {}),
      ...(tool.repository ? { repository: tool.repository } : {}),
      license: tool.license,
      licenseKind: tool.licenseKind,
      related: tool.related,
    },
  };
}

/**
 * Today's homepage and repository, plus the article's 2019 link where it differs and is still
 * safe: https, and not a domain that now belongs to someone else.
 */
function toolLinks(ctx: Context, tool: Tool): Link[] {
  const links: Link[] = [];
  if (tool.homepage) links.push({ label: ctx.t.links.homepage, url: tool.homepage });
  if (tool.repository) links.push({ label: ctx.t.links.repository, url: tool.repository });
  const sameAsOther = links.some((l) => sameUrl(l.url, tool.articleUrl));
  if (tool.articleUrlSafe && tool.articleUrl.startsWith("https://") && !sameAsOther) {
    links.push({ label: ctx.t.links.article, url: tool.articleUrl });
  }
  return links;
}

function sameUrl(a: string, b: string): boolean {
  const strip = (u: string) =>
    u
      .replace(/^https?:\/\/(www\.)?/, "")
      .replace(/\/+$/, "")
      .toLowerCase();
  return strip(a) === strip(b);
}

/** Adds this channel's recommendations and a Recommend action to a tool card. */
export async function withRecommendations(ctx: Context, card: Answer): Promise<Answer> {
  const { t, recs, place } = ctx;
  const tool = card.tool;
  if (!tool || !recs || !place) return card;
  const actions = [{ type: "recommend" as const, id: tool.id, label: t.rec.action }, ...card.actions];
  let summary: Awaited<ReturnType<typeof recs.store.forTool>>;
  try {
    summary = await recs.store.forTool(recs.scopeOf(place, "channel"), tool.id, 3);
  } catch (error) {
    ctx.onStoreError?.(error);
    return { ...card, actions, footer: t.rec.unavailableNotice };
  }
  const scope = t.scope.channel;
  const counts = STANCES.filter((s) => summary.stances[s] > 0).map((s) =>
    t.rec.countPart(summary.stances[s], t.stance[s]),
  );
  const value =
    summary.total === 0
      ? t.rec.none(scope)
      : [
          `${t.rec.tally(summary.total, scope)} ${t.rec.counts(counts)}`,
          ...summary.latest.map(
            (r) => `• ${t.rec.latestLine(r.memberName ?? r.member, t.stance[r.stance], r.reason)}`,
          ),
        ].join("\n");
  const blocks = card.blocks.map((b) =>
    b.type === "fields" ? { ...b, fields: [...b.fields, { name: t.rec.fieldName(scope), value }] } : b,
  );
  return {
    ...card,
    blocks,
    actions,
    recommendations: {
      total: summary.total,
      stances: summary.stances,
      latest: summary.latest.map((r) => ({
        member: r.memberName ?? r.member,
        stance: r.stance,
        reason: r.reason,
        at: r.updatedAt,
      })),
    },
  };
}

export function mentionCard(ctx: Context, mention: Mention): Answer {
  const { t, locale, taxonomy } = ctx;
  const area = taxonomy.area(mention.area);
  const owner = mention.tool ? taxonomy.tool(mention.tool) : undefined;
  const areaName = area ? displayName(area, locale) : mention.area;
  const fields: Field[] = [{ name: t.fields.area, value: areaName, inline: true }];
  if (owner) fields.push({ name: t.fields.belongsTo, value: owner.name, inline: true });
  // A successor the article never named (containerd): say which listed tools it replaces.
  const replaces = mention.inArticle === false ? taxonomy.succeededBy(mention.id) : [];
  const about =
    mention.inArticle === false
      ? t.successorEntryText(areaName, t.list(replaces.map((tool) => tool.name)))
      : t.mentionText(areaName);
  const blocks: Block[] = [
    { type: "text", text: `${pick(mention.summary, locale)}\n${about}` },
    { type: "fields", fields },
  ];
  if (mention.homepage)
    blocks.push({ type: "links", links: [{ label: t.links.homepage, url: mention.homepage }] });
  return {
    kind: "mention",
    locale,
    title: mention.inArticle === false ? t.successorEntryTitle(mention.name) : t.mentionTitle(mention.name),
    blocks,
    actions: [
      ...(owner ? [openAction(ctx, owner)] : []),
      ...replaces.map((tool) => openAction(ctx, tool)),
      ...(area ? [openAction(ctx, area)] : []),
    ],
    color: area?.color,
    mention: {
      id: mention.id,
      name: mention.name,
      category: mention.area,
      ...(owner ? { tool: owner.id } : {}),
    },
  };
}
