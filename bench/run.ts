/**
 * `npm run bench`: every benchmark section in one run, one table, and bench/results/latest.json.
 * Sections run one after another (never in parallel: they would measure each other), each
 * comparing with a baseline measured in the same run. docs/benchmarks.md explains how to read it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PROJECT_ROOT } from "../src/paths.js";
import type { Measurement, SectionResult } from "./types.js";

const SECTIONS: [name: string, load: () => Promise<{ run(): Promise<SectionResult> }>][] = [
  ["lookup", () => import("./lookup.js")],
  ["search quality", () => import("./search-quality.js")],
  ["http", () => import("./http.js")],
  ["startup", () => import("./startup.js")],
  ["store", () => import("./store.js")],
];

function format(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return "";
  // A count of zero is "0", not toPrecision's "0.0".
  if (n === 0) return "0";
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toPrecision(2);
}

/** "p50 / p99", or "" when the measurement has neither. */
function percentiles(m: { p50?: number; p99?: number }): string {
  return m.p50 === undefined && m.p99 === undefined ? "" : `${format(m.p50)} / ${format(m.p99)}`;
}

/** A table cell: a `|` would end it early, a line break would end the row. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

/**
 * One table row. A measurement with no figure (a part that could not run here, such as
 * PostgreSQL without a database, or a probe that failed) shows its note in the figure column,
 * so the table says why instead of showing an empty cell.
 */
export function row(section: string, m: Measurement): string[] {
  const figure = m.value !== undefined ? format(m.value) : percentiles(m) || (m.note ?? "");
  const base = m.baseline
    ? `${m.baseline.name}: ${m.baseline.value !== undefined ? format(m.baseline.value) : percentiles(m.baseline)}`
    : "";
  return [
    section,
    m.name,
    m.unit,
    figure,
    base,
    m.bar ?? "",
    m.pass === undefined ? "" : m.pass ? "yes" : "NO",
  ].map(cell);
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const started = Date.now();
  const results: SectionResult[] = [];
  for (const [name, load] of SECTIONS) {
    if (only.length > 0 && !only.includes(name)) continue;
    process.stderr.write(`bench: ${name}...\n`);
    try {
      results.push(await (await load()).run());
    } catch (error) {
      results.push({
        section: name,
        measurements: [],
        skipped: `failed: ${error instanceof Error ? error.message : error}`,
      });
    }
  }
  const header = [
    "section",
    "measurement",
    "unit",
    "p50 / p99 or value",
    "baseline (same run)",
    "bar",
    "met",
  ];
  const rows = results.flatMap((r) =>
    r.skipped
      ? [[r.section, `skipped: ${r.skipped}`, "", "", "", "", ""].map(cell)]
      : r.measurements.map((m) => row(r.section, m)),
  );
  const table = [header, header.map(() => "---"), ...rows]
    .map((cells) => `| ${cells.join(" | ")} |`)
    .join("\n");
  process.stdout.write(`${table}\n`);
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  const out = {
    date: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine,
    results,
    table,
  };
  const resultsDir = join(PROJECT_ROOT, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "latest.json"), `${JSON.stringify(out, null, 2)}\n`);
  const missed = rows.filter((r) => r[6] === "NO").length;
  process.stderr.write(
    `bench: done in ${out.durationSeconds} s; ${missed} bar(s) missed; bench/results/latest.json written\n`,
  );
}

// Run only as `npm run bench` (tsx bench/run.ts), not when a test imports row().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
