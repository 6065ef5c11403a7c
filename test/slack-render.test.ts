/**
 * The Block Kit renderer: every answer, however long or hostile, renders within every Slack
 * limit with member and data text escaped (property-based), plus the shapes of real answers.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cost,
  decodeSlackEntities,
  escapeChunks,
  escapeFit,
  escapeText,
  trustedUrl,
} from "../adapters/slack/escape.js";
import { LIMITS, parseButtonValue, renderAnswer, type SlackMessage } from "../adapters/slack/render.js";
import type { Action, Answer, Block, Item, RecommendationSummary, ToolSummary } from "../src/answer.js";
import { STANCES } from "../src/store/types.js";
import { core } from "./helpers/core.js";

// ---- Generators ---------------------------------------------------------------------------------

/** Text a member or the data could hold: Slack's control characters, mentions, CJK, emoji, quotes. */
const nasty = fc.constantFrom(
  "<!channel>",
  "<!here>",
  "<@U123|boss>",
  "<https://evil.example|bank>",
  "&amp;",
  "&",
  "<",
  ">",
  "@everyone",
  "@here",
  '"',
  "\\",
  "*bold*",
  "`code`",
  "\n",
  "容器网络",
  "👩‍💻",
  "\u0001",
  "\ud800",
);
const text = (max: number) =>
  fc
    .array(fc.oneof(fc.string({ maxLength: 40 }), nasty, fc.string({ unit: "grapheme", maxLength: 20 })), {
      maxLength: max,
    })
    .map((parts) => parts.join(""));
const longText = fc.oneof(text(8), text(200), fc.string({ minLength: 3000, maxLength: 4500 }));
/** https URLs up to and just past Slack's 3000-character button url limit (some percent-encode longer). */
const longUrl = fc
  .tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom("a", "/b", "-_~", "é", "%20"))
  .map(([n, piece]) => `https://long.example/${piece.repeat(Math.ceil(n / piece.length))}`.slice(0, n + 21));
const id = fc.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/).filter((s) => s.length <= 60);

const item: fc.Arbitrary<Item> = fc.record(
  {
    id,
    type: fc.constantFrom("tool", "area", "mention"),
    name: text(4),
    text: longText,
    status: fc.constantFrom("active", "archived", "merged"),
    badge: text(3),
    recommendations: fc.nat({ max: 1000 }),
  },
  { requiredKeys: ["id", "type", "name"] },
);

const block: fc.Arbitrary<Block> = fc.oneof(
  fc.record(
    { type: fc.constant("text"), heading: text(3), text: longText },
    { requiredKeys: ["type", "text"] },
  ),
  fc.record(
    { type: fc.constant("points"), heading: text(3), points: fc.array(longText, { maxLength: 30 }) },
    {
      requiredKeys: ["type", "points"],
    },
  ),
  fc.record({
    type: fc.constant("fields"),
    fields: fc.array(fc.record({ name: text(3), value: longText, inline: fc.boolean() }), { maxLength: 30 }),
  }),
  fc.record(
    { type: fc.constant("list"), heading: text(3), items: fc.array(item, { maxLength: 80 }) },
    {
      requiredKeys: ["type", "items"],
    },
  ),
  fc.record({
    type: fc.constant("links"),
    links: fc.array(
      fc.record({
        label: text(3),
        url: fc.oneof(fc.webUrl(), fc.constant("https://x.example/a?b=<c>"), text(2), {
          arbitrary: longUrl,
          weight: 3,
        }),
      }),
      { maxLength: 30 },
    ),
  }),
);

/** Ids up to well past Slack's 255-character action_id, which such an action cannot have. */
const actionEntryId = fc.oneof(
  { arbitrary: id, weight: 8 },
  fc.integer({ min: 200, max: 400 }).map((n) => "x".repeat(n)),
);
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant("open_tool"), id: actionEntryId, label: text(4) }),
  fc.record({ type: fc.constant("open_area"), id, label: text(4) }),
  fc.record({ type: fc.constant("recommend"), id, label: text(4) }),
  fc.record({
    type: fc.constant("recommend_stance"),
    id,
    stance: fc.constantFrom(...STANCES),
    label: text(4),
  }),
  fc.record({ type: fc.constant("run"), command: text(3), label: text(3) }),
);

