/**
 * Answer -> a Discord message: one embed, link buttons, action buttons, select menus and paging
 * buttons. The one choke point for Discord's limits and for escaping: every text of an answer
 * (data or member text) is escaped here, every length is enforced here, and every message
 * carries allowed_mentions {parse: []}. A long answer is paged when it can be re-run from a
 * button, and otherwise cut with a visible marker; nothing leaves here that Discord would reject.
 */

import {
  type APIActionRowComponent,
  type APIApplicationCommandOptionChoice,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
  type APISelectMenuOption,
  ButtonStyle,
  ComponentType,
} from "discord-api-types/v10";
import { type ActionId, decodeAction, encodeAction } from "../../src/actions.js";
import type { Action, Answer, Block, Item, Link, Locale } from "../../src/answer.js";
import type { Choice } from "../../src/core.js";
import type { Stance } from "../../src/store/types.js";
import { memoPerAnswer } from "../render-memo.js";
import { STATUS_EMOJI } from "../status-emoji.js";

/** Discord's limits (https://discord.com/developers/docs/resources/message, components reference). */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  embedTotal: 6000,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  selectOptions: 25,
  selectText: 100,
  selectPlaceholder: 150,
  customId: 100,
  url: 512,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** No part of an answer is worth more than this much raw text; beyond it, work is wasted. */
const RAW_MAX = 50_000;
/** One description line (a paragraph is split into lines of at most this). */
const LINE_MAX = 1500;
/** One list item. */
const ITEM_MAX = 400;
/** Pages beyond this are cut with the marker (decodeAction accepts up to 1000). */
const MAX_PAGES = 50;
/** Above this many, open_tool / open_area actions become a select menu instead of buttons. */
const BUTTONS_BEFORE_SELECT = 3;

const NO_MENTIONS: { parse: [] } = Object.freeze({ parse: [] }) as { parse: [] };

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** The message body shared by replies (type 4), updates (type 7), edits and followups. */
export interface MessageData {
  content?: string;
  embeds: APIEmbed[];
  components: ActionRow[];
  allowed_mentions: { parse: [] };
}

export interface Rendered {
  data: MessageData;
  /** Only the member should see it: errors, private answers, `hide`. */
  ephemeral: boolean;
  /** The page shown (0-based) and how many there are. */
  page: number;
  pages: number;
}

/** How to ask for the same answer again: the command and its one text argument. */
export interface Pager {
  command: string;
  arg: string;
}

export interface RenderOptions {
  /** The page to show; clamped to the last one. */
  page?: number;
  /** Present when the answer can be re-run from a button, so it can be paged. */
  pager?: Pager;
  /** The member asked for a private reply (`hide`). */
  ephemeral?: boolean;
}

const TEXT = {
  en: {
    previous: "◀ Previous",
    next: "Next ▶",
    page: (page: number, pages: number) => `Page ${page} of ${pages}`,
    more: "… (more: too long for one message; narrow it down with /search or /tool)",
    dropped: "Some buttons or menu entries are not shown: too many for one message.",
    openArea: "Open an area…",
    openTool: "Open a tool…",
    link: "Link",
    untitled: "Skilltree",
  },
  "zh-CN": {
    previous: "◀ 上一页",
    next: "下一页 ▶",
    page: (page: number, pages: number) => `第 ${page}/${pages} 页`,
    more: "……（内容过长，未全部显示：请用 /search 或 /tool 缩小范围）",
    dropped: "部分按钮或菜单项未显示：一条消息放不下。",
    openArea: "打开一个领域…",
    openTool: "打开一个工具…",
    link: "链接",
    untitled: "Skilltree",
  },
} satisfies Record<Locale, unknown>;

const STANCE_STYLE: Record<
  Stance,
  ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger
> = {
  adopt: ButtonStyle.Success,
  trial: ButtonStyle.Primary,
  assess: ButtonStyle.Secondary,
  hold: ButtonStyle.Danger,
};

const COLORS = { default: 0x5865f2, error: 0xed4245, notFound: 0xfee75c } as const;

// ---------------------------------------------------------------------------------------------
// Text: well-formed, escaped, cut on safe boundaries.

/** With the u flag, \p{Cs} matches only unpaired surrogates. */
const LONE_SURROGATE = /\p{Cs}/gu;
/** Control characters other than newline and tab. */
const CONTROLS = /[^\P{Cc}\n\t]/gu;

