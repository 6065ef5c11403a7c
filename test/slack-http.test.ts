/**
 * Slack over HTTP, end to end: the real Bolt app mounted as a route on a node:http server on
 * 127.0.0.1, sent signed slash commands and button clicks as Slack sends them; the Web API and
 * response_url are a local stand-in that records every call.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSlackAdapter, readSlackConfig } from "../adapters/slack/index.js";
import type { HandledEvent, PlatformAdapter } from "../adapters/types.js";
import {
  actionBody,
  buttonClick,
  type LongAnswerCore,
  SlackStandIn,
  SlowStore,
  sign,
  slackCore,
  slashBody,
  triggerId,
  watchConnections,
} from "./helpers/slack-standin.js";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

interface Reply {
  response_type?: string;
  replace_original?: boolean;
  delete_original?: boolean;
  text?: string;
  blocks?: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: Element[] }[];
}
interface Element {
  type: string;
  text?: { text: string } | string;
  action_id?: string;
  url?: string;
  value?: string;
}

let standIn: SlackStandIn;
let store: SlowStore;
let core: LongAnswerCore;
let adapter: PlatformAdapter;
let server: Server;
let base: string;
let network: ReturnType<typeof watchConnections>;
const handled: HandledEvent[] = [];
const logged: string[] = [];
/** Signed commands and clicks sent so far: each is reported to onHandled exactly once. */
let signedSent = 0;

