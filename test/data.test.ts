import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR, PROJECT_ROOT } from "../src/paths.js";
import { DataError, loadTaxonomy, parseYaml } from "../src/taxonomy/load.js";
import { straySpaceIn } from "../src/text/normalize.js";
import article from "./fixtures/article-tools.json" with { type: "json" };
import statusTable from "./fixtures/tool-status.json" with { type: "json" };
import { core, taxonomy } from "./helpers/core.js";

describe("the taxonomy against the 2019 article", () => {
  it("has the article's 14 areas, in order, with its own Chinese headings", () => {
    expect(taxonomy().areas.map((a) => a.id)).toEqual(article.areas.map((a) => a.id));
    expect(taxonomy().areas.map((a) => a.name.zh)).toEqual(article.areas.map((a) => a.heading));
  });

  it("counts the article's tools per area", () => {
    const counts = Object.fromEntries(taxonomy().areas.map((a) => [a.id, a.toolIds.length]));
    expect(counts).toEqual({
      engines: 10,
      monitoring: 6,
      management: 10,
      infrastructure: 6,
      orchestration: 9,
      registries: 6,
      "service-discovery": 8,
      logging: 5,
      os: 7,
      platforms: 7,
      networking: 8,
      security: 6,
      storage: 5,
      "dev-flow": 7,
    });
    expect(taxonomy().tools.size).toBe(100);
  });

  it("keeps every listed tool's article spelling and link, in the article's order", () => {
    for (const area of article.areas) {
      const tools = taxonomy().toolsOf(taxonomy().area(area.id) ?? expect.fail(`no area ${area.id}`));
      expect(tools.map((t) => [t.articleName, t.articleUrl])).toEqual(area.tools.map((t) => [t.name, t.url]));
    }
  });

  it("has entries for items the article mentions without listing", () => {
    for (const id of [
      "runc",
      "lmctfy",
      "nagios",
      "zabbix",
      "telegraf",
      "influxdb",
      "chronograf",
      "kapacitor",
    ]) {
      expect(taxonomy().mentions.has(id), id).toBe(true);
    }
    for (const id of [
      "decking",
      "kubernetes-dashboard",
      "beats",
      "logstash",
      "elasticsearch",
      "kibana",
      "ceph",
      "macvlan",
    ]) {
      expect(taxonomy().mentions.has(id), id).toBe(true);
    }
    expect(taxonomy().mentions.get("kibana")?.tool).toBe("elastic-stack");
  });

  it("records today's status with year and successor for dead tools", () => {
    const rkt = taxonomy().tool("rkt");
    expect(rkt).toMatchObject({ status: "archived", statusYear: 2019 });
    expect(rkt?.successor).toEqual(["containerd", "CRI-O", "Podman"]);
    expect(rkt?.successorIds).toEqual(["containerd", "cri-o", "podman"]);
    expect(taxonomy().tool("harbor")?.status).toBe("active");
    expect(taxonomy().tool("weave")).toMatchObject({ status: "archived", statusYear: 2024 });
  });

  it("never links a domain now run by someone else", () => {
    const dead = [
      "shipyard-project.com",
      "weave.works",
      "hyper.sh",
      "nanobox.io",
      "flynn.io",
      "wercker.com",
      "rexray.io",
      "kelproject.com",
      "cargos.io",
    ];
    for (const tool of taxonomy().tools.values()) {
      for (const url of [tool.homepage, tool.repository]) {
        if (url)
          expect(
            dead.some((d) => url.includes(d)),
            `${tool.id}: ${url}`,
          ).toBe(false);
      }
      if (dead.some((d) => tool.articleUrl.includes(d))) expect(tool.articleUrlSafe, tool.id).toBe(false);
    }
  });
});