/**
 * Bounded, well-formed text without control characters (newlines and tabs stay), and with a
 * zero-width space in @everyone and @here wherever it is shown.
 */
function prepare(text: string): string {
  const bounded = text.length > RAW_MAX ? cutAt(text, RAW_MAX) : text;
  return bounded
    .replace(LONE_SURROGATE, "\ufffd")
    .replace(CONTROLS, " ")
    .replace(/\r\n?/g, "\n")
    .replace(/@(everyone|here)/gi, "@\u200b$1");
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** A bare URL: Discord links it as written, so escapes inside would break it. */
const URL_TOKEN = /https?:\/\/[^\s<>[\]()|`\\]+/g;

function escapePlain(text: string): string {
  return text.replace(/[\\*_~`|<>[\]]/g, "\\$&");
}

/**
 * Shows text exactly as written: markdown, masked links, spoilers, quotes, headings and
 * mentions (<@id>, <@&id>, <#id>) are escaped (bare URLs are kept whole, so they still work);
 * @everyone and @here get a zero-width space. With allowed_mentions {parse: []} as well,
 * member text can neither ping anyone nor dress a link up as something else.
 */
export function escapeMarkdown(text: string): string {
  const prepared = prepare(text);
  let out = "";
  let last = 0;
  for (const match of prepared.matchAll(URL_TOKEN)) {
    out += escapePlain(prepared.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  out += escapePlain(prepared.slice(last));
  return out.replace(/^(\s*)([#+-])/gm, "$1\\$2").replace(/^(\s*\d+)\./gm, "$1\\.");
}

/** The index at most `max` that does not split a surrogate pair or an escape sequence. */
function safeCut(text: string, max: number): number {
  let cut = Math.max(0, Math.min(max, text.length));
  const code = text.charCodeAt(cut - 1);
  if (cut < text.length && code >= 0xd800 && code <= 0xdbff) cut--;
  let slashes = 0;
  while (cut - slashes > 0 && text[cut - slashes - 1] === "\\") slashes++;
  if (slashes % 2 === 1) cut--;
  return cut;
}

function cutAt(text: string, max: number): string {
  return text.slice(0, safeCut(text, max));
}

/** At most `max` characters; a longer text ends with the marker. */
export function clip(text: string, max: number, marker = "…"): string {
  if (text.length <= max) return text;
  return `${cutAt(text, max - marker.length).trimEnd()}${marker}`;
}

/** Splits text into pieces of at most `max`, preferring whitespace. */
function splitLong(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = safeCut(rest, max);
    const space = rest.lastIndexOf(" ", cut);
    if (space > max / 2) cut = safeCut(rest, space);
    if (cut <= 0) cut = safeCut(rest, max) || 1;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}

/** A URL Discord accepts for a link button or a masked link, or undefined. */
function safeUrl(raw: string): string | undefined {
  if (raw.length > LIMITS.url || /\s/.test(raw)) return undefined;
  try {
    const url = new URL(raw);
    if ((url.protocol !== "https:" && url.protocol !== "http:") || url.hostname === "") return undefined;
    const href = url.href.replace(/\(/g, "%28").replace(/\)/g, "%29");
    return href.length <= LIMITS.url ? href : undefined;
  } catch {
    return undefined;
  }
}

function colorOf(answer: Answer): number {
  const hex = /^#([0-9a-fA-F]{6})$/.exec(answer.color ?? "")?.[1];
  if (hex) return Number.parseInt(hex, 16);
  if (answer.kind === "error") return COLORS.error;
  if (answer.kind === "not_found" || answer.kind === "disambiguation") return COLORS.notFound;
  return COLORS.default;
}

// ---------------------------------------------------------------------------------------------
// The body: description lines and fields, packed into pages.

interface Body {
  lines: string[];
  fields: APIEmbedField[];
}

function itemLine(item: Item): string {
  const emoji = item.status ? `${STATUS_EMOJI[item.status] ?? "•"} ` : item.type === "area" ? "🗂️ " : "▫️ ";
  const name = `**${clip(escapeMarkdown(oneLine(item.name)), 100) || "…"}**`;
  const badgeText = item.badge ? clip(oneLine(prepare(item.badge)).replace(/`/g, "ˋ"), 40) : "";
  const badge = badgeText ? ` \`${badgeText}\`` : "";
  const stars = item.recommendations ? ` ★ ${item.recommendations}` : "";
  const text = item.text ? ` — ${escapeMarkdown(oneLine(item.text))}` : "";
  return clip(`${emoji}${name}${badge}${stars}${text}`, ITEM_MAX);
}

function heading(text: string | undefined): string[] {
  return text ? [`**${clip(escapeMarkdown(oneLine(text)), 256) || "…"}**`] : [];
}

function blockLines(block: Exclude<Block, { type: "fields" | "links" }>): string[] {
  switch (block.type) {
    case "text":
      return [
        ...heading(block.heading),
        ...prepare(block.text)
          .split("\n")
          .flatMap((line) => splitLong(escapeMarkdown(line), LINE_MAX)),
      ];
    case "points":
      return [
        ...heading(block.heading),
        ...block.points.flatMap((p) => splitLong(`• ${escapeMarkdown(oneLine(p))}`, LINE_MAX)),
      ];
    case "list":
      return [...heading(block.heading), ...block.items.map(itemLine)];
  }
}

function fieldOf(name: string, value: string, inline: boolean | undefined): APIEmbedField {
  const field: APIEmbedField = {
    name: clip(escapeMarkdown(oneLine(name)), LIMITS.fieldName) || "\u200b",
    value: clip(escapeMarkdown(prepare(value).trim()), LIMITS.fieldValue) || "\u200b",
  };
  if (inline) field.inline = true;
  return field;
}

function bodyOf(answer: Answer, buttonUrls: ReadonlySet<string>): Body {
  const lines: string[] = [];
  const fields: APIEmbedField[] = [];
  const links: Link[] = [];
  if (answer.notice) lines.push(`*${clip(escapeMarkdown(oneLine(answer.notice)), 1000)}*`, "");
  for (const block of answer.blocks) {
    if (block.type === "fields") {
      for (const f of block.fields) fields.push(fieldOf(f.name, f.value, f.inline));
    } else if (block.type === "links") {
      links.push(...block.links);
    } else {
      lines.push(...blockLines(block), "");
    }
  }
  const extraLinks = links.filter((l) => !buttonUrls.has(safeUrl(l.url) ?? ""));
  for (const link of extraLinks) {
    const url = safeUrl(link.url);
    const label = clip(escapeMarkdown(oneLine(link.label)), 200) || "…";
    lines.push(
      url ? `🔗 [${label}](${url})` : `🔗 ${label}: ${clip(escapeMarkdown(oneLine(link.url)), 600)}`,
    );
  }
  return { lines, fields };
}

interface Page {
  lines: string[];
  fields: APIEmbedField[];
  descLength: number;
  total: number;
}

/**
 * Greedy packing in reading order (description lines, then fields): a page takes units while
 * its description, field count and embed total stay within limits minus `reserve`.
 */
function paginate(body: Body, reserve: { description: number; total: number }): Page[] {
  const pages: Page[] = [];
  let page: Page = { lines: [], fields: [], descLength: 0, total: 0 };
  const flush = () => {
    while (page.lines.length > 0 && page.lines.at(-1) === "") page.lines.pop();
    if (page.lines.length > 0 || page.fields.length > 0) pages.push(page);
    page = { lines: [], fields: [], descLength: 0, total: 0 };
  };
  const descMax = LIMITS.description - reserve.description;
  const totalMax = LIMITS.embedTotal - reserve.total;
  for (const line of body.lines) {
    if (line === "" && page.lines.length === 0) continue;
    const cost = line.length + 1;
    if (page.descLength + cost > descMax || page.total + cost > totalMax) {
      if (page.lines.length > 0 || page.fields.length > 0) flush();
      if (line === "") continue;
    }
    page.lines.push(line);
    page.descLength += cost;
    page.total += cost;
  }
  for (const field of body.fields) {
    const cost = field.name.length + field.value.length;
    if (page.fields.length >= LIMITS.fields || page.total + cost > totalMax) flush();
    page.fields.push(field);
    page.total += cost;
  }
  flush();
  return pages.length > 0 ? pages : [{ lines: [], fields: [], descLength: 0, total: 0 }];
}

// ---------------------------------------------------------------------------------------------
// Components.

/** No lone surrogates and no control characters: safe as a custom id or a select value. */
function wellFormed(text: string): boolean {
  return !/[\p{Cc}\p{Cs}]/u.test(text);
}

/**
 * Components that could have been shown but were left out because of a Discord limit (rows,
 * options, custom id length): the message then says so, rather than losing them silently.
 */
interface Drops {
  dropped: boolean;
}

/**
 * A custom id for an action, only if it reads back as the same action and fits Discord's 100
 * characters (enforced here, not in src/actions.ts: Slack allows longer ids). A well-formed id
 * that is only too long counts as dropped.
 */
function customId(action: ActionId, drops?: Drops): string | undefined {
  const id = encodeAction(action);
  if (!id || !wellFormed(id)) return undefined;
  const decoded = decodeAction(id);
  if (!decoded || encodeAction(decoded) !== id) return undefined;
  if (id.length > LIMITS.customId) {
    if (drops) drops.dropped = true;
    return undefined;
  }
  return id;
}

function label(text: string, fallback: string): string {
  return clip(oneLine(prepare(text)), LIMITS.buttonLabel) || fallback;
}

function linkButtons(answer: Answer, t: (typeof TEXT)[Locale]): APIButtonComponent[] {
  const links = answer.blocks.flatMap((b) => (b.type === "links" ? b.links : []));
  const buttons: APIButtonComponent[] = [];
  const seen = new Set<string>();
  for (const link of links) {
    const url = safeUrl(link.url);
    if (!url || seen.has(url) || buttons.length >= LIMITS.buttonsPerRow) continue;
    seen.add(url);
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Link,
      label: label(link.label, t.link),
      url,
    });
  }
  return buttons;
}

function actionButton(action: Action, used: Set<string>, drops: Drops): APIButtonComponent | undefined {
  let id: string | undefined;
  let style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger =
    ButtonStyle.Secondary;
  switch (action.type) {
    case "recommend":
      id = customId({ verb: "rec", id: action.id }, drops);
      style = ButtonStyle.Primary;
      break;
    case "recommend_stance":
      id = customId({ verb: "recs", id: action.id, stance: action.stance }, drops);
      style = STANCE_STYLE[action.stance] ?? ButtonStyle.Secondary;
      break;
    case "open_tool":
      id = customId({ verb: "tool", id: action.id }, drops);
      break;
    case "open_area":
      id = customId({ verb: "area", id: action.id }, drops);
      break;
    case "run":
      id = runId(action.command, drops);
      break;
  }
  if (!id || used.has(id)) return undefined;
  used.add(id);
  return { type: ComponentType.Button, style, label: label(action.label, "•"), custom_id: id };
}

/** "/help", "/skilltree networking": a command with at most its first argument, as a page-0 action. */
function runId(command: string, drops: Drops): string | undefined {
  const match = /^\/([a-z]+)(?:\s+(\S.*))?$/.exec(command.trim());
  if (!match?.[1]) return undefined;
  return customId({ verb: "page", command: match[1], page: 0, arg: match[2] ?? "" }, drops);
}

/**
 * A select menu whose value is an entry id. Its custom id names the command the value runs
 * ("skilltree" for areas, "tool" for tools) as a page action on the page shown, which keeps it
 * distinct from the paging buttons (always another page) in the same message.
 */
function selectRow(
  command: "skilltree" | "tool",
  actions: Action[],
  placeholder: string,
  page: number,
  used: Set<string>,
  drops: Drops,
): ActionRow | undefined {
  const options: APISelectMenuOption[] = [];
  const values = new Set<string>();
  for (const action of actions) {
    if (!("id" in action) || action.id === "" || action.id.length > LIMITS.selectText) continue;
    if (!wellFormed(action.id)) continue;
    if (values.has(action.id)) continue;
    if (options.length >= LIMITS.selectOptions) {
      // A 26th entry: Discord takes 25 options, the rest are left out (and the message says so).
      drops.dropped = true;
      break;
    }
    values.add(action.id);
    options.push({
      label: clip(oneLine(prepare(action.label)), LIMITS.selectText) || action.id,
      value: action.id,
    });
  }
  if (options.length === 0) return undefined;
  const id = customId({ verb: "page", command, page, arg: "" }, drops);
  if (!id || used.has(id)) {
    drops.dropped = true;
    return undefined;
  }
  used.add(id);
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: id,
        placeholder: clip(placeholder, LIMITS.selectPlaceholder),
        options,
      },
    ],
  };
}

function rowsOf(buttons: APIButtonComponent[]): ActionRow[] {
  const rows: ActionRow[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  return rows;
}

interface Paging {
  previous?: string;
  next?: string;
}

function pagingIds(pager: Pager | undefined, page: number, pages: number): Paging | undefined {
  if (!pager || pages <= 1) return undefined;
  const previous = page > 0 ? customId({ verb: "page", ...pager, page: page - 1 }) : undefined;
  const next = page < pages - 1 ? customId({ verb: "page", ...pager, page: page + 1 }) : undefined;
  // A button that cannot be built (an argument too long for 100 characters) means no paging.
  if ((page > 0 && !previous) || (page < pages - 1 && !next)) return undefined;
  return { ...(previous ? { previous } : {}), ...(next ? { next } : {}) };
}

/** Recommend (and the stance buttons) first: the one thing a tool card is for must never be cut. */
const FIRST_ACTIONS: ReadonlySet<Action["type"]> = new Set(["recommend", "recommend_stance"]);

function componentsOf(
  answer: Answer,
  t: (typeof TEXT)[Locale],
  page: number,
  paging: Paging | undefined,
): { rows: ActionRow[]; dropped: boolean } {
  // Candidate rows in display order, each with a priority: with more than five, the least
  // important go. Paging first of all stays, so a paged answer can always be read; then the
  // first row of buttons (Recommend leads it), the menus and the link row; extra button rows
  // go first, and the message then says something was left out.
  const candidates: { priority: number; row: ActionRow }[] = [];
  const used = new Set<string>();
  const drops: Drops = { dropped: false };
  const pagingButtons: APIButtonComponent[] = [];
  if (paging?.previous) {
    used.add(paging.previous);
    pagingButtons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: t.previous,
      custom_id: paging.previous,
    });
  }
  if (paging?.next) {
    used.add(paging.next);
    pagingButtons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: t.next,
      custom_id: paging.next,
    });
  }

  const links = linkButtons(answer, t);
  if (links.length > 0)
    candidates.push({ priority: 3, row: { type: ComponentType.ActionRow, components: links } });

  const areas = answer.actions.filter((a) => a.type === "open_area");
  const tools = answer.actions.filter((a) => a.type === "open_tool");
  const areaSelect = areas.length > BUTTONS_BEFORE_SELECT;
  const toolSelect = tools.length > BUTTONS_BEFORE_SELECT;
  const ordered = [
    ...answer.actions.filter((a) => FIRST_ACTIONS.has(a.type)),
    ...answer.actions.filter((a) => !FIRST_ACTIONS.has(a.type)),
  ];
  const buttons = ordered.flatMap((action) => {
    if ((action.type === "open_area" && areaSelect) || (action.type === "open_tool" && toolSelect)) return [];
    const button = actionButton(action, used, drops);
    return button ? [button] : [];
  });
  rowsOf(buttons).forEach((row, i) => {
    candidates.push({ priority: i === 0 ? 1 : 4, row });
  });
  if (areaSelect) {
    const row = selectRow("skilltree", areas, t.openArea, page, used, drops);
    if (row) candidates.push({ priority: 2, row });
  }
  if (toolSelect) {
    const row = selectRow("tool", tools, t.openTool, page, used, drops);
    if (row) candidates.push({ priority: 2, row });
  }
  if (pagingButtons.length > 0)
    candidates.push({ priority: 0, row: { type: ComponentType.ActionRow, components: pagingButtons } });

  const kept = new Set(
    candidates
      .map((c, index) => ({ ...c, index }))
      .sort((a, b) => a.priority - b.priority || a.index - b.index)
      .slice(0, LIMITS.rows)
      .map((c) => c.index),
  );
  if (kept.size < candidates.length) drops.dropped = true;
  return { rows: candidates.filter((_, index) => kept.has(index)).map((c) => c.row), dropped: drops.dropped };
}

