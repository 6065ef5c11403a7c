/**
 * Slack in Socket Mode, end to end: the real Bolt app and @slack/socket-mode client against a
 * local stand-in whose Web API hands out a ws://127.0.0.1 URL (apps.connections.open) and whose
 * WebSocket server sends hello and envelopes, as Slack does.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSlackAdapter, readSlackConfig } from "../adapters/slack/index.js";
import type { HandledEvent, PlatformAdapter } from "../adapters/types.js";
import {
  buttonClick,
  fixture,
  type LongAnswerCore,
  SlackStandIn,
  SlowStore,
  slackCore,
  triggerId,
  watchConnections,
} from "./helpers/slack-standin.js";

let standIn: SlackStandIn;
let adapter: PlatformAdapter;
let store: SlowStore;
let core: LongAnswerCore;
let network: ReturnType<typeof watchConnections>;
const handled: HandledEvent[] = [];

beforeAll(async () => {
  network = watchConnections();
  standIn = await SlackStandIn.start();
  const config = readSlackConfig({
    SLACK_BOT_TOKEN: "xoxb-test-0002",
    SLACK_APP_TOKEN: "xapp-1-test-0002",
    SLACK_API_URL: standIn.apiUrl,
  });
  expect(config.mode).toBe("socket");
  store = new SlowStore();
  core = slackCore(store);
  // A short ack budget, so that a slow store takes the response_url path quickly.
  adapter = createSlackAdapter({ core, onHandled: (e) => handled.push(e) }, { ...config, ackBudgetMs: 400 });
  await adapter.start();
});

afterAll(async () => {
  await adapter?.stop();
  await standIn?.close();
  network?.restore();
});

interface Envelope {
  envelope_id: string;
  payload?: {
    response_type?: string;
    text?: string;
    blocks?: { type: string; elements?: { action_id?: string }[] }[];
  };
}

describe("Slack in Socket Mode", () => {
  it("connects through apps.connections.open with the app-level token, no public URL", () => {
    expect(adapter.isReady()).toBe(true);
    expect(adapter.routes).toEqual([]);
    const open = standIn.calls("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0]?.authorization).toBe("Bearer xapp-1-test-0002");
    expect(standIn.calls("auth.test")).toHaveLength(1);
    expect(standIn.socketCount).toBe(1);
  });

  it("answers a slash command in the envelope's ack", async () => {
    const payload = {
      ...fixture<Record<string, string>>("slash-command.json"),
      command: "/tool",
      text: "calico",
      response_url: standIn.responseUrl("socket-cmd"),
      trigger_id: triggerId(),
    };
    const reply = (await standIn.sendEnvelope({
      envelope_id: "env-cmd-1",
      type: "slash_commands",
      payload,
      accepts_response_payload: true,
    })) as Envelope;
    expect(reply.envelope_id).toBe("env-cmd-1");
    expect(reply.payload?.response_type).toBe("in_channel");
    expect(reply.payload?.text).toBe("Calico");
    const ids = (reply.payload?.blocks ?? []).flatMap((b) => b.elements ?? []).map((e) => e.action_id);
    expect(ids).toContain("st1:rec:calico");
    expect(standIn.responses("socket-cmd")).toEqual([]);
    // Reported just after the ack is sent: wait for it.
    await vi.waitFor(() =>
      expect(handled.at(-1)).toMatchObject({ platform: "slack", command: "tool", outcome: "ok" }),
    );
  });

  it("acks a slow answer empty, then answers through response_url", async () => {
    store.delayMs = 1000;
    try {
      const payload = {
        ...fixture<Record<string, string>>("slash-command.json"),
        command: "/tool",
        text: "flannel",
        response_url: standIn.responseUrl("socket-slow"),
        trigger_id: triggerId(),
      };
      const started = Date.now();
      const reply = (await standIn.sendEnvelope({
        envelope_id: "env-slow-1",
        type: "slash_commands",
        payload,
        accepts_response_payload: true,
      })) as Envelope;
      expect(Date.now() - started).toBeLessThan(900);
      expect(reply.envelope_id).toBe("env-slow-1");
      expect(reply.payload ?? {}).toEqual({});
      const [later] = await standIn.waitForResponses("socket-slow", 1);
      expect(later?.body).toMatchObject({ response_type: "in_channel", text: "Flannel" });
    } finally {
      store.delayMs = 0;
    }
  });

  it("acks a redelivered envelope (retry_attempt) without answering it again", async () => {
    const payload = {
      ...fixture<Record<string, string>>("slash-command.json"),
      command: "/recommend",
      text: "canal trial once",
      response_url: standIn.responseUrl("socket-retry"),
      trigger_id: triggerId(),
    };
    const answer = vi.spyOn(core, "answer");
    try {
      const first = (await standIn.sendEnvelope({
        envelope_id: "env-retry-1",
        type: "slash_commands",
        payload,
        accepts_response_payload: true,
      })) as Envelope;
      expect(first.payload?.response_type).toBe("in_channel");
      const retry = (await standIn.sendEnvelope({
        envelope_id: "env-retry-2",
        type: "slash_commands",
        payload,
        accepts_response_payload: true,
        retry_attempt: 1,
        retry_reason: "timeout",
      })) as Envelope;
      expect(retry.envelope_id).toBe("env-retry-2");
      expect(retry.payload ?? {}).toEqual({});
      expect(answer).toHaveBeenCalledTimes(1);
      await vi.waitFor(() =>
        expect(handled.at(-1)).toMatchObject({ command: "recommend", outcome: "rejected" }),
      );
      expect(standIn.responses("socket-retry")).toEqual([]);
    } finally {
      answer.mockRestore();
    }
  });

  it("acks a button at once and answers it through response_url", async () => {
    const payload = buttonClick({
      actionId: "st1:rec:calico",
      value: "c|zh-CN",
      responseUrl: standIn.responseUrl("socket-btn"),
    });
    const reply = (await standIn.sendEnvelope({
      envelope_id: "env-btn-1",
      type: "interactive",
      payload,
      accepts_response_payload: false,
    })) as Envelope;
    expect(reply.envelope_id).toBe("env-btn-1");
    const [picker] = await standIn.waitForResponses("socket-btn", 1);
    expect(picker?.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    // The button carried the card's language: the picker is in Chinese.
    expect(JSON.stringify(picker?.body)).toMatch(/推荐 Calico/);
    // Reported just after the ack is sent: wait for it.
    await vi.waitFor(() => expect(handled.at(-1)).toMatchObject({ command: "action", outcome: "ok" }));
  });

  it("never left 127.0.0.1", () => {
    expect(network.destinations.some((d) => d.startsWith("127.0.0.1:"))).toBe(true);
    expect(network.offLoopback()).toEqual([]);
    const methods = new Set(standIn.requests.filter((r) => r.kind === "api").map((r) => r.name));
    expect([...methods].sort()).toEqual(["apps.connections.open", "auth.test"]);
    // The guard itself: anything but loopback would be reported.
    const probe = watchConnections();
    probe.destinations.push("93.184.216.34:443", "::1:80", "127.0.0.1:80", "localhost:3000");
    expect(probe.offLoopback()).toEqual(["93.184.216.34:443"]);
    probe.restore();
  });

  it("refuses to start with a token Slack rejects, naming the variable but not the token", async () => {
    standIn.invalidTokens.add("xoxb-revoked-0003");
    standIn.invalidTokens.add("xapp-1-revoked-0003");
    const env = { SLACK_API_URL: standIn.apiUrl };
    const badBot = createSlackAdapter(
      { core: slackCore() },
      readSlackConfig({ ...env, SLACK_BOT_TOKEN: "xoxb-revoked-0003", SLACK_APP_TOKEN: "xapp-1-test-0002" }),
    );
    await expect(badBot.start()).rejects.toThrow(/^SLACK_BOT_TOKEN: Slack rejected it \(invalid_auth\)$/);
    const badApp = createSlackAdapter(
      { core: slackCore() },
      readSlackConfig({ ...env, SLACK_BOT_TOKEN: "xoxb-test-0002", SLACK_APP_TOKEN: "xapp-1-revoked-0003" }),
    );
    await expect(badApp.start()).rejects.toThrow(/^SLACK_APP_TOKEN: Slack rejected it \(invalid_auth\)$/);
    expect(badApp.isReady()).toBe(false);
    await badApp.stop();
    expect(standIn.socketCount).toBe(1);
  });

  it("disconnects on stop()", async () => {
    await adapter.stop();
    expect(adapter.isReady()).toBe(false);
    const deadline = Date.now() + 2000;
    while (standIn.socketCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(standIn.socketCount).toBe(0);
  });
});
