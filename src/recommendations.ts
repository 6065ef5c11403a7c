/**
 * The rules around the store: who may remove what, how fast a member may change things, and
 * what "unavailable" means. Commands ask this; it asks the store.
 */
import type { Member, Place } from "./query.js";
import type {
  RateLimit,
  RateLimited,
  RecommendationStore,
  RecommendResult,
  ScopeFilter,
  Stance,
} from "./store/types.js";

export interface RecommendationRules {
  /** Member ids (any platform) who may remove anyone's recommendation. */
  moderators: ReadonlySet<string>;
  /** At most this many changes per member per window. */
  rateLimit: { changes: number; windowMs: number };
  now: () => number;
}

export type RecordOutcome =
  | { kind: "recorded"; result: RecommendResult }
  | { kind: "rate_limited"; retryAfterSeconds: number };

export type RemoveOutcome =
  | { kind: "removed" }
  | { kind: "nothing_to_remove" }
  | { kind: "forbidden" }
  | { kind: "rate_limited"; retryAfterSeconds: number };

export const DEFAULT_RULES: RecommendationRules = {
  moderators: new Set(),
  rateLimit: { changes: 10, windowMs: 60_000 },
  now: () => Date.now(),
};

export class Recommendations {
  constructor(
    readonly store: RecommendationStore,
    private readonly rules: RecommendationRules = DEFAULT_RULES,
  ) {}

  isModerator(member: Member): boolean {
    return member.isModerator === true || this.rules.moderators.has(member.id);
  }

  /**
   * Records a recommendation, unless the member has used up their changes: the store checks
   * the limit inside the write (see RateLimit), so concurrent requests cannot get past it. Once
   * this resolves as recorded the write is committed; a caller must not report it as failed
   * because of anything it reads afterwards (see `channelTotal`).
   */
  async record(
    place: Place,
    member: Member,
    tool: string,
    stance: Stance,
    reason: string | null,
  ): Promise<RecordOutcome> {
    const at = this.rules.now();
    const result = await this.store.recommend(
      { ...place, member: member.id, memberName: member.name ?? null, tool, stance, reason, at },
      this.limit(at),
    );
    if (result.outcome === "rate_limited") return this.retryLater(result, at);
    return { kind: "recorded", result };
  }

  /** Removes `target`'s recommendation; only the member themself or a moderator may. */
  async remove(place: Place, actor: Member, target: string, tool: string): Promise<RemoveOutcome> {
    if (target !== actor.id && !this.isModerator(actor)) return { kind: "forbidden" };
    const at = this.rules.now();
    const removed = await this.store.remove(
      { ...place, member: target, tool, removedBy: actor.id, at },
      this.limit(at),
    );
    if (removed === true) return { kind: "removed" };
    if (removed === false) return { kind: "nothing_to_remove" };
    return this.retryLater(removed, at);
  }

  /**
   * How many members recommend a tool in the place's channel, for the answer to a write that has
   * already been committed: null when the store cannot say right now, so that the answer still
   * says "recorded" (without the count) instead of "unavailable".
   */
  async channelTotal(place: Place, tool: string): Promise<number | null> {
    try {
      return (await this.store.forTool(this.scopeOf(place, "channel"), tool, 0)).total;
    } catch {
      return null;
    }
  }

  scopeOf(place: Place, scope: "channel" | "workspace"): ScopeFilter {
    return scope === "workspace"
      ? { platform: place.platform, workspace: place.workspace }
      : { platform: place.platform, workspace: place.workspace, channel: place.channel };
  }

  /**
   * A sliding window counted in the store, so every replica sees the same count: the changes of
   * the last `windowMs` milliseconds up to `at`, inclusive ([at - windowMs + 1, at]), so a change
   * made at t stops counting at t + windowMs.
   */
  private limit(at: number): RateLimit {
    const { changes, windowMs } = this.rules.rateLimit;
    return { maxChanges: changes, since: at - windowMs + 1 };
  }

  /**
   * Seconds until the change that holds the window full leaves it (at least 1; at most the
   * window, should a replica's clock run ahead of this one's).
   */
  private retryLater(
    { oldestAt }: RateLimited,
    now: number,
  ): { kind: "rate_limited"; retryAfterSeconds: number } {
    const { windowMs } = this.rules.rateLimit;
    const seconds = Math.ceil((oldestAt + windowMs - now) / 1000);
    return {
      kind: "rate_limited",
      retryAfterSeconds: Math.min(Math.max(seconds, 1), Math.ceil(windowMs / 1000)),
    };
  }
}
