/**
 * A micro-cache of read-only answers. A chat bot is asked the same few things in bursts
 * (a card everyone opens, an area a thread is about), and each lookup answer costs a store read
 * and a render. Entries live for a short time (a second by default) and are dropped at once
 * when this process writes a recommendation or swaps the taxonomy, so a member never sees their
 * own change missing; a change made by another replica shows within the time to live.
 *
 * Concurrent asks for the same key share one computation. Entries hold the promise, so the
 * answer object is the same for every hit: renderers may memoise on it.
 */

/** The time to live the bot runs with unless SKILLTREE_ANSWER_CACHE_MS says otherwise. */
export const DEFAULT_ANSWER_CACHE_MS = 1000;

interface Entry<T> {
  value: Promise<T>;
  expires: number;
}

export interface AnswerCacheOptions {
  /** How long an answer is reused; 0 turns the cache off. */
  ttlMs: number;
  /** At most this many answers are kept (oldest dropped first). */
  maxEntries?: number;
  now?: () => number;
}

export class AnswerCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: AnswerCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.maxEntries = options.maxEntries ?? 2000;
    this.now = options.now ?? (() => performance.now());
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value for `key`, or what `compute` gives (then kept for the time to live). */
  get(key: string, compute: () => Promise<T>): Promise<T> {
    if (!this.enabled) return compute();
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    if (hit) this.entries.delete(key);
    const value = compute();
    const entry = { value, expires: now + this.ttlMs };
    this.entries.set(key, entry);
    // A failed computation is not an answer to keep.
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    if (this.entries.size > this.maxEntries) this.evict(now);
    return value;
  }

  /** Drops every entry: after a write or a taxonomy swap. */
  clear(): void {
    this.entries.clear();
  }

  /** Expired entries first; if still too many, the oldest (Maps iterate in insertion order). */
  private evict(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}
