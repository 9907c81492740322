// How far apart two words are, for "did you mean …?" hints (unknown fields, unknown config keys).

const rowA = new Int32Array(256);
const rowB = new Int32Array(256);

/** Levenshtein distance, giving up (returning `limit`) once it cannot come under `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  if (b.length >= rowA.length) return limit;
  let prev = rowA;
  let row = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1));
      row[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= limit) return limit;
    [prev, row] = [row, prev];
  }
  return prev[b.length];
}

/** The candidate nearest to `wanted` (case-insensitive) within 2 edits, or null. */
export function nearest(wanted: string, candidates: Iterable<string>): string | null {
  const w = wanted.toLowerCase();
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(w, candidate.toLowerCase(), bestDistance);
    if (d < bestDistance) [bestDistance, best] = [d, candidate];
  }
  return best;
}