describe("docs/data-format.md", () => {
  it("shows an example that is the real data, where it is not elided", () => {
    const doc = readFileSync(join(PROJECT_ROOT, "docs", "data-format.md"), "utf8");
    const block = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? expect.fail("no yaml example");
    // Read as the loader reads data, Chinese line breaks included.
    const example = parseYaml(block) as Record<string, unknown>;
    type Yaml = Record<string, unknown>;
    const real = parseYaml(
      readFileSync(join(DEFAULT_DATA_DIR, "areas", `${String(example.id)}.yaml`), "utf8"),
    ) as Yaml & { keyPoints: unknown[]; tools: Yaml[]; mentions: Yaml[] };
    const elided = (value: unknown): boolean =>
      typeof value === "string"
        ? /\.\.\.$|……$/.test(value)
        : typeof value === "object" && value !== null && Object.values(value).some(elided);
    const differences: string[] = [];
    const compare = (path: string, shown: unknown, actual: unknown) => {
      if (elided(shown)) return;
      if (JSON.stringify(shown) !== JSON.stringify(actual)) differences.push(path);
    };
    for (const [key, value] of Object.entries(example)) {
      if (key === "tools" || key === "mentions" || key === "keyPoints") continue;
      compare(key, value, real[key]);
    }
    for (const point of example.keyPoints as unknown[]) {
      if (!real.keyPoints.some((k: unknown) => JSON.stringify(k) === JSON.stringify(point)))
        differences.push(`keyPoints: ${JSON.stringify(point).slice(0, 60)}`);
    }
    for (const list of ["tools", "mentions"] as const) {
      for (const entry of example[list] as Record<string, unknown>[]) {
        const actual = real[list].find((e) => e.id === entry.id);
        if (!actual) differences.push(`${list}: ${String(entry.id)} is not in the data`);
        else
          for (const [key, value] of Object.entries(entry))
            compare(`${list} ${String(entry.id)} ${key}`, value, actual[key]);
      }
    }
    expect(differences).toEqual([]);
  });
});

