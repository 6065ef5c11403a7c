/**
 * The resolution table: what a member types and what they must get back. Cases cover exact
 * names, aliases, former and article spellings, Chinese, full-width, typos, ambiguous names,
 * mentions and unknown names.
 */
import { describe, expect, it } from "vitest";
import type { Answer } from "../src/answer.js";
import { parseLine } from "../src/commands/parse.js";
import { core } from "./helpers/core.js";

type Case = [line: string, kind: string, id: string | string[]];

const TOOL_CASES: Case[] = [
  // exact names and ids
  ["/tool calico", "tool", "calico"],
  ["/tool Calico", "tool", "calico"],
  ["/tool CALICO", "tool", "calico"],
  ["/tool kubernetes", "tool", "kubernetes"],
  ["/tool docker", "tool", "docker"],
  ["/tool prometheus", "tool", "prometheus"],
  ["/tool grafana", "tool", "grafana"],
  ["/tool portainer", "tool", "portainer"],
  ["/tool traefik", "tool", "traefik"],
  ["/tool etcd", "tool", "etcd"],
  ["/tool consul", "tool", "consul"],
  ["/tool fluentd", "tool", "fluentd"],
  ["/tool gvisor", "tool", "gvisor"],
  ["/tool nomad", "tool", "nomad"],
  ["/tool tsuru", "tool", "tsuru"],
  ["/tool dokku", "tool", "dokku"],
  ["/tool clair", "tool", "clair"],
  ["/tool selinux", "tool", "selinux"],
  ["/tool flocker", "tool", "flocker"],
  ["/tool screwdriver", "tool", "screwdriver"],
  ["/tool smartos", "tool", "smartos"],
  ["/tool rancheros", "tool", "rancheros"],
  ["/tool photon os", "tool", "photon-os"],
  // case, space, punctuation and width
  ["/tool open vswitch", "tool", "open-vswitch"],
  ["/tool openvswitch", "tool", "open-vswitch"],
  ["/tool Open-vSwitch", "tool", "open-vswitch"],
  ["/tool systemd nspawn", "tool", "systemd-nspawn"],
  ["/tool boot 2 docker", "tool", "boot2docker"],
  ["/tool ｃａｌｉｃｏ", "tool", "calico"],
  ["/tool ＫＵＢＥＲＮＥＴＥＳ", "tool", "kubernetes"],
  ["/tool  calico  ", "tool", "calico"],
  // aliases, abbreviations, former and corrected names
  ["/tool k8s", "tool", "kubernetes"],
  ["/tool K8S", "tool", "kubernetes"],
  ["/tool ｋ８ｓ", "tool", "kubernetes"],
  ["/tool habor", "tool", "harbor"],
  ["/tool Harbor", "tool", "harbor"],
  ["/tool cargoos", "tool", "cargos"],
  ["/tool CargOS", "tool", "cargos"],
  ["/tool repository", "tool", "distribution"],
  ["/tool docker/distribution", "tool", "distribution"],
  ["/tool machine", "tool", "docker-machine"],
  ["/tool docker machine", "tool", "docker-machine"],
  ["/tool drone.io", "tool", "drone"],
  ["/tool zettio/weave", "tool", "weave"],
  ["/tool elasticstack", "tool", "elastic-stack"],
  ["/tool elk", "tool", "elastic-stack"],
  ["/tool coreos", "tool", "container-linux"],
  ["/tool tick stack", "tool", "tick-stack"],
  ["/tool coreos/etcd", "tool", "etcd"],
  // Chinese names, in simplified and traditional characters
  ["/tool 普罗米修斯", "tool", "prometheus"],
  ["/tool 蜻蜓", "tool", "dragonfly"],
  ["/tool 普羅米修斯", "tool", "prometheus"],
  // a unique name for each of the ambiguous pair
  ["/tool photon engine", "tool", "photon"],
  ["/tool photon os", "tool", "photon-os"],
  ["/tool rancher/rancher", "tool", "rancher"],
  // typos: a clear winner is answered
  ["/tool calcio", "tool", "calico"],
  ["/tool kubernets", "tool", "kubernetes"],
  ["/tool kuberentes", "tool", "kubernetes"],
  ["/tool promethues", "tool", "prometheus"],
  ["/tool portiner", "tool", "portainer"],
  ["/tool fluentdd", "tool", "fluentd"],
  ["/tool grafna", "tool", "grafana"],
  ["/tool zookeper", "tool", "zookeeper"],
  ["/tool traefick", "tool", "traefik"],
  // ambiguous names give a choice
  ["/tool photon", "disambiguation", ["photon", "photon-os"]],
  ["/tool rancher", "disambiguation", ["rancher", "rancheros"]],
  ["/tool Photon", "disambiguation", ["photon", "photon-os"]],
  // items the article only mentions
  ["/tool runc", "mention", "runc"],
  ["/tool kibana", "mention", "kibana"],
  ["/tool telegraf", "mention", "telegraf"],
  ["/tool ceph", "mention", "ceph"],
  ["/tool macvlan", "mention", "macvlan"],
  ["/tool filebeat", "mention", "beats"],
  ["/tool lmctfy", "mention", "lmctfy"],
  ["/tool nagios", "mention", "nagios"],
  // successors the cards name, which the article does not
  ["/tool containerd", "mention", "containerd"],
  ["/tool podman", "mention", "podman"],
  ["/tool cri-o", "mention", "cri-o"],
  ["/tool cilium", "mention", "cilium"],
  ["/tool kata containers", "mention", "kata-containers"],
  // unknown names
  ["/tool qwertyuiop", "not_found", []],
  ["/tool @everyone", "not_found", []],
  ["/tool <script>alert(1)</script>", "not_found", []],
  ["/tool ../../etc/passwd", "not_found", []],
];

