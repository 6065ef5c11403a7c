/**
 * /search ranking (src/search/fulltext.ts, tokenize.ts, stem.ts) on a small made-up taxonomy,
 * where each rule can be seen on its own, and on the real one for what members ask.
 */
import { describe, expect, it } from "vitest";
import { FullTextIndex } from "../src/search/fulltext.js";
import { stem } from "../src/search/stem.js";
import { processTerm, tokenize } from "../src/search/tokenize.js";
import { Taxonomy } from "../src/taxonomy/model.js";
import type { AreaFile, ToolRecord } from "../src/taxonomy/schema.js";
import { core } from "./helpers/core.js";

function tool(
  id: string,
  text: Partial<Pick<ToolRecord, "name" | "aliases" | "tags">> & { en?: string; zh?: string },
): ToolRecord {
  return {
    id,
    name: text.name ?? id,
    aliases: text.aliases ?? [],
    articleName: text.name ?? id,
    articleUrl: `https://example.org/${id}`,
    articleUrlSafe: true,
    summary: { en: text.en ?? "A tool.", zh: text.zh ?? "工具。" },
    description: { en: text.en ?? "A tool.", zh: text.zh ?? "工具。" },
    tags: text.tags ?? ["misc"],
    status: "active",
    successorIds: [],
    license: "MIT",
    licenseKind: "permissive",
    related: [],
  };
}

function index(tools: ToolRecord[], mentions: AreaFile["mentions"] = []): FullTextIndex {
  const area: AreaFile = {
    id: "things",
    order: 1,
    name: { en: "Things", zh: "东西" },
    aliases: [],
    color: "#000000",
    summary: { en: "Assorted things.", zh: "各种东西。" },
    keyPoints: [],
    tools,
    mentions,
  };
  return new FullTextIndex(new Taxonomy([area], []));
}

const ids = (ft: FullTextIndex, text: string, limit = 10) => ft.search(text, limit).map((h) => h.entry.id);

describe("FullTextIndex on a made-up taxonomy", () => {
  const ft = index([
    tool("weave", {
      name: "Weave Net",
      tags: ["overlay", "encryption"],
      en: "Mesh overlay network with encryption.",
    }),
    tool("flannel", { name: "Flannel", tags: ["overlay", "vxlan"], en: "Simple overlay network for hosts." }),
    tool("grafana", { name: "Grafana", tags: ["dashboard", "visualization"], en: "Dashboards for metrics." }),
    tool("fluentd", {
      name: "Fluentd",
      aliases: ["td-agent"],
      tags: ["log collector"],
      zh: "开源的日志收集器。",
    }),
    tool("rapid-dashboard", { name: "Rapid Dashboard", tags: ["web ui"], en: "A web dashboard." }),
  ]);

  it("ranks a name above a mention in a description", () => {
    expect(ids(ft, "flannel")[0]).toBe("flannel");
    expect(ids(ft, "grafana")).toEqual(["grafana"]);
  });

  it("ranks what matches more of the words first", () => {
    expect(ids(ft, "overlay encryption")[0]).toBe("weave");
    expect(ids(ft, "overlay vxlan")[0]).toBe("flannel");
  });

  it("counts a word typed twice once for how many words matched", () => {
    expect(ids(ft, "overlay overlay encryption")[0]).toBe("weave");
    expect(ids(ft, "overlay encryption overlay")[0]).toBe("weave");
  });

  it("matches other forms of an English word", () => {
    expect(ids(ft, "encrypt")).toEqual(["weave"]);
    expect(ids(ft, "visualize")).toEqual(["grafana"]);
    expect(ids(ft, "collecting logs")[0]).toBe("fluentd");
  });

  it("completes the last word only", () => {
    expect(ids(ft, "flann")).toEqual(["flannel"]);
    expect(ids(ft, "gra")).toEqual(["grafana"]);
    expect(ids(ft, "gra network")).not.toContain("grafana");
  });

  it("forgives a typo in a word of five letters or more, a swapped pair as one", () => {
    expect(ids(ft, "flanel")[0]).toBe("flannel");
    expect(ids(ft, "garfana")[0]).toBe("grafana");
    expect(ids(ft, "grfna")).toEqual([]); // two edits in five letters
  });

  it("matches Chinese words by their characters, with no spaces", () => {
    expect(ids(ft, "日志收集")[0]).toBe("fluentd");
    expect(ids(ft, "收集日志")[0]).toBe("fluentd");
  });

  it("finds nothing for stop words, punctuation or unknown words, and keeps to the limit", () => {
    expect(ids(ft, "the of and")).toEqual([]);
    expect(ids(ft, "!!! ???")).toEqual([]);
    expect(ids(ft, "zzzzqqq")).toEqual([]);
    expect(ids(ft, "overlay network dashboard", 2)).toHaveLength(2);
    expect(ft.search("overlay", 0)).toEqual([]);
  });

  it("puts a listed tool above a mention with the same words", () => {
    const ft2 = index(
      [tool("calico", { tags: ["bgp"], en: "Routed networking." })],
      [
        {
          id: "bird",
          name: "Bird",
          aliases: [],
          summary: { en: "Routed networking.", zh: "路由。" },
          tags: ["bgp"],
        },
      ],
    );
    expect(ids(ft2, "bgp routed networking")).toEqual(["calico", "bird"]);
  });

  it("gives each search its own scores (nothing left over from the one before)", () => {
    const first = ft.search("overlay network");
    ft.search("dashboard metrics grafana");
    expect(ft.search("overlay network")).toEqual(first);
  });
});

