/**
 * Tokens for the full-text index. Latin words are lowercased and lightly stemmed; Chinese has
 * no spaces, so runs of Han characters become overlapping bigrams ("日志收集" -> 日志, 志收,
 * 收集), which matches Chinese words without a dictionary.
 */
import { hasChinese } from "../text/normalize.js";

const WORDS = /[\p{L}\p{N}]+/gu;
const HAN_OR_NOT = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/gu;
const STOP_WORDS = new Set([
  "a",
  "an",
  "and",
  "are",
  "as",
  "at",
  "be",
  "by",
  "for",
  "from",
  "in",
  "is",
  "it",
  "of",
  "on",
  "or",
  "that",
  "the",
  "to",
  "with",
  "what",
  "which",
  "how",
  "i",
  "me",
  "my",
  "we",
  "our",
  "tool",
  "tools",
  "的",
  "和",
  "与",
  "或",
]);

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const [word] of text.normalize("NFKC").toLowerCase().matchAll(WORDS)) {
    for (const [segment] of word.matchAll(HAN_OR_NOT)) {
      if (!hasChinese(segment)) {
        tokens.push(segment);
      } else if (segment.length === 1) {
        tokens.push(segment);
      } else {
        for (let i = 0; i + 1 < segment.length; i++) tokens.push(segment.slice(i, i + 2));
      }
    }
  }
  return tokens;
}

/** Drops stop words and folds simple English inflections, the same way for data and queries. */
export function processTerm(term: string): string | null {
  if (STOP_WORDS.has(term)) return null;
  if (hasChinese(term)) return term;
  if (term.length > 5 && term.endsWith("ing")) return term.slice(0, -3);
  if (term.length > 4 && term.endsWith("ies")) return `${term.slice(0, -3)}y`;
  if (term.length > 3 && term.endsWith("s") && !term.endsWith("ss")) return term.slice(0, -1);
  return term;
}
