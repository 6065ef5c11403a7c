/** The in-memory store: for tests and as the reference the contract suite describes. */
import { ChangePruning, removalsLimit } from "./rows.js";
import {
  checkedLimit,
  emptyCounts,
  type Place,
  type RateLimit,
  type RateLimited,
  type Recommendation,
  type RecommendationStore,
  type RecommendInput,
  type RecommendResult,
  type Removal,
  type RemovalsQuery,
  type RemoveInput,
  type ScopeFilter,
  type ToolRecommendations,
  type ToolTally,
} from "./types.js";

interface Row extends Recommendation {
  removedAt: number | null;
  removedBy: string | null;
}

interface Change {
  platform: string;
  workspace: string;
  member: string;
  at: number;
}

const keyOf = (p: Place, member: string, tool: string) =>
  JSON.stringify([p.platform, p.workspace, p.channel, member, tool]);

export class MemoryStore implements RecommendationStore {
  private readonly rows = new Map<string, Row>();
  private changes: Change[] = [];
  /** Append-only, oldest first. */
  private readonly removed: Removal[] = [];
  private readonly pruning = new ChangePruning();

  async init(): Promise<void> {}

  recommend(input: RecommendInput): Promise<RecommendResult>;
  recommend(input: RecommendInput, limit: RateLimit): Promise<RecommendResult | RateLimited>;
  async recommend(input: RecommendInput, limit?: RateLimit): Promise<RecommendResult | RateLimited> {
    // No await before the write: the check and the write are one step, as in the SQL stores.
    const limited = this.limited(input.platform, input.workspace, input.member, input.at, limit);
    if (limited) return limited;
    const key = keyOf(input, input.member, input.tool);
    const row = this.rows.get(key);
    const live = row && row.removedAt === null ? row : undefined;
    if (live && live.stance === input.stance && live.reason === input.reason) {
      if (input.memberName) live.memberName = input.memberName;
      return { outcome: "unchanged", recommendation: strip(live) };
    }
    const next: Row = {
      platform: input.platform,
      workspace: input.workspace,
      channel: input.channel,
      member: input.member,
      memberName: input.memberName ?? row?.memberName ?? null,
      tool: input.tool,
      stance: input.stance,
      reason: input.reason,
      createdAt: row?.createdAt ?? input.at,
      updatedAt: input.at,
      removedAt: null,
      removedBy: null,
    };
    this.rows.set(key, next);
    this.changes.push({
      platform: input.platform,
      workspace: input.workspace,
      member: input.member,
      at: input.at,
    });
    return {
      outcome: row ? "updated" : "created",
      recommendation: strip(next),
      ...(live ? { previousStance: live.stance } : {}),
    };
  }

  remove(input: RemoveInput): Promise<boolean>;
  remove(input: RemoveInput, limit: RateLimit): Promise<boolean | RateLimited>;
  async remove(input: RemoveInput, limit?: RateLimit): Promise<boolean | RateLimited> {
    const limited = this.limited(input.platform, input.workspace, input.removedBy, input.at, limit);
    if (limited) return limited;
    const row = this.rows.get(keyOf(input, input.member, input.tool));
    if (!row || row.removedAt !== null) return false;
    row.removedAt = input.at;
    row.removedBy = input.removedBy;
    this.removed.push({
      platform: row.platform,
      workspace: row.workspace,
      channel: row.channel,
      member: row.member,
      tool: row.tool,
      stance: row.stance,
      removedBy: input.removedBy,
      removedAt: input.at,
    });
    this.changes.push({
      platform: input.platform,
      workspace: input.workspace,
      member: input.removedBy,
      at: input.at,
    });
    return true;
  }

  async removals(scope: ScopeFilter, query: RemovalsQuery = {}): Promise<Removal[]> {
    const found: Removal[] = [];
    // Newest first; on equal times the one recorded last first (the SQL stores' id order).
    for (let i = this.removed.length - 1; i >= 0; i--) {
      const r = this.removed[i] as Removal;
      if (
        r.platform === scope.platform &&
        r.workspace === scope.workspace &&
        (scope.channel === undefined || r.channel === scope.channel) &&
        (query.tool === undefined || r.tool === query.tool)
      )
        found.push({ ...r });
    }
    // A stable sort keeps the recording order within equal times.
    return found.sort((a, b) => b.removedAt - a.removedAt).slice(0, removalsLimit(query.limit));
  }

