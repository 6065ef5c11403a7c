/**
 * Tokens for the full-text index. Latin words are lowercased and stemmed (stem.ts); Chinese has
 * no spaces, so runs of Han characters become overlapping bigrams ("日志收集" -> 日志, 志收,
 * 收集), which matches Chinese words without a dictionary.
 */
import { toSimplified } from "../text/hanzi.js";
import { hasChinese } from "../text/normalize.js";
import { stem } from "./stem.js";

/** A run of Han characters, or a run of other letters and digits: a word boundary either way. */
const RUNS =
  /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|(?:(?![\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])[\p{L}\p{N}])+/gu;
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
  // Traditional characters fold to simplified ones, as in names (網絡 finds 网络).
  const folded = toSimplified(text.normalize("NFKC").toLowerCase());
  RUNS.lastIndex = 0;
  for (let match = RUNS.exec(folded); match !== null; match = RUNS.exec(folded)) {
    const run = match[0];
    if (run.length === 1 || !hasChinese(run[0] as string)) tokens.push(run);
    else for (let i = 0; i + 1 < run.length; i++) tokens.push(run.slice(i, i + 2));
  }
  return tokens;
}

/** Drops stop words and stems English words, the same way for data and queries. */
export function processTerm(term: string): string | null {
  if (STOP_WORDS.has(term)) return null;
  if (hasChinese(term)) return term;
  return stem(term);
}
