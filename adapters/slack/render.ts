/**
 * Answer -> Block Kit: the one place that knows Slack's limits and escapes text. Every piece of
 * text that comes from the answer (data and member text alike) goes through escape.ts here and
 * nowhere else: escaped for mrkdwn and the fallback text, only cut for plain_text (which Slack
 * never parses). A long answer is split into pages with Previous/Next buttons when the query
 * can be run again, and otherwise cut with a visible marker; buttons and hints that do not fit
 * are counted in a visible "not shown" line. Slack never rejects a message, and nothing is left
 * out without saying so.
 */

import { encodeAction } from "../../src/actions.js";
import type { Action, Answer, Block, Field, Item, Link, Locale } from "../../src/answer.js";
import { messages } from "../../src/i18n/messages.js";
import { STANCES } from "../../src/store/types.js";
import { memoPerAnswer } from "../render-memo.js";
import { STATUS_EMOJI } from "../status-emoji.js";
import { cost, escapeChunks, escapeFit, fitPlain, trustedUrl } from "./escape.js";

// ---- Block Kit, as much of it as we use ---------------------------------------------------

export interface PlainText {
  type: "plain_text";
  text: string;
  emoji?: boolean;
}
export interface Mrkdwn {
  type: "mrkdwn";
  text: string;
  verbatim: true;
}
export interface ButtonElement {
  type: "button";
  text: PlainText;
  action_id: string;
  value?: string;
  url?: string;
  style?: "primary" | "danger";
}
export interface HeaderBlock {
  type: "header";
  text: PlainText;
}
export interface SectionBlock {
  type: "section";
  text?: Mrkdwn;
  fields?: Mrkdwn[];
}
export interface ContextBlock {
  type: "context";
  elements: Mrkdwn[];
}
export interface ActionsBlock {
  type: "actions";
  elements: ButtonElement[];
}
export interface DividerBlock {
  type: "divider";
}
export type SlackBlock = HeaderBlock | SectionBlock | ContextBlock | ActionsBlock | DividerBlock;

export interface SlackMessage {
  /** Plain-text fallback for notifications and screen readers; escaped like the blocks. */
  text: string;
  blocks: SlackBlock[];
}

/** Slack's documented limits, and the practical payload cap (bolt-js#2509). */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  actionId: 255,
  value: 255,
  url: 3000,
  /** JSON size of the blocks array: Slack answers msg_blocks_too_long near 13.2k. */
  messageChars: 12_000,
  fallbackText: 3000,
} as const;

/** A click on an ephemeral copy: post the result to the channel ("c") or keep it private ("e"). */
export type FollowUp = "c" | "e";

export interface RenderOptions {
  /** Which page of a long answer (0-based); clamped to the last page. */
  page?: number;
  /** The command and its one text argument, to build Previous/Next; without it, no paging. */
  paging?: { command: string; arg: string };
  followUp?: FollowUp;
}

/** The value every button of ours carries: what a follow-up click does, and the answer's language. */
export function buttonValue(followUp: FollowUp, locale: Locale): string {
  return `${followUp}|${locale}`;
}

export function parseButtonValue(value: unknown): { followUp: FollowUp; locale?: Locale } {
  if (typeof value !== "string") return { followUp: "e" };
  const [followUp, locale] = value.split("|");
  return {
    followUp: followUp === "c" ? "c" : "e",
    ...(locale === "en" || locale === "zh-CN" ? { locale } : {}),
  };
}

/** Link buttons get ids of their own: Slack still sends a click, which is only acknowledged. */
export const LINK_ACTION_PREFIX = "link:";

// ---- Words the renderer adds (not the answer's): paging and the cut marker ----------------

const CHROME = {
  en: {
    previous: "◀ Previous",
    next: "Next ▶",
    page: (n: number, of: number) => `Page ${n} of ${of}`,
    cut: "… cut to fit in one Slack message; ask for something narrower to see the rest.",
    moreButtons: (n: number) =>
      `… ${n} more ${n === 1 ? "button" : "buttons"} not shown: too many for one Slack message.`,
    moreHints: (n: number) => `… ${n} more not shown`,
    untitled: "Skilltree",
  },
  "zh-CN": {
    previous: "◀ 上一页",
    next: "下一页 ▶",
    page: (n: number, of: number) => `第 ${n} / ${of} 页`,
    cut: "……内容过长，已截断；请缩小查询范围查看其余部分。",
    moreButtons: (n: number) => `……另有 ${n} 个按钮未显示：一条 Slack 消息放不下。`,
    moreHints: (n: number) => `……另有 ${n} 项未显示`,
    untitled: "Skilltree",
  },
} satisfies Record<Locale, unknown>;