describe("loading broken data", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function brokenCopy(file: string, edit: (text: string) => string): string {
    dir = mkdtempSync(join(tmpdir(), "skilltree-data-"));
    cpSync(DEFAULT_DATA_DIR, dir, { recursive: true });
    const path = join(dir, "areas", file);
    writeFileSync(path, edit(readFileSync(path, "utf8")));
    return dir;
  }

  function problemsOf(dataDir: string): string {
    try {
      loadTaxonomy(dataDir, { editorial: true });
    } catch (error) {
      expect(error).toBeInstanceOf(DataError);
      return (error as DataError).message;
    }
    return expect.fail("the broken data loaded without an error");
  }

  it("names the file, the entry and the field of a schema error", () => {
    const message = problemsOf(
      brokenCopy("networking.yaml", (t) =>
        t.replace(
          "repository: https://github.com/projectcalico/calico",
          "repository: http://github.com/projectcalico/calico",
        ),
      ),
    );
    expect(message).toMatch(
      /networking\.yaml: tools\[\d+\] \(calico\) › repository: must be an https:\/\/ URL/,
    );
  });

  it("reports YAML syntax errors with the line", () => {
    expect(problemsOf(brokenCopy("storage.yaml", (t) => `${t}\n  - : : [\n`))).toMatch(
      /storage\.yaml:\d+: not valid YAML/,
    );
  });

  it("rejects a name shared by two entries that is not declared ambiguous", () => {
    const message = problemsOf(
      brokenCopy("networking.yaml", (t) =>
        t.replace(/(\n {2}- id: flannel\n(?: {4}.*\n)*? {4}aliases: \[)/, "$1calico, "),
      ),
    );
    expect(message).toMatch(/the name "calico" also belongs to/);
  });

  it("rejects a reference to an id that does not exist", () => {
    const message = problemsOf(
      brokenCopy("networking.yaml", (t) => t.replace(/related: \[/, "related: [no-such-tool, ")),
    );
    expect(message).toMatch(/related: no tool or mention has the id "no-such-tool"/);
  });

  it("joins Chinese wrapped over lines without a space, and keeps the space before a Latin word", () => {
    const wrapped =
      "\n      zh: >-\n        在几百个\n        节点以内。\n        效率优势明显，\n        Calico 也\n        支持 BGP\n        和 eBPF。";
    dir = brokenCopy("networking.yaml", (t) =>
      t.replace(/(\n {2}- id: calico\n(?: {4}.*\n)*? {4}summary:\n {6}en: .*)\n {6}zh: .*/, `$1${wrapped}`),
    );
    const calico = loadTaxonomy(dir).tool("calico");
    expect(calico?.summary.zh).toBe("在几百个节点以内。效率优势明显，Calico 也支持 BGP 和 eBPF。");
  });

  it("rejects a space typed between Chinese characters, naming where", () => {
    const message = problemsOf(
      brokenCopy("networking.yaml", (t) =>
        t.replace(
          "zh: 不依赖 Overlay 的三层容器网络与网络策略方案。",
          "zh: 不依赖 Overlay 的三层 容器网络与网络策略方案。",
        ),
      ),
    );
    expect(message).toMatch(
      /networking\.yaml: tools\[\d+\] \(calico\) › summary › zh: has a stray space in Chinese text \(“.*三层 容器.*”\)/,
    );
  });

  it("rejects a space after full-width punctuation and ASCII punctuation next to Chinese", () => {
    const spaced = problemsOf(
      brokenCopy("networking.yaml", (t) => t.replace("IP，单机时问题不大", "IP， 单机时问题不大")),
    );
    expect(spaced).toMatch(/networking\.yaml: keyPoints\[0\] › zh: has a stray space/);
    const ascii = problemsOf(
      brokenCopy("networking.yaml", (t) => t.replace("IP，单机时问题不大", "IP,单机时问题不大")),
    );
    expect(ascii).toMatch(
      /networking\.yaml: keyPoints\[0\] › zh: uses ASCII punctuation next to Chinese \(“.*,单机.*”\)/,
    );
  });

  it("rejects an area file whose name is not its id", () => {
    dir = brokenCopy("storage.yaml", (t) => t);
    renameSync(join(dir, "areas", "storage.yaml"), join(dir, "areas", "volumes.yaml"));
    expect(problemsOf(dir)).toMatch(
      /volumes\.yaml: id: the file of area "storage" must be named storage\.yaml/,
    );
  });

  it("asks for the article's key points and tags in both languages", () => {
    const noPoints = problemsOf(
      brokenCopy("storage.yaml", (t) => t.replace(/\nkeyPoints:\n(?: {2}.*\n)+/, "\n")),
    );
    expect(noPoints).toMatch(
      /storage\.yaml: keyPoints: an area needs at least one of the article's key points/,
    );
    const englishOnly = problemsOf(
      brokenCopy("networking.yaml", (t) =>
        t.replace(
          "tags: [bgp, l3, network policy, iptables, ebpf, cni, 网络策略, 三层网络]",
          "tags: [bgp, l3]",
        ),
      ),
    );
    expect(englishOnly).toMatch(
      /networking\.yaml: tools\[\d+\] \(calico\) › tags: add at least one Chinese tag/,
    );
  });

  it("rejects a link to a domain now run by someone else", () => {
    const article = problemsOf(
      brokenCopy("management.yaml", (t) =>
        t.replace(/(articleUrl: http:\/\/shipyard-project\.com\/?\n) {4}articleUrlSafe: false\n/, "$1"),
      ),
    );
    expect(article).toMatch(
      /management\.yaml: tools\[\d+\] \(shipyard\) › articleUrlSafe: .*shipyard-project\.com.* set articleUrlSafe: false/,
    );
    const homepage = problemsOf(
      brokenCopy("networking.yaml", (t) =>
        t.replace(
          "repository: https://github.com/weaveworks/weave",
          "homepage: https://www.weave.works\n    repository: https://github.com/weaveworks/weave",
        ),
      ),
    );
    expect(homepage).toMatch(
      /\(weave\) › homepage: https:\/\/www\.weave\.works is on a domain now run by someone else/,
    );
  });

  it("keeps the licence kind in line with the licence", () => {
    const message = problemsOf(
      brokenCopy("networking.yaml", (t) =>
        t.replace(
          "license: Apache-2.0 (Linux kernel module GPL-2.0)\n    licenseKind: mixed",
          "license: Apache-2.0 (Linux kernel module GPL-2.0)\n    licenseKind: permissive",
        ),
      ),
    );
    expect(message).toMatch(
      /\(open-vswitch\) › licenseKind: .* is a mix \(permissive, copyleft\), so the kind must be mixed/,
    );
  });

  it("takes successors as bare names that match their ids", () => {
    const phrase = problemsOf(
      brokenCopy("dev-flow.yaml", (t) =>
        t.replace(
          "successor: [nicholas-fedor/watchtower]",
          "successor: [The maintained fork nicholas-fedor/watchtower]",
        ),
      ),
    );
    expect(phrase).toMatch(
      /\(watchtower\) › successor\[0\]: "The maintained fork nicholas-fedor\/watchtower" is not a bare name/,
    );
    const unlisted = problemsOf(
      brokenCopy("networking.yaml", (t) =>
        t.replace(
          "successor: [Cilium, Calico, Flannel]\n    successorIds: [cilium, calico, flannel]",
          "successor: [Cilium, Calico, Flannel]\n    successorIds: [cilium, calico, flannel, romana]",
        ),
      ),
    );
    expect(unlisted).toMatch(/\(weave\) › successorIds: "romana" is not one of the names in successor/);
    const missing = problemsOf(
      brokenCopy("networking.yaml", (t) =>
        t.replace("successorIds: [cilium, calico, flannel]", "successorIds: [cilium, calico]"),
      ),
    );
    expect(missing).toMatch(
      /\(weave\) › successorIds: "Flannel" is the entry flannel; add it to successorIds/,
    );
    const active = problemsOf(
      brokenCopy("networking.yaml", (t) =>
        t.replace(
          "    status: active\n    license: Apache-2.0\n    licenseKind: permissive\n    related: [flannel, canal, weave, romana]",
          "    status: active\n    successor: [Cilium]\n    successorIds: [cilium]\n    license: Apache-2.0\n    licenseKind: permissive\n    related: [flannel, canal, weave, romana]",
        ),
      ),
    );
    expect(active).toMatch(/\(calico\) › successor: an active tool has no successor/);
  });

  it("keeps an entry the article does not name only as some tool's successor", () => {
    const message = problemsOf(
      brokenCopy("networking.yaml", (t) =>
        t
          .replace("successorIds: [calico, cilium]", "successorIds: [calico]")
          .replace("successorIds: [cilium, calico, flannel]", "successorIds: [calico, flannel]")
          .replace("successor: [Cilium, Calico, Flannel]", "successor: [Calico, Flannel]")
          .replace(
            "successor: [Calico, Cilium, Antrea, kube-router]",
            "successor: [Calico, Antrea, kube-router]",
          ),
      ),
    );
    expect(message).toMatch(
      /networking\.yaml: mentions\[\d+\] \(cilium\) › inArticle: an entry the article does not name must be a successor of some tool/,
    );
  });

  it("rejects a missing Chinese text", () => {
    const message = problemsOf(
      brokenCopy("security.yaml", (t) =>
        t.replace(/\n(\s+)zh: [^\n]*[\u4e00-\u9fff][^\n]*/, "\n$1zh: only english here"),
      ),
    );
    expect(message).toMatch(/security\.yaml: .*zh: must contain Chinese text/);
  });
});

describe("the taxonomy against the checked status table", () => {
  function toolOf(row: (typeof statusTable.tools)[number]) {
    const area =
      taxonomy().areas.find((a) => a.order === row.category) ?? expect.fail(`no area ${row.category}`);
    return (
      taxonomy()
        .toolsOf(area)
        .find((t) => t.articleName === row.name) ?? expect.fail(`no tool ${row.name}`)
    );
  }

  async function statusOf(id: string, locale: "en" | "zh-CN"): Promise<string> {
    const answer = await core().answer({ command: "tool", args: { name: `id:${id}` }, locale });
    const fields = answer.blocks.flatMap((b) => (b.type === "fields" ? b.fields : []));
    return fields[1]?.value ?? expect.fail(`${id}: no status field`);
  }

  it("words each status line for its status, in both languages", async () => {
    for (const tool of taxonomy().tools.values()) {
      const [en, zh] = [await statusOf(tool.id, "en"), await statusOf(tool.id, "zh-CN")];
      const named = (tool.successor ?? []).length > 0;
      switch (tool.status) {
        case "archived":
        case "deprecated":
        case "discontinued":
          if (named) expect(en, tool.id).toMatch(/^\w+ \d{4}: use .+ instead$/);
          // A space after 请改用 only before a Latin name ("请改用 Podman", "请改用云厂商的…").
          if (named) expect(zh, tool.id).toMatch(/^\d{4} 年\S+，请改用(?: [A-Za-z0-9]|[^\sA-Za-z0-9])/);
          break;
        case "merged":
          expect(en, tool.id).toMatch(/^merged \d{4}: now part of \S/);
          expect(zh, tool.id).toMatch(/，现为(?: [A-Za-z0-9]|[^\sA-Za-z0-9]).*的一部分$/);
          break;
        default:
          // Alive: never told to use something else instead.
          expect(en, tool.id).not.toMatch(/instead/);
          expect(zh, tool.id).not.toMatch(/请改用/);
      }
      expect(straySpaceIn(zh), `${tool.id}: ${zh}`).toBeUndefined();
    }
    expect(await statusOf("rkt", "en")).toBe("archived 2019: use containerd, CRI-O or Podman instead");
    expect(await statusOf("rkt", "zh-CN")).toBe("2019 年已归档，请改用 containerd、CRI-O 或 Podman");
    expect(await statusOf("pipework", "zh-CN")).toBe(
      "2024 年已弃用，请改用 Docker 与 Podman 的 macvlan/ipvlan 网络或 CNI 插件",
    );
    expect(await statusOf("garden", "en")).toBe("maintenance only; alternatives: containerd or runc");
    expect(await statusOf("libnetwork", "zh-CN")).toBe("2022 年已合并，现为 Docker Engine 的一部分");
    expect(await statusOf("watchtower", "en")).toBe("archived 2025: use nicholas-fedor/watchtower instead");
  });

  it("gives every card a link, except where the table names none", async () => {
    const linkless: string[] = [];
    for (const tool of taxonomy().tools.values()) {
      const answer = await core().answer({ command: "tool", args: { name: `id:${tool.id}` } });
      if (!answer.blocks.some((b) => b.type === "links" && b.links.length > 0)) linkless.push(tool.id);
    }
    // Wercker: the table has only the defunct wercker.com, which must not be linked.
    expect(linkless).toEqual(["wercker"]);
  });

  it("names only successors the table gives, as bare names", () => {
    const words = (text: string) =>
      text
        .toLowerCase()
        .replace(/'s\b/g, "")
        .split(/[^a-z0-9+]+/)
        .filter((w) => w.length >= 3 && !["and", "the", "with"].includes(w));
    const unsupported: string[] = [];
    for (const row of statusTable.tools) {
      const tool = toolOf(row);
      // The table's words, and the names of the entries the successors are (Docker Engine is Docker).
      const known = new Set([
        ...words(row.successorOrNow),
        ...tool.successorIds.flatMap((id) => {
          const entry = taxonomy().entry(id);
          return entry && entry.type !== "area" ? [entry.name, ...entry.aliases].flatMap(words) : [];
        }),
      ]);
      for (const successor of tool.successor ?? []) {
        const name = typeof successor === "string" ? successor : successor.en;
        const missing = words(name).filter((w) => !known.has(w));
        if (missing.length > 0) unsupported.push(`${tool.id}: "${name}" (${missing.join(", ")})`);
      }
    }
    expect(unsupported).toEqual([]);
  });

  it("gives every tool the status and year of shared/reference/tool-status.tsv", () => {
    for (const row of statusTable.tools) {
      const area =
        taxonomy().areas.find((a) => a.order === row.category) ?? expect.fail(`no area ${row.category}`);
      const tool = taxonomy()
        .toolsOf(area)
        .find((t) => t.articleName === row.name);
      expect(tool, row.name).toBeDefined();
      expect([tool?.status, tool?.statusYear ?? null], row.name).toEqual([row.status, row.statusYear]);
    }
  });
});
