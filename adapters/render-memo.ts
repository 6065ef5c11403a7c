/**
 * Values derived from a rendered answer, made once and reused while the answer lives. The core
 * hands out the same Answer object for a lookup it reuses (src/answer-cache.ts), so a burst of
 * the same card is rendered once, its private copy or reply envelope made once, and its bytes
 * serialised once. A new answer is a new object, and the WeakMaps let old ones go with it.
 * Callers must treat what these return as read-only (they spread it into new objects; none
 * mutate it).
 */
import type { Answer } from "../src/answer.js";

/**
 * A cache of values derived from objects: `make()` runs once per object and variant, and the
 * value lives as long as the object does.
 */
export function derivedOnce<V>(): (key: object, variant: string | number, make: () => V) => V {
  const memo = new WeakMap<object, Map<string | number, V>>();
  return (key, variant, make) => {
    let byVariant = memo.get(key);
    if (!byVariant) {
      byVariant = new Map();
      memo.set(key, byVariant);
    }
    let value = byVariant.get(variant);
    if (value === undefined) {
      value = make();
      byVariant.set(variant, value);
    }
    return value;
  };
}

/** A renderer that renders each answer once per set of options. */
export function memoPerAnswer<O, R>(
  render: (answer: Answer, options?: O) => R,
): (answer: Answer, options?: O) => R {
  const once = derivedOnce<R>();
  return (answer, options) =>
    once(answer, options === undefined ? "" : JSON.stringify(options), () => render(answer, options));
}

/**
 * A reply's JSON bytes, serialised once per object it was built from (a rendered message) and
 * variant (Discord's response type, Slack's response type). Replies are read-only once rendered.
 */
const serialised = derivedOnce<Buffer>();

export function jsonBytesOnce(key: object, variant: string | number, body: () => unknown): Buffer {
  return serialised(key, variant, () => Buffer.from(JSON.stringify(body())));
}