// ---------------------------------------------------------------------------------------------
// The message.

function titleOf(answer: Answer, t: (typeof TEXT)[Locale]): string {
  const text = clip(escapeMarkdown(oneLine(answer.title)), LIMITS.title - 4) || t.untitled;
  const emoji = answer.kind === "tool" && answer.tool ? STATUS_EMOJI[answer.tool.status] : undefined;
  return emoji ? `${emoji} ${text}` : text;
}

function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/** A last guard: whatever the accounting above, the embed ends up within every limit. */
function fitEmbed(embed: APIEmbed): APIEmbed {
  if (embed.title) embed.title = clip(embed.title, LIMITS.title);
  if (embed.description !== undefined) embed.description = clip(embed.description, LIMITS.description);
  if (embed.footer) embed.footer.text = clip(embed.footer.text, LIMITS.footer);
  if (embed.fields) embed.fields = embed.fields.slice(0, LIMITS.fields);
  while (embedLength(embed) > LIMITS.embedTotal) {
    const excess = embedLength(embed) - LIMITS.embedTotal;
    if (embed.fields && embed.fields.length > 0) embed.fields.pop();
    else if (embed.description && embed.description.length > excess + 1)
      embed.description = clip(embed.description, embed.description.length - excess);
    else if (embed.footer) delete embed.footer;
    else embed.description = undefined;
  }
  if (embed.description === "" || embed.description === undefined) delete embed.description;
  if (embed.fields?.length === 0) delete embed.fields;
  return embed;
}

