/**
 * Bounded edit-distance search over a fixed set of short strings (folded names for fuzzy.ts,
 * index terms for fulltext.ts): every key within a budget of edits of a query, without looking
 * at most keys at all.
 *
 * - Keys are sorted by length, so a length window is one contiguous range.
 * - Each key's padded bigrams ("^c", "ca", ..., "o$") are posted: a key within d edits shares
 *   at least (query bigrams - 3d) of the query's, since one edit destroys at most three (a
 *   transposition; two for the others). Counting shared bigrams through the postings of the
 *   query's bigrams, restricted to the length window, finds the candidates; they are tried most
 *   shared first, so the best match comes early (callers may shrink the budget as they go).
 * - A key sharing nothing can only be close when the budget is large for the query ("ab" and
 *   "ba"); only then are the untouched keys of those lengths tried too.
 * - Before the alignment, a character-set filter (a character of one string missing from the
 *   other costs at least one edit) and a banded alignment that gives up as soon as a whole row
 *   is over budget.
 *
 * So the hits are exactly those a full scan would give, at a small fraction of the work.
 */

const FAR = 1 << 20;

/** Letters and digits get a bit each; anything else shares the remaining 28 bits by code. */
function charBit(code: number): number {
  if (code >= 97 && code <= 122) return code - 97;
  if (code >= 48 && code <= 57) return code - 48 + 26;
  return 36 + (code % 28);
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The characters of `text` as a 64-bit set, in two halves. */
function masksOf(text: string): [lo: number, hi: number] {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < text.length; i++) {
    const bit = charBit(text.charCodeAt(i));
    if (bit < 32) lo |= 1 << bit;
    else hi |= 1 << (bit - 32);
  }
  return [lo, hi];
}

/** The distinct bigrams of `text` as numbers, with start and end markers when `padded`. */
export function bigramsOf(text: string, padded: boolean): number[] {
  const out: number[] = [];
  const first = padded ? -1 : 0;
  const last = padded ? text.length - 1 : text.length - 2;
  for (let i = first; i <= last; i++) {
    const a = i < 0 ? 0 : text.charCodeAt(i);
    const b = i + 1 >= text.length ? 1 : text.charCodeAt(i + 1);
    const gram = a * 65536 + b;
    if (!out.includes(gram)) out.push(gram);
  }
  return out;
}

