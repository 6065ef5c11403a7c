/**
 * Slack redelivers a request whose ack it did not see in time (x-slack-retry-num over HTTP,
 * retry_attempt in Socket Mode). The first delivery is usually still being answered, so a
 * redelivery must not be answered (or, for /recommend, recorded) a second time. Each delivery
 * is keyed by its trigger_id, which Slack keeps across retries and never reuses; a key seen in
 * the last 10 minutes (Slack's last retry comes about 5 minutes after the first) is acked and
 * skipped. A retry whose first delivery never reached this process is answered as usual: better
 * one late answer than none.
 */

export interface SeenDeliveriesOptions {
  /** How long a key is remembered. */
  ttlMs: number;
  /** Most keys kept; the oldest go first (memory stays bounded under a flood). */
  max: number;
  now?: () => number;
}

export const DELIVERY_TTL_MS = 10 * 60_000;
export const DELIVERY_MAX = 20_000;

export class SeenDeliveries {
  private readonly seen = new Set<string>();
  /**
   * Keys in arrival order with when each is forgotten; arrival order is expiry order, since the
   * TTL is the same for all. A queue (an array and the index of its oldest live slot) rather
   * than a Map's insertion order: a Map that keeps deleting its oldest keys makes every walk
   * from the front step over the deleted slots, which under load was a twelfth of the Slack
   * endpoint's time (docs/benchmarks.md).
   */
  private queue: { key: string; expires: number }[] = [];
  private head = 0;
  private readonly now: () => number;

  constructor(private readonly options: SeenDeliveriesOptions) {
    this.now = options.now ?? Date.now;
  }

  /** True the first time a key is offered within the TTL; false for a repeat. */
  first(key: string): boolean {
    const now = this.now();
    while (this.head < this.queue.length && (this.queue[this.head]?.expires ?? now) <= now)
      this.forgetOldest();
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    this.queue.push({ key, expires: now + this.options.ttlMs });
    if (this.seen.size > this.options.max) this.forgetOldest();
    // Drop the consumed front now and then, so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private forgetOldest(): void {
    const oldest = this.queue[this.head];
    if (oldest) this.seen.delete(oldest.key);
    this.head++;
  }
}

/**
 * The key of a slash command or a button click: its trigger_id, within the workspace. Undefined
 * when the payload has none (then nothing is de-duplicated).
 */
export function deliveryKey(
  kind: "command" | "action",
  team: string | undefined,
  triggerId: unknown,
): string | undefined {
  if (typeof triggerId !== "string" || triggerId === "") return undefined;
  return `${kind}:${team ?? ""}:${triggerId}`;
}
