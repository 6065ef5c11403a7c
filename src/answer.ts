/**
 * The Answer: what the core returns for every query, as plain data. Adapters render it
 * (console text, Discord embeds, Slack blocks) and own every platform limit and all escaping;
 * nothing here is markup. `npm run ask -- --json` prints it as is: the fields documented in
 * the README are a stable scripting interface.
 */

import type { Stance } from "./store/types.js";
import type { EntryType } from "./taxonomy/model.js";
import type { LicenseKind, Status } from "./taxonomy/schema.js";

export type Locale = "en" | "zh-CN";
export const LOCALES: readonly Locale[] = ["en", "zh-CN"];

export type AnswerKind =
  | "overview"
  | "category"
  | "tool"
  | "mention"
  | "search"
  | "disambiguation"
  | "not_found"
  | "help"
  | "recommend"
  | "top"
  | "radar"
  | "error";

export interface Link {
  label: string;
  url: string;
}

export interface Field {
  name: string;
  value: string;
  /** A short value that reads well side by side with others. */
  inline?: boolean;
}

/** One line of a list: a tool in an area, a search hit, an area in the overview. */
export interface Item {
  id: string;
  type: EntryType;
  name: string;
  /** One line about it, in the answer's language. */
  text?: string;
  /** Status word for tools, shown as a badge. */
  status?: Status;
  /** A short label for the status badge ("archived 2019"). */
  badge?: string;
  /** Members of this channel (or workspace) who recommend it. */
  recommendations?: number;
}

export type Block =
  | { type: "text"; heading?: string; text: string }
  /** Short facts, one per line, rendered as a bulleted list. */
  | { type: "points"; heading?: string; points: string[] }
  | { type: "fields"; fields: Field[] }
  | { type: "list"; heading?: string; items: Item[] }
  | { type: "links"; links: Link[] };

/** Things a member can do next; platforms turn them into buttons or menus, the console into hints. */
export type Action =
  /**
   * `command`: the same as a command to type, by a name that finds this entry alone
   * ("/tool photon engine", where "/tool photon" asks which Photon), for hints on the console.
   */
  | { type: "open_tool"; id: string; label: string; command?: string }
  | { type: "open_area"; id: string; label: string; command?: string }
  | { type: "run"; command: string; label: string }
  /** Start a recommendation of this tool (a button that opens a form, or a command hint). */
  | { type: "recommend"; id: string; label: string }
  /** Record this stance for this tool (the buttons of the stance picker). */
  | { type: "recommend_stance"; id: string; stance: Stance; label: string };

export interface Candidate {
  id: string;
  name: string;
  type: EntryType;
}

export interface ToolSummary {
  id: string;
  name: string;
  category: string;
  status: Status;
  statusYear?: number;
  successor?: string;
  successorIds: string[];
  homepage?: string;
  repository?: string;
  license: string;
  licenseKind: LicenseKind;
  related: string[];
}

export interface CategorySummary {
  id: string;
  name: string;
  /** Ids of its listed tools, in the article's order; mentions apart. */
  tools: string[];
  mentions: string[];
}

export interface Answer {
  kind: AnswerKind;
  locale: Locale;
  title: string;
  /** A line above the body: what a fuzzy match matched, a correction, a warning. */
  notice?: string;
  blocks: Block[];
  actions: Action[];
  footer?: string;
  /** An accent colour (#rrggbb) for platforms that show one. */
  color?: string;
  /** True for answers that should only be seen by the member who asked (errors, choices). */
  private?: boolean;

  // Typed payloads for scripts and adapters, one per kind.
  tool?: ToolSummary;
  category?: CategorySummary;
  mention?: { id: string; name: string; category: string; tool?: string };
  categories?: { id: string; name: string; tools: number }[];
  candidates?: Candidate[];
  /** For tool: this channel's recommendations; for recommend: what was recorded. */
  recommendations?: RecommendationSummary;
  recorded?: {
    tool: string;
    stance: Stance | "removed";
    outcome: "created" | "updated" | "unchanged" | "removed";
  };
  /** For top: the ranking; for radar: the rings. */
  leaderboard?: { scope: "channel" | "workspace"; area?: string; tools: LeaderboardEntry[] };
  radar?: { scope: "channel" | "workspace"; rings: Record<Stance, LeaderboardEntry[]> };
  error?: { code: ErrorCode; message: string };
}

export interface RecommendationSummary {
  total: number;
  stances: Record<Stance, number>;
  latest: { member: string; stance: Stance; reason: string | null; at: number }[];
}

export interface LeaderboardEntry {
  id: string;
  name: string;
  members: number;
  stances: Record<Stance, number>;
}

export type ErrorCode =
  | "empty_input"
  | "input_too_long"
  | "unknown_command"
  | "bad_option"
  | "rate_limited"
  | "forbidden"
  | "unavailable"
  | "internal";
