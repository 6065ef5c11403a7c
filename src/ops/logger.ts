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

const SECRET_PATHS = [
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "password",
  "*.password",
  "secret",
  "*.secret",
  "signingSecret",
  "*.signingSecret",
  "appToken",
  "*.appToken",
  "databaseUrl",
  "*.databaseUrl",
];

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
    redact: { paths: SECRET_PATHS, censor: "[redacted]" },
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