// ---- Rendering ------------------------------------------------------------------------------

/** Caps on the parts shown on every page, so that the body always has room. */
const NOTICE_MAX = 1000;
const FOOTER_MAX = 1000;
const HEADING_MAX = 200;
const INLINE_FIELD_MAX = 300;
const ITEM_LINE_MAX = 600;
const ITEMS_PER_SECTION = 10;
/** Rows of action buttons under the body (25 each); more than 50 buttons are counted, not shown. */
const ACTION_ROWS = 2;
/**
 * The largest JSON size of one unit of the body (a full 3000-character section is ~3070, an
 * actions block with one 3000-character url button ~3170). Units are built to stay under it.
 */
const UNIT_MAX = 3290;
/** The body always keeps room for the largest unit, with its comma and the array's brackets. */
const BODY_MIN = UNIT_MAX + 10;

const mrkdwn = (text: string): Mrkdwn => ({ type: "mrkdwn", text, verbatim: true });
const plain = (text: string): PlainText => ({ type: "plain_text", text, emoji: true });
const size = (blocks: readonly SlackBlock[]) => JSON.stringify(blocks).length;

/** Gives each link button an id unique in the message. */
interface Ids {
  links: number;
}

/** Renders one page of an answer as a Slack message (once per answer and options). */
export const renderAnswer: (answer: Answer, options?: RenderOptions) => SlackMessage = memoPerAnswer(render);

function render(answer: Answer, options: RenderOptions = {}): SlackMessage {
  const chrome = CHROME[answer.locale] ?? CHROME.en;
  const value = buttonValue(options.followUp ?? "e", answer.locale);
  const ids: Ids = { links: 0 };

  const top: SlackBlock[] = [
    {
      type: "header",
      text: plain(nonEmpty(fitPlain(answer.title.trim(), LIMITS.headerText), chrome.untitled)),
    },
  ];
  if (answer.notice?.trim())
    top.push({ type: "context", elements: [mrkdwn(escapeFit(answer.notice.trim(), NOTICE_MAX))] });
  const status = statusContext(answer);
  if (status) top.push(status);

  const hints = runHints(answer.actions, chrome);
  const { buttons, unusable } = actionButtons(answer.actions, value);
  const footer: SlackBlock | undefined = answer.footer?.trim()
    ? { type: "context", elements: [mrkdwn(escapeFit(answer.footer.trim(), FOOTER_MAX))] }
    : undefined;
  /** The bottom with the first `shown` buttons, and a line counting the ones left out. */
  const bottomOf = (shown: number): SlackBlock[] => {
    const rows: SlackBlock[] = [];
    for (let i = 0; i < shown; i += LIMITS.actionsElements)
      rows.push({ type: "actions", elements: buttons.slice(i, Math.min(shown, i + LIMITS.actionsElements)) });
    const left = unusable + buttons.length - shown;
    return [
      ...(hints ? [hints] : []),
      ...rows,
      ...(left > 0
        ? [{ type: "context" as const, elements: [mrkdwn(escapeFit(chrome.moreButtons(left), 300))] }]
        : []),
      ...(footer ? [footer] : []),
    ];
  };
  // Room for the paging row (or the cut marker) at its largest, so the total stays in budget.
  const navReserve = navigationReserve(options, value, chrome);
  // Shown on every page; buttons go first when they leave the body too little room.
  let shown = Math.min(buttons.length, ACTION_ROWS * LIMITS.actionsElements);
  let bottom = bottomOf(shown);
  while (shown > 0 && size([...top, ...bottom]) > LIMITS.messageChars - navReserve - BODY_MIN) {
    shown--;
    bottom = bottomOf(shown);
  }

  const units = answer.blocks.flatMap((b) => unitsOf(b, ids));
  const blockBudget = LIMITS.blocks - top.length - bottom.length - 2;
  const charBudget = LIMITS.messageChars - size([...top, ...bottom]) - navReserve;
  const pages = paginate(units, blockBudget, charBudget, cutUnit(chrome));

  const nav = navigation(pages.length, options, value, chrome);
  const pageIndex = nav.paged ? Math.min(Math.max(options.page ?? 0, 0), pages.length - 1) : 0;
  const blocks: SlackBlock[] = [...top, ...(pages[pageIndex] ?? []).flat(), ...bottom];
  if (pages.length > 1) blocks.push(...nav.blocks(pageIndex));
  const pageLabel = nav.paged ? chrome.page(pageIndex + 1, pages.length) : undefined;
  return { text: fallbackText(answer, pageLabel), blocks };
}

