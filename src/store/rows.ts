/** What the SQL backends share: the row shape, its mapping to the contract, and tally ranking. */
import { emptyCounts, type Recommendation, type Stance, type StanceCounts, type ToolTally } from "./types.js";

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

/** Counts by stance as aggregate columns; FILTER works on SQLite (3.30+) and PostgreSQL. */
export const STANCE_COUNTS = `
  COUNT(*) FILTER (WHERE stance = 'adopt') AS adopt,
  COUNT(*) FILTER (WHERE stance = 'trial') AS trial,
  COUNT(*) FILTER (WHERE stance = 'assess') AS assess,
  COUNT(*) FILTER (WHERE stance = 'hold') AS hold`;

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
 * database's collation; the SQL has already reduced the rows to one per tool, so this is cheap.
 */
export function rankTallies(rows: TallyRow[], limit: number): ToolTally[] {
  return rows
    .map((r) => ({
      tool: r.tool,
      members: Number(r.members),
      stances: toCounts(r),
      lastAt: Number(r.last_at),
    }))
    .sort((a, b) => b.members - a.members || b.lastAt - a.lastAt || a.tool.localeCompare(b.tool))
    .slice(0, sqlLimit(limit));
}
