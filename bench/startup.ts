/**
 * Start-up and memory (issue 7, part 4), on the compiled build (what production runs):
 * - the one-shot console answer (`node dist/ask.cjs "/tool calico"`: the bundle with its code
 *   cache, scripts/bundle-console.ts) against a bare `node -e ""` start, interleaved run by run so
 *   machine noise hits both alike; the unbundled `node dist/adapters/console/ask.js` for the record;
 * - that the console path loads no platform library (on the unbundled build, where each module
 *   loaded is visible; the bundle's build refuses platform libraries itself);
 * - resident memory with both platform adapters loaded (bench/rss-probe.mjs).
 * Run alone: npx tsx bench/startup.ts
 */
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { PROJECT_ROOT } from "../src/paths.js";
import { productionNodeFlags } from "./production-flags.js";
import { percentile, type SectionResult } from "./types.js";

const RUNS = 21;

function timeRun(args: string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr.toString()}`);
  return ms;
}

interface RssReport {
  rssMB?: number;
  heapMB?: number;
  error?: string;
}

/**
 * Runs bench/rss-probe.mjs and reads its last line. A probe that crashes, hangs or prints no
 * figure comes back as an error (with what it printed), so the row says why it is empty.
 */
function probeRss(env: NodeJS.ProcessEnv): RssReport {
  const probe = spawnSync(
    process.execPath,
    ["--expose-gc", ...productionNodeFlags(), "bench/rss-probe.mjs"],
    {
      cwd: PROJECT_ROOT,
      env,
      encoding: "utf8",
      // The probe gives up after 60 s itself; this is for a probe that cannot even do that.
      timeout: 90_000,
    },
  );
  const last = probe.stdout?.trim().split("\n").at(-1) ?? "";
  let report: RssReport = {};
  try {
    report = JSON.parse(last) as RssReport;
  } catch {
    // Not JSON: reported below with the exit status and stderr.
  }
  if (report.error !== undefined) return { error: report.error };
  if (typeof report.rssMB === "number") return report;
  const why = probe.error ? probe.error.message : `exit ${probe.status ?? probe.signal}`;
  const stderr = probe.stderr?.trim().split("\n").slice(-3).join(" ") ?? "";
  return { error: `no figure (${why}): ${(stderr || last || "no output").slice(0, 300)}` };
}

/** Resident memory varies by some 10% from one process to the next (when the GC last gave pages back). */
const RSS_PROBES = 3;

function medianRss(env: NodeJS.ProcessEnv): RssReport & { all?: number[] } {
  const reports: RssReport[] = [];
  for (let i = 0; i < RSS_PROBES; i++) {
    const report = probeRss(env);
    if (report.error !== undefined) return report;
    reports.push(report);
  }
  reports.sort((a, b) => (a.rssMB ?? 0) - (b.rssMB ?? 0));
  const median = reports[Math.floor(RSS_PROBES / 2)] ?? {};
  return { ...median, all: reports.map((r) => r.rssMB ?? 0) };
}

export async function run(): Promise<SectionResult> {
  execFileSync("npm", ["run", "-s", "build"], { cwd: PROJECT_ROOT, stdio: "pipe" });
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SKILLTREE_SQLITE_PATH: join(PROJECT_ROOT, "var", "bench.db"),
  };
  const bare: number[] = [];
  const oneShot: number[] = [];
  const unbundled: number[] = [];
  const fast = ["dist/ask.cjs", "/tool calico"];
  const ask = ["dist/adapters/console/ask.js", "/tool calico"];
  // Warm the file cache, create the database and the code cache once, as any first run does.
  timeRun(fast, env);
  timeRun(ask, env);
  for (let i = 0; i < RUNS; i++) {
    bare.push(timeRun(["-e", ""], env));
    oneShot.push(timeRun(fast, env));
    unbundled.push(timeRun(ask, env));
  }
  bare.sort((a, b) => a - b);
  oneShot.sort((a, b) => a - b);
  unbundled.sort((a, b) => a - b);
  const bareMedian = percentile(bare, 50);
  const askMedian = percentile(oneShot, 50);
  const ratio = askMedian / bareMedian;

  const loaded = spawnSync(
    process.execPath,
    ["--import", "./test/fixtures/report-loaded-platforms.mjs", ...ask],
    {
      cwd: PROJECT_ROOT,
      env,
      encoding: "utf8",
    },
  );
  const platformModules = Number(/LOADED_PLATFORM_MODULES=(\d+)/.exec(loaded.stderr)?.[1] ?? Number.NaN);

  const rss = medianRss(env);

  return {
    section: "startup and memory",
    measurements: [
      {
        name: "one-shot console answer vs bare node start",
        unit: "ms",
        p50: askMedian,
        p99: percentile(oneShot, 99),
        baseline: { name: 'node -e ""', p50: bareMedian, p99: percentile(bare, 99) },
        bar: "median at most 3x bare Node",
        pass: ratio <= 3,
        note: `node dist/ask.cjs (one bundle, V8 code cache); ${RUNS} interleaved runs each; ratio ${ratio.toFixed(2)}x`,
      },
      {
        name: "one-shot console answer, unbundled ES modules (for the record)",
        unit: "ms",
        p50: percentile(unbundled, 50),
        p99: percentile(unbundled, 99),
        baseline: { name: 'node -e ""', p50: bareMedian, p99: percentile(bare, 99) },
        note: `node dist/adapters/console/ask.js; ratio ${(percentile(unbundled, 50) / bareMedian).toFixed(2)}x`,
      },
      {
        name: "platform libraries loaded by the console path",
        unit: "modules",
        value: platformModules,
        bar: "none",
        pass: platformModules === 0,
      },
      {
        name: "resident memory with both platform adapters loaded",
        unit: "MB",
        ...(rss.rssMB !== undefined ? { value: rss.rssMB } : {}),
        bar: "RSS under 120 MB",
        pass: rss.rssMB !== undefined && rss.rssMB < 120,
        note:
          rss.error !== undefined
            ? `probe failed: ${rss.error}`
            : `median of ${RSS_PROBES} processes (${rss.all?.join(", ")} MB), after GC; heap used ${rss.heapMB} MB; node ${productionNodeFlags().join(" ")}, as in the image`,
      },
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2));
}
