/**
 * RecommendationStore: the one contract every backend (memory, SQLite, PostgreSQL) keeps,
 * proven by one contract suite (test/store-contract.ts). Times are epoch milliseconds passed
 * in by the caller, so tests control the clock.
 */

export const STANCES = ["adopt", "trial", "assess", "hold"] as const;
export type Stance = (typeof STANCES)[number];

/** Where a recommendation lives. `channel` absent means the whole workspace (a query scope only). */
export interface Place {
  platform: string;
  workspace: string;
  channel: string;
}

export interface ScopeFilter {
  platform: string;
  workspace: string;
  /** Omit for the whole workspace. */
  channel?: string;
}

export interface Recommendation extends Place {
  member: string;
  /** The member's display name when it was given, for "who said it". */
  memberName: string | null;
  tool: string;
  stance: Stance;
  /** Stored exactly as given; renderers escape it. */
  reason: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface RecommendInput extends Place {
  member: string;
  memberName: string | null;
  tool: string;
  stance: Stance;
  reason: string | null;
  at: number;
}

export interface RecommendResult {
  /** created: new; updated: stance or reason changed (or it was removed before); unchanged: same again. */
  outcome: "created" | "updated" | "unchanged";
  recommendation: Recommendation;
  /** The stance before an update. */
  previousStance?: Stance;
}

export interface RemoveInput extends Place {
  /** Whose recommendation. */
  member: string;
  tool: string;
  /** Who removes it: the member themself, or a moderator. Recorded with the time. */
  removedBy: string;
  at: number;
}

/**
 * A per-member rate limit applied by a write itself: the store counts the actor's changes at or
 * after `since` and, when there are already `maxChanges`, writes nothing and answers
 * RateLimited. The count and the write are one transaction (SQLite) or run under a per-member
 * lock (PostgreSQL), so concurrent writes, from any number of instances, cannot exceed it.
 *
 * A limited write also prunes the change log now and then: rows older than `since` minus the
 * window (`at - since`) go, for every member. Callers must therefore pass their longest window
 * (there is one: Recommendations' rate limit); the extra window of margin covers replicas whose
 * clocks disagree.
 */
export interface RateLimit {
  /** A whole number, at least 1; `Infinity` means no limit. */
  maxChanges: number;
  /** Epoch ms; changes at or after it count. */
  since: number;
}

/** A write refused by its RateLimit: nothing was written or logged. */
export interface RateLimited {
  outcome: "rate_limited";
  /**
   * When the change that must leave the window before another is allowed was made: the
   * `maxChanges`-th most recent one (the oldest in the window when it holds exactly that many).
   */
  oldestAt: number;
}

/** One removal, kept for good in an append-only record (migration 3), whatever happens next. */
export interface Removal extends Place {
  /** Whose recommendation it was. */
  member: string;
  tool: string;
  /** The stance that was removed. */
  stance: Stance;
  /**
   * Who removed it: the member themself, or a moderator. Null only for a removal written into
   * the database by hand without saying who (the store always records one).
   */
  removedBy: string | null;
  removedAt: number;
}

export interface RemovalsQuery {
  /** Only this tool's removals. */
  tool?: string;
  /** At most this many, newest first. Default 100. */
  limit?: number;
}

export type StanceCounts = Record<Stance, number>;

export interface ToolTally {
  tool: string;
  /** Distinct members behind the tool in the scope (one member counts once per tool). */
  members: number;
  stances: StanceCounts;
  /** Most recent change, for tie-breaking by recency. */
  lastAt: number;
}

export interface ToolRecommendations {
  stances: StanceCounts;
  total: number;
  /** Newest first. */
  latest: Recommendation[];
}

export interface RecommendationStore {
  /**
   * Creates or migrates the schema. Idempotent; safe to call from several replicas at once.
   * Optional for callers: until it has succeeded once, every other method (ping included) runs
   * it first, concurrent callers sharing one attempt, so a store whose database was down at
   * start recovers on its own. A failed attempt rejects its callers and is retried by the next.
   */
  init(): Promise<void>;
  /** Inserts or updates one member's recommendation of one tool in one channel, atomically. */
  recommend(input: RecommendInput): Promise<RecommendResult>;
  /** The same, refused without writing when the member has used up `limit` (see RateLimit). */
  recommend(input: RecommendInput, limit: RateLimit): Promise<RecommendResult | RateLimited>;
  /**
   * Retracts a recommendation, adding it to the removals record (who, whose, where, when) in the
   * same transaction. False when there was none to remove.
   */
  remove(input: RemoveInput): Promise<boolean>;
  /** The same, refused without writing when `removedBy` has used up `limit` (see RateLimit). */
  remove(input: RemoveInput, limit: RateLimit): Promise<boolean | RateLimited>;
  /**
   * Removals in a scope (optionally of one tool), newest first, then most recently recorded
   * first. A later recommendation of the same tool does not erase them.
   */
  removals(scope: ScopeFilter, query?: RemovalsQuery): Promise<Removal[]>;
  /** A member's current recommendation of a tool in a channel, if any. */
  get(place: Place, member: string, tool: string): Promise<Recommendation | null>;
  /** Recommendations of one tool in a scope: counts by stance and the latest `limit`. */
  forTool(scope: ScopeFilter, tool: string, limit: number): Promise<ToolRecommendations>;
  /**
   * Tallies per tool in a scope, most members first (then newest), at most `limit` tools.
   * In workspace scope a member who recommends a tool in two channels counts once, with the
   * stance of their most recent recommendation.
   */
  tallies(scope: ScopeFilter, limit: number): Promise<ToolTally[]>;
  /** Changes (recommend, update, remove) made by a member since `since`, for rate limiting. */
  changesSince(platform: string, workspace: string, member: string, since: number): Promise<number>;
  /** Throws when the backend is unreachable, or while init has not succeeded (it tries it). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Thrown by a store when its backend cannot be reached; the core answers "unavailable". */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

export function isRateLimited(result: unknown): result is RateLimited {
  return typeof result === "object" && result !== null && (result as RateLimited).outcome === "rate_limited";
}

/** The limit a write checks, or null for none; throws on a limit no write could pass. */
export function checkedLimit(limit: RateLimit | undefined): RateLimit | null {
  if (!limit || limit.maxChanges === Number.POSITIVE_INFINITY) return null;
  if (!Number.isInteger(limit.maxChanges) || limit.maxChanges < 1)
    throw new RangeError(
      `rate limit: maxChanges must be a whole number of at least 1 (got ${limit.maxChanges})`,
    );
  if (!Number.isFinite(limit.since))
    throw new RangeError(`rate limit: since must be a time (got ${limit.since})`);
  return limit;
}

export function emptyCounts(): StanceCounts {
  return { adopt: 0, trial: 0, assess: 0, hold: 0 };
}
