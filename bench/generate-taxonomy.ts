/**
 * A seeded generator of a realistic, large taxonomy for the lookup benchmark (issue 7): 14 areas
 * and, by default, 10,000 tools plus some mentions, in the same shapes as data/areas/*.yaml
 * (AreaFile[]), so `new Taxonomy(files, ambiguous)` takes it without YAML or zod.
 *
 * Names look like real open-source projects: camel-case compounds (StormBridge), Kube- names
 * (kube-router, KubeEdge), suffixes (-io, DB, ctl, OS, -operator, -exporter), coined words
 * (Zorvane), hyphenated pairs (log-pilot) and version digits. Aliases are repository paths,
 * abbreviations and numeronyms (k8s-style), vendor-prefixed names and former names. Tags,
 * summaries and descriptions come in English and Chinese. Every name and alias key (nameKey) is
 * unique across the tools namespace, except a few names declared ambiguous, as the real data is.
 *
 * The same seed always gives the same taxonomy (mulberry32, no Math.random).
 * Run alone for a summary: npx tsx bench/generate-taxonomy.ts [tools] [seed]
 */
import { Taxonomy } from "../src/taxonomy/model.js";
import type { AmbiguousName, AreaFile, LicenseKind, Status } from "../src/taxonomy/schema.js";
import { nameKey } from "../src/text/normalize.js";

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Random {
  next(): number;
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  sample<T>(items: readonly T[], n: number): T[];
  shuffle<T>(items: T[]): T[];
}

export function random(seed: number): Random {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const shuffle = <T>(items: T[]): T[] => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  };
  return {
    next,
    int,
    pick,
    chance: (p) => next() < p,
    sample: (items, n) => shuffle([...items]).slice(0, n),
    shuffle,
  };
}

type Pair = readonly [en: string, zh: string];

interface Theme {
  id: string;
  name: Pair;
  aliases: string[];
  color: string;
  /** What a tool of this area is ("overlay network", "log shipper"). */
  nouns: Pair[];
  /** What it is for ("for multi-host containers"). */
  purposes: Pair[];
  /** What it does, for descriptions ("encrypts traffic between nodes"). */
  features: Pair[];
  tags: string[];
  tagsZh: string[];
  /** Word parts that names in this area like to use. */
  roots: string[];
}

