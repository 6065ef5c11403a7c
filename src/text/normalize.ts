/**
 * Text helpers shared by the index, the search and the input checks.
 * NFKC folds full-width letters and digits (ｋ８ｓ) into their ASCII forms.
 */

const SEPARATORS = /[\s\p{P}\p{S}]+/gu;
/** C0/C1 controls, zero-width characters and bidi overrides: never meaningful in a name. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;

/** The key used for exact lookups: case-, width-, space- and punctuation-insensitive. */
export function nameKey(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(INVISIBLE, "").replace(SEPARATORS, "");
}

/** Makes member input safe to work with: NFKC, no control characters, single spaces. */
export function cleanInput(text: string): string {
  return text.normalize("NFKC").replace(INVISIBLE, " ").replace(/\s+/gu, " ").trim();
}

export function hasChinese(text: string): boolean {
  return HAN.test(text);
}
