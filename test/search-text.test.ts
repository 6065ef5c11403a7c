/**
 * The text helpers under names, search and the data (src/text): traditional Chinese folded for
 * lookups, Chinese joined without stray spaces, and the checks the data rules use.
 */
import { describe, expect, it } from "vitest";
import { tokenize } from "../src/search/tokenize.js";
import { toSimplified } from "../src/text/hanzi.js";
import { foldLines, halfWidthPunctuationIn, joinCjk, nameKey, straySpaceIn } from "../src/text/normalize.js";

describe("traditional Chinese", () => {
  it("folds common traditional characters to simplified ones, and leaves the rest", () => {
    expect(toSimplified("容器網絡")).toBe("容器网络");
    expect(toSimplified("監控和數據收集")).toBe("监控和数据收集");
    expect(toSimplified("日誌、鏡像倉庫、服務發現")).toBe("日志、镜像仓库、服务发现");
    expect(toSimplified("容器网络 Calico k8s")).toBe("容器网络 Calico k8s");
  });

  it("makes names and search words match in either script", () => {
    expect(nameKey("網絡")).toBe(nameKey("网络"));
    expect(nameKey("編排 和 調度")).toBe(nameKey("编排和调度"));
    expect(tokenize("日誌收集")).toEqual(tokenize("日志收集"));
  });
});

describe("Chinese spacing", () => {
  it("joins Chinese to Chinese without a space, and Chinese to a Latin word with one", () => {
    expect(joinCjk("请改用", "Podman")).toBe("请改用 Podman");
    expect(joinCjk("请改用", "云厂商的 CSI 驱动")).toBe("请改用云厂商的 CSI 驱动");
    expect(joinCjk("现为", "Docker Engine")).toBe("现为 Docker Engine");
    expect(joinCjk("Docker Engine", "的一部分")).toBe("Docker Engine 的一部分");
    expect(joinCjk("可选替代：", "containerd")).toBe("可选替代：containerd");
    expect(joinCjk("CRI-O", "或")).toBe("CRI-O 或");
  });

  it("folds wrapped lines as they read", () => {
    expect(foldLines(["在几百个", "节点以内。", "它本身", "支持 BGP", "和 eBPF。"])).toBe(
      "在几百个节点以内。它本身支持 BGP 和 eBPF。",
    );
    expect(foldLines(["Calico programs routes", "and iptables rules."])).toBe(
      "Calico programs routes and iptables rules.",
    );
    expect(foldLines(["iptables", "或 eBPF", "（BGP）", "分发"])).toBe("iptables 或 eBPF（BGP）分发");
  });

  it("finds stray spaces and ASCII punctuation in Chinese text, with where they are", () => {
    expect(straySpaceIn("几百个 节点")).toBe("几百个 节点");
    expect(straySpaceIn("拉取。 它本身")).toBe("拉取。 它本身");
    expect(straySpaceIn("如今仍以 “Calico”的形式")).toBeDefined();
    expect(straySpaceIn("Calico 为每个工作负载分配 IP，并配置 BGP 路由")).toBeUndefined();
    expect(halfWidthPunctuationIn("单机时问题不大,但在集群中")).toBe("时问题不大,但在集群");
    expect(halfWidthPunctuationIn("容器网络(Container networking)")).toBeDefined();
    expect(halfWidthPunctuationIn("从 1.11/1.12 版本起，Node.js 的")).toBeUndefined();
  });
});