const THEMES: Theme[] = [
  {
    id: "engines",
    name: ["Container engines", "容器引擎"],
    aliases: ["engine", "container runtime", "runtime", "容器运行时"],
    color: "#2496ed",
    nouns: [
      ["container runtime", "容器运行时"],
      ["sandboxed runtime", "沙箱运行时"],
      ["container engine", "容器引擎"],
      ["OCI runtime", "OCI 运行时"],
    ],
    purposes: [
      ["for rootless containers", "用于无 root 容器"],
      ["for microVM isolation", "用于微虚拟机隔离"],
      ["for edge devices", "用于边缘设备"],
      ["for Kubernetes nodes", "用于 Kubernetes 节点"],
    ],
    features: [
      ["starts containers from OCI images", "从 OCI 镜像启动容器"],
      ["isolates workloads in lightweight VMs", "用轻量虚拟机隔离工作负载"],
      ["runs without a daemon", "无需守护进程运行"],
      ["implements the CRI", "实现了 CRI 接口"],
    ],
    tags: ["oci", "runtime", "sandbox", "cri", "rootless", "microvm", "daemonless"],
    tagsZh: ["容器运行时", "沙箱", "安全容器", "容器引擎"],
    roots: ["run", "pod", "shim", "cage", "box", "core", "crate", "hull", "shell", "cell"],
  },
  {
    id: "monitoring",
    name: ["Monitoring and data collection", "监控和数据收集"],
    aliases: ["monitoring", "metrics", "监控"],
    color: "#e6522c",
    nouns: [
      ["metrics exporter", "指标导出器"],
      ["time-series database", "时序数据库"],
      ["alerting service", "告警服务"],
      ["monitoring agent", "监控代理"],
      ["dashboard", "仪表盘"],
    ],
    purposes: [
      ["for cluster metrics", "用于集群指标"],
      ["for Prometheus", "用于 Prometheus"],
      ["for GPU nodes", "用于 GPU 节点"],
      ["for SLO tracking", "用于 SLO 跟踪"],
    ],
    features: [
      ["scrapes metrics from every node", "从每个节点抓取指标"],
      ["stores time series with downsampling", "以降采样方式存储时序数据"],
      ["sends alerts to chat and pagers", "向聊天工具和寻呼系统发送告警"],
      ["draws dashboards from PromQL", "用 PromQL 绘制仪表盘"],
    ],
    tags: ["metrics", "alerting", "time series", "promql", "exporter", "observability", "dashboard"],
    tagsZh: ["监控", "告警", "时序数据库", "指标采集", "可视化"],
    roots: ["metric", "pulse", "gauge", "scope", "watch", "sense", "probe", "graph", "signal", "beacon"],
  },
  {
    id: "management",
    name: ["Container management and UI tools", "容器管理和界面工具"],
    aliases: ["management ui", "gui", "web ui", "容器管理"],
    color: "#13bef9",
    nouns: [
      ["web UI", "网页界面"],
      ["desktop client", "桌面客户端"],
      ["terminal UI", "终端界面"],
      ["cluster console", "集群控制台"],
    ],
    purposes: [
      ["for Docker hosts", "用于 Docker 主机"],
      ["for Kubernetes clusters", "用于 Kubernetes 集群"],
      ["for small teams", "面向小团队"],
      ["for home labs", "面向家庭实验室"],
    ],
    features: [
      ["lists containers, images and volumes", "列出容器、镜像和数据卷"],
      ["streams logs and opens shells", "查看日志流并打开终端"],
      ["manages several clusters from one page", "在一个页面管理多个集群"],
      ["adds role-based access", "提供基于角色的权限控制"],
    ],
    tags: ["web ui", "gui", "dashboard", "tui", "desktop app", "rbac"],
    tagsZh: ["图形界面", "网页界面", "容器管理", "桌面应用"],
    roots: ["deck", "board", "view", "panel", "pilot", "helm", "lens", "desk", "port", "yard"],
  },
  {
    id: "infrastructure",
    name: ["Infrastructure integration", "基础设施集成"],
    aliases: ["infrastructure", "infra", "provisioning", "基础设施"],
    color: "#7b42bc",
    nouns: [
      ["provisioning tool", "部署工具"],
      ["machine driver", "主机驱动"],
      ["cluster installer", "集群安装器"],
      ["infrastructure controller", "基础设施控制器"],
    ],
    purposes: [
      ["for bare metal", "用于裸金属"],
      ["for OpenStack clouds", "用于 OpenStack 云"],
      ["for multi-cloud fleets", "用于多云环境"],
      ["for VMware estates", "用于 VMware 环境"],
    ],
    features: [
      ["creates hosts from declarative specs", "根据声明式配置创建主机"],
      ["installs Kubernetes on new machines", "在新机器上安装 Kubernetes"],
      ["talks to many cloud APIs", "对接多家云厂商 API"],
      ["boots machines over PXE", "通过 PXE 启动机器"],
    ],
    tags: ["provisioning", "iaas", "bare metal", "terraform", "openstack", "multi-cloud"],
    tagsZh: ["基础设施", "主机部署", "私有云", "多云"],
    roots: ["forge", "anvil", "metal", "rack", "terra", "stone", "iron", "mason", "crane", "scaffold"],
  },
  {
    id: "orchestration",
    name: ["Orchestration and scheduling", "编排和调度"],
    aliases: ["orchestration", "scheduling", "scheduler", "编排", "调度"],
    color: "#326ce5",
    nouns: [
      ["scheduler", "调度器"],
      ["orchestrator", "编排器"],
      ["workload controller", "工作负载控制器"],
      ["cluster autoscaler", "集群自动扩缩容组件"],
    ],
    purposes: [
      ["for batch jobs", "用于批处理任务"],
      ["for long-running services", "用于长期运行的服务"],
      ["for multi-cluster fleets", "用于多集群"],
      ["for machine-learning workloads", "用于机器学习负载"],
    ],
    features: [
      ["places pods by resource requests", "按资源请求调度 Pod"],
      ["scales nodes up and down", "自动增减节点"],
      ["rolls out new versions gradually", "逐步发布新版本"],
      ["queues jobs fairly between teams", "在团队之间公平排队任务"],
    ],
    tags: ["scheduling", "kubernetes", "autoscaling", "batch", "operator", "multi-cluster"],
    tagsZh: ["编排", "调度", "集群", "弹性伸缩", "批处理"],
    roots: ["flux", "sched", "fleet", "swarm", "conductor", "tempo", "pilot", "orbit", "herd", "shepherd"],
  },
  {
    id: "registries",
    name: ["Container image registries", "容器镜像仓库"],
    aliases: ["registry", "image registry", "镜像仓库", "私有仓库"],
    color: "#60b932",
    nouns: [
      ["image registry", "镜像仓库"],
      ["registry mirror", "仓库镜像"],
      ["artifact store", "制品库"],
      ["image distribution system", "镜像分发系统"],
    ],
    purposes: [
      ["for private images", "用于私有镜像"],
      ["for air-gapped sites", "用于离线环境"],
      ["for Helm charts", "用于 Helm Chart"],
      ["for edge caches", "用于边缘缓存"],
    ],
    features: [
      ["mirrors public images", "镜像公共仓库的镜像"],
      ["replicates images between sites", "在站点之间复制镜像"],
      ["garbage-collects unused layers", "回收不再使用的镜像层"],
      ["distributes layers peer to peer", "以 P2P 方式分发镜像层"],
    ],
    tags: ["registry", "oci", "mirror", "artifact", "helm", "p2p", "replication"],
    tagsZh: ["镜像仓库", "私有仓库", "制品库", "镜像分发"],
    roots: ["harbor", "dock", "vault", "cargo", "crate", "bay", "wharf", "depot", "quay", "keep"],
  },
  {
    id: "service-discovery",
    name: ["Service discovery and container DNS", "服务发现和容器域名服务"],
    aliases: ["service discovery", "discovery", "dns", "服务发现"],
    color: "#dc477d",
    nouns: [
      ["service registry", "服务注册中心"],
      ["DNS server", "DNS 服务器"],
      ["key-value store", "键值存储"],
      ["service mesh", "服务网格"],
      ["reverse proxy", "反向代理"],
    ],
    purposes: [
      ["for microservices", "用于微服务"],
      ["for container DNS", "用于容器域名解析"],
      ["for dynamic configuration", "用于动态配置"],
      ["for zero-trust traffic", "用于零信任流量"],
    ],
    features: [
      ["registers services with health checks", "带健康检查地注册服务"],
      ["answers DNS queries from a catalogue", "根据服务目录应答 DNS 查询"],
      ["keeps configuration consistent with Raft", "用 Raft 保持配置一致"],
      ["routes requests through sidecars", "通过 Sidecar 转发请求"],
    ],
    tags: ["service discovery", "dns", "key-value", "service mesh", "raft", "sidecar", "proxy"],
    tagsZh: ["服务发现", "注册中心", "服务网格", "键值存储", "反向代理"],
    roots: ["mesh", "link", "beacon", "compass", "relay", "router", "gate", "nexus", "atlas", "signal"],
  },
  {
    id: "logging",
    name: ["Container log collection", "容器日志收集处理"],
    aliases: ["logging", "logs", "log collection", "日志", "日志收集"],
    color: "#f5a800",
    nouns: [
      ["log shipper", "日志采集器"],
      ["log pipeline", "日志管道"],
      ["log store", "日志存储"],
      ["log search engine", "日志检索引擎"],
    ],
    purposes: [
      ["for container logs", "用于容器日志"],
      ["for Kubernetes audit logs", "用于 Kubernetes 审计日志"],
      ["for high-volume clusters", "用于大规模集群"],
      ["for cheap long-term retention", "用于低成本长期留存"],
    ],
    features: [
      ["tails log files on every node", "在每个节点上跟踪日志文件"],
      ["parses and enriches log lines", "解析并丰富日志行"],
      ["indexes labels instead of full text", "只索引标签而非全文"],
      ["forwards logs to many outputs", "把日志转发到多种输出"],
    ],
    tags: ["logging", "log shipper", "log collector", "log search", "syslog", "parsing"],
    tagsZh: ["日志收集", "日志转发", "日志分析", "日志检索"],
    roots: ["log", "loki", "quill", "scribe", "ledger", "trail", "tail", "echo", "journal", "record"],
  },
  {
    id: "os",
    name: ["Container operating systems", "容器相关的系统发行版"],
    aliases: ["container os", "operating system", "distro", "操作系统"],
    color: "#f06292",
    nouns: [
      ["container OS", "容器操作系统"],
      ["immutable Linux distribution", "不可变 Linux 发行版"],
      ["minimal host OS", "极简主机系统"],
    ],
    purposes: [
      ["for Kubernetes nodes", "用于 Kubernetes 节点"],
      ["for edge gateways", "用于边缘网关"],
      ["for secure hosts", "用于安全主机"],
    ],
    features: [
      ["updates atomically with rollback", "原子更新并可回滚"],
      ["boots straight into a container runtime", "启动后直接进入容器运行时"],
      ["ships a read-only root file system", "使用只读根文件系统"],
    ],
    tags: ["container os", "immutable", "minimal", "auto update", "linux distribution"],
    tagsZh: ["操作系统", "不可变系统", "轻量系统", "发行版"],
    roots: ["os", "linux", "kernel", "shell", "base", "root", "boot", "core", "seed", "flake"],
  },
  {
    id: "platforms",
    name: ["Container platforms (PaaS)", "容器平台"],
    aliases: ["paas", "caas", "container platform", "平台即服务"],
    color: "#00b39f",
    nouns: [
      ["PaaS", "PaaS 平台"],
      ["developer platform", "开发者平台"],
      ["serverless platform", "无服务器平台"],
      ["internal developer portal", "内部开发者门户"],
    ],
    purposes: [
      ["with git push deploys", "支持 git push 部署"],
      ["for functions", "用于函数计算"],
      ["for self-hosted apps", "用于自建应用"],
      ["for platform teams", "面向平台团队"],
    ],
    features: [
      ["builds apps from source with buildpacks", "用 Buildpack 从源码构建应用"],
      ["scales functions to zero", "把函数缩容到零"],
      ["gives each branch a preview environment", "为每个分支提供预览环境"],
      ["hides Kubernetes behind a simple CLI", "用简单的命令行屏蔽 Kubernetes 细节"],
    ],
    tags: ["paas", "serverless", "buildpacks", "git push", "self-hosted", "faas"],
    tagsZh: ["平台即服务", "无服务器", "容器平台", "自建"],
    roots: ["cloud", "nimbus", "stratus", "sky", "launch", "deploy", "ship", "rocket", "lift", "spark"],
  },
  {
    id: "networking",
    name: ["Container networking", "容器网络"],
    aliases: ["networking", "network", "cni", "网络"],
    color: "#1abc9c",
    nouns: [
      ["CNI plugin", "CNI 插件"],
      ["overlay network", "覆盖网络"],
      ["load balancer", "负载均衡器"],
      ["network policy engine", "网络策略引擎"],
    ],
    purposes: [
      ["for multi-host containers", "用于跨主机容器"],
      ["for bare-metal clusters", "用于裸金属集群"],
      ["with eBPF", "基于 eBPF"],
      ["for IPv6 clusters", "用于 IPv6 集群"],
    ],
    features: [
      ["encapsulates traffic in VXLAN", "用 VXLAN 封装流量"],
      ["announces routes over BGP", "通过 BGP 发布路由"],
      ["enforces network policy in the kernel", "在内核中执行网络策略"],
      ["allocates pod IP addresses", "分配 Pod IP 地址"],
    ],
    tags: ["cni", "overlay", "vxlan", "bgp", "ebpf", "network policy", "load balancer", "ipam"],
    tagsZh: ["容器网络", "覆盖网络", "网络策略", "负载均衡"],
    roots: ["net", "weave", "bridge", "route", "tunnel", "wire", "mesh", "flow", "switch", "fabric"],
  },
  {
    id: "security",
    name: ["Container security", "容器安全"],
    aliases: ["security", "sec", "安全"],
    color: "#c0392b",
    nouns: [
      ["image scanner", "镜像扫描器"],
      ["policy engine", "策略引擎"],
      ["runtime security agent", "运行时安全代理"],
      ["signing tool", "签名工具"],
      ["secrets manager", "密钥管理器"],
    ],
    purposes: [
      ["for supply-chain security", "用于供应链安全"],
      ["for Kubernetes admission", "用于 Kubernetes 准入控制"],
      ["for compliance audits", "用于合规审计"],
      ["for runtime threat detection", "用于运行时威胁检测"],
    ],
    features: [
      ["scans image layers for known CVEs", "扫描镜像层中的已知 CVE"],
      ["signs and verifies images", "对镜像签名并校验"],
      ["blocks pods that break policy", "拦截违反策略的 Pod"],
      ["watches system calls for attacks", "监视系统调用以发现攻击"],
    ],
    tags: ["vulnerability scanning", "cve", "signing", "policy", "admission", "sbom", "secrets"],
    tagsZh: ["容器安全", "漏洞扫描", "镜像签名", "策略", "供应链安全"],
    roots: ["guard", "shield", "sentry", "lock", "scan", "sign", "armor", "ward", "vigil", "seal"],
  },
  {
    id: "storage",
    name: ["Container data persistence", "容器数据持久化"],
    aliases: ["storage", "volumes", "存储", "数据卷"],
    color: "#8e44ad",
    nouns: [
      ["CSI driver", "CSI 驱动"],
      ["volume plugin", "数据卷插件"],
      ["distributed block store", "分布式块存储"],
      ["backup operator", "备份 Operator"],
      ["object store", "对象存储"],
    ],
    purposes: [
      ["for stateful sets", "用于有状态应用"],
      ["for databases on Kubernetes", "用于 Kubernetes 上的数据库"],
      ["for disaster recovery", "用于灾难恢复"],
      ["for S3-compatible storage", "用于兼容 S3 的存储"],
    ],
    features: [
      ["replicates volumes across nodes", "在节点间复制数据卷"],
      ["takes snapshots and backups", "创建快照并备份"],
      ["provisions volumes on demand", "按需创建数据卷"],
      ["serves an S3 API", "提供 S3 接口"],
    ],
    tags: ["csi", "volumes", "block storage", "object storage", "backup", "snapshot", "s3"],
    tagsZh: ["存储", "数据卷", "块存储", "对象存储", "备份"],
    roots: ["store", "disk", "vault", "silo", "stash", "drive", "block", "chest", "reef", "stack"],
  },
  {
    id: "dev-flow",
    name: ["Container development workflow", "容器相关开发流程工具"],
    aliases: ["ci", "cd", "ci/cd", "devops", "持续集成", "流水线"],
    color: "#34495e",
    nouns: [
      ["CI server", "CI 服务器"],
      ["image builder", "镜像构建工具"],
      ["GitOps controller", "GitOps 控制器"],
      ["local development tool", "本地开发工具"],
      ["pipeline engine", "流水线引擎"],
    ],
    purposes: [
      ["for container builds", "用于容器构建"],
      ["for Kubernetes deployments", "用于 Kubernetes 部署"],
      ["for monorepos", "用于单体仓库"],
      ["for inner-loop development", "用于本地开发循环"],
    ],
    features: [
      ["runs every pipeline step in a container", "在容器中运行流水线的每一步"],
      ["builds images without a daemon", "无需守护进程构建镜像"],
      ["syncs clusters from Git", "从 Git 同步集群状态"],
      ["reloads code in running pods", "在运行中的 Pod 里热更新代码"],
    ],
    tags: ["ci", "cd", "gitops", "pipeline", "image build", "continuous delivery"],
    tagsZh: ["持续集成", "持续交付", "流水线", "镜像构建"],
    roots: ["build", "ship", "drone", "forge", "pipe", "sprint", "tekton", "relay", "kiln", "loop"],
  },
];

