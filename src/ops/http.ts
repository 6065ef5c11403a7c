/**
 * The process's one HTTP server: the platform endpoints of the enabled adapters, plus
 * /healthz (alive), /readyz (taxonomy loaded, store reachable, adapters connected) and
 * /metrics (Prometheus text). It tracks requests in flight so a graceful stop can wait for them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Metrics } from "./metrics.js";

export interface HttpRoute {
  method: "POST" | "GET";
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

export interface ReadinessCheck {
  name: string;
  /** Resolves true when ready; a rejection or false means not ready. */
  check(): Promise<boolean>;
}

export interface OpsServer {
  server: Server;
  /** Requests being handled right now. */
  inFlight(): number;
  /** Stops accepting connections; resolves when every in-flight request has finished. */
  drain(): Promise<void>;
}

const READY_TIMEOUT_MS = 1500;

export function createOpsServer(options: {
  routes: readonly HttpRoute[];
  readiness: readonly ReadinessCheck[];
  metrics: Metrics;
  isStopping: () => boolean;
}): OpsServer {
  let inFlight = 0;
  const idle: (() => void)[] = [];
  const server = createServer((req, res) => {
    inFlight++;
    res.on("close", () => {
      inFlight--;
      if (inFlight === 0) for (const resolve of idle.splice(0)) resolve();
    });
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (options.isStopping() && path !== "/healthz") {
      // Tell the load balancer to go elsewhere while in-flight work finishes.
      res.setHeader("connection", "close");
      return send(res, 503, { status: "stopping" });
    }
    // HEAD too: load balancers and uptime checkers often probe with it (Node sends no body).
    const probe = req.method === "GET" || req.method === "HEAD";
    if (probe && path === "/healthz") return send(res, 200, { status: "ok" });
    if (probe && path === "/readyz") return void ready(options.readiness, res);
    if (req.method === "GET" && path === "/metrics") return void metricsText(options.metrics, res);
    const route = options.routes.find((r) => r.path === path);
    if (!route) return send(res, 404, { error: "not found" });
    if (req.method !== route.method) {
      res.setHeader("allow", route.method);
      return send(res, 405, { error: "method not allowed" });
    }
    try {
      route.handle(req, res);
    } catch {
      if (!res.headersSent) send(res, 500, { error: "internal error" });
    }
  });
  // Slow or idle clients must not hold a stopping process open.
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  return {
    server,
    inFlight: () => inFlight,
    drain: () =>
      new Promise<void>((resolve) => {
        server.close();
        server.closeIdleConnections();
        if (inFlight === 0) resolve();
        else idle.push(resolve);
      }),
  };
}

async function ready(checks: readonly ReadinessCheck[], res: ServerResponse): Promise<void> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      const ok = await Promise.race([
        check().catch(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(false), READY_TIMEOUT_MS).unref()),
      ]);
      return [name, ok ? "ok" : "failing"] as const;
    }),
  );
  const ok = results.every(([, state]) => state === "ok");
  send(res, ok ? 200 : 503, { status: ok ? "ready" : "not ready", checks: Object.fromEntries(results) });
}

async function metricsText(metrics: Metrics, res: ServerResponse): Promise<void> {
  const body = await metrics.registry.metrics();
  res.writeHead(200, { "content-type": metrics.registry.contentType });
  res.end(body);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}