/** Renders one page of an answer as a Discord message (once per answer and options). */
export const renderAnswer: (answer: Answer, options?: RenderOptions) => Rendered = memoPerAnswer(render);

function render(answer: Answer, options: RenderOptions = {}): Rendered {
  const t = TEXT[answer.locale] ?? TEXT.en;
  const title = titleOf(answer, t);
  // Room for the page number and the "not shown" marker after the answer's own footer.
  const footerRoom = 40 + t.dropped.length + 3;
  const footerText = answer.footer ? clip(oneLine(prepare(answer.footer)), LIMITS.footer - footerRoom) : "";
  const buttonUrls = new Set(linkButtons(answer, t).flatMap((b) => ("url" in b ? [b.url] : [])));
  const body = bodyOf(answer, buttonUrls);
  const pages = paginate(body, {
    description: t.more.length + 2,
    total: title.length + footerText.length + footerRoom + t.more.length + 2,
  });
  const kept = pages.slice(0, MAX_PAGES);
  const requested = Math.max(0, Math.floor(options.page ?? 0));
  let page = Math.min(requested, kept.length - 1);
  const paging = pagingIds(options.pager, page, kept.length);
  // Without paging buttons only the first page is shown, with a marker saying there is more.
  if (!paging) page = 0;
  const pageCount = paging ? kept.length : 1;
  const current = kept[page] ?? { lines: [], fields: [] };
  const cut = paging ? pages.length > kept.length && page === kept.length - 1 : pages.length > 1;
  const description = [current.lines.join("\n").trim(), cut ? t.more : ""].filter(Boolean).join("\n");
  const components = componentsOf(answer, t, page, paging);
  const footer = [
    footerText,
    pageCount > 1 ? t.page(page + 1, pageCount) : "",
    components.dropped ? t.dropped : "",
  ]
    .filter(Boolean)
    .join(" · ");

  const embed: APIEmbed = { title, color: colorOf(answer) };
  if (description) embed.description = description;
  if (current.fields.length > 0) embed.fields = current.fields;
  if (footer) embed.footer = { text: footer };

  return {
    data: {
      embeds: [fitEmbed(embed)],
      components: components.rows,
      allowed_mentions: { ...NO_MENTIONS, parse: [] },
    },
    ephemeral: answer.kind === "error" || answer.private === true || options.ephemeral === true,
    page,
    pages: pageCount,
  };
}

/** Autocomplete choices: at most 25, names 1-100 characters, values at most 100, each once. */
export function renderChoices(choices: readonly Choice[]): APIApplicationCommandOptionChoice<string>[] {
  const out: APIApplicationCommandOptionChoice<string>[] = [];
  const seen = new Set<string>();
  for (const choice of choices) {
    if (out.length >= LIMITS.choices) break;
    const value = choice.value;
    if (value === "" || value.length > LIMITS.choiceValue || seen.has(value)) continue;
    seen.add(value);
    out.push({
      name: clip(oneLine(prepare(choice.name)), LIMITS.choiceName) || clip(value, LIMITS.choiceName),
      value,
    });
  }
  return out;
}
