/**
 * What the backends share: the row shape, its mapping to the contract, tally ranking, and (with
 * the memory store too) the limits' rules.
 */
import {
  emptyCounts,
  type Recommendation,
  type Removal,
  type ScopeFilter,
  type Stance,
  type StanceCounts,
  type ToolTally,
} from "./types.js";

/** A recommendations row as both drivers return it (pg gives BIGINT as a string). */
export interface Row {
  platform: string;
  workspace: string;
  channel: string;
  member: string;
  member_name: string | null;
  tool: string;
  stance: Stance;
  reason: string | null;
  created_at: number | string;
  updated_at: number | string;
  removed_at: number | string | null;
}

export interface CountsRow {
  adopt: number | string;
  trial: number | string;
  assess: number | string;
  hold: number | string;
}

export interface TallyRow extends CountsRow {
  tool: string;
  members: number | string;
  last_at: number | string;
}

export const COLUMNS =
  "platform, workspace, channel, member, member_name, tool, stance, reason, created_at, updated_at, removed_at";

/** Placeholders for a query's parameters, in each driver's syntax (`@name` or `$n`). */
export interface Placeholders {
  platform: string;
  workspace: string;
  channel: string;
  tool: string;
  limit: string;
}

/** The maintained tallies (migration 2) of a scope: per channel, or per workspace. */
export function tallyTable(scope: ScopeFilter): string {
  return scope.channel === undefined ? "recommendation_workspace_tallies" : "recommendation_channel_tallies";
}

function tallyScope(scope: ScopeFilter, p: Placeholders, alias = ""): string {
  const where = `${alias}platform = ${p.platform} AND ${alias}workspace = ${p.workspace}`;
  return scope.channel === undefined ? where : `${where} AND ${alias}channel = ${p.channel}`;
}

/**
 * A tally's columns, in the order the backends return them as a JSON array per tool: /top and
 * /radar read every tool of a workspace, and one JSON value costs the drivers a fraction of the
 * parsing (and the garbage) of a hundred small rows.
 */
export const TALLY_TUPLE = ["tool", "members", "last_at", "adopt", "trial", "assess", "hold"] as const;
export type TallyTuple = [string, number, number, number, number, number, number];

const TALLY_READ_COLUMNS = TALLY_TUPLE.join(", ");

export function tallyRowOf([tool, members, last_at, adopt, trial, assess, hold]: TallyTuple): TallyRow {
  return { tool, members, last_at, adopt, trial, assess, hold };
}

/** The last of talliesSql's rows in its order: fewest members, then oldest. */
export function lastTally(rows: TallyRow[]): TallyRow | undefined {
  let last: TallyRow | undefined;
  for (const r of rows) {
    const m = Number(r.members);
    const at = Number(r.last_at);
    if (!last || m < Number(last.members) || (m === Number(last.members) && at < Number(last.last_at)))
      last = r;
  }
  return last;
}

/** A scope's first `limit` tallies in the ranked index's order: members, then newest. */
export function talliesSql(scope: ScopeFilter, p: Placeholders): string {
  return `SELECT ${TALLY_READ_COLUMNS} FROM ${tallyTable(scope)} WHERE ${tallyScope(scope, p)}
ORDER BY members DESC, last_at DESC LIMIT ${p.limit}`;
}

/**
 * The tallies of a scope tied on members and newest change with a given one (placeholders
 * `members` and `lastAt`). When talliesSql returns `limit` rows, the last one's ties may fall on
 * either side of the limit: the tie is broken on the tool name by rankTallies, in the memory
 * store's comparison rather than the database's collation, so every tied tool must be there.
 */
export function tallyTiesSql(
  scope: ScopeFilter,
  p: Placeholders & { members: string; lastAt: string },
): string {
  return `SELECT ${TALLY_READ_COLUMNS} FROM ${tallyTable(scope)} WHERE ${tallyScope(scope, p)}
AND members = ${p.members} AND last_at = ${p.lastAt}`;
}

/** A tool's counts by stance in a scope: one row of the maintained tallies, or none. */
export function toolCountsSql(scope: ScopeFilter, p: Placeholders): string {
  return `SELECT adopt, trial, assess, hold FROM ${tallyTable(scope)}
WHERE ${tallyScope(scope, p)} AND tool = ${p.tool}`;
}

/**
 * A tool's latest recommendations in a scope, newest first: the first `limit` entries of
 * recommendations_live_by_channel (channel scope) or recommendations_live_by_tool_time.
 */
