/**
 * Bolt's HTTP receiver, as ours: the same steps as Bolt's HTTPReceiver (its own exported
 * functions for reading, verifying and parsing the request, for ssl_check, url_verification and
 * errors, and its HTTPResponseAck for the unacknowledged-request timeout), with one difference:
 * an acknowledgement that carries a message is sent from bytes serialised once per message
 * object, with a content length. The handlers hand Bolt the same reply object for a repeated
 * card (adapters/render-memo.ts, handlers.ts), so a burst of one card is serialised once; Bolt's
 * receiver ran JSON.stringify on the 2.5 KB card for every request and sent it chunked, a fifth
 * of the endpoint's time under load (docs/benchmarks.md).
 *
 * Mounted on the process's shared HTTP server by index.ts (POST SLACK_PATH); Bolt never opens
 * a port of its own.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type App,
  type BufferedIncomingMessage,
  HTTPResponseAck,
  HTTPModuleFunctions as http,
  type Logger,
  type Receiver,
  ReceiverMultipleAckError,
} from "@slack/bolt";
import { jsonBytesOnce } from "../render-memo.js";

export interface ReplyReceiverOptions {
  signingSecret: string;
  logger: Logger;
  bodyLimit: number;
}

/** What Bolt's buildContentResponse sends, from serialised bytes when the body is a message. */
export function sendAck(res: ServerResponse, body: unknown): void {
  if (!body) {
    res.writeHead(200);
    res.end();
  } else if (typeof body === "string") {
    res.writeHead(200);
    res.end(body);
  } else {
    const bytes = jsonBytesOnce(body, "", () => body);
    res.writeHead(200, { "content-type": "application/json", "content-length": bytes.length });
    res.end(bytes);
  }
}

export class ReplyReceiver implements Receiver {
  private app: App | undefined;

  constructor(private readonly options: ReplyReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** For the shared HTTP server: one request to the events path. */
  readonly requestListener = (req: IncomingMessage, res: ServerResponse): void => {
    void this.handle(req, res);
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { logger } = this.options;
    let buffered: BufferedIncomingMessage;
    try {
      buffered = await http.parseAndVerifyHTTPRequest(
        { enabled: true, signingSecret: this.options.signingSecret, bodyLimit: this.options.bodyLimit },
        req,
      );
    } catch (error) {
      if (http.isRawBodyError(error) && (error.type === "entity.too.large" || error.statusCode === 413)) {
        logger.warn(
          `Request body exceeded the maximum allowed size (limit: ${this.options.bodyLimit} bytes)`,
        );
        http.buildNoBodyResponse(res, 413);
        return;
      }
      logger.warn(`Failed to parse and verify the request data: ${(error as Error).message}`);
      http.buildNoBodyResponse(res, 401);
      return;
    }
    // biome-ignore lint/suspicious/noExplicitAny: Slack's payloads, as Bolt parses them
    let body: any;
    try {
      body = http.parseHTTPRequestBody(buffered);
    } catch (error) {
      logger.warn(`Malformed request body: ${(error as Error).message}`);
      http.buildNoBodyResponse(res, 400);
      return;
    }
    if (body.ssl_check === "1") {
      http.buildSSLCheckResponse(res);
      return;
    }
    if (body.type === "url_verification") {
      http.buildUrlVerificationResponse(res, body);
      return;
    }
    // Bolt's own acknowledgement bookkeeping: its timer logs a request nobody acknowledged.
    const timer = new HTTPResponseAck({
      logger,
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: res,
    });
    let acked = false;
    const ack = async (response?: unknown): Promise<void> => {
      if (acked) throw new ReceiverMultipleAckError();
      acked = true;
      timer.ack();
      sendAck(res, response);
    };
    try {
      await this.app?.processEvent({
        body,
        ack,
        retryNum: http.extractRetryNumFromHTTPRequest(req),
        retryReason: http.extractRetryReasonFromHTTPRequest(req),
        customProperties: {},
      });
    } catch (error) {
      await http.defaultProcessEventErrorHandler({
        error: error as Error,
        logger,
        request: req,
        response: res,
        storedResponse: undefined,
      });
    }
  }
}