beforeAll(async () => {
  network = watchConnections();
  standIn = await SlackStandIn.start();
  standIn.users.set("UADMIN", { is_admin: true });
  standIn.users.set("UOWNER", { is_owner: true });
  standIn.users.set("UPLAIN", {});
  store = new SlowStore();
  core = slackCore(store);
  // As src/main.ts does before it listens: the first /skilltree-search must not build the
  // full-text index inside the 400 ms ack budget of these tests (it did, on a loaded machine).
  core.warm();
  const config = {
    ...readSlackConfig({
      SLACK_MODE: "http",
      SLACK_BOT_TOKEN: "xoxb-test-0001",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: standIn.apiUrl,
    }),
    ackBudgetMs: 400,
    maxBodyBytes: 64 * 1024,
  };
  const log = (level: string) => (_fields: Record<string, unknown>, message: string) => {
    logged.push(`${level}: ${message}`);
  };
  adapter = createSlackAdapter(
    {
      core,
      logger: { info: log("info"), warn: log("warn"), error: log("error") },
      onHandled: (e) => handled.push(e),
    },
    config,
  );
  server = createServer((req, res) => {
    const route = adapter.routes.find(
      (r) => r.path === (req.url ?? "").split("?")[0] && r.method === req.method,
    );
    if (route) route.handle(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  await adapter.start();
});

afterAll(async () => {
  await adapter?.stop();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await standIn?.close();
  network?.restore();
});

async function post(
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string; ms: number }> {
  const started = Date.now();
  const response = await fetch(`${base}/slack/events`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
  return { status: response.status, text: await response.text(), ms: Date.now() - started };
}

/** A signed slash command; the answer comes back in the HTTP response (the ack). */
async function slash(
  command: string,
  text: string,
  user = { user_id: "U2147483697", user_name: "alice" },
): Promise<{ status: number; reply: Reply | undefined; responseId: string; ms: number }> {
  const responseId = `cmd-${Math.random().toString(36).slice(2)}`;
  const body = slashBody({ command, text, response_url: standIn.responseUrl(responseId), ...user });
  signedSent++;
  const result = await post(body, sign(SECRET, body));
  return {
    status: result.status,
    reply: result.text ? (JSON.parse(result.text) as Reply) : undefined,
    responseId,
    ms: result.ms,
  };
}

/** A signed button click; the answer comes through response_url. */
async function click(
  options: Omit<Parameters<typeof buttonClick>[0], "responseUrl">,
): Promise<{ status: number; responseId: string }> {
  const responseId = `act-${Math.random().toString(36).slice(2)}`;
  const body = actionBody(buttonClick({ ...options, responseUrl: standIn.responseUrl(responseId) }));
  signedSent++;
  const result = await post(body, sign(SECRET, body));
  return { status: result.status, responseId };
}

/**
 * Waits until every signed request sent so far has been reported. Bolt sends the ack before the
 * handler returns, so a test's HTTP response (or its response_url reply) can arrive before its
 * handled event; a test that counts events must not see the previous test's late one.
 */
async function allReported(): Promise<void> {
  await vi.waitFor(() => expect(handled.length).toBe(signedSent));
}

const buttons = (reply: Reply | undefined) =>
  (reply?.blocks ?? []).filter((b) => b.type === "actions").flatMap((b) => b.elements ?? []);
const header = (reply: Reply | undefined) => reply?.blocks?.find((b) => b.type === "header")?.text?.text;
const allText = (reply: unknown) => JSON.stringify(reply);

describe("Slack over HTTP", () => {
  it("learns its identity once at start and is ready", () => {
    expect(adapter.isReady()).toBe(true);
    expect(adapter.routes.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /slack/events"]);
    expect(standIn.calls("auth.test")).toHaveLength(1);
    expect(standIn.calls("auth.test")[0]?.body.token ?? standIn.calls("auth.test")[0]?.authorization).toMatch(
      /xoxb-test-0001/,
    );
  });

  it("answers /tool calico in the channel: header, fields, link buttons, Recommend", async () => {
    const { status, reply } = await slash("/tool", "calico");
    expect(status).toBe(200);
    expect(reply?.response_type).toBe("in_channel");
    expect(header(reply)).toBe("Calico");
    expect(reply?.text).toContain("Calico");
    const fields = reply?.blocks?.find((b) => b.fields)?.fields?.map((f) => f.text) ?? [];
    expect(fields.join("\n")).toMatch(/\*Status\*\nactive/);
    const els = buttons(reply);
    expect(els.find((e) => e.url === "https://github.com/projectcalico/calico")).toBeDefined();
    expect(els.find((e) => e.url?.startsWith("https://www.tigera.io/"))).toBeDefined();
    expect(els.find((e) => e.action_id === "st1:rec:calico")).toMatchObject({ value: "c|en" });
    expect(els.find((e) => e.action_id === "st1:area:networking")).toBeDefined();
    expect(reply?.blocks?.some((b) => b.type === "context" && allText(b).includes("🟢 active"))).toBe(true);
    await allReported();
    expect(handled.at(-1)).toMatchObject({ platform: "slack", command: "tool", outcome: "ok" });
  });

  it("offers a private choice for an ambiguous name", async () => {
    const { reply } = await slash("/tool", "photon");
    expect(reply?.response_type).toBe("ephemeral");
    const ids = buttons(reply).map((e) => e.action_id);
    expect(ids).toEqual(expect.arrayContaining(["st1:tool:photon", "st1:tool:photon-os"]));
    await allReported();
    expect(handled.at(-1)?.outcome).toBe("not_found");
  });

  it("answers in Chinese when the text is Chinese", async () => {
    const { reply } = await slash("/tool", "普罗米修斯");
    expect(reply?.response_type).toBe("in_channel");
    expect(header(reply)).toMatch(/^Prometheus[(（]普罗米修斯[)）]$/);
    expect(allText(reply)).toContain("领域");
    expect(buttons(reply).find((e) => e.action_id?.startsWith("st1:"))?.value).toBe("c|zh-CN");
  });

  it("keeps the answer private with a leading or trailing hide", async () => {
    for (const text of ["calico hide", "hide calico", "Calico HIDE"]) {
      const { reply } = await slash("/tool", text);
      expect(reply?.response_type, text).toBe("ephemeral");
      expect(header(reply), text).toBe("Calico");
      expect(buttons(reply).find((e) => e.action_id === "st1:rec:calico")?.value).toBe("e|en");
    }
  });

  it("runs /search as /skilltree-search (Slack reserves /search)", async () => {
    const { reply } = await slash("/skilltree-search", "overlay network");
    expect(reply?.response_type).toBe("in_channel");
    expect(allText(reply)).toMatch(/Flannel|Weave/);
  });

  it("records a recommendation and escapes the member's text in every reply", async () => {
    const reason = "ship it <!channel> <@U0BOSS> <https://evil.example|your bank> a&b";
    const { reply } = await slash("/recommend", `calico trial ${reason}`);
    expect(reply?.response_type).toBe("in_channel");
    const text = allText(reply);
    expect(text).toContain("&lt;!channel&gt;");
    expect(text).toContain("&lt;@U0BOSS&gt;");
    expect(text).toContain("&lt;https://evil.example|your bank&gt;");
    expect(text).toContain("a&amp;b");
    expect(text).not.toMatch(/<!channel>|<@U0BOSS>|<https:\/\/evil/);
    const saved = await store.get(
      { platform: "slack", workspace: "T0001", channel: "C2147483705" },
      "U2147483697",
      "calico",
    );
    expect(saved).toMatchObject({ stance: "trial", reason, memberName: "alice" });

    const card = await slash("/tool", "calico");
    const cardText = allText(card.reply);
    expect(cardText).toContain("alice (trial): ship it &lt;!channel&gt;");
    expect(cardText).not.toContain("<!channel>");
    expect(card.reply?.blocks?.some((b) => b.type === "context" && allText(b).includes("★ 1"))).toBe(true);
  });

  it("answers /help with Slack's command names: /skilltree-search, never Slack's own /search", async () => {
    const { reply } = await slash("/help", "");
    expect(reply?.response_type).toBe("in_channel");
    const text = allText(reply);
    expect(text).toContain("/skilltree-search &lt;query&gt;");
    expect(text).toContain("/skilltree-search overlay network");
    expect(text).not.toMatch(/(?<![\w-])\/search\b/);
    expect(text).not.toContain("[member]");
    expect(text).toContain("/recommend &lt;tool&gt; remove &lt;member&gt;");
  });

  it("answers /skilltree with the areas, and a footer naming /skilltree-search", async () => {
    const { reply } = await slash("/skilltree", "");
    expect(reply?.response_type).toBe("in_channel");
    expect(header(reply)).toMatch(/The Docker skill tree: 14 areas/);
    expect(allText(reply)).toContain("Container networking");
    expect(allText(reply)).toContain("/skilltree-search &lt;words&gt;");
    expect(buttons(reply).map((e) => e.action_id)).toContain("st1:area:networking");
  });

  it("records /recommend calico hide privately, taking the last hide as hide", async () => {
    const { reply } = await slash("/recommend", "calico hide", { user_id: "UHIDE", user_name: "hidy" });
    expect(reply?.response_type).toBe("ephemeral");
    expect(header(reply)).toMatch(/Recorded: you recommend Calico/);
    const saved = await store.get(
      { platform: "slack", workspace: "T0001", channel: "C2147483705" },
      "UHIDE",
      "calico",
    );
    expect(saved).toMatchObject({ stance: "adopt", reason: null });
  });

  it("answers /top and /radar with this channel's recommendations", async () => {
    await slash("/recommend", "flannel assess small and simple", { user_id: "UTOP", user_name: "tess" });
    const top = await slash("/top", "");
    expect(top.reply?.response_type).toBe("in_channel");
    expect(header(top.reply)).toBe("Most recommended in this channel");
    expect(allText(top.reply)).toMatch(/Flannel/);
    const radar = await slash("/radar", "workspace hide");
    expect(radar.reply?.response_type).toBe("ephemeral");
    expect(header(radar.reply)).toBe("Technology radar of this workspace");
    expect(allText(radar.reply)).toMatch(/assess[\s\S]*Flannel/);
  });

  it("decodes Slack's escaping of what the member typed", async () => {
    const { reply } = await slash("/skilltree-search", "logs &amp; metrics &lt;fast&gt;");
    expect(allText(reply)).toContain("logs &amp; metrics &lt;fast&gt;");
    expect(allText(reply)).not.toContain("&amp;amp;");
  });

  it("answers Recommend with a private stance picker, and records the clicked stance", async () => {
    const rec = await click({
      actionId: "st1:rec:weave",
      value: "c|en",
      user: { id: "UCLICK", username: "carol" },
    });
    expect(rec.status).toBe(200);
    const [picker] = await standIn.waitForResponses(rec.responseId, 1);
    const reply = picker?.body as Reply;
    expect(reply.response_type).toBe("ephemeral");
    expect(reply.replace_original).toBe(false);
    const stances = buttons(reply).map((e) => e.action_id);
    expect(stances).toEqual([
      "st1:recs:weave:adopt",
      "st1:recs:weave:trial",
      "st1:recs:weave:assess",
      "st1:recs:weave:hold",
    ]);

    const pick = await click({
      actionId: "st1:recs:weave:hold",
      value: buttons(reply)[3]?.value ?? "",
      user: { id: "UCLICK", username: "carol" },
      ephemeral: true,
    });
    const [recorded] = await standIn.waitForResponses(pick.responseId, 1);
    expect(recorded?.body).toMatchObject({ replace_original: true });
    expect(header(recorded?.body as Reply)).toMatch(/Recorded: you recommend Weave Net/);
    const saved = await store.get(
      { platform: "slack", workspace: "T0001", channel: "C2147483705" },
      "UCLICK",
      "weave",
    );
    expect(saved).toMatchObject({ stance: "hold", memberName: "carol" });
    await allReported();
    expect(handled.at(-1)).toMatchObject({ command: "action", outcome: "ok" });
  });

  it("posts the picked choice to the channel and removes the private choice", async () => {
    const { responseId } = await click({ actionId: "st1:tool:photon-os", value: "c|en", ephemeral: true });
    const [posted, removed] = await standIn.waitForResponses(responseId, 2);
    expect(posted?.body).toMatchObject({ response_type: "in_channel", replace_original: false });
    expect(header(posted?.body as Reply)).toMatch(/Photon OS/);
    expect(removed?.body).toEqual({ delete_original: true });
  });

  it("shows another tool privately when clicked on a channel message", async () => {
    const { responseId } = await click({ actionId: "st1:tool:flannel", value: "c|en" });
    const [reply] = await standIn.waitForResponses(responseId, 1);
    expect(reply?.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(header(reply?.body as Reply)).toBe("Flannel");
  });

  it("pages a long answer with Previous/Next that replace the message", async () => {
    const { reply } = await slash("/skilltree-search", "long list");
    const first = reply as Reply;
    expect(first.response_type).toBe("in_channel");
    expect(allText(first)).toContain("Page 1 of");
    expect(allText(first)).toContain("Item 0");
    const next = buttons(first).find((e) => e.action_id === "st1:page:search:1:long list");
    expect(next).toBeDefined();
    expect(JSON.stringify(first.blocks).length).toBeLessThanOrEqual(12_000);

    const { responseId } = await click({ actionId: next?.action_id ?? "", value: next?.value ?? "" });
    const [second] = await standIn.waitForResponses(responseId, 1);
    const page2 = second?.body as Reply;
    expect(page2.replace_original).toBe(true);
    expect(allText(page2)).toContain("Page 2 of");
    expect(allText(page2)).not.toContain("Item 0 ");
    expect(buttons(page2).map((e) => e.action_id)).toContain("st1:page:search:0:long list");
  });

  it("only acknowledges a click on a link button", async () => {
    await allReported();
    const before = handled.length;
    const { status, responseId } = await click({ actionId: "link:0" });
    expect(status).toBe(200);
    await allReported();
    expect(handled.slice(before)).toMatchObject([{ command: "action", outcome: "ok" }]);
    await new Promise((r) => setTimeout(r, 50));
    expect(standIn.responses(responseId)).toEqual([]);
  });

  it("answers a stale or forged button with a private error", async () => {
    const { responseId } = await click({ actionId: "st1:tool:Not A Tool!", value: "c|en" });
    const [reply] = await standIn.waitForResponses(responseId, 1);
    expect(reply?.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(allText(reply?.body)).toContain("This button no longer works");
  });

  it("acknowledges a slow answer at once and answers through response_url", async () => {
    store.delayMs = 1200;
    try {
      const { status, reply, responseId, ms } = await slash("/tool", "flannel");
      expect(status).toBe(200);
      expect(reply).toBeUndefined();
      expect(ms).toBeLessThan(1100);
      const [later] = await standIn.waitForResponses(responseId, 1);
      expect(later?.body).toMatchObject({ response_type: "in_channel" });
      expect(header(later?.body as Reply)).toBe("Flannel");
    } finally {
      store.delayMs = 0;
    }
  });

  it("acks Slack's retry of a command (x-slack-retry-num) without answering or recording it again", async () => {
    await allReported();
    const answer = vi.spyOn(core, "answer");
    const recorded = vi.spyOn(store, "recommend");
    try {
      const responseId = `retry-${triggerId()}`.replace(/\./g, "-");
      const body = slashBody({
        command: "/recommend",
        text: "romana hold retried",
        response_url: standIn.responseUrl(responseId),
        user_id: "URETRY",
        user_name: "rita",
      });
      signedSent++;
      const first = await post(body, sign(SECRET, body));
      expect(JSON.parse(first.text)).toMatchObject({ response_type: "in_channel" });
      for (const retryNum of ["1", "2"]) {
        signedSent++;
        const retry = await post(body, {
          ...sign(SECRET, body),
          "x-slack-retry-num": retryNum,
          "x-slack-retry-reason": "http_timeout",
        });
        expect(retry.status).toBe(200);
        expect(retry.text).toBe("");
      }
      await allReported();
      expect(answer).toHaveBeenCalledTimes(1);
      expect(recorded).toHaveBeenCalledTimes(1);
      expect(handled.slice(-2)).toMatchObject([
        { command: "recommend", outcome: "rejected" },
        { command: "recommend", outcome: "rejected" },
      ]);
      await new Promise((r) => setTimeout(r, 50));
      expect(standIn.responses(responseId)).toEqual([]);
      expect(logged).toContain("info: slack redelivery acknowledged, not answered again");
    } finally {
      answer.mockRestore();
      recorded.mockRestore();
    }
  });

  it("answers a retry whose first delivery never reached it", async () => {
    const body = slashBody({ command: "/tool", text: "romana" });
    signedSent++;
    const result = await post(body, { ...sign(SECRET, body), "x-slack-retry-num": "1" });
    expect(JSON.parse(result.text)).toMatchObject({ response_type: "in_channel" });
    await allReported();
    expect(handled.at(-1)).toMatchObject({ command: "tool", outcome: "ok" });
  });

  it("answers a button click once when Slack delivers it again", async () => {
    const responseId = `act-retry-${Math.random().toString(36).slice(2)}`;
    const body = actionBody(
      buttonClick({
        actionId: "st1:tool:canal",
        responseUrl: standIn.responseUrl(responseId),
        triggerId: triggerId(),
      }),
    );
    signedSent += 2;
    await post(body, sign(SECRET, body));
    const again = await post(body, { ...sign(SECRET, body), "x-slack-retry-num": "1" });
    expect(again.status).toBe(200);
    await allReported();
    await standIn.waitForResponses(responseId, 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(standIn.responses(responseId)).toHaveLength(1);
    expect(
      handled
        .slice(-2)
        .map((e) => `${e.command} ${e.outcome}`)
        .sort(),
    ).toEqual(["action ok", "action rejected"]);
  });

  it("lets workspace admins and owners remove others' recommendations, asking users.info once", async () => {
    await slash("/recommend", "flannel adopt", { user_id: "UVICTIM", user_name: "victor" });
    const before = standIn.calls("users.info").length;

    const plain = await slash("/recommend", "flannel remove <@UVICTIM|victor>", {
      user_id: "UPLAIN",
      user_name: "pat",
    });
    expect(plain.reply?.response_type).toBe("ephemeral");
    expect(allText(plain.reply)).toContain("Only moderators");

    const admin = await slash("/recommend", "flannel remove <@UVICTIM|victor>", {
      user_id: "UADMIN",
      user_name: "ada",
    });
    expect(admin.reply?.response_type).toBe("in_channel");
    expect(header(admin.reply)).toMatch(/Removed UVICTIM's recommendation of Flannel/);
    const calls = standIn.calls("users.info").slice(before);
    expect(calls.map((c) => c.body.user)).toEqual(["UPLAIN", "UADMIN"]);

    // Cached: a second removal by the same admin does not ask again.
    await slash("/recommend", "calico remove <@U2147483697|alice>", { user_id: "UADMIN", user_name: "ada" });
    expect(standIn.calls("users.info").slice(before)).toHaveLength(2);

    // Removing one's own never asks.
    await slash("/recommend", "weave remove", { user_id: "UCLICK", user_name: "carol" });
    expect(standIn.calls("users.info").slice(before)).toHaveLength(2);
  });

  it("treats a failing users.info as not a moderator", async () => {
    standIn.failing.add("users.info");
    try {
      await slash("/recommend", "canal adopt", { user_id: "UVICTIM", user_name: "victor" });
      const { reply } = await slash("/recommend", "canal remove <@UVICTIM>", {
        user_id: "UOWNER",
        user_name: "olga",
      });
      expect(allText(reply)).toContain("Only moderators");
      expect(logged.some((l) => l.startsWith("warn: users.info failed"))).toBe(true);
    } finally {
      standIn.failing.delete("users.info");
    }
  });

  describe("rejects requests Slack did not sign, without running the handler", () => {
    const bad: [string, () => { body: string; headers: Record<string, string> }][] = [
      [
        "stale (6 minutes old)",
        () => {
          const body = slashBody({ text: "calico" });
          return { body, headers: sign(SECRET, body, Math.floor(Date.now() / 1000) - 6 * 60) };
        },
      ],
      [
        "tampered after signing",
        () => {
          const body = slashBody({ text: "calico" });
          return { body: body.replace("calico", "weave"), headers: sign(SECRET, body) };
        },
      ],
      [
        "signed with another secret",
        () => {
          const body = slashBody({ text: "calico" });
          return { body, headers: sign("0000000000000000ffffffffffffffff", body) };
        },
      ],
      ["missing the signature headers", () => ({ body: slashBody({ text: "calico" }), headers: {} })],
      [
        "missing the timestamp",
        () => {
          const body = slashBody({ text: "calico" });
          const { "x-slack-signature": signature = "" } = sign(SECRET, body);
          return { body, headers: { "x-slack-signature": signature } };
        },
      ],
    ];
    for (const [name, make] of bad) {
      it(name, async () => {
        await allReported();
        const answer = vi.spyOn(core, "answer");
        const handledBefore = handled.length;
        const requestsBefore = standIn.requests.length;
        const { body, headers } = make();
        const result = await post(body, headers);
        expect(result.status).toBe(401);
        expect(result.text).toBe("");
        expect(answer).not.toHaveBeenCalled();
        expect(handled.length).toBe(handledBefore);
        expect(standIn.requests.length).toBe(requestsBefore);
        answer.mockRestore();
      });
    }

    it("accepts the same request when signed now (the check itself works)", async () => {
      const body = slashBody({ text: "calico" });
      signedSent++;
      const result = await post(body, sign(SECRET, body));
      expect(result.status).toBe(200);
      expect(JSON.parse(result.text)).toMatchObject({ response_type: "in_channel" });
    });
  });

  it("refuses a body over the size limit", async () => {
    const body = slashBody({ text: "x".repeat(70 * 1024) });
    const result = await post(body, sign(SECRET, body));
    expect(result.status).toBe(413);
  });

  it("acks with JSON and a content length, the same bytes for a card asked twice", async () => {
    const ask = async () => {
      const body = slashBody({ text: "flannel", response_url: standIn.responseUrl("bytes") });
      signedSent++;
      const response = await fetch(`${base}/slack/events`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...sign(SECRET, body) },
        body,
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      return { response, bytes };
    };
    const first = await ask();
    const second = await ask();
    for (const { response, bytes } of [first, second]) {
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(Number(response.headers.get("content-length"))).toBe(bytes.length);
      expect(response.headers.get("transfer-encoding")).toBeNull();
    }
    expect(JSON.parse(first.bytes.toString())).toMatchObject({ response_type: "in_channel" });
    expect(second.bytes.equals(first.bytes)).toBe(true);
  });

  it("answers Slack's url_verification and ssl_check, and refuses a body it cannot parse", async () => {
    const verification = JSON.stringify({ type: "url_verification", challenge: "c-123", token: "t" });
    const verified = await post(verification, {
      ...sign(SECRET, verification),
      "content-type": "application/json",
    });
    expect(verified.status).toBe(200);
    expect(JSON.parse(verified.text)).toEqual({ challenge: "c-123" });
    const check = "ssl_check=1&token=t";
    const checked = await post(check, sign(SECRET, check));
    expect(checked.status).toBe(200);
    expect(checked.text).toBe("");
    const broken = '{"type": "event_callback", ';
    const refused = await post(broken, { ...sign(SECRET, broken), "content-type": "application/json" });
    expect(refused.status).toBe(400);
  });

  it("never left 127.0.0.1 and called only the Web API methods it needs", () => {
    expect(network.destinations.length).toBeGreaterThan(0);
    expect(network.offLoopback()).toEqual([]);
    const methods = new Set(standIn.requests.filter((r) => r.kind === "api").map((r) => r.name));
    expect([...methods].sort()).toEqual(["auth.test", "users.info"]);
    expect(standIn.calls("auth.test")).toHaveLength(1);
    expect(standIn.requests.filter((r) => r.kind === "other")).toEqual([]);
    expect(logged.filter((l) => /xoxb-|xapp-|8f742231/.test(l))).toEqual([]);
  });

  it("finishes work in flight on stop(), then takes no more requests", async () => {
    store.delayMs = 1200;
    const { reply, responseId } = await slash("/tool", "canal");
    expect(reply).toBeUndefined();
    expect(standIn.responses(responseId)).toEqual([]);
    await adapter.stop();
    store.delayMs = 0;
    expect(standIn.responses(responseId)).toHaveLength(1);
    expect(adapter.isReady()).toBe(false);
    const body = slashBody({ text: "calico" });
    const result = await post(body, sign(SECRET, body));
    expect(result.status).toBe(503);
  });
});
