import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR } from "../src/paths.js";
import { DataError, loadTaxonomy } from "../src/taxonomy/load.js";
import article from "./fixtures/article-tools.json" with { type: "json" };
import statusTable from "./fixtures/tool-status.json" with { type: "json" };
import { taxonomy } from "./helpers/core.js";

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
    expect(rkt?.successor?.en).toMatch(/containerd/);
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
      loadTaxonomy(dataDir);
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
