/** The status chip both chat renderers put before a tool's name. */
import type { Status } from "../src/taxonomy/schema.js";

export const STATUS_EMOJI: Record<Status, string> = {
  active: "🟢",
  maintenance: "🟡",
  commercial: "🔵",
  merged: "🟣",
  deprecated: "🟠",
  archived: "🔴",
  discontinued: "⚫",
};