describe("FullTextIndex on the real taxonomy", () => {
  const search = (text: string) =>
    core()
      .resolver.fullText.search(text, 3)
      .map((h) => h.entry.id);

  it.each([
    ["overlay network", ["networking", "libnetwork", "flannel", "weave"]],
    ["日志收集", ["logging", "fluentd", "elastic-stack"]],
    ["service mesh", ["consul"]],
    ["image vulnerability scanning", ["clair", "harbor"]],
    ["encrypt traffic between hosts", ["weave"]],
  ])("%s", (text, expected) => {
    expect(search(text).some((id) => expected.includes(id))).toBe(true);
  });
});

describe("tokens and stems", () => {
  it("splits words, folds width and case, and cuts Chinese into bigrams", () => {
    expect(tokenize("Open vSwitch ＯＶＳ")).toEqual(["open", "vswitch", "ovs"]);
    expect(tokenize("日志收集 logs")).toEqual(["日志", "志收", "收集", "logs"]);
    expect(tokenize("k8s 网")).toEqual(["k8s", "网"]);
  });

  it("drops stop words and stems English, the same for data and queries", () => {
    expect(processTerm("the")).toBeNull();
    expect(processTerm("tools")).toBeNull();
    expect(processTerm("containers")).toBe(processTerm("container"));
    expect(processTerm("orchestration")).toBe(processTerm("orchestrator"));
    expect(processTerm("日志")).toBe("日志");
    expect(processTerm("k8s")).toBe("k8s");
  });

  it("is Porter's stemmer (examples from the paper)", () => {
    const cases: [string, string][] = [
      ["caresses", "caress"],
      ["ponies", "poni"],
      ["cats", "cat"],
      ["agreed", "agre"],
      ["plastered", "plaster"],
      ["motoring", "motor"],
      ["sing", "sing"],
      ["conflated", "conflat"],
      ["hopping", "hop"],
      ["falling", "fall"],
      ["filing", "file"],
      ["happy", "happi"],
      ["relational", "relat"],
      ["conditional", "condit"],
      ["digitizer", "digit"],
      ["vietnamization", "vietnam"],
      ["operator", "oper"],
      ["hopefulness", "hope"],
      ["formalize", "formal"],
      ["electrical", "electr"],
      ["goodness", "good"],
      ["allowance", "allow"],
      ["adjustable", "adjust"],
      ["adoption", "adopt"],
      ["effective", "effect"],
      ["probate", "probat"],
      ["rate", "rate"],
      ["cease", "ceas"],
      ["controll", "control"],
      ["roll", "roll"],
      ["generalizations", "gener"],
    ];
    for (const [word, expected] of cases) expect(stem(word), word).toBe(expected);
  });
});