/** General word parts, shared by every area. */
const ROOTS = [
  "storm",
  "bridge",
  "tide",
  "ember",
  "prism",
  "cobalt",
  "delta",
  "glide",
  "hydra",
  "ion",
  "jolt",
  "karma",
  "lumen",
  "magma",
  "nexa",
  "pixel",
  "quasar",
  "rivet",
  "sable",
  "talon",
  "umbra",
  "vapor",
  "wisp",
  "zephyr",
  "falcon",
  "otter",
  "badger",
  "heron",
  "lynx",
  "raven",
  "koala",
  "panda",
  "marlin",
  "osprey",
  "kestrel",
  "cinder",
  "granite",
  "basalt",
  "quartz",
  "onyx",
  "jade",
  "amber",
  "coral",
  "indigo",
  "scarlet",
  "violet",
  "arrow",
  "anchor",
  "keel",
  "rudder",
  "sail",
  "mast",
  "compass",
  "lantern",
  "torch",
  "spire",
  "vector",
  "kernel",
  "cache",
  "queue",
  "stream",
  "pulse",
  "shard",
  "span",
  "trace",
  "index",
  "token",
  "patch",
  "hook",
  "swift",
  "rapid",
  "nimble",
  "brisk",
  "quiet",
  "silent",
  "bright",
  "clear",
  "still",
  "true",
  "bold",
  "keen",
];
const SYLLABLES = [
  "ka",
  "lo",
  "ri",
  "zen",
  "vo",
  "mi",
  "tar",
  "nex",
  "quo",
  "bel",
  "dra",
  "fi",
  "gor",
  "hu",
  "jin",
  "kel",
  "mor",
  "pra",
  "sul",
  "tiv",
  "vex",
  "yar",
  "zor",
  "ane",
  "ix",
  "ul",
  "en",
  "os",
];
const TECH_SUFFIXES: [suffix: string, weight: number][] = [
  ["-io", 3],
  ["io", 1],
  ["DB", 3],
  ["db", 1],
  ["ctl", 3],
  ["OS", 2],
  ["d", 2],
  ["ify", 1],
  ["ly", 1],
  ["-operator", 2],
  ["-exporter", 2],
  ["-agent", 2],
  ["-proxy", 1],
  ["hub", 2],
  ["lab", 1],
  ["kit", 2],
  ["box", 1],
  ["stack", 1],
  ["flow", 1],
  ["ops", 1],
  ["-controller", 1],
  ["-cli", 1],
  ["-server", 1],
];
const ORGS = [
  "acme",
  "cloudnative-labs",
  "openfleet",
  "nimbus-io",
  "hashiverse",
  "bytecraft",
  "tidelabs",
  "kubeworks",
  "northwind",
  "polarlabs",
  "ironclad",
  "opencontainers-community",
  "streamline",
  "datafabric",
];
const VENDORS = ["acme", "northwind", "contoso", "initech", "globex", "umbrella", "hooli", "vandelay"];
const LANGS = ["Go", "Rust", "Java", "Python", "C", "TypeScript", "Zig"];
const LICENSES: [license: string, kind: LicenseKind][] = [
  ["Apache-2.0", "permissive"],
  ["MIT", "permissive"],
  ["BSD-3-Clause", "permissive"],
  ["MPL-2.0", "copyleft"],
  ["GPL-3.0", "copyleft"],
  ["AGPL-3.0", "copyleft"],
  ["BUSL-1.1", "source-available"],
  ["Proprietary", "proprietary"],
];
const STATUS_WEIGHTS: [Status, number][] = [
  ["active", 10],
  ["maintenance", 3],
  ["archived", 4],
  ["deprecated", 1],
  ["discontinued", 1],
  ["merged", 1],
  ["commercial", 1],
];
const GENERIC_TAGS = [
  "cncf",
  "kubernetes",
  "self-hosted",
  "cli",
  "operator",
  "helm",
  "docker",
  "multi-tenant",
  "edge",
  "go",
  "rust",
];
const GENERIC_TAGS_ZH = ["开源", "云原生", "自建", "命令行", "边缘计算", "多租户"];
const ADJECTIVES: Pair[] = [
  ["Lightweight", "轻量"],
  ["Fast", "高性能"],
  ["Minimal", "极简"],
  ["Pluggable", "可插拔"],
  ["Distributed", "分布式"],
  ["Cloud-native", "云原生"],
  ["Declarative", "声明式"],
  ["Simple", "简单的"],
  ["Secure", "安全的"],
  ["Scalable", "可扩展"],
];

