/**
 * Text helpers shared by the index, the search and the input checks.
 * NFKC folds full-width letters and digits (ｋ８ｓ) into their ASCII forms.
 */
import { toSimplified } from "./hanzi.js";

const SEPARATORS = /[\s\p{P}\p{S}]+/gu;
/** C0/C1 controls, zero-width characters and bidi overrides: never meaningful in a name. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
/** For free text: controls and direction overrides go, joiners stay (emoji sequences need them). */
const CONTROLS = /[\p{Cc}\u200b\u202a-\u202e\u2066-\u2069\ufeff]/gu;
const HAN_CLASS = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
const HAN = new RegExp(`[${HAN_CLASS}]`, "u");
/**
 * Full-width (CJK) punctuation: the ideographic space and marks (、。「」…), the full-width
 * forms (，：；（）！？), curly quotes, the ellipsis and the middle dot. Chinese sets these
 * with no space on either side.
 */
const CJK_PUNCT_CLASS =
  "\\u3000-\\u303f\\uff01-\\uff0f\\uff1a-\\uff20\\uff3b-\\uff40\\uff5b-\\uff65\\u2018-\\u201f\\u2026\\u00b7";
const CJK_PUNCT = new RegExp(`[${CJK_PUNCT_CLASS}]`, "u");
/** Whitespace that Chinese typography never has: between two Han characters, or next to CJK punctuation. */
const STRAY_SPACE = new RegExp(
  `[${HAN_CLASS}]\\s+(?=[${HAN_CLASS}])|[${CJK_PUNCT_CLASS}]\\s+|\\s+(?=[${CJK_PUNCT_CLASS}])`,
  "u",
);

/**
 * The key used for exact lookups: case-, width-, space- and punctuation-insensitive, and
 * traditional Chinese characters folded to simplified ones (網絡 finds 网络).
 */
export function nameKey(text: string): string {
  return toSimplified(text.normalize("NFKC").toLowerCase().replace(INVISIBLE, "").replace(SEPARATORS, ""));
}

/** Makes member input safe to work with: NFKC, no control characters, single spaces. */
export function cleanInput(text: string): string {
  return text.normalize("NFKC").replace(INVISIBLE, " ").replace(/\s+/gu, " ").trim();
}

export function hasChinese(text: string): boolean {
  return HAN.test(text);
}

/** Free text kept as written (no width folding): only invisible characters go, on one line. */
export function cleanText(text: string): string {
  return text.replace(CONTROLS, " ").replace(/\s+/gu, " ").trim();
}

/** A Han character or CJK punctuation: what Chinese text is set in without spaces. */
function isCjk(char: string | undefined): boolean {
  return char !== undefined && (HAN.test(char) || CJK_PUNCT.test(char));
}

/**
 * Joins two pieces of text as Chinese typography does: nothing between Chinese characters or
 * next to CJK punctuation, one space between Chinese and a Latin word or digit ("请改用" +
 * "Podman" -> "请改用 Podman", "请改用" + "云厂商的驱动" -> "请改用云厂商的驱动").
 */
export function joinCjk(left: string, right: string): string {
  if (left === "" || right === "") return left + right;
  const a = left.at(-1);
  const b = right[0];
  const cjkA = isCjk(a);
  const cjkB = isCjk(b);
  const latin = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c) && !isCjk(c);
  if ((cjkA && cjkB) || (a !== undefined && CJK_PUNCT.test(a)) || (b !== undefined && CJK_PUNCT.test(b)))
    return left + right;
  if ((cjkA && latin(b)) || (latin(a) && cjkB)) return `${left} ${right}`;
  return left + right;
}

/**
 * Joins the lines of a folded YAML block the way the text reads: YAML turns every line break
 * into a space, which is right for English but wrong inside Chinese ("几百个 节点"). A break
 * next to a Han character or CJK punctuation joins without a space, unless the other side is a
 * Latin word ("iptables" + "或 eBPF" keeps its space).
 */
export function foldLines(lines: readonly string[]): string {
  let out = "";
  for (const line of lines) {
    if (out === "") out = line;
    else if (line !== "") out = isCjk(out.at(-1)) || isCjk(line[0]) ? joinCjk(out, line) : `${out} ${line}`;
  }
  return out;
}

/** The first stray space of a Chinese text, with a little context, or undefined if it has none. */
export function straySpaceIn(text: string): string | undefined {
  const match = STRAY_SPACE.exec(text);
  if (!match) return undefined;
  const start = Math.max(0, match.index - 4);
  return text.slice(start, match.index + match[0].length + 4);
}

const HALF_WIDTH_PUNCT = new RegExp(
  `.{0,4}(?:[${HAN_CLASS}][,.;:!?()]|[,;:!?()](?=[${HAN_CLASS}])).{0,4}`,
  "u",
);

/**
 * The first ASCII comma, full stop, semicolon, colon, bracket, ! or ? written next to a Han
 * character, with a little context: Chinese uses the full-width forms there. A full stop
 * before a Han character is left alone ("1.11 版本", "Node.js 的").
 */
export function halfWidthPunctuationIn(text: string): string | undefined {
  return HALF_WIDTH_PUNCT.exec(text)?.[0];
}
