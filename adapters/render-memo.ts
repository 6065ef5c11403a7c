/**
 * Renders each answer once per set of options. The core hands out the same Answer object for a
 * lookup it reuses (src/answer-cache.ts), so a burst of the same card is rendered once; a new
 * answer is a new object, and the WeakMap lets old ones go with it. Callers must treat what a
 * memoised renderer returns as read-only (they spread it into new objects; none mutate it).
 */
import type { Answer } from "../src/answer.js";

export function memoPerAnswer<O, R>(
  render: (answer: Answer, options?: O) => R,
): (answer: Answer, options?: O) => R {
  const memo = new WeakMap<Answer, Map<string, R>>();
  return (answer, options) => {
    const key = options === undefined ? "" : JSON.stringify(options);
    let byOptions = memo.get(answer);
    if (!byOptions) {
      byOptions = new Map();
      memo.set(answer, byOptions);
    }
    let rendered = byOptions.get(key);
    if (rendered === undefined) {
      rendered = render(answer, options);
      byOptions.set(key, rendered);
    }
    return rendered;
  };
}
