// Most spellings of a long command are the command line itself with a few
// characters taken out: `git commit -m "…2 KB…"` has the component text
// `git commit -m …2 KB…`, quotes gone. Searching such a text again for every
// pattern literal costs as much as searching the command line. Instead the
// text is cut into pieces that each occur in the command line (so they hold no
// literal the command line lacks), and only short windows around the seams
// between pieces, where a literal could span two pieces, are searched.

/** Pieces not found where the last one ended are looked up by this many characters. */
const PROBE = 16;
/** Characters of the line skipped when looking for the next piece where the last one ended. */
const MAX_DROPPED = 2;
/** Past this many look-ups the text is too unlike the line: search it whole. */
const MAX_LOOKUPS = 24;

/**
 * The parts of `text` a literal of at most `reach + 1` characters can occur in
 * without occurring in `line`, as [from, to) offset pairs flattened, or
 * undefined when the text is too unlike the line to be cut into a few pieces
 * of it (then the whole text must be searched).
 */
export function seamWindows(text: string, line: string, reach: number): number[] | undefined {
  const n = text.length;
  // Seams as [from, to) pairs: text[from, to) is not known to occur in the line, or (from === to) a seam lies before `from`.
  const seams: number[] = [];
  let a = 0;
  let hint = 0;
  for (let lookups = 0; a < n; lookups++) {
    if (lookups === MAX_LOOKUPS) return undefined;
    // Most often the text goes on where the last piece ended in the line, past a dropped quote or two.
    let q = hint;
    let len = 0;
    for (let dropped = 0; dropped <= MAX_DROPPED && !len && hint + dropped < line.length; dropped++) {
      q = hint + dropped;
      len = commonRun(text, a, line, q, 0);
    }
    if (!len) {
      q = line.indexOf(text.slice(a, a + PROBE));
      if (q < 0) {
        seams.push(a, a + 1);
        a++;
        continue;
      }
      len = commonRun(text, a, line, q, Math.min(PROBE, n - a));
    }
    if (a > 0) seams.push(a, a);
    a += len;
    hint = q + len;
  }
  return mergedWindows(seams, reach, n);
}

/** Each seam widened by `reach` on both sides, clipped to [0, n), overlapping ones merged. */
function mergedWindows(seams: readonly number[], reach: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < seams.length; i += 2) {
    const from = Math.max(0, seams[i]! - reach);
    const to = Math.min(n, seams[i + 1]! + reach);
    if (out.length && from <= out[out.length - 1]!) out[out.length - 1] = Math.max(out[out.length - 1]!, to);
    else out.push(from, to);
  }
  return out;
}

/** Length of the common run of text[a…] and line[q…], known to be at least `known`: galloping, then halving. */
function commonRun(text: string, a: number, line: string, q: number, known: number): number {
  const max = Math.min(text.length - a, line.length - q);
  let lo = known;
  for (let step = 16; lo < max; step *= 4) {
    const hi = Math.min(lo + step, max);
    if (same(text, a, line, q, lo, hi)) {
      lo = hi;
      continue;
    }
    let bad = hi;
    while (bad - lo > 1) {
      const mid = (lo + bad) >> 1;
      if (same(text, a, line, q, lo, mid)) lo = mid;
      else bad = mid;
    }
    break;
  }
  return lo;
}

/** Whether text[a + from, a + to) equals line[q + from, q + to): two slices compare natively (startsWith walks characters). */
function same(text: string, a: number, line: string, q: number, from: number, to: number): boolean {
  return text.slice(a + from, a + to) === line.slice(q + from, q + to);
}
