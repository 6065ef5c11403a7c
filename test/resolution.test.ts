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
  // a tool name given to /skilltree shows the tool
  ["/skilltree calico", "tool", "calico"],
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
    const answer = await core().answer(parseLine("/tool docker ui"));
    expect(answer.kind === "tool" || answer.kind === "not_found").toBe(true);
  });
});