  async get(place: Place, member: string, tool: string): Promise<Recommendation | null> {
    const row = this.rows.get(keyOf(place, member, tool));
    return row && row.removedAt === null ? strip(row) : null;
  }

  async forTool(scope: ScopeFilter, tool: string, limit: number): Promise<ToolRecommendations> {
    const rows = this.live(scope).filter((r) => r.tool === tool);
    const stances = emptyCounts();
    for (const r of latestPerMember(rows)) stances[r.stance]++;
    const latest = [...rows].sort(newestFirst).slice(0, limit).map(strip);
    return { stances, total: stances.adopt + stances.trial + stances.assess + stances.hold, latest };
  }

  async tallies(scope: ScopeFilter, limit: number): Promise<ToolTally[]> {
    const byTool = new Map<string, ToolTally>();
    for (const r of latestPerMember(this.live(scope))) {
      const tally = byTool.get(r.tool) ?? { tool: r.tool, members: 0, stances: emptyCounts(), lastAt: 0 };
      tally.members++;
      tally.stances[r.stance]++;
      tally.lastAt = Math.max(tally.lastAt, r.updatedAt);
      byTool.set(r.tool, tally);
    }
    return [...byTool.values()]
      .sort((a, b) => b.members - a.members || b.lastAt - a.lastAt || a.tool.localeCompare(b.tool))
      .slice(0, limit);
  }

  async changesSince(platform: string, workspace: string, member: string, since: number): Promise<number> {
    return this.changes.filter(
      (c) => c.platform === platform && c.workspace === workspace && c.member === member && c.at >= since,
    ).length;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  /** The rate limit's answer for an actor, pruning the change log when it is time (see RateLimit). */
  private limited(
    platform: string,
    workspace: string,
    member: string,
    at: number,
    limit: RateLimit | undefined,
  ): RateLimited | null {
    const checked = checkedLimit(limit);
    if (!checked) return null;
    const cut = this.pruning.due(at, checked.since);
    if (cut !== null) this.changes = this.changes.filter((c) => c.at >= cut);
    const recent = this.changes
      .filter(
        (c) =>
          c.platform === platform &&
          c.workspace === workspace &&
          c.member === member &&
          c.at >= checked.since,
      )
      .map((c) => c.at)
      .sort((a, b) => b - a);
    const boundary = recent[checked.maxChanges - 1];
    return boundary === undefined ? null : { outcome: "rate_limited", oldestAt: boundary };
  }

  private live(scope: ScopeFilter): Row[] {
    return [...this.rows.values()].filter(
      (r) =>
        r.removedAt === null &&
        r.platform === scope.platform &&
        r.workspace === scope.workspace &&
        (scope.channel === undefined || r.channel === scope.channel),
    );
  }
}

/** Newest first, then channel and member (code units), as the SQL stores' ORDER BY (rows.ts). */
function newestFirst(a: Recommendation, b: Recommendation): number {
  return (
    b.updatedAt - a.updatedAt ||
    compareCodeUnits(a.channel, b.channel) ||
    compareCodeUnits(a.member, b.member)
  );
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One row per (member, tool): the member's most recent, so workspace scope counts a member once.
 * On equal times, the one in the channel first by name (code units; the SQL stores compare
 * bytes, which agree for every name outside the surrogate range).
 */
function latestPerMember<T extends Recommendation>(rows: T[]): T[] {
  const best = new Map<string, T>();
  for (const r of rows) {
    const key = JSON.stringify([r.member, r.tool]);
    const seen = best.get(key);
    if (!seen || r.updatedAt > seen.updatedAt || (r.updatedAt === seen.updatedAt && r.channel < seen.channel))
      best.set(key, r);
  }
  return [...best.values()];
}

function strip(row: Row): Recommendation {
  const { removedAt: _removedAt, removedBy: _removedBy, ...rec } = row;
  return { ...rec };
}
