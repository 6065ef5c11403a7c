/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions) and the typo
 * score built on it: the reference definitions. The searches compute the same distance with a
 * budget (edits.ts), which is what makes them fast; the tests check both agree.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (prevPrev[j - 2] ?? 0) + 1);
      }
      current.push(best);
    }
    prevPrev = prev;
    prev = current;
  }
  return prev[b.length] ?? 0;
}

/** 0 for equal strings, 1 for nothing in common: edits per character of the longer one. */
export function distanceScore(a: string, b: string): number {
  return editDistance(a, b) / Math.max(a.length, b.length, 1);
}
