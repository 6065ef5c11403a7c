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
  /** Key -> when it is forgotten. Insertion order is expiry order: the TTL is the same for all. */
  private readonly seen = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: SeenDeliveriesOptions) {
    this.now = options.now ?? Date.now;
  }

  /** True the first time a key is offered within the TTL; false for a repeat. */
  first(key: string): boolean {
    const now = this.now();
    for (const [old, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(old);
    }
    if (this.seen.has(key)) return false;
    this.seen.set(key, now + this.options.ttlMs);
    if (this.seen.size > this.options.max) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
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