/** A tool card's status chip and this channel's count by stance, on one context line. */
function statusContext(answer: Answer): ContextBlock | undefined {
  const tool = answer.tool;
  if (answer.kind !== "tool" || !tool) return undefined;
  const t = messages(answer.locale);
  const elements = [
    mrkdwn(
      escapeFit(
        `${STATUS_EMOJI[tool.status] ?? "•"} ${t.statusBadge(t.status[tool.status] ?? tool.status, tool.statusYear)}`,
        200,
      ),
    ),
  ];
  const recs = answer.recommendations;
  if (recs && recs.total > 0) {
    const parts = STANCES.filter((s) => (recs.stances[s] ?? 0) > 0).map((s) =>
      t.rec.countPart(recs.stances[s], t.stance[s]),
    );
    elements.push(mrkdwn(escapeFit(`${t.rec.recommendedBadge(recs.total)} · ${t.rec.counts(parts)}`, 300)));
  }
  return { type: "context", elements };
}

function nonEmpty(text: string, fallback: string): string {
  return text.trim() === "" ? fallback : text;
}

/** One indivisible piece of the body: paging never splits it. */
type Unit = SlackBlock[];

function unitsOf(block: Block, ids: Ids): Unit[] {
  switch (block.type) {
    case "text":
      return sectionsOf(block.heading, block.text);
    case "points":
      return packLines(
        block.heading,
        block.points.map((p) => `• ${escapeFit(p, ITEM_LINE_MAX)}`),
      );
    case "fields":
      return fieldUnits(block.fields);
    case "list":
      return listUnits(block.heading, block.items);
    case "links":
      return linkUnits(block.links, ids);
  }
}

function headingOf(heading: string | undefined): string {
  return heading?.trim() ? `*${escapeFit(heading.trim(), HEADING_MAX)}*` : "";
}

/** Text in sections of at most 3000 characters; the heading (bold) opens the first. */
function sectionsOf(heading: string | undefined, text: string): Unit[] {
  const head = headingOf(heading);
  const room = LIMITS.sectionText - (head ? cost(head) + 2 : 0);
  const chunks = escapeChunks(text, room);
  if (chunks.length === 0) return head ? [[{ type: "section", text: mrkdwn(head) }]] : [];
  return chunks.map((chunk, i) => [
    { type: "section", text: mrkdwn(i === 0 && head ? `${head}\n${chunk}` : chunk) },
  ]);
}

/** Lines already escaped (each short), packed into sections of a few lines each. */
function packLines(heading: string | undefined, lines: readonly string[], perSection = Infinity): Unit[] {
  const units: Unit[] = [];
  let current: string[] = [];
  let used = 0;
  let head = headingOf(heading);
  const flush = () => {
    const text = [head, ...current].filter(Boolean).join("\n");
    if (text.trim() !== "") units.push([{ type: "section", text: mrkdwn(text) }]);
    head = "";
    current = [];
    used = 0;
  };
  for (const line of lines) {
    const c = cost(line) + 2;
    const headCost = head ? cost(head) + 2 : 0;
    if (current.length > 0 && (current.length >= perSection || headCost + used + c > LIMITS.sectionText))
      flush();
    current.push(line);
    used += c;
  }
  flush();
  return units;
}

/** Short fields side by side (at most 10 per section); long ones as text of their own. */
function fieldUnits(fields: readonly Field[]): Unit[] {
  const units: Unit[] = [];
  let row: Mrkdwn[] = [];
  let rowCost = 0;
  const flush = () => {
    if (row.length > 0) units.push([{ type: "section", fields: row }]);
    row = [];
    rowCost = 0;
  };
  for (const field of fields) {
    const name = field.name.trim();
    const value = field.value.trim();
    if (name === "" && value === "") continue;
    if (field.inline && name.length + value.length <= INLINE_FIELD_MAX) {
      const text = [headingOf(name), escapeFit(value, INLINE_FIELD_MAX * 2)].filter(Boolean).join("\n");
      if (row.length === LIMITS.sectionFields || rowCost + cost(text) > LIMITS.sectionText) flush();
      row.push(mrkdwn(text));
      rowCost += cost(text);
      continue;
    }
    flush();
    units.push(...sectionsOf(name || undefined, value));
  }
  flush();
  return units;
}

