/**
 * Text helpers shared by the index, the search and the input checks.
 * NFKC folds full-width letters and digits (ｋ８ｓ) into their ASCII forms.
 */

const SEPARATORS = /[\s\p{P}\p{S}]+/gu;
/** C0/C1 controls, zero-width characters and bidi overrides: never meaningful in a name. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
/** For free text: controls and direction overrides go, joiners stay (emoji sequences need them). */
const CONTROLS = /[\p{Cc}\u200b\u202a-\u202e\u2066-\u2069\ufeff]/gu;
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

/** Free text kept as written (no width folding): only invisible characters go, on one line. */
export function cleanText(text: string): string {
  return text.replace(CONTROLS, " ").replace(/\s+/gu, " ").trim();
}