/** The first index of the ascending `list` holding a value of at least `value`. */
function lowerBound(list: Int32Array, value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface EditSearch {
  /** The most edits allowed for a key of length `n`; read again as the search goes on. */
  budget(n: number): number;
  /** Called for every key within budget, with the caller's id and the distance. */
  visit(id: number, distance: number, key: string): void;
  /** Count an adjacent transposition as one edit (optimal string alignment), else as two. */
  transpositions: boolean;
}

export class EditSpace {
  /** Keys, shortest first, and the caller's id of each. */
  readonly keys: string[];
  readonly ids: Int32Array;
  readonly maxLength: number;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  /** `start[n]` is the position of the first key of length n; `start[n + 1]` ends them. */
  private readonly start: Int32Array;
  /** Padded bigram -> positions of the keys holding it, ascending. */
  private readonly postings = new Map<number, Int32Array>();
  // Scratch space, reused by every search (one search runs at a time): the alignment's rows,
  // bigrams shared per key, the keys touched, and those keys by shared count.
  private readonly rows: Int32Array[];
  private readonly shared: Uint8Array;
  private readonly touched: Int32Array;
  private readonly order: Int32Array;
  /** Each key's length, by position (no need to load the string to skip it). */
  private readonly lengths: Uint8Array;
  /** The budget per key length during a search, read again after each hit. */
  private readonly limits: Int32Array;

  /** `keys[i]` gets the id `i`. Keys longer than 255 characters are never matched. */
  constructor(keys: readonly string[]) {
    const positions = keys
      .map((key, id) => ({ key, id }))
      .filter(({ key }) => key.length <= 255)
      .sort((a, b) => a.key.length - b.key.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id));
    this.keys = positions.map((p) => p.key);
    this.ids = Int32Array.from(positions, (p) => p.id);
    this.maxLength = this.keys.at(-1)?.length ?? 0;
    this.lo = new Int32Array(this.keys.length);
    this.hi = new Int32Array(this.keys.length);
    const lists = new Map<number, number[]>();
    this.keys.forEach((key, k) => {
      [this.lo[k], this.hi[k]] = masksOf(key);
      for (const gram of bigramsOf(key, true)) {
        const list = lists.get(gram);
        if (list) list.push(k);
        else lists.set(gram, [k]);
      }
    });
    for (const [gram, list] of lists) this.postings.set(gram, Int32Array.from(list));
    this.start = new Int32Array(this.maxLength + 2);
    let k = 0;
    for (let n = 0; n <= this.maxLength + 1; n++) {
      while (k < this.keys.length && (this.keys[k] as string).length < n) k++;
      this.start[n] = k;
    }
    const width = Math.max(this.maxLength, 254) + 2;
    this.rows = [new Int32Array(width), new Int32Array(width), new Int32Array(width)];
    this.shared = new Uint8Array(this.keys.length);
    this.touched = new Int32Array(this.keys.length);
    this.order = new Int32Array(this.keys.length);
    this.lengths = Uint8Array.from(this.keys, (key) => key.length);
    this.limits = new Int32Array(this.maxLength + 2);
  }

  /** Visits every key within `search.budget` edits of `query` (at most 254 characters). */
  search(query: string, search: EditSearch): void {
    const length = query.length;
    if (length === 0 || length > 254 || this.keys.length === 0) return;
    const { shared, touched, order } = this;
    const grams = bigramsOf(query, true);
    const [qlo, qhi] = masksOf(query);
    const budget = (n: number) => Math.max(0, Math.min(search.budget(n), 254));
    // Lengths that can be within budget: shorter ones by the query's length, longer by theirs.
    const shortest = Math.max(0, length - budget(length));
    let longest = length;
    while (longest < this.maxLength && longest + 1 - length <= budget(longest + 1)) longest++;
    if (shortest > this.maxLength) return;
    const from = this.start[shortest] as number;
    const to = this.start[Math.min(longest, this.maxLength) + 1] as number;
    if (from >= to) return;

    // When even the largest budget leaves a key needing most of the query's bigrams, any key
    // within budget holds one of its (3 * budget + 1) rarest: walking those lists alone finds
    // every candidate (the usual one-typo case). Otherwise count every shared bigram.
    // (A bigram no key holds counts as one of those lists, an empty one.)
    const needed = 3 * budget(longest) + 1;
    let lists: Int32Array[] = [];
    for (const gram of grams) {
      const list = this.postings.get(gram);
      if (list) lists.push(list);
    }
    const rare = needed < grams.length;
    if (rare) {
      const take = needed - (grams.length - lists.length);
      if (take <= 0) return;
      lists = lists.sort((a, b) => a.length - b.length).slice(0, take);
    }
    let count = 0;
    for (const list of lists) {
      for (let i = lowerBound(list, from); i < list.length; i++) {
        const k = list[i] as number;
        if (k >= to) break;
        if (shared[k] === 0) touched[count++] = k;
        shared[k] = (shared[k] as number) + 1;
      }
    }
    // The budget of each length in the window, and the fewest shared bigrams any key there
    // needs: read once, and again after each hit (the caller may shrink the budget then).
    const { limits, lengths } = this;
    const last = Math.min(longest, this.maxLength);
    let fewest = 0;
    const refresh = () => {
      for (let n = shortest; n <= last; n++) limits[n] = budget(n);
      fewest = grams.length - 3 * (limits[last] as number);
    };
    refresh();
    const tryKey = (k: number) => {
      const n = lengths[k] as number;
      const max = limits[n] as number;
      if (Math.abs(n - length) > max || (!rare && (shared[k] as number) < grams.length - 3 * max)) return;
      const klo = this.lo[k] as number;
      const khi = this.hi[k] as number;
      if (popcount(qlo & ~klo) + popcount(qhi & ~khi) > max) return;
      if (popcount(klo & ~qlo) + popcount(khi & ~qhi) > max) return;
      const key = this.keys[k] as string;
      const distance = this.within(query, key, max, search.transpositions);
      if (distance <= max) {
        search.visit(this.ids[k] as number, distance, key);
        refresh();
      }
    };
    try {
      // Most shared first (a counting sort), so that the best match comes early.
      const offsets = new Int32Array(grams.length + 2);
      for (let i = 0; i < count; i++) {
        const slot = grams.length - (shared[touched[i] as number] as number);
        offsets[slot + 1] = (offsets[slot + 1] as number) + 1;
      }
      for (let c = 1; c < offsets.length; c++)
        offsets[c] = (offsets[c] as number) + (offsets[c - 1] as number);
      for (let i = 0; i < count; i++) {
        const k = touched[i] as number;
        const slot = grams.length - (shared[k] as number);
        order[offsets[slot] as number] = k;
        offsets[slot] = (offsets[slot] as number) + 1;
      }
      for (let i = 0; i < count; i++) {
        const k = order[i] as number;
        // Once too few bigrams are shared for the largest budget, none further can qualify.
        if (!rare && (shared[k] as number) < fewest) break;
        tryKey(k);
      }
      for (let n = shortest; n <= last; n++) {
        if (grams.length > 3 * (limits[n] as number)) continue;
        const end = this.start[n + 1] as number;
        for (let k = this.start[n] as number; k < end; k++) if (shared[k] === 0) tryKey(k);
      }
    } finally {
      for (let i = 0; i < count; i++) shared[touched[i] as number] = 0;
    }
  }

  /**
   * Visits the keys containing `fragment` (at least two characters), shortest first, until
   * `visit` returns false: the keys holding its rarest bigram, checked one by one.
   */
  containing(fragment: string, visit: (id: number, key: string) => boolean): void {
    if (fragment.length < 2) return;
    let rarest: Int32Array | undefined;
    for (const gram of bigramsOf(fragment, false)) {
      const list = this.postings.get(gram);
      if (!list) return;
      if (!rarest || list.length < rarest.length) rarest = list;
    }
    if (!rarest) return;
    for (let i = 0; i < rarest.length; i++) {
      const k = rarest[i] as number;
      const key = this.keys[k] as string;
      if (key.includes(fragment) && !visit(this.ids[k] as number, key)) return;
    }
  }

  /** The edit distance of `a` and `b` if at most `max`, else `max + 1`. */
  private within(a: string, b: string, max: number, transpositions: boolean): number {
    const n = a.length;
    const m = b.length;
    if (Math.abs(n - m) > max) return max + 1;
    if (a === b) return 0;
    let prevPrev = this.rows[0] as Int32Array;
    let prev = this.rows[1] as Int32Array;
    let cur = this.rows[2] as Int32Array;
    for (let j = 0; j <= m; j++) prev[j] = j <= max ? j : FAR;
    for (let i = 1; i <= n; i++) {
      const from = Math.max(1, i - max);
      const to = Math.min(m, i + max);
      cur[0] = i <= max ? i : FAR;
      if (from > 1) cur[from - 1] = FAR;
      let rowMin = from === 1 ? (cur[0] as number) : FAR;
      const ai = a.charCodeAt(i - 1);
      const aPrev = transpositions && i > 1 ? a.charCodeAt(i - 2) : -1;
      for (let j = from; j <= to; j++) {
        const bj = b.charCodeAt(j - 1);
        let v = (prev[j - 1] as number) + (ai === bj ? 0 : 1);
        const up = (prev[j] as number) + 1;
        if (up < v) v = up;
        const left = (cur[j - 1] as number) + 1;
        if (left < v) v = left;
        if (aPrev === bj && j > 1 && ai === b.charCodeAt(j - 2)) {
          const swap = (prevPrev[j - 2] as number) + 1;
          if (swap < v) v = swap;
        }
        cur[j] = v;
        if (v < rowMin) rowMin = v;
      }
      if (to < m) cur[to + 1] = FAR;
      if (rowMin > max) return max + 1;
      const spare = prevPrev;
      prevPrev = prev;
      prev = cur;
      cur = spare;
    }
    const distance = prev[m] as number;
    return distance <= max ? distance : max + 1;
  }
}
