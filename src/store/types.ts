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
  /** Creates or migrates the schema. Idempotent; safe to call from several replicas at once. */
  init(): Promise<void>;
  /** Inserts or updates one member's recommendation of one tool in one channel, atomically. */
  recommend(input: RecommendInput): Promise<RecommendResult>;
  /** Retracts a recommendation (recording who and when). False when there was none to remove. */
  remove(input: RemoveInput): Promise<boolean>;
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
  /** Throws when the backend is unreachable. */
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

export function emptyCounts(): StanceCounts {
  return { adopt: 0, trial: 0, assess: 0, hold: 0 };
}