const capital = (w: string) => (w ? (w[0] ?? "").toUpperCase() + w.slice(1) : w);

function weighted<T>(rng: Random, items: readonly [T, number][]): T {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let r = rng.next() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return (items[items.length - 1] as [T, number])[0];
}

function coined(rng: Random): string {
  let word = "";
  const n = 2 + rng.int(2);
  for (let i = 0; i < n; i++) word += rng.pick(SYLLABLES);
  return word;
}

/** A project name and the parts it was made of (for abbreviations). */
function projectName(rng: Random, theme: Theme): { name: string; parts: string[] } {
  const root = () => (rng.chance(0.45) ? rng.pick(theme.roots) : rng.pick(ROOTS));
  const style = rng.next();
  if (style < 0.2) {
    const a = root();
    let b = rng.pick(ROOTS);
    if (b === a) b = rng.pick(SYLLABLES) + b;
    return { name: capital(a) + capital(b), parts: [a, b] };
  }
  if (style < 0.3) {
    const r = root();
    return rng.chance(0.5)
      ? { name: `kube-${r}`, parts: ["kube", r] }
      : { name: `Kube${capital(r)}`, parts: ["kube", r] };
  }
  if (style < 0.55) {
    const r = rng.chance(0.5) ? root() : coined(rng);
    const suffix = weighted(rng, TECH_SUFFIXES);
    const base = rng.chance(0.6) ? capital(r) : r;
    return { name: base + suffix, parts: [r, suffix.replace("-", "").toLowerCase()] };
  }
  if (style < 0.7) {
    const a = root();
    const b = rng.pick(ROOTS);
    return { name: `${a}-${b === a ? coined(rng) : b}`, parts: [a, b] };
  }
  if (style < 0.9) {
    const word = coined(rng);
    return { name: capital(word), parts: [word] };
  }
  const r = root();
  return { name: `${capital(r)}${rng.chance(0.5) ? "" : " "}${2 + rng.int(8)}`, parts: [r] };
}