const STATUSES = ["active", "maintenance", "archived", "deprecated", "discontinued", "merged", "commercial"];

/** A tool card's payload: the renderer shows its status chip and this channel's counts. */
const tool: fc.Arbitrary<ToolSummary> = fc.record({
  id,
  name: text(3),
  category: id,
  status: fc.constantFrom(...STATUSES) as fc.Arbitrary<ToolSummary["status"]>,
  statusYear: fc.integer({ min: 1990, max: 2100 }),
  successorIds: fc.constant<string[]>([]),
  license: text(2),
  licenseKind: fc.constantFrom("permissive", "copyleft", "proprietary") as fc.Arbitrary<
    ToolSummary["licenseKind"]
  >,
  related: fc.constant<string[]>([]),
});
const recommendations: fc.Arbitrary<RecommendationSummary> = fc.record({
  total: fc.nat({ max: 100_000 }),
  stances: fc.record({
    adopt: fc.nat({ max: 50_000 }),
    trial: fc.nat({ max: 50_000 }),
    assess: fc.nat({ max: 50_000 }),
    hold: fc.nat({ max: 50_000 }),
  }),
  latest: fc.constant<RecommendationSummary["latest"]>([]),
});

const answer: fc.Arbitrary<Answer> = fc.record(
  {
    kind: fc.constantFrom("tool", "search", "category", "overview", "error", "help"),
    locale: fc.constantFrom("en", "zh-CN"),
    title: fc.oneof(text(4), fc.string({ maxLength: 400 })),
    notice: longText,
    blocks: fc.array(block, { maxLength: 12 }),
    // fast-check keeps arrays short by default: ask for long ones too (over 25 buttons, 10 hints).
    actions: fc.oneof(
      fc.array(action, { maxLength: 12 }),
      fc.array(action, { minLength: 20, maxLength: 80 }),
    ),
    footer: longText,
    private: fc.boolean(),
    tool,
    recommendations,
  },
  { requiredKeys: ["kind", "locale", "title", "blocks", "actions"] },
);

const options = fc.record(
  {
    page: fc.nat({ max: 30 }),
    paging: fc.record({ command: fc.constantFrom("search", "tool", "skilltree"), arg: text(2) }),
    followUp: fc.constantFrom("c", "e"),
  },
  { requiredKeys: [] },
);

/**
 * The answer with a unique token at the start of every piece a member should be able to find
 * (item, point, field, text, link, button, hint), and action ids made unique (the same id twice is
 * one button, not a loss). Cuts keep the start, so a missing token means a missing piece.
 */
type Part = "body" | "button" | "hint";

function tagged(original: Answer): { answer: Answer; tokens: { token: string; part: Part }[] } {
  const tokens: { token: string; part: Part }[] = [];
  const tagAs = (part: Part) => (s: string) => {
    const token = `⟦${tokens.length}⟧`;
    tokens.push({ token, part });
    return `${token}${s}`;
  };
  const tag = tagAs("body");
  const blocks = original.blocks.map((b): Block => {
    switch (b.type) {
      case "text":
        return { ...b, text: tag(b.text) };
      case "points":
        return { ...b, points: b.points.map(tag) };
      case "fields":
        return { ...b, fields: b.fields.map((f) => ({ ...f, name: tag(f.name) })) };
      case "list":
        return { ...b, items: b.items.map((i) => ({ ...i, name: tag(i.name) })) };
      default:
        return { ...b, links: b.links.map((l) => ({ ...l, label: tag(l.label) })) };
    }
  });
  const actions = original.actions.map((a, i): Action => {
    if (a.type === "run") return { ...a, label: tagAs("hint")(a.label) };
    return { ...a, id: `${a.id}-${i}`, label: tagAs("button")(a.label) };
  });
  return { answer: { ...original, blocks, actions }, tokens };
}

