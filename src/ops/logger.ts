/**
 * Structured JSON logs (pino), one line per event; human-readable when writing to a terminal.
 * Secrets never reach a log line: the known secret fields are redacted wherever they appear,
 * and error texts pass through `redactSecrets` (redact.ts).
 *
 * Lines go through our own sink rather than pino's default destination. pino's default
 * (sonic-boom) registers an exit hook that flushes synchronously and retries a failed write
 * forever: with nobody reading stdout (`npm start | head -3`, a stuck log shipper) the process
 * then never exits, whatever the stop deadline says. The sink instead stops writing at the
 * first destination error (EPIPE), never blocks, drops lines rather than buffering without
 * bound, and is flushed with a timeout before exit (`flushLogger`).
 */
import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

/** Fields censored wherever they appear in a log line: at the top level and one level down. */
const SECRET_KEYS = new Set([
  "token",
  "authorization",
  "password",
  "secret",
  "signingSecret",
  "appToken",
  "databaseUrl",
]);
const CENSOR = "[redacted]";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `object` with its secret fields censored; the same object when it has none (the usual case). */
function censorLevel(object: Record<string, unknown>, deeper: boolean): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(object)) {
    const value = object[key];
    let censored = value;
    if (SECRET_KEYS.has(key)) censored = CENSOR;
    else if (deeper && isPlainObject(value)) censored = censorLevel(value, false);
    if (censored !== value) {
      copy ??= { ...object };
      copy[key] = censored;
    }
  }
  return copy ?? object;
}

/**
 * A log line's fields with every secret field censored (`token`, `*.token`, ... as redaction
 * paths would say), without changing the caller's object. Hand-written rather than pino's
 * `redact` option, whose wildcard paths cost 4.2 µs on every line (4.9 µs against 0.7 for the
 * same line unredacted): the bot logs every command it handles, so that was paid on every
 * request (docs/benchmarks.md). This costs a key lookup per field: 1.2 µs a line in all.
 */
export function censorSecrets(fields: Record<string, unknown>): Record<string, unknown> {
  return censorLevel(fields, true);
}

/** Past this many bytes waiting for a slow reader, lines are dropped (and counted). */
const DEFAULT_MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface LoggerOptions {
  level: string;
  /** Pretty lines for people; JSON otherwise. Defaults to whether stdout is a terminal. */
  pretty?: boolean;
  /** Where lines go; process.stdout by default. */
  destination?: NodeJS.WritableStream;
  maxBufferedBytes?: number;
}

/**
 * A pino destination over a Node stream that can never hold the process: a destination error
 * (EPIPE: the reader went away) stops all writing, a reader too slow to keep up loses lines
 * instead of growing memory, and flush() only waits for what the stream already has.
 */
export class LogSink implements DestinationStream {
  private failed = false;
  private dropped = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly format: (line: string) => string = (line) => line,
    private readonly maxBuffered = DEFAULT_MAX_BUFFERED_BYTES,
  ) {
    // Without a listener an EPIPE on stdout would be an uncaught exception.
    out.on("error", () => {
      this.failed = true;
    });
  }

  /** True once the destination failed: nothing is written any more. */
  get broken(): boolean {
    return this.failed || Boolean((this.out as { destroyed?: boolean }).destroyed);
  }

  /** Lines dropped because the reader was too slow (reported once it catches up). */
  get droppedLines(): number {
    return this.dropped;
  }

  write(line: string): void {
    if (this.broken) return;
    if (this.buffered() > this.maxBuffered) {
      this.dropped++;
      return;
    }
    try {
      if (this.dropped > 0) {
        const note = JSON.stringify({
          level: 40,
          time: Date.now(),
          service: "skilltree",
          dropped: this.dropped,
          msg: "log lines dropped: the log reader was too slow",
        });
        this.dropped = 0;
        this.out.write(this.format(`${note}\n`));
      }
      this.out.write(this.format(line));
    } catch {
      this.failed = true;
    }
  }

  /** Calls back once everything written so far has left, or at once when it never will. */
  flush(callback: (error?: Error) => void = () => {}): void {
    if (this.broken || this.buffered() === 0) {
      callback();
      return;
    }
    const done = () => {
      this.out.off("drain", check);
      this.out.off("error", done);
      this.out.off("close", done);
      callback();
    };
    const check = () => {
      if (this.buffered() === 0) done();
    };
    this.out.on("drain", check);
    this.out.once("error", done);
    this.out.once("close", done);
  }

  private buffered(): number {
    return (this.out as { writableLength?: number }).writableLength ?? 0;
  }
}

export async function createLogger(options: LoggerOptions): Promise<Logger> {
  const base = {
    level: options.level,
    base: { service: "skilltree" },
    formatters: { log: censorSecrets },
  };
  const out = options.destination ?? process.stdout;
  const pretty = options.pretty ?? Boolean(process.stdout.isTTY);
  let format: ((line: string) => string) | undefined;
  if (pretty) {
    const { prettyFactory } = await import("pino-pretty");
    format = prettyFactory({ ignore: "pid,hostname,service" });
  }
  return pino(base, new LogSink(out, format, options.maxBufferedBytes));
}

/** Resolves once the logger's lines have left, or after `timeoutMs`, whichever comes first. */
export function flushLogger(logger: Logger, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    try {
      logger.flush(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}
