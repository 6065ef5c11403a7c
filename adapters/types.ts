/**
 * The small surface every platform adapter exports, so the composition root (src/main.ts)
 * can start any mix of them the same way. Adapters turn platform events into Queries and
 * Answers into native replies; they hold no business rules.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Skilltree } from "../src/core.js";

/** An HTTP route an adapter serves on the process's one HTTP server (HTTP modes). */
export interface Route {
  method: "POST" | "GET";
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/** What adapters may log: never tokens, secrets or full member text. */
export interface AdapterLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** One handled command, interaction or action, for logs and metrics. */
export interface HandledEvent {
  platform: "discord" | "slack";
  /** Command name, "autocomplete" or "action". */
  command: string;
  outcome: "ok" | "not_found" | "error" | "rejected";
  durationMs: number;
}

export interface AdapterDeps {
  core: Skilltree;
  logger?: AdapterLogger;
  /** Called once per handled event (metrics, logs). */
  onHandled?: (event: HandledEvent) => void;
}

export interface PlatformAdapter {
  readonly platform: "discord" | "slack";
  /** Connects (gateway, Socket Mode) or prepares (HTTP mode). Resolves when ready to answer. */
  start(): Promise<void>;
  /** Stops taking new events, lets in-flight ones finish, disconnects. */
  stop(): Promise<void>;
  /** True while connected (gateway, socket) or ready to serve (HTTP). */
  isReady(): boolean;
  /** Routes to mount on the shared HTTP server; empty in gateway and Socket Mode. */
  readonly routes: readonly Route[];
}

export const silentLogger: AdapterLogger = { info() {}, warn() {}, error() {} };
