/** Rendering once per answer: what the renderers return for a reused answer. */
import { describe, expect, it } from "vitest";
import { renderAnswer } from "../adapters/discord/render.js";
import { derivedOnce, jsonBytesOnce, memoPerAnswer } from "../adapters/render-memo.js";
import type { Answer } from "../src/answer.js";
import { core } from "./helpers/core.js";

describe("memoPerAnswer", () => {
  it("renders an answer once per set of options", () => {
    let calls = 0;
    const render = memoPerAnswer((answer: Answer, options?: { page: number }) => {
      calls++;
      return { title: answer.title, page: options?.page ?? 0 };
    });
    const answer = {
      kind: "help",
      locale: "en",
      title: "Help",
      blocks: [],
      actions: [],
    } as unknown as Answer;
    const first = render(answer, { page: 1 });
    expect(render(answer, { page: 1 })).toBe(first);
    expect(render(answer, { page: 2 })).toEqual({ title: "Help", page: 2 });
    expect(render(answer)).toEqual({ title: "Help", page: 0 });
    expect(calls).toBe(3);
    const other = { ...answer, title: "Other" };
    expect(render(other, { page: 1 })).toEqual({ title: "Other", page: 1 });
    expect(calls).toBe(4);
  });

  it("gives the Discord renderer's same result for the same answer, unchanged by use", async () => {
    const answer = await core().answer({ command: "tool", args: { name: "calico" } });
    const first = renderAnswer(answer, { ephemeral: true });
    const snapshot = JSON.stringify(first);
    expect(renderAnswer(answer, { ephemeral: true })).toBe(first);
    expect(JSON.stringify(renderAnswer(answer, { ephemeral: true }))).toBe(snapshot);
    expect(renderAnswer(answer)).not.toBe(first);
  });
});

describe("derivedOnce and jsonBytesOnce", () => {
  it("make a value once per object and variant", () => {
    let made = 0;
    const once = derivedOnce<{ n: number }>();
    const a = {};
    const b = {};
    const first = once(a, 1, () => ({ n: ++made }));
    expect(once(a, 1, () => ({ n: ++made }))).toBe(first);
    expect(once(a, 2, () => ({ n: ++made }))).toEqual({ n: 2 });
    expect(once(b, 1, () => ({ n: ++made }))).toEqual({ n: 3 });
    expect(made).toBe(3);
  });

  it("serialise a reply once per message and variant", () => {
    const message = { text: "Calico" };
    const bytes = jsonBytesOnce(message, 4, () => ({ type: 4, data: message }));
    expect(JSON.parse(bytes.toString())).toEqual({ type: 4, data: { text: "Calico" } });
    expect(jsonBytesOnce(message, 4, () => ({ type: 4, data: message }))).toBe(bytes);
    expect(JSON.parse(jsonBytesOnce(message, 7, () => ({ type: 7, data: message })).toString())).toEqual({
      type: 7,
      data: { text: "Calico" },
    });
  });
});
