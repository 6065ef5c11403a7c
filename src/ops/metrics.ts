/** Prometheus metrics (prom-client), served as text on /metrics. One registry per process. */
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export class Metrics {
  readonly registry = new Registry();
  readonly commands: Counter<"command" | "platform" | "outcome">;
  readonly latency: Histogram<"platform">;
  readonly recommendationsWritten: Counter<"outcome">;
  readonly storeErrors: Counter<"operation">;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "skilltree_" });
    this.commands = new Counter({
      name: "skilltree_commands_total",
      help: "Commands, autocompletes and button clicks handled, by command, platform and outcome.",
      labelNames: ["command", "platform", "outcome"],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: "skilltree_answer_duration_seconds",
      help: "Time from receiving an event to having its answer, by platform.",
      labelNames: ["platform"],
      // Platforms allow 3 s; most answers take well under 10 ms.
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.recommendationsWritten = new Counter({
      name: "skilltree_recommendations_written_total",
      help: "Recommendations recorded, updated or removed in the store.",
      labelNames: ["outcome"],
      registers: [this.registry],
    });
    this.storeErrors = new Counter({
      name: "skilltree_store_errors_total",
      help: "Failed store operations (unreachable database, timeouts).",
      labelNames: ["operation"],
      registers: [this.registry],
    });
  }
}

/** One handled command, interaction or click, as the adapters report it (adapters/types.ts). */
export interface HandledReport {
  platform: string;
  command: string;
  outcome: string;
  durationMs: number;
}

/**
 * What the server does with every handled event: count it, time it, and log one line. The bot
 * (src/main.ts) and its HTTP benchmark (bench/http-target.ts) both use this, so the benchmark
 * pays what a deployment pays.
 */
export function reportHandled(
  metrics: Metrics,
  logger: { info(fields: HandledReport, message: string): void },
): (event: HandledReport) => void {
  return (event) => {
    metrics.commands.inc({ command: event.command, platform: event.platform, outcome: event.outcome });
    metrics.latency.observe({ platform: event.platform }, event.durationMs / 1000);
    logger.info(event, "handled");
  };
}
