/**
 * Text safety for Slack, used by the renderer only. `&`, `<` and `>` are Slack's control
 * characters: escaped, member and data text can never become a mention (<!channel>, <@U1>),
 * a link (<https://evil|bank>) or a date token. "@here"-style words also get a zero-width space
 * after the "@" so that no server-side name linking can turn them into a ping either.
 */

const ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const BROADCAST = /@(?=(?:here|channel|everyone)\b)/giu;

/** Escapes one piece of text for mrkdwn (and the message's fallback text); never for plain_text. */
export function escapeText(raw: string): string {
  return raw.replace(BROADCAST, "@\u200b").replace(/[&<>]/g, (c) => ENTITY[c] ?? c);
}

/**
 * What a string costs in the JSON payload: its length once JSON-escaped (a quote costs 2, a
 * control character up to 6). Never less than its length, so a cost limit is also a length limit.
 */
export function cost(text: string): number {
  return JSON.stringify(text).length - 2;
}

/** cost() of one code point, or of one escaped piece ("&lt;"), without building JSON. */
function pieceCost(piece: string): number {
  if (piece.length !== 1) return cost(piece);
  const c = piece.charCodeAt(0);
  if (c === 0x22 || c === 0x5c) return 2;
  if (c < 0x20) return c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
  if (c >= 0xd800 && c <= 0xdfff) return 6;
  return 1;
}

/** Escaped, and cut with `marker` so that its cost is at most `max` (never mid-entity). */
export function escapeFit(raw: string, max: number, marker = "…"): string {
  const full = escapeText(raw);
  if (cost(full) <= max) return full;
  const room = Math.max(0, max - cost(marker));
  let out = "";
  let used = 0;
  for (const ch of raw.replace(BROADCAST, "@\u200b")) {
    const piece = ENTITY[ch] ?? ch;
    const c = pieceCost(piece);
    if (used + c > room) break;
    out += piece;
    used += c;
  }
  return used + cost(marker) <= max ? `${out}${marker}` : out;
}

/**
 * Text for a plain_text object (a header, a button label): cut with `marker` so that its cost is
 * at most `max`, never escaped. Slack shows plain_text as it is and never parses it for mentions
 * or links, so `&lt;` there would be shown literally.
 */
export function fitPlain(raw: string, max: number, marker = "…"): string {
  if (cost(raw) <= max) return raw;
  const room = Math.max(0, max - cost(marker));
  let out = "";
  let used = 0;
  for (const ch of raw) {
    const c = pieceCost(ch);
    if (used + c > room) break;
    out += ch;
    used += c;
  }
  return used + cost(marker) <= max ? `${out}${marker}` : out;
}

/**
 * Escaped text in pieces costing at most `max` each, split at line breaks where it can and
 * inside a line (between characters, never inside an entity or a surrogate pair) where it must.
 */
export function escapeChunks(raw: string, max: number): string[] {
  const chunks: string[] = [];
  let current = "";
  let used = 0;
  const push = () => {
    if (current.trim() !== "") chunks.push(current);
    current = "";
    used = 0;
  };
  for (const line of raw.split("\n")) {
    const escaped = escapeText(line);
    const lineCost = cost(escaped);
    const joinCost = current === "" ? 0 : cost("\n");
    if (used + joinCost + lineCost <= max) {
      current = current === "" ? escaped : `${current}\n${escaped}`;
      used += joinCost + lineCost;
      continue;
    }
    push();
    if (lineCost <= max) {
      current = escaped;
      used = lineCost;
      continue;
    }
    for (const ch of line.replace(BROADCAST, "@\u200b")) {
      const piece = ENTITY[ch] ?? ch;
      const c = pieceCost(piece);
      if (used + c > max) push();
      current += piece;
      used += c;
    }
  }
  push();
  return chunks;
}

/**
 * A URL the renderer may put in a url button: https only, no credentials, no characters that
 * Slack's link syntax treats specially, at most `max` characters. Anything else is undefined.
 */
export function trustedUrl(raw: string, max = 3000): string | undefined {
  if (raw.length > max || /[\s<>|"`]/u.test(raw)) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== "https:" || url.username !== "" || url.password !== "") return undefined;
    return url.href.length <= max ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Slack HTML-escapes `&`, `<` and `>` in what a member types into a slash command; this turns
 * them back into the characters the member wrote, for the core. (Mention markup such as
 * <@U123|alice>, which Slack adds when escaping is on, is left as it is.)
 */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) =>
    name === "amp" ? "&" : name === "lt" ? "<" : ">",
  );
}
