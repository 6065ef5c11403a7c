/**
 * Structured JSON logs (pino), one line per event; human-readable when writing to a terminal.
 * Secrets never reach a log line: the known secret fields are redacted wherever they appear.
 */
import { type Logger, pino } from "pino";

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

export interface LoggerOptions {
  level: string;
  /** Pretty lines for people; JSON otherwise. Defaults to whether stdout is a terminal. */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}

export async function createLogger(options: LoggerOptions): Promise<Logger> {
  const base = {
    level: options.level,
    base: { service: "skilltree" },
    redact: { paths: SECRET_PATHS, censor: "[redacted]" },
  };
  const pretty = options.pretty ?? Boolean(process.stdout.isTTY);
  if (pretty) {
    const { default: prettyStream } = await import("pino-pretty");
    return pino(
      base,
      prettyStream({ destination: options.destination ?? 1, sync: true, ignore: "pid,hostname,service" }),
    );
  }
  return options.destination ? pino(base, options.destination) : pino(base);
}