function slug(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** kubernetes -> k8s, observability -> o11y. */
function numeronym(word: string): string {
  return `${word[0]}${word.length - 2}${word[word.length - 1]}`;
}

export interface GeneratedTaxonomy {
  files: AreaFile[];
  ambiguous: AmbiguousName[];
}

export interface GenerateOptions {
  tools?: number;
  seed?: number;
  /** Mentions per 100 tools (the real data has about 20 for 100 tools). */
  mentionsPer100?: number;
}

/** The area files of a generated taxonomy. Same options, same result. */
export function generateAreaFiles(options: GenerateOptions = {}): GeneratedTaxonomy {
  const toolCount = options.tools ?? 10_000;
  const rng = random(options.seed ?? 20_191_107);
  const mentionCount = Math.round((toolCount * (options.mentionsPer100 ?? 5)) / 100);
  const used = new Set<string>(); // name keys of the tools namespace
  const ids = new Set<string>();
  const claim = (name: string) => {
    const key = nameKey(name);
    if (key.length < 2 || used.has(key)) return false;
    used.add(key);
    return true;
  };
  const files: AreaFile[] = THEMES.map((theme, i) => ({
    id: theme.id,
    order: i + 1,
    name: { en: theme.name[0], zh: theme.name[1] },
    aliases: theme.aliases,
    color: theme.color,
    summary: { en: `Tools of the area "${theme.name[0]}".`, zh: `${theme.name[1]}领域的工具。` },
    keyPoints: [],
    tools: [],
    mentions: [],
  }));
  const byRoot = new Map<string, string[]>();

  const makeEntry = (theme: Theme) => {
    let made: { name: string; parts: string[] } | undefined;
    for (let tries = 0; tries < 50 && !made; tries++) {
      const candidate = projectName(rng, theme);
      const id = slug(candidate.name);
      if (id.length >= 2 && !ids.has(id) && !used.has(nameKey(candidate.name)) && !used.has(nameKey(id)))
        made = candidate;
    }
    if (!made) throw new Error("generate-taxonomy: ran out of names");
    const { name, parts } = made;
    const id = slug(name);
    ids.add(id);
    claim(name);
    claim(id);
    const aliases: string[] = [];
    const alias = (a: string) => {
      if (claim(a)) aliases.push(a);
    };
    const org = rng.chance(0.4) ? id : rng.chance(0.5) ? `${id}-io` : rng.pick(ORGS);
    alias(`${org}/${id}`);
    if (rng.chance(0.25)) alias(`${rng.pick(ORGS)}/${id}`);
    if (parts.length > 1 && rng.chance(0.3))
      alias(parts.map((p) => p[0]).join("") + (rng.chance(0.3) ? String(rng.int(10)) : ""));
    const joined = parts.join("");
    if (joined.length >= 8 && rng.chance(0.15)) alias(numeronym(joined));
    if (rng.chance(0.1)) alias(`${rng.pick(VENDORS)} ${name.toLowerCase()}`);
    if (rng.chance(0.08)) alias(projectName(rng, theme).name);
    const root = parts[0] ?? id;
    byRoot.set(root, [...(byRoot.get(root) ?? []), id]);
    return { id, name, aliases, parts };
  };

  const describe = (theme: Theme, name: string) => {
    const adj = rng.pick(ADJECTIVES);
    const noun = rng.pick(theme.nouns);
    const purpose = rng.pick(theme.purposes);
    const [f1, f2] = rng.sample(theme.features, 2) as [Pair, Pair];
    const lang = rng.pick(LANGS);
    return {
      summary: { en: `${adj[0]} ${noun[0]} ${purpose[0]}.`, zh: `${purpose[1]}的${adj[1]}${noun[1]}。` },
      description: {
        en: `${name} is a ${adj[0].toLowerCase()} ${noun[0]} ${purpose[0]}. It ${f1[0]} and ${f2[0]}. Written in ${lang}, it is configured with one YAML file and ships as a single container image.`,
        zh: `${name} 是一个${purpose[1]}的${adj[1]}${noun[1]}。它${f1[1]}，并且${f2[1]}。项目使用 ${lang} 编写，通过一个 YAML 文件配置，以单个容器镜像发布。`,
      },
      tags: [
        ...rng.sample(theme.tags, 2 + rng.int(3)),
        ...rng.sample(GENERIC_TAGS, rng.int(3)),
        ...rng.sample(theme.tagsZh, 1 + rng.int(2)),
        ...rng.sample(GENERIC_TAGS_ZH, rng.int(2)),
      ],
    };
  };

  for (let i = 0; i < toolCount; i++) {
    const areaIndex = i % THEMES.length;
    const theme = THEMES[areaIndex] as Theme;
    const file = files[areaIndex] as AreaFile;
    const { id, name, aliases } = makeEntry(theme);
    const text = describe(theme, name);
    const [license, licenseKind] = rng.pick(LICENSES);
    const status = weighted(rng, STATUS_WEIGHTS);
    // Now and then the article's spelling differs from today's name, as "Habor" does.
    const misspelt = rng.chance(0.05) && name.length > 5 ? name.slice(0, -1) : name;
    const articleName = misspelt !== name && claim(misspelt) ? misspelt : name;
    file.tools.push({
      id,
      name,
      aliases,
      articleName,
      articleUrl: `https://github.com/${id}/${id}`,
      articleUrlSafe: true,
      repository: `https://github.com/${id}/${id}`,
      ...text,
      status,
      ...(status !== "active" ? { statusYear: 2015 + rng.int(11) } : {}),
      successorIds: [],
      license,
      licenseKind,
      related: [],
    });
  }
  const allTools = files.flatMap((f) => f.tools);
  for (const tool of allTools) {
    const related = new Set<string>();
    for (let n = rng.int(4); n > 0; n--) related.add(rng.pick(allTools).id);
    related.delete(tool.id);
    tool.related = [...related];
  }
  for (let i = 0; i < mentionCount; i++) {
    const areaIndex = rng.int(THEMES.length);
    const theme = THEMES[areaIndex] as Theme;
    const file = files[areaIndex] as AreaFile;
    const { id, name, aliases } = makeEntry(theme);
    const text = describe(theme, name);
    const owner = file.tools.length > 0 && rng.chance(0.5) ? rng.pick(file.tools).id : undefined;
    file.mentions.push({
      id,
      name,
      aliases,
      summary: text.summary,
      tags: text.tags,
      ...(owner ? { tool: owner } : {}),
    });
  }
  // A few bare word parts shared by several projects mean more than one entry, as "photon" does.
  const ambiguous: AmbiguousName[] = [];
  for (const [root, rootIds] of byRoot) {
    if (ambiguous.length >= Math.max(2, toolCount / 500)) break;
    if (rootIds.length >= 2 && root.length >= 4 && !used.has(nameKey(root))) {
      used.add(nameKey(root));
      ambiguous.push({ name: root, entries: rootIds.slice(0, 2 + rng.int(2)) });
    }
  }
  return { files, ambiguous };
}

/** The generated taxonomy, ready for a Resolver. */
export function generateTaxonomy(options: GenerateOptions = {}): Taxonomy {
  const { files, ambiguous } = generateAreaFiles(options);
  return new Taxonomy(files, ambiguous);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const tools = Number(process.argv[2] ?? 10_000);
  const seed = Number(process.argv[3] ?? 20_191_107);
  const started = performance.now();
  const taxonomy = generateTaxonomy({ tools, seed });
  const ms = performance.now() - started;
  const sample = [...taxonomy.tools.values()].filter((_, i) => i % Math.max(1, Math.floor(tools / 12)) === 0);
  console.log(
    `${taxonomy.tools.size} tools, ${taxonomy.mentions.size} mentions, ${taxonomy.areas.length} areas, ${taxonomy.ambiguous.length} ambiguous names, built in ${ms.toFixed(0)} ms`,
  );
  for (const t of sample)
    console.log(
      `  ${t.name.padEnd(22)} ${t.aliases.join(", ").padEnd(50)} ${t.summary.en} | ${t.summary.zh}`,
    );
}