const AREA_CASES: Case[] = [
  ["/skilltree", "overview", []],
  ["/skilltree networking", "category", "networking"],
  ["/skilltree network", "category", "networking"],
  ["/skilltree cni", "category", "networking"],
  ["/skilltree 容器网络", "category", "networking"],
  ["/skilltree 网络", "category", "networking"],
  ["/skilltree 網絡", "category", "networking"],
  ["/skilltree 網路", "category", "networking"],
  ["/skilltree net", "category", "networking"],
  ["/skilltree overlay", "category", "networking"],
  ["/skilltree 監控", "category", "monitoring"],
  ["/skilltree 日誌", "category", "logging"],
  ["/skilltree logging", "category", "logging"],
  ["/skilltree 日志", "category", "logging"],
  ["/skilltree 监控", "category", "monitoring"],
  ["/skilltree monitoring", "category", "monitoring"],
  ["/skilltree orchestration", "category", "orchestration"],
  ["/skilltree 编排和调度", "category", "orchestration"],
  ["/skilltree storage", "category", "storage"],
  ["/skilltree security", "category", "security"],
  ["/skilltree registries", "category", "registries"],
  ["/skilltree service discovery", "category", "service-discovery"],
  ["/skilltree dev flow", "category", "dev-flow"],
  ["/skilltree engines", "category", "engines"],
  ["/skilltree os", "category", "os"],
  ["/skilltree platforms", "category", "platforms"],
  ["/skilltree infrastructure", "category", "infrastructure"],
  ["/skilltree management", "category", "management"],
  ["/skilltree Networking", "category", "networking"],
  ["/skilltree ＮＥＴＷＯＲＫＩＮＧ", "category", "networking"],
  ["/skilltree netwroking", "category", "networking"],
  ["/skilltree monitorng", "category", "monitoring"],
  // a tool name given to /skilltree shows the tool, or the same choice /tool gives
  ["/skilltree calico", "tool", "calico"],
  ["/skilltree photon", "disambiguation", ["photon", "photon-os"]],
  ["/skilltree rancher", "disambiguation", ["rancher", "rancheros"]],
  ["/skilltree containerd", "mention", "containerd"],
  // an area name given to /tool shows the area
  ["/tool networking", "category", "networking"],
  ["/skilltree zzzzqqq", "not_found", []],
];

function idOf(answer: Answer): string | string[] {
  switch (answer.kind) {
    case "tool":
      return answer.tool?.id ?? "";
    case "category":
      return answer.category?.id ?? "";
    case "mention":
      return answer.mention?.id ?? "";
    case "disambiguation":
      return (answer.candidates ?? []).map((c) => c.id).sort();
    default:
      return [];
  }
}

