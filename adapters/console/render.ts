/**
 * Answer -> terminal text. Colour only when writing to a terminal; member text arrives here
 * already stripped of control characters by the core, so it cannot move the cursor or recolour.
 */
import { styleText } from "node:util";
import type { Action, Answer, Block, Item } from "../../src/answer.js";
import type { Status } from "../../src/taxonomy/schema.js";

type Style = Parameters<typeof styleText>[0];

const STATUS_STYLE: Record<Status, Style> = {
  active: "green",
  maintenance: "yellow",
  commercial: "cyan",
  merged: "magenta",
  deprecated: "yellow",
  archived: "red",
  discontinued: "red",
};

export function renderText(answer: Answer, colour = false): string {
  const paint = (style: Style, text: string) => (colour ? styleText(style, text) : text);
  const lines: string[] = [paint("bold", answer.title)];
  if (answer.notice) lines.push(paint("yellow", answer.notice));
  for (const block of answer.blocks) {
    lines.push("", ...renderBlock(block, paint));
  }
  const hints = answer.actions.slice(0, 6).map(hintOf);
  if (hints.length > 0) lines.push("", paint("dim", `→ ${hints.join("   ")}`));
  if (answer.footer) lines.push("", paint("dim", answer.footer));
  return lines.join("\n");
}

function renderBlock(block: Block, paint: (style: Style, text: string) => string): string[] {
  switch (block.type) {
    case "text":
      return [...(block.heading ? [paint("bold", block.heading)] : []), block.text];
    case "points":
      return [
        ...(block.heading ? [paint("bold", block.heading)] : []),
        ...block.points.map((p) => `  • ${p}`),
      ];
    case "fields":
      return block.fields.map((f) => `${paint("bold", `${f.name}:`)} ${f.value.replace(/\n/g, "\n  ")}`);
    case "list":
      return [
        ...(block.heading ? [paint("bold", block.heading)] : []),
        ...block.items.map((i) => itemLine(i, paint)),
      ];
    case "links":
      return block.links.map((l) => `${paint("bold", `${l.label}:`)} ${paint("underline", l.url)}`);
  }
}

function itemLine(item: Item, paint: (style: Style, text: string) => string): string {
  const badge = item.status && item.badge ? ` ${paint(STATUS_STYLE[item.status], `[${item.badge}]`)}` : "";
  const stars = item.recommendations ? ` ${paint("yellow", `★ ${item.recommendations}`)}` : "";
  const text = item.text ? ` ${paint("dim", "—")} ${item.text}` : "";
  return `  • ${paint("bold", item.name)}${badge}${stars}${text}`;
}

function hintOf(action: Action): string | undefined {
  switch (action.type) {
    case "open_tool":
      return action.command ?? `/tool ${action.id}`;
    case "open_area":
      return action.command ?? `/skilltree ${action.id}`;
    case "run":
      return action.command;
    case "recommend":
      return `/recommend ${action.id} <adopt|trial|assess|hold> [reason]`;
    case "recommend_stance":
      return `/recommend ${action.id} ${action.stance}`;
  }
}
