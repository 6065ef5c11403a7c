/** Rendering once per answer: what the renderers return for a reused answer. */
import { describe, expect, it } from "vitest";
import { renderAnswer } from "../adapters/discord/render.js";
import { memoPerAnswer } from "../adapters/render-memo.js";
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