describe("resolution table", () => {
  it("has at least 60 cases", async () => {
    expect(TOOL_CASES.length + AREA_CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each([...TOOL_CASES, ...AREA_CASES])("%s -> %s %j", async (line, kind, id) => {
    const answer = await core().answer(parseLine(line));
    expect(answer.kind).toBe(kind);
    expect(idOf(answer)).toEqual(id);
  });
});

describe("what a match says", () => {
  it("says what a typo matched", async () => {
    const answer = await core().answer(parseLine("/tool calcio"));
    expect(answer.notice).toBe("Showing Calico for “calcio”.");
  });

  it("explains the article's misspelling", async () => {
    expect((await core().answer(parseLine("/tool habor"))).notice).toMatch(
      /spells it “Habor”; today it is Harbor/,
    );
  });

  it("offers suggestions for unknown names, never silence", async () => {
    const answer = await core().answer(parseLine("/tool overlay networking thing"));
    expect(answer.kind).toBe("not_found");
    expect(answer.candidates?.length ?? 0).toBeGreaterThan(0);
    expect(answer.candidates?.length ?? 0).toBeLessThanOrEqual(5);
  });

  it("gives did-you-mean when runners-up are close", async () => {
    // "rancer" is one edit from Rancher, and "rancher" names RancherOS too: no clear winner.
    const answer = await core().answer(parseLine("/tool rancer"));
    expect(answer.kind).toBe("not_found");
    expect(answer.title).toBe("No exact match for “rancer”");
    expect(answer.candidates?.map((c) => c.id)).toEqual(["rancher", "rancheros"]);
    expect(answer.blocks).toContainEqual(expect.objectContaining({ heading: "Did you mean:" }));
  });

  it.each([
    ["k9s", "kubernetes"],
    ["lxx", "lxc"],
    ["etc", "etcd"],
  ])("never answers a typo of three characters or fewer as certain: %s", async (typo, id) => {
    // One edit in three characters is as likely another project (k3s, lxd) as a typo.
    const answer = await core().answer(parseLine(`/tool ${typo}`));
    expect(answer.kind).toBe("not_found");
    expect(answer.title).toBe(`No exact match for “${typo}”`);
    expect(answer.candidates?.map((c) => c.id)).toContain(id);
  });

  it.each([
    ["k3s", "kubernetes"],
    ["lxd", "lxc"],
    ["falco", "calico"],
    ["fluent bit", "fluentd"],
  ])("does not answer %s, another project, as %s", async (name, near) => {
    const answer = await core().answer(parseLine(`/tool ${name}`));
    expect(answer.kind).toBe("not_found");
    expect(answer.notice).toBeUndefined();
    expect(answer.tool).toBeUndefined();
    expect(answer.candidates?.length ?? 0).toBeGreaterThan(0);
    // It may still be suggested, but never shown as if it had been asked for.
    expect(answer.candidates?.map((c) => c.id) ?? []).toContain(near);
  });

  it("keeps a multi-word typo whose every word is close a clear winner", async () => {
    const answer = await core().answer(parseLine("/tool open vswtich"));
    expect(answer.tool?.id).toBe("open-vswitch");
    expect(answer.notice).toBe("Showing Open vSwitch for “open vswtich”.");
  });

  it("suggests what the data says about a word before loose typos", async () => {
    // "falco" is a tag of Sysdig; Calico is only two letters away.
    expect((await core().answer(parseLine("/tool falco"))).candidates?.[0]?.id).toBe("sysdig");
    // Woodpecker CI is the community fork named on Drone's card.
    expect((await core().answer(parseLine("/tool woodpecker"))).candidates?.[0]?.id).toBe("drone");
    // Bottlerocket is a successor of CargOS, not a typo of Boot2Docker.
    expect((await core().answer(parseLine("/tool bottlerocket"))).candidates?.[0]?.id).toBe("cargos");
  });
});

describe("what a card says", () => {
  it("sets bracketed names in full-width brackets in Chinese", async () => {
    const zh = (line: string) => core().answer({ ...parseLine(line), locale: "zh-CN" });
    expect((await zh("/skilltree networking")).title).toBe("容器网络（Container networking）");
    expect((await zh("/tool prometheus")).title).toBe("Prometheus（普罗米修斯）");
    expect((await core().answer(parseLine("/skilltree networking"))).title).toBe(
      "Container networking (容器网络)",
    );
  });

  it("says a successor the article never named is not one of its tools, and what it replaced", async () => {
    const answer = await core().answer(parseLine("/tool containerd"));
    expect(answer.title).toBe("containerd (not in the 2019 article)");
    expect(JSON.stringify(answer.blocks)).toMatch(
      /instead of rkt, Garden, PouchContainer \(Container engines\)/,
    );
    expect(
      answer.actions.map((a) => (a.type === "open_tool" || a.type === "open_area" ? a.id : a.type)),
    ).toEqual(["rkt", "garden", "pouch", "engines"]);
    // It is not listed among the items the article mentions in passing.
    expect((await core().answer(parseLine("/skilltree engines"))).category?.mentions).not.toContain(
      "containerd",
    );
    const rkt = await core().answer(parseLine("/tool rkt"));
    expect(rkt.tool?.successorIds).toEqual(["containerd", "cri-o", "podman"]);
    expect(rkt.actions.map((a) => (a.type === "open_tool" ? a.id : ""))).toEqual(
      expect.arrayContaining(["containerd", "cri-o", "podman"]),
    );
  });
});

describe("every entry can be asked for", () => {
  const entries = () => core().taxonomy.entries();

  it("reaches every tool, mention and area by at least one of its own names", async () => {
    const unreachable: string[] = [];
    for (const entry of entries()) {
      const name = core().resolver.uniqueName(entry);
      const command = entry.type === "area" ? "skilltree" : "tool";
      const answer = name ? await core().answer(parseLine(`/${command} ${name}`)) : undefined;
      const id = answer ? idOf(answer) : undefined;
      if (id !== entry.id) unreachable.push(`${entry.type} ${entry.id} (by ${name ?? "no unique name"})`);
    }
    expect(unreachable).toEqual([]);
  });

  /** The hints an answer prints (the console shows them; see Action.command) and what they open. */
  function hints(answer: Answer): { command: string; id: string }[] {
    return answer.actions.flatMap((a) =>
      (a.type === "open_tool" || a.type === "open_area") && a.command
        ? [{ command: a.command, id: a.id }]
        : [],
    );
  }

  it("prints hints that open what they point at, on every card, area, choice and search", async () => {
    const answers: Answer[] = [await core().answer(parseLine("/skilltree"))];
    for (const entry of entries()) {
      answers.push(
        await core().answer({
          command: entry.type === "area" ? "skilltree" : "tool",
          args: entry.type === "area" ? { area: `id:${entry.id}` } : { name: `id:${entry.id}` },
        }),
      );
    }
    for (const line of [
      "/tool photon",
      "/skilltree rancher",
      "/tool rancer",
      "/search overlay",
      "/tool qwertyuiop",
    ])
      answers.push(await core().answer(parseLine(line)));
    const wrong: string[] = [];
    let checked = 0;
    for (const answer of answers) {
      const open = answer.actions.filter((a) => a.type === "open_tool" || a.type === "open_area");
      expect(hints(answer), answer.title).toHaveLength(open.length);
      for (const { command, id } of hints(answer)) {
        checked++;
        const opened = idOf(await core().answer(parseLine(command)));
        if (opened !== id)
          wrong.push(`${answer.title}: ${command} opens ${JSON.stringify(opened)}, not ${id}`);
      }
    }
    expect(checked).toBeGreaterThan(300);
    expect(wrong).toEqual([]);
  });

  it("points the choice for an ambiguous name at names that are not ambiguous", async () => {
    const answer = await core().answer(parseLine("/tool photon"));
    expect(hints(answer)).toEqual([
      { command: "/tool photon engine", id: "photon" },
      { command: "/tool photon-os", id: "photon-os" },
    ]);
  });
});

describe("the answer's language", () => {
  it("counts the command word: /帮助 is asked in Chinese", async () => {
    const answer = await core().answer(parseLine("/帮助"));
    expect(answer.locale).toBe("zh-CN");
    expect(answer.kind).toBe("error");
  });

  it("keeps the platform's locale over the text", async () => {
    const answer = await core().answer({ ...parseLine("/tool 普罗米修斯"), locale: "en" });
    expect(answer.locale).toBe("en");
  });
});