function listUnits(heading: string | undefined, items: readonly Item[]): Unit[] {
  return packLines(heading, items.map(itemLine), ITEMS_PER_SECTION);
}

/** "• *Calico* `active` ★ 3 — one line about it", escaped piece by piece. */
function itemLine(item: Item): string {
  const name = item.name.trim() ? `*${escapeFit(item.name.trim(), HEADING_MAX)}*` : "•";
  const badge = item.badge?.trim() ? ` \`${escapeFit(item.badge.trim(), 60)}\`` : "";
  const stars = item.recommendations ? ` ★ ${Math.trunc(item.recommendations)}` : "";
  const text = item.text?.trim() ? ` — ${escapeFit(item.text.trim(), ITEM_LINE_MAX)}` : "";
  return `• ${name}${badge}${stars}${text}`;
}

/**
 * Link buttons in as many actions blocks as it takes: at most 25 buttons and UNIT_MAX characters
 * each, so that long URLs never push a message past Slack's budget. A link that cannot be a
 * button (not a trusted https URL, or longer than Slack's 3000-character url) is shown as text,
 * escaped and cut with a visible "…", never as a link.
 */
function linkUnits(links: readonly Link[], ids: Ids): Unit[] {
  const units: Unit[] = [];
  const asText: string[] = [];
  const empty = size([{ type: "actions", elements: [] }]);
  let row: ButtonElement[] = [];
  let rowSize = empty;
  const flush = () => {
    if (row.length > 0) units.push([{ type: "actions", elements: row }]);
    row = [];
    rowSize = empty;
  };
  for (const link of links) {
    const url = trustedUrl(link.url, LIMITS.url);
    if (!url) {
      asText.push(escapeFit(`${link.label.trim()}: ${link.url}`, ITEM_LINE_MAX));
      continue;
    }
    const button: ButtonElement = {
      type: "button",
      text: plain(nonEmpty(fitPlain(link.label.trim(), LIMITS.buttonText), "Link")),
      action_id: `${LINK_ACTION_PREFIX}${ids.links++}`,
      url,
    };
    // Its JSON and the comma before it.
    const cost = JSON.stringify(button).length + 1;
    if (row.length === LIMITS.actionsElements || rowSize + cost > UNIT_MAX) flush();
    row.push(button);
    rowSize += cost;
  }
  flush();
  if (asText.length > 0) units.push(...packLines(undefined, asText));
  return units;
}

/**
 * The answer's actions as buttons, without duplicate ids (the same button twice), and how many
 * could not be buttons at all (an id too long for Slack's 255 characters): those are counted
 * in the "not shown" line, never skipped silently.
 */
function actionButtons(
  actions: readonly Action[],
  value: string,
): { buttons: ButtonElement[]; unusable: number } {
  const seen = new Set<string>();
  const buttons: ButtonElement[] = [];
  let unusable = 0;
  for (const action of actions) {
    if (action.type === "run") continue;
    const id = actionIdOf(action);
    if (!id || cost(id) > LIMITS.actionId) {
      unusable++;
      continue;
    }
    if (seen.has(id)) continue;
    seen.add(id);
    buttons.push({
      type: "button",
      text: plain(nonEmpty(fitPlain(action.label.trim(), LIMITS.buttonText), "…")),
      action_id: id,
      value,
      ...(action.type === "recommend" ? { style: "primary" as const } : {}),
    });
  }
  return { buttons, unusable };
}

function actionIdOf(action: Action): string | undefined {
  switch (action.type) {
    case "open_tool":
      return encodeAction({ verb: "tool", id: action.id });
    case "open_area":
      return encodeAction({ verb: "area", id: action.id });
    case "recommend":
      return encodeAction({ verb: "rec", id: action.id });
    case "recommend_stance":
      return encodeAction({ verb: "recs", id: action.id, stance: action.stance });
    case "run":
      return undefined;
  }
}

/**
 * "Run" actions have no button of their own: they are shown as commands to type, at most 10
 * context elements; past that the last one counts the rest.
 */
