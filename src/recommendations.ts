/**
 * The rules around the store: who may remove what, how fast a member may change things, and
 * what "unavailable" means. Commands ask this; it asks the store.
 */
import type { Member, Place } from "./query.js";
import type { RecommendationStore, RecommendResult, ScopeFilter, Stance } from "./store/types.js";

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

  async record(
    place: Place,
    member: Member,
    tool: string,
    stance: Stance,
    reason: string | null,
  ): Promise<RecordOutcome> {
    const limited = await this.rateLimited(place, member);
    if (limited) return limited;
    const result = await this.store.recommend({
      ...place,
      member: member.id,
      memberName: member.name ?? null,
      tool,
      stance,
      reason,
      at: this.rules.now(),
    });
    return { kind: "recorded", result };
  }

  /** Removes `target`'s recommendation; only the member themself or a moderator may. */
  async remove(place: Place, actor: Member, target: string, tool: string): Promise<RemoveOutcome> {
    if (target !== actor.id && !this.isModerator(actor)) return { kind: "forbidden" };
    const limited = await this.rateLimited(place, actor);
    if (limited) return limited;
    const removed = await this.store.remove({
      ...place,
      member: target,
      tool,
      removedBy: actor.id,
      at: this.rules.now(),
    });
    return removed ? { kind: "removed" } : { kind: "nothing_to_remove" };
  }

  scopeOf(place: Place, scope: "channel" | "workspace"): ScopeFilter {
    return scope === "workspace"
      ? { platform: place.platform, workspace: place.workspace }
      : { platform: place.platform, workspace: place.workspace, channel: place.channel };
  }

  /**
   * A sliding window counted in the store, so every replica sees the same count. The retry
   * time is the whole window: the store counts changes, it does not say when the oldest expires.
   */
  private async rateLimited(
    place: Place,
    member: Member,
  ): Promise<{ kind: "rate_limited"; retryAfterSeconds: number } | null> {
    const { changes, windowMs } = this.rules.rateLimit;
    const since = this.rules.now() - windowMs;
    const count = await this.store.changesSince(place.platform, place.workspace, member.id, since);
    return count >= changes ? { kind: "rate_limited", retryAfterSeconds: Math.ceil(windowMs / 1000) } : null;
  }
}
