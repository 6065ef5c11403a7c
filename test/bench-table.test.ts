import { describe, expect, it } from "vitest";
import { row } from "../bench/run.js";

describe("bench table rows", () => {
  it("shows the note of a measurement with no figures in the figure column", () => {
    const note =
      "skipped: set DATABASE_URL or TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)";
    const cells = row("store", { name: "PostgreSQL", unit: "ms", note });
    expect(cells[3]).toBe(note);
  });

  it("shows a failed probe's error where its figure would be", () => {
    const cells = row("startup and memory", {
      name: "resident memory with both platform adapters loaded",
      unit: "MB",
      bar: "RSS under 120 MB",
      pass: false,
      note: "probe failed: could not reach the Slack Web API",
    });
    expect(cells[3]).toBe("probe failed: could not reach the Slack Web API");
    expect(cells[6]).toBe("NO");
  });

  it("keeps figures, not the note, when there are figures", () => {
    expect(row("s", { name: "n", unit: "ms", p50: 1.5, p99: 250, note: "21 runs" })[3]).toBe("1.50 / 250");
    expect(row("s", { name: "n", unit: "req/s", value: 2728, note: "medians" })[3]).toBe("2728");
    expect(row("s", { name: "n", unit: "count", value: 0 })[3]).toBe("0");
  });

  it("leaves the cell empty when there is neither a figure nor a note", () => {
    expect(row("s", { name: "n", unit: "ms" })[3]).toBe("");
  });

  it("keeps a note with a pipe or a line break inside its cell", () => {
    expect(row("s", { name: "n", unit: "ms", note: "a | b\nc" })[3]).toBe("a \\| b c");
  });
});