function runHints(actions: readonly Action[], chrome: (typeof CHROME)[Locale]): ContextBlock | undefined {
  const runs = actions.flatMap((a) => (a.type === "run" ? [a] : []));
  if (runs.length === 0) return undefined;
  const fits = runs.length <= LIMITS.contextElements;
  const shown = fits ? runs : runs.slice(0, LIMITS.contextElements - 1);
  const elements = shown.map((a) => mrkdwn(escapeFit(`${a.label}: ${a.command}`, 200)));
  if (!fits) elements.push(mrkdwn(escapeFit(chrome.moreHints(runs.length - shown.length), 100)));
  return { type: "context", elements };
}

/**
 * Units onto pages within both budgets. A unit that could not fit even on a page of its own
 * (none is built that large, but the budget is Slack's, not ours) is replaced by `cut`.
 */
function paginate(units: readonly Unit[], blockBudget: number, charBudget: number, cut: Unit): Unit[][] {
  const pages: Unit[][] = [[]];
  let blocks = 0;
  let chars = 2;
  for (const original of units) {
    const unit = original.length > blockBudget || size(original) + 3 > charBudget ? cut : original;
    const unitChars = size(unit) + 1;
    const current = pages[pages.length - 1] as Unit[];
    if (current.length > 0 && (blocks + unit.length > blockBudget || chars + unitChars > charBudget)) {
      pages.push([unit]);
      blocks = unit.length;
      chars = 2 + unitChars;
      continue;
    }
    current.push(unit);
    blocks += unit.length;
    chars += unitChars;
  }
  return pages;
}

interface Navigation {
  paged: boolean;
  blocks(page: number): SlackBlock[];
}

/** Previous/Next when the query can be run again from a button; else a visible cut marker. */
function navigation(
  pageCount: number,
  options: RenderOptions,
  value: string,
  chrome: (typeof CHROME)[Locale],
): Navigation {
  const paging = options.paging;
  const idFor = (page: number) => {
    const id = paging
      ? encodeAction({ verb: "page", command: paging.command, page, arg: paging.arg })
      : undefined;
    return id && cost(id) <= LIMITS.actionId ? id : undefined;
  };
  const canPage = pageCount > 1 && idFor(pageCount - 1) !== undefined;
  if (!canPage) return { paged: false, blocks: () => cutUnit(chrome) };
  return {
    paged: true,
    blocks: (page) => pagingBlocks(page, pageCount, idFor, value, chrome),
  };
}

function pagingBlocks(
  page: number,
  pageCount: number,
  idFor: (page: number) => string | undefined,
  value: string,
  chrome: (typeof CHROME)[Locale],
): SlackBlock[] {
  const buttons: ButtonElement[] = [];
  const prev = page > 0 ? idFor(page - 1) : undefined;
  const next = page < pageCount - 1 ? idFor(page + 1) : undefined;
  if (prev) buttons.push({ type: "button", text: plain(chrome.previous), action_id: prev, value });
  if (next) buttons.push({ type: "button", text: plain(chrome.next), action_id: next, value });
  const label: SlackBlock = {
    type: "context",
    elements: [mrkdwn(escapeFit(chrome.page(page + 1, pageCount), 100))],
  };
  return buttons.length > 0 ? [label, { type: "actions", elements: buttons }] : [label];
}

/** The visible "cut to fit" line, for what does not fit and cannot be paged to. */
function cutUnit(chrome: (typeof CHROME)[Locale]): SlackBlock[] {
  return [{ type: "context", elements: [mrkdwn(escapeFit(chrome.cut, 300))] }];
}

/**
 * The largest the paging row or the cut marker can be for these options: both buttons, with
 * page numbers of five digits (more pages than any answer can have).
 */
function navigationReserve(options: RenderOptions, value: string, chrome: (typeof CHROME)[Locale]): number {
  const paging = options.paging;
  const idFor = (page: number) =>
    paging ? encodeAction({ verb: "page", command: paging.command, page, arg: paging.arg }) : undefined;
  const widest = paging ? size(pagingBlocks(99_997, 99_999, idFor, value, chrome)) : 0;
  return Math.max(widest, size(cutUnit(chrome))) + 2;
}

function fallbackText(answer: Answer, page: string | undefined): string {
  const parts = [answer.title.trim(), answer.notice?.trim(), page].filter((p): p is string => !!p);
  return nonEmpty(escapeFit(parts.join(" — "), LIMITS.fallbackText), CHROME.en.untitled);
}
