/**
 * HTTP interactions mode: POST /discord/interactions. Order matters: size limit (413), then the
 * Ed25519 signature over the raw bytes (401: nothing unsigned or stale reaches the handler),
 * then JSON, then the shared handler, whose first response is this HTTP response.
 */
import type { KeyObject } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { REST } from "@discordjs/rest";
import type { APIInteractionResponse } from "discord-api-types/v10";
import { jsonBytesOnce } from "../render-memo.js";
import type { AdapterLogger, HandledEvent, Route } from "../types.js";
import { describeError, type HandlerContext, handleInteraction, type Transport } from "./interactions.js";
import { SignatureError, verifySignature } from "./verify.js";

export const INTERACTIONS_PATH = "/discord/interactions";

export interface EndpointOptions {
  publicKey: KeyObject;
  /** Created on first use: only deferred answers and error replies need Discord's API. */
  rest: () => REST;
  handler: HandlerContext;
  maxBodyBytes: number;
  logger: AdapterLogger;
  onHandled?: ((event: HandledEvent) => void) | undefined;
  /** The clock the signature's timestamp is checked against. */
  now: () => number;
  /** False once the adapter is stopping: new requests get 503. */
  accepting: () => boolean;
  /** Registers work that stop() waits for. */
  track: (work: Promise<unknown>) => void;
}

export function interactionsRoute(options: EndpointOptions): Route {
  return {
    method: "POST",
    path: INTERACTIONS_PATH,
    handle(req, res) {
      const work = serve(req, res, options);
      options.track(work);
    },
  };
}

function sendBytes(res: ServerResponse, status: number, bytes: Buffer, close = false): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": bytes.length,
    ...(close ? { connection: "close" } : {}),
  });
  res.end(bytes);
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  sendBytes(res, status, Buffer.from(JSON.stringify(body)), close);
}

/**
 * An interaction response, serialised once per rendered message: the render memo hands out the
 * same `data` object for a repeated answer, so a burst of one card is serialised once.
 */
function sendReply(res: ServerResponse, response: APIInteractionResponse): void {
  const data = "data" in response ? response.data : undefined;
  if (!data) {
    send(res, 200, response);
    return;
  }
  sendBytes(
    res,
    200,
    jsonBytesOnce(data, response.type, () => response),
  );
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const TOO_LARGE = Symbol("too large");

/** The raw body, or TOO_LARGE as soon as it passes `max` bytes (by header or by counting). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | typeof TOO_LARGE> {
  const declared = Number(header(req, "content-length"));
  if (Number.isFinite(declared) && declared > max) return Promise.resolve(TOO_LARGE);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off("data", onData);
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks, size)));
    req.once("error", reject);
  });
}

async function serve(req: IncomingMessage, res: ServerResponse, o: EndpointOptions): Promise<void> {
  const started = performance.now();
  const rejected = (reason: string) => {
    o.logger.warn({ platform: "discord", reason }, "rejected an interactions request");
    o.onHandled?.({
      platform: "discord",
      command: "interaction",
      outcome: "rejected",
      durationMs: performance.now() - started,
    });
  };
  try {
    if (!o.accepting()) {
      send(res, 503, { error: "shutting down" }, true);
      return;
    }
    const body = await readBody(req, o.maxBodyBytes);
    if (body === TOO_LARGE) {
      rejected("too_large");
      send(res, 413, { error: "request body too large" }, true);
      res.once("finish", () => req.destroy());
      return;
    }
    try {
      verifySignature(
        o.publicKey,
        {
          signature: header(req, "x-signature-ed25519"),
          timestamp: header(req, "x-signature-timestamp"),
          body,
        },
        o.now,
      );
    } catch (error) {
      if (!(error instanceof SignatureError)) throw error;
      rejected(`signature_${error.reason}`);
      send(res, 401, { error: "invalid request signature" });
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString("utf8"));
    } catch {
      rejected("bad_json");
      send(res, 400, { error: "the body is not JSON" });
      return;
    }
    const transport: Transport = {
      get rest() {
        return o.rest();
      },
      respond: async (_interaction, response) => sendReply(res, response),
    };
    const result = await handleInteraction(payload, transport, o.handler);
    if (result === "invalid") send(res, 400, { error: "not an interaction" });
    else send(res, 500, { error: "no response" });
  } catch (error) {
    o.logger.error({ platform: "discord", ...describeError(error) }, "interactions endpoint failed");
    send(res, 500, { error: "internal error" });
  }
}