export function latestSql(scope: ScopeFilter, p: Placeholders): string {
  return `SELECT ${COLUMNS} FROM recommendations
WHERE ${tallyScope(scope, p)} AND tool = ${p.tool} AND removed_at IS NULL
ORDER BY updated_at DESC, channel, member LIMIT ${p.limit}`;
}

/** A recommendation_removals row (migration 3). */
export interface RemovalRow {
  platform: string;
  workspace: string;
  channel: string;
  member: string;
  tool: string;
  stance: Stance;
  removed_by: string | null;
  removed_at: number | string;
}

/**
 * A scope's removals (of one tool when `p.tool` is given), newest first, then most recently
 * recorded first, at most `limit`: one of the recommendation_removals indexes, in its order.
 */
export function removalsSql(scope: ScopeFilter, p: Placeholders, byTool: boolean): string {
  return `SELECT platform, workspace, channel, member, tool, stance, removed_by, removed_at
FROM recommendation_removals WHERE ${tallyScope(scope, p)}${byTool ? ` AND tool = ${p.tool}` : ""}
ORDER BY removed_at DESC, id DESC LIMIT ${p.limit}`;
}

export function toRemoval(row: RemovalRow): Removal {
  return {
    platform: row.platform,
    workspace: row.workspace,
    channel: row.channel,
    member: row.member,
    tool: row.tool,
    stance: row.stance,
    removedBy: row.removed_by,
    removedAt: Number(row.removed_at),
  };
}

export function toRecommendation(row: Row): Recommendation {
  return {
    platform: row.platform,
    workspace: row.workspace,
    channel: row.channel,
    member: row.member,
    memberName: row.member_name,
    tool: row.tool,
    stance: row.stance,
    reason: row.reason,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function toCounts(row: CountsRow | undefined): StanceCounts {
  const counts = emptyCounts();
  if (row) {
    counts.adopt = Number(row.adopt);
    counts.trial = Number(row.trial);
    counts.assess = Number(row.assess);
    counts.hold = Number(row.hold);
  }
  return counts;
}

export function total(counts: StanceCounts): number {
  return counts.adopt + counts.trial + counts.assess + counts.hold;
}

/** A limit as SQL takes it: a whole number, never negative. */
export function sqlLimit(limit: number): number {
  if (Number.isNaN(limit) || limit <= 0) return 0;
  return Number.isFinite(limit) ? Math.floor(limit) : Number.MAX_SAFE_INTEGER;
}

/**
 * Most members first, then most recent, then tool name, at most `limit`. Sorted here rather than
 * in SQL so the tie on the name uses the memory store's comparison (localeCompare), not the
 * database's collation; talliesSql and tallyTiesSql have read the first `limit` tallies and the
 * last one's ties, so this sorts those few rows.
 */
export function rankTallies(rows: TallyRow[], limit: number): ToolTally[] {
  const seen = new Set<string>();
  return rows
    .filter((r) => !seen.has(r.tool) && seen.add(r.tool)) // a tie already among the first
    .map((r) => ({
      tool: r.tool,
      members: Number(r.members),
      stances: toCounts(r),
      lastAt: Number(r.last_at),
    }))
    .sort((a, b) => b.members - a.members || b.lastAt - a.lastAt || a.tool.localeCompare(b.tool))
    .slice(0, sqlLimit(limit));
}

/** Most change-log rows one prune deletes (SQL stores). */
export const PRUNE_BATCH = 1000;

/**
 * When a limited write prunes the change log (every backend keeps the same rule, one per store
 * instance): the first limited write, then whenever the cut (`since` minus the window) has moved
 * on by a window since the last prune. So an instance prunes about once per window, deleting
 * what aged in between, and the log keeps about three windows of changes. The SQL stores delete
 * at most PRUNE_BATCH rows at a time and prune again at the next write while more are left.
 */
export class ChangePruning {
  private lastCut = Number.NEGATIVE_INFINITY;

  /** The last prune left rows behind (a full batch, or a failure): the next write prunes again. */
  again(): void {
    this.lastCut = Number.NEGATIVE_INFINITY;
  }

  /** The time before which changes may go, or null when it is not time yet. */
  due(at: number, since: number): number | null {
    const window = Math.max(0, at - since);
    const cut = since - window;
    if (cut < this.lastCut + window) return null;
    this.lastCut = cut;
    return cut;
  }
}

export function removalsLimit(limit: number | undefined): number {
  if (limit === undefined) return 100;
  if (Number.isNaN(limit) || limit <= 0) return 0;
  return Number.isFinite(limit) ? Math.floor(limit) : Number.MAX_SAFE_INTEGER;
}
