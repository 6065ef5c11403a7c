/**
 * Bad input never crashes, never goes silent and never echoes something dangerous: each gets a
 * clear answer in the member's language.
 */
import { describe, expect, it } from "vitest";
import type { Answer } from "../src/answer.js";
import { parseLine } from "../src/commands/parse.js";
import { Skilltree } from "../src/core.js";
import { core } from "./helpers/core.js";

const ask = (line: string): Promise<Answer> => core().answer(parseLine(line));
const text = (answer: Answer) => JSON.stringify(answer);

describe("bad input", () => {
  it("asks for a name when /tool is empty, in the member's language", async () => {
    const answer = await ask("/tool");
    expect(answer).toMatchObject({ kind: "error", error: { code: "empty_input" }, private: true });
    expect(answer.blocks[0]).toMatchObject({ type: "text", text: expect.stringMatching(/Which tool\?/) });
    const zh = await core().answer({ command: "tool", args: { name: "   " }, locale: "zh-CN" });
    expect(text(zh)).toMatch(/要查哪个工具/);
  });

  it("asks for words when /search is empty", async () => {
    expect(await ask("/search")).toMatchObject({ kind: "error", error: { code: "empty_input" } });
  });

  it("refuses 5,000 characters with a clear limit", async () => {
    const answer = await ask(`/tool ${"a".repeat(5000)}`);
    expect(answer).toMatchObject({ kind: "error", error: { code: "input_too_long" } });
    expect(answer.error?.message).toMatch(/at most 100 characters/);
    expect((await ask(`/search ${"日志".repeat(2500)}`)).error?.message).toMatch(/最多 200 个字符/);
  });

  it("ignores control characters, zero-width characters and bidi overrides", async () => {
    expect((await ask("/tool cal\u0000ico")).tool?.id).toBe("calico");
    expect((await ask("/tool cal\u200bico")).tool?.id).toBe("calico");
    expect((await ask("/tool \u202ecalico\u202c")).tool?.id).toBe("calico");
    expect((await ask("/tool \u001b[31mcalico")).kind).not.toBe("error");
    expect(text(await ask("/tool \u001b[2Jzzz"))).not.toContain("\u001b");
    expect(await ask("/tool \u0000\u0001\u0002")).toMatchObject({
      kind: "error",
      error: { code: "empty_input" },
    });
  });

  it("answers @everyone, markup and paths as unknown names, never as commands", async () => {
    for (const line of [
      "/tool @everyone",
      "/tool @here",
      "/tool <@123456>",
      "/tool <script>alert(1)</script>",
      "/tool ../../etc/passwd",
      "/tool C:\\Windows\\system32",
    ]) {
      const answer = await ask(line);
      expect(answer.kind, line).toBe("not_found");
      expect(answer.title, line).toMatch(/^Nothing called “/);
    }
  });

  it("accepts Chinese and full-width input", async () => {
    expect((await ask("/skilltree 容器网络")).category?.id).toBe("networking");
    expect((await ask("/tool ｐｒｏｍｅｔｈｅｕｓ")).tool?.id).toBe("prometheus");
    expect((await ask("／tool calico")).tool?.id).toBe("calico");
    const search = await ask("/search 日志收集");
    expect(search.kind).toBe("search");
    expect(search.locale).toBe("zh-CN");
    expect(search.candidates?.slice(0, 3).map((c) => c.id)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/fluentd|elastic-stack|logging|logstash|rsyslog|splunk|beats|flume/),
      ]),
    );
  });

  it("answers an unknown command with a pointer to /help", async () => {
    const answer = await ask("/frobnicate now");
    expect(answer).toMatchObject({ kind: "error", error: { code: "unknown_command" } });
    expect(text(answer)).toMatch(/\/help/);
    expect((await ask(`/${"x".repeat(5000)}`)).title).toBeTruthy();
  });

  it("searches for bare text without a slash", async () => {
    expect((await ask("overlay network")).kind).toBe("search");
  });

  it("turns an internal failure into a friendly answer and reports it", async () => {
    const errors: unknown[] = [];
    const sturdy = new Skilltree(core().taxonomy, { defaultLocale: "zh-CN", onError: (e) => errors.push(e) });
    // An adapter handing over a broken payload: reading its arguments throws.
    const args = new Proxy({} as Record<string, string>, {
      get() {
        throw new Error("boom");
      },
      ownKeys() {
        throw new Error("boom");
      },
    });
    const answer = await sturdy.answer({ command: "tool", args });
    expect(answer).toMatchObject({ kind: "error", locale: "zh-CN", error: { code: "internal" } });
    expect(errors).toHaveLength(1);
  });
});

describe("options parsed from one line of text drop nothing", () => {
  it.each([
    ["/top workspace networking", { area: "networking", scope: "workspace" }],
    ["/top networking workspace", { area: "networking", scope: "workspace" }],
    ["/top workspace service discovery", { area: "service discovery", scope: "workspace" }],
    ["/top networking", { area: "networking" }],
    ["/radar workspace", { scope: "workspace" }],
    // Words that fit no option stay with the option they were meant for, as typed.
    ["/radar everywhere", { scope: "everywhere" }],
    ["/radar workspace extra", { scope: "workspace extra" }],
    ["/top channel workspace", { scope: "channel workspa⋯" }],
    ["/top networking workspace extra", { area: "networking", scope: "workspace extra" }],
    [
      "/recommend open vswitch trial works well",
      { tool: "open vswitch", stance: "trial", reason: "works well" },
    ],
    ["/recommend calico great tool", { tool: "calico great tool" }],
  ])("%s -> %j", (line, args) => {
    expect(parseLine(line).args).toEqual(args);
  });

  it("answers a word that is no scope with bad_option, in the member's language", async () => {
    const en = await ask("/radar everywhere");
    expect(en.error).toEqual({
      code: "bad_option",
      message: "“everywhere” is not a valid choice here. Use one of: channel, workspace.",
    });
    const zh = await ask("/radar 到处");
    expect(zh.locale).toBe("zh-CN");
    expect(zh.error?.code).toBe("bad_option");
    expect(zh.error?.message).toBe("“到处”不是有效的选项，可选：channel, workspace。");
  });
});
