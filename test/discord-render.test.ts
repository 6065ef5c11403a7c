/**
 * The Discord renderer: whatever an answer holds (huge, odd or hostile text, many items,
 * fields, links and actions), the message stays within every Discord limit, mentions are off,
 * member text is shown as written, and long answers are paged or visibly cut.
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { LIMITS, type MessageData, renderAnswer, renderChoices } from "../adapters/discord/render.js";
import { decodeAction, encodeAction } from "../src/actions.js";
import type { Action, Answer, AnswerKind, Block, Item } from "../src/answer.js";
import { STANCES } from "../src/store/types.js";
import { makeCore } from "./helpers/discord-standin.js";

interface Component {
  type: number;
  style?: number;
  label?: string;
  url?: string;
  custom_id?: string;
  placeholder?: string;
  options?: { label: string; value: string; description?: string }[];
  components?: Component[];
}

const HOSTILE = [
  "@everyone",
  "@here",
  "<@&123456789012345678>",
  "<@123>",
  "<#456>",
  "**bold**",
  "__u__",
  "||spoiler||",
  "`code`",
  "```block```",
  "[x](https://evil.example)",
  "https://example.org/a_b*c",
  "http://x.example/\\",
  "<https://evil.example>",
  "> quote",
  "# heading",
  "-# small",
  "1. list",
  "\\",
  "\n",
  "\r\n",
  "\u0000",
  "\u200b",
  "\ud83d",
  "😀",
  "👨‍👩‍👧",
  "中文名称",
  "ｋ８ｓ",
  "x".repeat(300),
];

const text = (maxLength: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: Math.min(maxLength, 200), unit: "binary" }) },
    {
      weight: 3,
      arbitrary: fc.array(fc.constantFrom(...HOSTILE), { maxLength: 30 }).map((p) => p.join(" ")),
    },
    { weight: 1, arbitrary: fc.nat({ max: maxLength }).map((n) => "長".repeat(n)) },
    { weight: 1, arbitrary: fc.nat({ max: maxLength }).map((n) => "word ".repeat(Math.ceil(n / 5))) },
  );

const id = fc.oneof(
  fc.constantFrom("calico", "networking", "open-vswitch", "k8s", "a"),
  fc.string({ maxLength: 120 }),
);
const status = fc.constantFrom(
  "active",
  "maintenance",
  "archived",
  "deprecated",
  "discontinued",
  "merged",
  "commercial",
) as fc.Arbitrary<NonNullable<Item["status"]>>;

const item: fc.Arbitrary<Item> = fc.record(
  {
    id,
    type: fc.constantFrom("tool", "area", "mention") as fc.Arbitrary<Item["type"]>,
    name: text(300),
    text: text(3000),
    status,
    badge: text(100),
    recommendations: fc.nat({ max: 10_000 }),
  },
  { requiredKeys: ["id", "type", "name"] },
);

const url = fc.oneof(
  fc.webUrl(),
  fc.constantFrom(
    "https://github.com/projectcalico/calico",
    "javascript:alert(1)",
    "not a url",
    "https://",
    "",
  ),
  fc.nat({ max: 700 }).map((n) => `https://example.org/${"p".repeat(n)}`),
);

const block: fc.Arbitrary<Block> = fc.oneof(
  fc.record({
    type: fc.constant("text" as const),
    heading: fc.option(text(400), { nil: undefined }),
    text: text(30_000),
  }),
  fc.record({ type: fc.constant("points" as const), points: fc.array(text(2000), { maxLength: 40 }) }),
  fc.record({
    type: fc.constant("fields" as const),
    fields: fc.array(fc.record({ name: text(400), value: text(3000), inline: fc.boolean() }), {
      maxLength: 60,
    }),
  }),
  fc.record({
    type: fc.constant("list" as const),
    heading: fc.option(text(300), { nil: undefined }),
    items: fc.array(item, { maxLength: 200 }),
  }),
  fc.record({
    type: fc.constant("links" as const),
    links: fc.array(fc.record({ label: text(200), url }), { maxLength: 15 }),
  }),
);

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant("open_tool" as const), id, label: text(200) }),
  fc.record({ type: fc.constant("open_area" as const), id, label: text(200) }),
  fc.record({
    type: fc.constant("run" as const),
    command: fc.oneof(fc.constant("/help"), text(150)),
    label: text(200),
  }),
  fc.record({ type: fc.constant("recommend" as const), id, label: text(200) }),
  fc.record({
    type: fc.constant("recommend_stance" as const),
    id,
    stance: fc.constantFrom(...STANCES),
    label: text(200),
  }),
);

const KINDS: AnswerKind[] = [
  "overview",
  "category",
  "tool",
  "mention",
  "search",
  "disambiguation",
  "not_found",
  "help",
  "recommend",
  "top",
  "radar",
  "error",
];

const answer: fc.Arbitrary<Answer> = fc
  .record({
    kind: fc.constantFrom(...KINDS),
    locale: fc.constantFrom("en", "zh-CN") as fc.Arbitrary<Answer["locale"]>,
    title: text(1000),
    notice: fc.option(text(3000), { nil: undefined }),
    blocks: fc.array(block, { maxLength: 12 }),
    actions: fc.array(action, { maxLength: 60 }),
    footer: fc.option(text(5000), { nil: undefined }),
    color: fc.option(fc.oneof(fc.constant("#1abc9c"), fc.string({ maxLength: 10 })), { nil: undefined }),
    private: fc.option(fc.boolean(), { nil: undefined }),
    status,
  })
  .map(({ status: s, ...a }) => ({
    ...a,
    ...(a.kind === "tool"
      ? {
          tool: {
            id: "x",
            name: "x",
            category: "x",
            status: s,
            successorIds: [],
            license: "MIT",
            licenseKind: "permissive" as const,
            related: [],
          },
        }
      : {}),
  }));

const renderOptions = fc.record(
  {
    page: fc.nat({ max: 60 }),
    pager: fc.record({
      command: fc.constantFrom("skilltree", "tool", "search", "top", "radar", "help"),
      arg: fc.oneof(fc.constant(""), text(150)),
    }),
    ephemeral: fc.boolean(),
  },
  { requiredKeys: [] },
);

const flat = (components: Component[] = []): Component[] =>
  components.flatMap((c) => [c, ...flat(c.components)]);

/** Every limit of platforms.md, checked on one rendered message. */
function expectWithinLimits(data: MessageData): void {
  expect(data.allowed_mentions).toEqual({ parse: [] });
  expect(data.content === undefined || data.content.length <= LIMITS.content).toBe(true);
  expect(data.embeds.length).toBeGreaterThan(0);
  expect(data.embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
  let total = 0;
  for (const embed of data.embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(LIMITS.title);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.description);
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(LIMITS.footer);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.fields);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(field.value.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
      total += field.name.length + field.value.length;
    }
    total += (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0);
    expect(embed.title || embed.description || embed.fields?.length).toBeTruthy();
    expect(embed.description).not.toBe("");
  }
  expect(total).toBeLessThanOrEqual(LIMITS.embedTotal);

  const rows = data.components as Component[];
  expect(rows.length).toBeLessThanOrEqual(LIMITS.rows);
  const ids = new Set<string>();
  for (const row of rows) {
    expect(row.type).toBe(1);
    const inner = row.components ?? [];
    expect(inner.length).toBeGreaterThan(0);
    expect(inner.length).toBeLessThanOrEqual(LIMITS.buttonsPerRow);
    if (inner.some((c) => c.type === 3)) expect(inner).toHaveLength(1);
    for (const c of inner) {
      if (c.type === 2) {
        expect(c.label?.length ?? 0).toBeGreaterThan(0);
        expect(c.label?.length ?? 0).toBeLessThanOrEqual(LIMITS.buttonLabel);
        if (c.style === 5) {
          expect(c.custom_id).toBeUndefined();
          expect(c.url?.length ?? 0).toBeLessThanOrEqual(LIMITS.url);
          expect(new URL(c.url ?? "").protocol).toMatch(/^https?:$/);
        } else {
          expect(c.url).toBeUndefined();
        }
      } else {
        expect(c.type).toBe(3);
        expect(c.placeholder?.length ?? 0).toBeLessThanOrEqual(LIMITS.selectPlaceholder);
        const options = c.options ?? [];
        expect(options.length).toBeGreaterThan(0);
        expect(options.length).toBeLessThanOrEqual(LIMITS.selectOptions);
        expect(new Set(options.map((o) => o.value)).size).toBe(options.length);
        for (const o of options) {
          expect(o.label.length).toBeGreaterThan(0);
          expect(o.label.length).toBeLessThanOrEqual(LIMITS.selectText);
          expect(o.value.length).toBeGreaterThan(0);
          expect(o.value.length).toBeLessThanOrEqual(LIMITS.selectText);
          expect(o.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.selectText);
        }
      }
      if (c.custom_id !== undefined) {
        expect(c.custom_id.length).toBeGreaterThan(0);
        expect(c.custom_id.length).toBeLessThanOrEqual(LIMITS.customId);
        // Buttons carry all their state: they work after a restart and on any replica.
        expect(decodeAction(c.custom_id)).toBeDefined();
        expect(ids.has(c.custom_id)).toBe(false);
        ids.add(c.custom_id);
      }
    }
  }

  // Everything a member sees (custom ids are not shown): no live @everyone or @here.
  const visible = JSON.stringify([
    data.content,
    data.embeds,
    flat(rows).map((c) => [c.label, c.placeholder, c.options?.map((o) => [o.label, o.description])]),
  ]);
  expect(visible).not.toMatch(/@(everyone|here)/i);
  const shown = JSON.stringify(data);

  // Lone surrogates never leave: Discord would reject or mangle them.
  // (JSON.stringify writes a surrogate as \uXXXX only when it is unpaired.)
  expect(shown).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
  // Markdown renders in embeds (not in button labels or footers). Outside code spans, where
  // nothing renders, no masked link and no mention comes from the answer's text.
  for (const embed of data.embeds) {
    const texts = [embed.title ?? "", embed.description ?? ""];
    for (const f of embed.fields ?? []) texts.push(f.name, f.value);
    for (const value of texts) {
      const rendered = value.replace(/(?<!\\)`[^`]*`/g, "");
      expect(rendered).not.toContain("[x](https://evil.example)");
      expect(rendered).not.toMatch(/(^|[^\\])<[@#]/);
    }
  }
}

const DROPPED_MARKER = {
  en: "Some buttons or menu entries are not shown",
  "zh-CN": "部分按钮或菜单项未显示",
} as const;

/** The custom id a button for this action would carry, if Discord could take one (test's own reading). */
function representable(action: Action): string | undefined {
  let id: string;
  switch (action.type) {
    case "open_tool":
      id = `st1:tool:${action.id}`;
      break;
    case "open_area":
      id = `st1:area:${action.id}`;
      break;
    case "recommend":
      id = `st1:rec:${action.id}`;
      break;
    case "recommend_stance":
      id = `st1:recs:${action.id}:${action.stance}`;
      break;
    case "run": {
      const match = /^\/([a-z]+)(?:\s+(\S.*))?$/.exec(action.command.trim());
      if (!match?.[1]) return undefined;
      id = `st1:page:${match[1]}:0:${match[2] ?? ""}`;
      break;
    }
  }
  if (id.length > LIMITS.customId || /[\p{Cc}\p{Cs}]/u.test(id)) return undefined;
  const decoded = decodeAction(id);
  return decoded && encodeAction(decoded) === id ? id : undefined;
}

/** What a member can click: buttons by custom id, menu entries as the button they stand for. */
function clickable(data: MessageData): Set<string> {
  const ids = new Set<string>();
  for (const c of flat(data.components as Component[])) {
    if (c.type === 2 && c.custom_id) ids.add(c.custom_id);
    if (c.type === 3) {
      const menu = decodeAction(c.custom_id ?? "");
      const verb = menu?.verb === "page" && menu.command === "skilltree" ? "area" : "tool";
      for (const o of c.options ?? []) ids.add(`st1:${verb}:${o.value}`);
    }
  }
  return ids;
}

const linkUrls = (data: MessageData) =>
  flat(data.components as Component[]).flatMap((c) => (c.style === 5 && c.url ? [c.url] : []));

/**
 * Whenever something that could have been a button, a menu entry or a link button is missing
 * from the message, the footer says so.
 */
function expectDropsMarked(a: Answer, options: Parameters<typeof renderAnswer>[1], data: MessageData): void {
  const shown = clickable(data);
  const missing = a.actions.flatMap((action) => {
    const id = representable(action);
    return id && !shown.has(id) ? [id] : [];
  });
  const links = new Set(linkUrls(data));
  const linksAlone = linkUrls(renderAnswer({ ...a, actions: [] }, options).data);
  const droppedLinks = linksAlone.filter((url) => !links.has(url));
  if (missing.length > 0 || droppedLinks.length > 0) {
    expect(data.embeds[0]?.footer?.text ?? "").toContain(DROPPED_MARKER[a.locale]);
  }
}

describe("renderAnswer, property-based", () => {
  it("keeps any answer within every Discord limit, with mentions off", () => {
    fc.assert(
      fc.property(answer, renderOptions, (a, options) => {
        const rendered = renderAnswer(a, options);
        expectWithinLimits(rendered.data);
        expectDropsMarked(a, options, rendered.data);
        expect(rendered.page).toBeLessThan(rendered.pages);
        expect(rendered.ephemeral).toBe(
          a.kind === "error" || a.private === true || options.ephemeral === true,
        );
      }),
      { numRuns: 250 },
    );
  });
});

describe("renderAnswer, property-based: nothing is left out silently", () => {
  // Many actions with valid ids, so that rows, menus and ids really overflow.
  const validId = fc.oneof(
    fc.constantFrom("calico", "networking", "open-vswitch", "photon"),
    fc.integer({ min: 1, max: 40 }).map((n) => `tool-${n}`),
    fc.nat({ max: 95 }).map((n) => `x${"y".repeat(n)}`),
  );
  const crowded: fc.Arbitrary<Action> = fc.oneof(
    fc.record({ type: fc.constant("open_tool" as const), id: validId, label: text(100) }),
    fc.record({ type: fc.constant("open_area" as const), id: validId, label: text(100) }),
    fc.record({ type: fc.constant("recommend" as const), id: validId, label: text(100) }),
    fc.record({
      type: fc.constant("recommend_stance" as const),
      id: validId,
      stance: fc.constantFrom(...STANCES),
      label: text(100),
    }),
    fc.record({
      type: fc.constant("run" as const),
      command: fc.oneof(
        fc.constantFrom("/help", "/skilltree", "/tool", "/radar workspace"),
        fc.nat({ max: 120 }).map((n) => `/search ${"w".repeat(n + 1)}`),
      ),
      label: text(100),
    }),
  );
  const busy = fc
    .tuple(answer, fc.array(crowded, { minLength: 10, maxLength: 80 }))
    .map(([a, actions]) => ({ ...a, actions }));

  it("marks the message whenever a button, a menu entry or a link button could not be shown", () => {
    let dropped = 0;
    fc.assert(
      fc.property(busy, renderOptions, (a, options) => {
        const rendered = renderAnswer(a, options);
        expectWithinLimits(rendered.data);
        expectDropsMarked(a, options, rendered.data);
        if ((rendered.data.embeds[0]?.footer?.text ?? "").includes(DROPPED_MARKER[a.locale])) dropped++;
      }),
      // Shrinking eighty actions takes minutes on a busy machine: report the case as found.
      { numRuns: 200, endOnFailure: true },
    );
    // The generator does overflow: the property is not vacuous.
    expect(dropped).toBeGreaterThan(20);
  });
});

describe("renderAnswer, examples", () => {
  const core = makeCore();
  const names = (n: number) => Array.from({ length: n }, (_, i) => `Tool number ${i + 1}`);
  const longList: Answer = {
    kind: "search",
    locale: "en",
    title: "Search: long",
    blocks: [
      {
        type: "list",
        items: names(400).map((name, i) => ({
          id: `t${i}`,
          type: "tool",
          name,
          text: "a line about it ".repeat(8),
        })),
      },
    ],
    actions: [],
  };

  it("pages a long list with buttons that carry the command, the argument and the page", () => {
    const first = renderAnswer(longList, { pager: { command: "search", arg: "long words" } });
    expect(first.pages).toBeGreaterThan(2);
    const ids = flat(first.data.components as Component[]).flatMap((c) => c.custom_id ?? []);
    expect(ids).toEqual(["st1:page:search:1:long words"]);
    expect(first.data.embeds[0]?.footer?.text).toBe(`Page 1 of ${first.pages}`);

    const seen: string[] = [];
    for (let page = 0; page < first.pages; page++) {
      const rendered = renderAnswer(longList, { page, pager: { command: "search", arg: "long words" } });
      expectWithinLimits(rendered.data);
      seen.push(...(rendered.data.embeds[0]?.description?.match(/Tool number \d+/g) ?? []));
      const buttons = flat(rendered.data.components as Component[]).map((c) => c.custom_id);
      if (page > 0) expect(buttons).toContain(`st1:page:search:${page - 1}:long words`);
      if (page < first.pages - 1) expect(buttons).toContain(`st1:page:search:${page + 1}:long words`);
    }
    // Every item is shown once, in order: paging loses nothing.
    expect(seen).toEqual(names(400));
    // A page past the end shows the last one.
    expect(renderAnswer(longList, { page: 999, pager: { command: "search", arg: "long words" } }).page).toBe(
      first.pages - 1,
    );
  });

  it("cuts a long answer with a visible marker when it cannot be paged", () => {
    for (const options of [{}, { pager: { command: "search", arg: "w".repeat(120) } }]) {
      const rendered = renderAnswer(longList, options);
      expect(rendered.pages).toBe(1);
      expect(rendered.data.embeds[0]?.description).toMatch(/… \(more: .*\/search/);
      expect(rendered.data.components).toEqual([]);
    }
    const zh = renderAnswer({ ...longList, locale: "zh-CN" });
    expect(zh.data.embeds[0]?.description).toMatch(/内容过长/);
  });

  it("shows member text exactly as written, never as markup or mentions", () => {
    const reason = "**bold** [x](https://evil.example) <@&123> @everyone ||spoiler|| `code` # big";
    const rendered = renderAnswer({
      kind: "tool",
      locale: "en",
      title: "@here *Calico*",
      blocks: [{ type: "fields", fields: [{ name: "Recommended", value: `• Alice (adopt): ${reason}` }] }],
      actions: [],
    });
    const embed = rendered.data.embeds[0];
    expect(embed?.title).toBe("@\u200bhere \\*Calico\\*");
    expect(embed?.fields?.[0]?.value).toBe(
      "• Alice (adopt): \\*\\*bold\\*\\* \\[x\\](https://evil.example) \\<@&123\\> @\u200beveryone \\|\\|spoiler\\|\\| \\`code\\` # big",
    );
  });

  it("keeps bare URLs in member text whole, and escapes what is around them", () => {
    const rendered = renderAnswer({
      kind: "recommend",
      locale: "en",
      title: "Recorded",
      blocks: [
        { type: "text", text: "see https://example.org/a_b*c?x=1 and _this_ [x](https://evil.example)" },
      ],
      actions: [],
    });
    expect(rendered.data.embeds[0]?.description).toBe(
      "see https://example.org/a_b*c?x=1 and \\_this\\_ \\[x\\](https://evil.example)",
    );
  });

  it("renders a real tool card: colour, status badge, fields, link buttons, Recommend and area buttons", async () => {
    const card = await core.answer({
      command: "tool",
      args: { name: "rkt" },
      member: { id: "1" },
      place: { platform: "discord", workspace: "g", channel: "c" },
    });
    const { data, ephemeral } = renderAnswer(card, { pager: { command: "tool", arg: "rkt" } });
    expect(ephemeral).toBe(false);
    expect(data.embeds[0]).toMatchObject({ title: "🔴 rkt", color: 0x2496ed });
    expect(data.embeds[0]?.fields?.find((f) => f.name === "Status")?.value).toMatch(/archived 2019/);
    const components = flat(data.components as Component[]);
    expect(components.filter((c) => c.style === 5).map((c) => c.label)).toEqual(["Repository"]);
    expect(components.find((c) => c.custom_id === "st1:rec:rkt")?.label).toBe("Recommend");
    expect(components.find((c) => c.custom_id === "st1:area:engines")).toBeDefined();
  });

  it("renders the stance picker as one private row of four stance buttons", async () => {
    const { answer: picker } = await core.answerAction("st1:rec:calico", {});
    const rendered = renderAnswer(picker);
    expect(rendered.ephemeral).toBe(true);
    expect(rendered.data.components).toHaveLength(1);
    expect(flat(rendered.data.components as Component[]).map((c) => [c.custom_id, c.style])).toEqual([
      [undefined, undefined],
      ["st1:recs:calico:adopt", 3],
      ["st1:recs:calico:trial", 1],
      ["st1:recs:calico:assess", 2],
      ["st1:recs:calico:hold", 4],
    ]);
  });
});

describe("components that do not fit", () => {
  const opens = (n: number, type: "open_tool" | "open_area" = "open_tool"): Action[] =>
    Array.from({ length: n }, (_, i) => ({ type, id: `tool-${i + 1}`, label: `Tool ${i + 1}` }));
  const runs = (n: number): Action[] =>
    Array.from({ length: n }, (_, i) => ({
      type: "run",
      command: `/search word${i + 1}`,
      label: `Run ${i + 1}`,
    }));
  const card = (actions: Action[]): Answer => ({
    kind: "tool",
    locale: "en",
    title: "Calico",
    footer: "Data checked in November 2026",
    blocks: [
      { type: "text", text: "A card." },
      {
        type: "links",
        links: [
          { label: "Homepage", url: "https://www.tigera.io/project-calico/" },
          { label: "Repository", url: "https://github.com/projectcalico/calico" },
        ],
      },
    ],
    actions,
  });

  it("keeps Recommend and the links when extra button rows must go, and says so", () => {
    // Recommend comes last in the answer's actions, behind 24 run buttons (five rows).
    const actions = [...runs(24), { type: "recommend" as const, id: "calico", label: "Recommend" }];
    const { data } = renderAnswer(card(actions));
    expect(data.components).toHaveLength(5);
    const ids = flat(data.components as Component[]).flatMap((c) => c.custom_id ?? []);
    expect(ids[0]).toBe("st1:rec:calico");
    // One row of links, four of buttons: the fifth button row is the one left out.
    expect(ids).toHaveLength(4 * 5);
    expect(linkUrls(data)).toEqual([
      "https://www.tigera.io/project-calico/",
      "https://github.com/projectcalico/calico",
    ]);
    expect(data.embeds[0]?.footer?.text).toBe(
      `Data checked in November 2026 · ${DROPPED_MARKER.en}: too many for one message.`,
    );
  });

  it("marks a menu of more than 25 entries, and nothing when everything fits", () => {
    const long = renderAnswer({ ...card(opens(30)), locale: "zh-CN" });
    const menu = flat(long.data.components as Component[]).find((c) => c.type === 3);
    expect(menu?.options).toHaveLength(25);
    expect(long.data.embeds[0]?.footer?.text).toContain(DROPPED_MARKER["zh-CN"]);

    const fits = renderAnswer(card(opens(25)));
    expect(flat(fits.data.components as Component[]).find((c) => c.type === 3)?.options).toHaveLength(25);
    expect(fits.data.embeds[0]?.footer?.text).toBe("Data checked in November 2026");
  });

  it("marks a button whose id only Discord's 100 characters keep out", () => {
    const { data } = renderAnswer(
      card([{ type: "run", command: `/search ${"w".repeat(120)}`, label: "Long" }]),
    );
    expect(flat(data.components as Component[]).some((c) => c.label === "Long")).toBe(false);
    expect(data.embeds[0]?.footer?.text).toContain(DROPPED_MARKER.en);
  });

  it("keeps the marker on a paged answer, next to the page number", () => {
    const items = Array.from({ length: 300 }, (_, i) => ({
      id: `t${i}`,
      type: "tool" as const,
      name: `Tool ${i}`,
      text: "a line about it ".repeat(8),
    }));
    const rendered = renderAnswer(
      { ...card(opens(40, "open_area")), blocks: [{ type: "list", items }] },
      { pager: { command: "search", arg: "x" } },
    );
    expect(rendered.pages).toBeGreaterThan(1);
    expect(rendered.data.embeds[0]?.footer?.text).toMatch(
      new RegExp(`Page 1 of \\d+ · ${DROPPED_MARKER.en}`),
    );
  });
});

describe("autocomplete labels", () => {
  it("are clipped by the renderer only, never through a surrogate pair", async () => {
    const core = makeCore();
    const tool = core.taxonomy.tool("calico");
    if (!tool) throw new Error("calico is missing");
    // A label whose emoji straddles Discord's 100th character.
    const longName = `${"N".repeat(98)}😀 tail`;
    const suggest = vi
      .spyOn(core.resolver.autocomplete, "suggest")
      .mockReturnValue([{ entry: { ...tool, name: longName }, matched: undefined }] as never);
    const choices = core.autocomplete("tool", "n");
    suggest.mockRestore();
    // The core leaves the label whole: fitting it is the renderer's job.
    expect(choices[0]?.name.startsWith(`${longName} · `)).toBe(true);
    const [rendered] = renderChoices(choices);
    expect(rendered?.name.length).toBeLessThanOrEqual(LIMITS.choiceName);
    expect(rendered?.name).not.toContain("\ufffd");
    expect(rendered?.name).toBe(`${"N".repeat(98)}…`);
    expect(rendered?.value).toBe("id:calico");

    for (let at = 95; at <= 101; at++) {
      const [choice] = renderChoices([{ name: `${"a".repeat(at)}😀${"b".repeat(20)}`, value: "id:x" }]);
      expect(choice?.name.length).toBeLessThanOrEqual(100);
      expect(choice?.name).not.toMatch(/\ufffd|\p{Cs}/u);
    }
  });
});

describe("renderChoices", () => {
  it("keeps at most 25 choices, each once, with names of 1 to 100 characters", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: text(300), value: fc.string({ maxLength: 120 }) }), { maxLength: 60 }),
        (choices) => {
          const out = renderChoices(choices);
          expect(out.length).toBeLessThanOrEqual(25);
          expect(new Set(out.map((c) => c.value)).size).toBe(out.length);
          for (const c of out) {
            expect(c.name.length).toBeGreaterThan(0);
            expect(c.name.length).toBeLessThanOrEqual(100);
            expect(c.value.length).toBeGreaterThan(0);
            expect(c.value.length).toBeLessThanOrEqual(100);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