// ---- The limits, checked independently of the renderer's own constants ----------------------

interface TextObject {
  type: string;
  text: string;
}

function violations(message: SlackMessage): string[] {
  const problems: string[] = [];
  // Text Slack parses for markup (mrkdwn, the fallback): it must be escaped. plain_text is shown
  // as it is, so it must not be (the round-trip test below checks that).
  const texts: string[] = [message.text];
  const ids = new Set<string>();
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const textObject = (t: TextObject | undefined, max: number, where: string) => {
    check(!!t && typeof t.text === "string", `${where}: missing text`);
    if (!t) return;
    check(t.type === "mrkdwn" || t.type === "plain_text", `${where}: text type ${t.type}`);
    check(t.text.length >= 1 && t.text.length <= max, `${where}: length ${t.text.length} not in 1..${max}`);
    if (t.type === "mrkdwn") texts.push(t.text);
  };
  check(message.text.length >= 1 && message.text.length <= 40_000, "fallback text length");
  check(message.blocks.length >= 1 && message.blocks.length <= 50, `${message.blocks.length} blocks`);
  check(
    JSON.stringify(message.blocks).length <= 12_000,
    `blocks JSON ${JSON.stringify(message.blocks).length}`,
  );
  for (const b of message.blocks as unknown as Record<string, unknown>[]) {
    switch (b.type) {
      case "header":
        check((b.text as TextObject).type === "plain_text", "header not plain_text");
        textObject(b.text as TextObject, 150, "header");
        break;
      case "section": {
        const fields = b.fields as TextObject[] | undefined;
        check(!!b.text || !!fields?.length, "empty section");
        for (const t of [b.text as TextObject | undefined, ...(fields ?? [])])
          if (t) check(t.type === "mrkdwn", "section text not mrkdwn");
        if (b.text) textObject(b.text as TextObject, 3000, "section");
        if (fields) {
          check(fields.length <= 10, `${fields.length} fields`);
          for (const f of fields) textObject(f, 2000, "field");
        }
        break;
      }
      case "context": {
        const elements = b.elements as TextObject[];
        check(elements.length >= 1 && elements.length <= 10, `${elements.length} context elements`);
        for (const e of elements) {
          check(e.type === "mrkdwn", "context element not mrkdwn");
          textObject(e, 3000, "context");
        }
        break;
      }
      case "actions": {
        const elements = b.elements as (Record<string, unknown> & { text: TextObject })[];
        check(elements.length >= 1 && elements.length <= 25, `${elements.length} buttons`);
        for (const e of elements) {
          check(e.type === "button", "not a button");
          check(e.text?.type === "plain_text", "button text not plain_text");
          textObject(e.text, 75, "button");
          const actionId = String(e.action_id ?? "");
          check(actionId.length >= 1 && actionId.length <= 255, "action_id length");
          check(!ids.has(actionId), `duplicate action_id ${actionId}`);
          ids.add(actionId);
          if (e.value !== undefined) check(String(e.value).length <= 255, "value length");
          if (e.url !== undefined) {
            const url = String(e.url);
            check(url.length <= 3000 && url.startsWith("https://"), `bad url ${url}`);
          }
        }
        break;
      }
      default:
        problems.push(`unknown block ${String(b.type)}`);
    }
  }
  for (const t of texts) {
    check(!/[<>]/.test(t), `raw < or > in ${JSON.stringify(t.slice(0, 80))}`);
    check(!/&(?!amp;|lt;|gt;)/.test(t), `raw & in ${JSON.stringify(t.slice(0, 80))}`);
    check(!/@(here|channel|everyone)\b/i.test(t), `broadcast word in ${JSON.stringify(t.slice(0, 80))}`);
  }
  return problems;
}

describe("Slack renderer", () => {
  it("renders any answer within every limit, escaped, on any page", () => {
    fc.assert(
      fc.property(answer, options, (a, o) => {
        expect(violations(renderAnswer(a, o))).toEqual([]);
      }),
      // No shrinking: on a shared 2-core runner shrinking these large answers takes many minutes;
      // the counterexample and its seed are printed as found.
      { numRuns: 300, endOnFailure: true },
    );
  });

  it("never leaves anything out without a visible marker: what is not shown is paged to or counted", () => {
    // Each kind of piece has its own marker: the body is cut, buttons and hints are counted.
    const MARKER: Record<Part, RegExp> = {
      body: /cut to fit|已截断/,
      button: /\d+ more buttons? not shown|另有 \d+ 个按钮未显示/,
      hint: /\d+ more not shown|另有 \d+ 项未显示/,
    };
    fc.assert(
      fc.property(answer, options, (generated, o) => {
        const { answer: a, tokens } = tagged(generated);
        const first = renderAnswer(a, o);
        // Every page, when it is paged (the label says how many).
        const count = /Page \d+ of (\d+)|第 \d+ \/ (\d+) 页/.exec(JSON.stringify(first.blocks));
        const pages = Number(count?.[1] ?? count?.[2] ?? 1);
        const shown = Array.from({ length: pages }, (_, page) =>
          JSON.stringify(renderAnswer(a, { ...o, page }).blocks),
        );
        for (const { token, part } of tokens) {
          if (shown.some((json) => json.includes(token))) continue;
          expect(
            shown.some((json) => MARKER[part].test(json)),
            `${part} ${token} is not shown`,
          ).toBe(true);
        }
      }),
      { numRuns: 150, endOnFailure: true },
    );
  });

  it("never shows member or data text as markup: escaping round-trips", () => {
    fc.assert(
      fc.property(text(10), (raw) => {
        const decoded = escapeText(raw)
          .replace(/@\u200b/g, "@")
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&amp;/g, "&");
        expect(decoded).toBe(raw);
        expect(decodeSlackEntities(escapeText(raw)).replace(/@\u200b/g, "@")).toBe(raw);
      }),
    );
  });

  it("shows plain_text as typed and escapes mrkdwn and the fallback exactly once", () => {
    const decode = (t: string) => decodeSlackEntities(t).replace(/@\u200b/g, "@");
    const oneLine = text(4)
      .map((t) => t.replace(/[\n\u200b]/g, " ").trim())
      .filter((t) => t !== "" && cost(t) <= 75);
    fc.assert(
      fc.property(oneLine, (raw) => {
        const message = renderAnswer({
          kind: "tool",
          locale: "en",
          title: raw,
          blocks: [{ type: "text", text: raw }],
          actions: [{ type: "open_tool", id: "calico", label: raw }],
        });
        const header = message.blocks[0];
        expect(header?.type === "header" && header.text.text).toBe(raw);
        const button = message.blocks.flatMap((b) => (b.type === "actions" ? b.elements : []))[0];
        expect(button?.text.text).toBe(raw);
        const section = message.blocks.find((b) => b.type === "section");
        expect(section?.type === "section" && decode(section.text?.text ?? "")).toBe(raw);
        expect(decode(message.text)).toBe(raw);
      }),
    );
    const hostile = renderAnswer({
      kind: "tool",
      locale: "en",
      title: "a<b>&c <!channel>",
      blocks: [],
      actions: [{ type: "open_tool", id: "calico", label: "x&y" }],
    });
    expect(JSON.stringify(hostile.blocks)).toContain('"text":"a<b>&c <!channel>"');
    expect(JSON.stringify(hostile.blocks)).toContain('"text":"x&y"');
    expect(hostile.text).toBe("a&lt;b&gt;&amp;c &lt;!channel&gt;");
  });

  it("cuts and chunks escaped text without breaking an entity", () => {
    fc.assert(
      fc.property(text(20), fc.integer({ min: 8, max: 300 }), (raw, max) => {
        const fit = escapeFit(raw, max);
        expect(JSON.stringify(fit).length - 2).toBeLessThanOrEqual(max);
        expect(fit).not.toMatch(/&(?!amp;|lt;|gt;)/);
        for (const chunk of escapeChunks(raw, max)) {
          expect(JSON.stringify(chunk).length - 2).toBeLessThanOrEqual(max);
          expect(chunk).not.toMatch(/&(?!amp;|lt;|gt;)/);
        }
      }),
    );
    expect(escapeFit("a<b", 6)).toBe("a&lt;b");
    expect(escapeFit("a<bcdef", 6)).toBe("a&lt;…");
    expect(escapeFit("a<bcdef", 5)).toBe("a…");
    expect(escapeChunks("one\ntwo\nthree", 8)).toEqual(["one\ntwo", "three"]);
  });

  it("makes url buttons only for https URLs without link syntax", () => {
    expect(trustedUrl("https://github.com/projectcalico/calico")).toBe(
      "https://github.com/projectcalico/calico",
    );
    expect(trustedUrl("http://example.com")).toBeUndefined();
    expect(trustedUrl("javascript:alert(1)")).toBeUndefined();
    expect(trustedUrl("https://a.example/x|<!channel>")).toBeUndefined();
    expect(trustedUrl("https://user:pw@a.example/")).toBeUndefined();
    expect(trustedUrl(`https://a.example/${"x".repeat(3000)}`)).toBeUndefined();
  });

  it("renders a real tool card: header, status context, fields, link and action buttons", async () => {
    const card = await core().answer({ command: "tool", args: { name: "calico" } });
    const message = renderAnswer(card, { followUp: "c", paging: { command: "tool", arg: "calico" } });
    expect(violations(message)).toEqual([]);
    expect(message.text).toBe("Calico");
    expect(message.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "Calico", emoji: true },
    });
    expect(message.blocks[1]).toMatchObject({ type: "context", elements: [{ text: "🟢 active" }] });
    const fields = message.blocks.find((b) => b.type === "section" && b.fields);
    expect(JSON.stringify(fields)).toContain("*Area*\\nContainer networking");
    const buttons = message.blocks.flatMap((b) => (b.type === "actions" ? b.elements : []));
    expect(buttons.filter((b) => b.url).map((b) => b.text.text)).toEqual(["Homepage", "Repository"]);
    expect(buttons.find((b) => b.action_id === "st1:area:networking")?.value).toBe("c|en");
    expect(message.blocks.some((b) => b.type === "context" && JSON.stringify(b).includes("Page"))).toBe(
      false,
    );
  });

  it("pages when it can ask again, and cuts with a visible marker when it cannot", () => {
    const long: Answer = {
      kind: "search",
      locale: "zh-CN",
      title: "很多结果",
      blocks: [
        {
          type: "list",
          items: Array.from({ length: 80 }, (_, i) => ({
            id: `t${i}`,
            type: "tool" as const,
            name: `T${i}`,
            text: "说明".repeat(150),
          })),
        },
      ],
      actions: [],
    };
    const paged = renderAnswer(long, { paging: { command: "search", arg: "很多" }, page: 1, followUp: "c" });
    expect(violations(paged)).toEqual([]);
    const json = JSON.stringify(paged.blocks);
    expect(json).toMatch(/第 2 \/ \d+ 页/);
    expect(json).toContain("st1:page:search:0:很多");
    expect(json).toContain("st1:page:search:2:很多");
    expect(paged.text).toMatch(/很多结果 — 第 2/);

    const beyond = renderAnswer(long, { paging: { command: "search", arg: "很多" }, page: 999 });
    expect(JSON.stringify(beyond.blocks)).not.toContain("下一页");

    const cut = renderAnswer(long, {});
    expect(violations(cut)).toEqual([]);
    expect(JSON.stringify(cut.blocks)).toContain("内容过长，已截断");
    expect(JSON.stringify(cut.blocks)).not.toContain("st1:page");
  });

  it("splits long link buttons across blocks and pages, and shows over-long URLs as cut text", () => {
    const links = Array.from({ length: 12 }, (_, i) => ({
      label: `Link ${i}`,
      url: `https://long.example/${i}/${"a".repeat(2900)}`,
    }));
    links.push({ label: "Too long", url: `https://long.example/${"b".repeat(3000)}` });
    const many: Answer = {
      kind: "tool",
      locale: "en",
      title: "Links",
      blocks: [{ type: "links", links }],
      actions: [],
    };
    const seen = new Set<string>();
    let pages = 0;
    for (let page = 0; page < 20; page++) {
      const message = renderAnswer(many, { page, paging: { command: "tool", arg: "links" } });
      expect(violations(message)).toEqual([]);
      for (const b of message.blocks)
        if (b.type === "actions") for (const e of b.elements) if (e.url) seen.add(e.url);
      pages++;
      if (!JSON.stringify(message.blocks).includes("Next")) break;
    }
    expect(pages).toBeGreaterThan(1);
    expect(seen.size).toBe(12);
    const last = JSON.stringify(renderAnswer(many, { page: 99, paging: { command: "tool", arg: "links" } }));
    expect(last).toMatch(/Too long: https:\/\/long\.example\/b+…/);
    // Without paging, what does not fit is cut with the visible marker.
    const cut = renderAnswer(many, {});
    expect(violations(cut)).toEqual([]);
    expect(JSON.stringify(cut.blocks)).toContain("cut to fit");
  });

  it("puts buttons in rows of 25 and counts the ones it cannot show", () => {
    const tools = (n: number): Action[] =>
      Array.from({ length: n }, (_, i) => ({ type: "open_tool", id: `t${i}`, label: `T${i}` }));
    const answerWith = (actions: Action[]): Answer => ({
      kind: "search",
      locale: "en",
      title: "Buttons",
      blocks: [],
      actions,
    });
    const rows = (m: SlackMessage) =>
      m.blocks.filter((b) => b.type === "actions").map((b) => b.elements.length);

    const thirty = renderAnswer(answerWith(tools(30)));
    expect(rows(thirty)).toEqual([25, 5]);
    expect(JSON.stringify(thirty.blocks)).not.toContain("not shown");

    const sixty = renderAnswer(answerWith(tools(60)));
    expect(violations(sixty)).toEqual([]);
    expect(rows(sixty)).toEqual([25, 25]);
    expect(JSON.stringify(sixty.blocks)).toContain("… 10 more buttons not shown");

    const tooLong = renderAnswer(
      answerWith([...tools(2), { type: "open_tool", id: "x".repeat(300), label: "X" }]),
    );
    expect(rows(tooLong)).toEqual([2]);
    expect(JSON.stringify(tooLong.blocks)).toContain("… 1 more button not shown");

    const runs = Array.from(
      { length: 12 },
      (_, i): Action => ({ type: "run", command: `/tool t${i}`, label: `Run ${i}` }),
    );
    const hinted = renderAnswer({ ...answerWith(runs), locale: "zh-CN" });
    const hints = hinted.blocks.find((b) => b.type === "context" && JSON.stringify(b).includes("Run 0"));
    expect(hints?.type === "context" && hints.elements.map((e) => e.text)).toEqual([
      ...Array.from({ length: 9 }, (_, i) => `Run ${i}: /tool t${i}`),
      "……另有 3 项未显示",
    ]);
  });

  it("reads its own button values back, and nothing else", () => {
    expect(parseButtonValue("c|zh-CN")).toEqual({ followUp: "c", locale: "zh-CN" });
    expect(parseButtonValue("e|en")).toEqual({ followUp: "e", locale: "en" });
    expect(parseButtonValue("x|fr")).toEqual({ followUp: "e" });
    expect(parseButtonValue(undefined)).toEqual({ followUp: "e" });
  });

  it("keeps its limits in step with Slack's documented ones", () => {
    expect(LIMITS).toMatchObject({
      blocks: 50,
      sectionText: 3000,
      headerText: 150,
      sectionFields: 10,
      fieldText: 2000,
    });
    expect(LIMITS).toMatchObject({
      contextElements: 10,
      actionsElements: 25,
      buttonText: 75,
      actionId: 255,
      url: 3000,
    });
  });
});
