// Whole-string wildcard matching for command and domain globs: `*` matches
// any run of characters (including `/`, `.` and spaces), `?` one character,
// `[…]` a class (`[!…]`/`[^…]` negated, `a-z` ranges). A backslash makes the
// next glob character (`* ? [ ] \`) literal. The pattern is split at its stars
// into fixed-length segments; the first is anchored at the start, the last at
// the end, and the middle ones are found leftmost-first, which is exact for
// this syntax and runs in O(text × segment) without backtracking.

/** One character position of a segment: a literal char code or a class. */
type Atom = number | CharClass;

interface CharClass {
  negated: boolean;
  /** Inclusive code ranges, flattened [lo0, hi0, lo1, hi1, …]. */
  ranges: number[];
}

interface Segment {
  atoms: Atom[];
  /** The segment as a string when it has no `?` or classes (fast indexOf/startsWith). */
  literal: string | null;
  /**
   * For a segment with `?` or classes: its longest run of literal characters
   * and where the run starts, so that `find` jumps between occurrences of the
   * run with indexOf instead of trying every position.
   */
  anchor: string;
  anchorAt: number;
}

const STAR = 42, QUESTION = 63, LBRACKET = 91, RBRACKET = 93, BSL = 92, BANG = 33, CARET = 94, MINUS = 45;

/** Class starting at pattern[i] === '['; returns the class and the index after `]`, or null if unterminated. */
function readClass(p: string, i: number): { cls: CharClass; end: number } | null {
  let j = i + 1;
  const negated = p.charCodeAt(j) === BANG || p.charCodeAt(j) === CARET;
  if (negated) j++;
  const ranges: number[] = [];
  let first = true;
  while (j < p.length) {
    let c = p.charCodeAt(j);
    if (c === RBRACKET && !first) return { cls: { negated, ranges }, end: j + 1 };
    first = false;
    if (c === BSL && j + 1 < p.length) c = p.charCodeAt(++j);
    let hi = c;
    if (p.charCodeAt(j + 1) === MINUS && j + 2 < p.length && p.charCodeAt(j + 2) !== RBRACKET) {
      hi = p.charCodeAt(j + 2);
      if (hi === BSL && j + 3 < p.length) {
        hi = p.charCodeAt(j + 3);
        j++;
      }
      j += 2;
    }
    ranges.push(Math.min(c, hi), Math.max(c, hi));
    j++;
  }
  return null;
}

function parseSegments(p: string): Segment[] {
  const segs: Segment[] = [];
  let atoms: Atom[] = [];
  let literal = true;
  let text = '';
  const close = () => {
    const { run, at } = longestRun(atoms);
    segs.push({ atoms, literal: literal ? text : null, anchor: run, anchorAt: at });
    atoms = [];
    literal = true;
    text = '';
  };
  for (let i = 0; i < p.length; ) {
    const c = p.charCodeAt(i);
    if (c === STAR) {
      close();
      while (p.charCodeAt(i) === STAR) i++;
      continue;
    }
    if (c === QUESTION) {
      atoms.push({ negated: true, ranges: [] });
      literal = false;
      i++;
      continue;
    }
    if (c === LBRACKET) {
      const r = readClass(p, i);
      if (r) {
        // A class of one character (`[?]`, `[*]`: a quoted glob character) is that literal.
        const one = singleChar(r.cls);
        if (one === undefined) {
          atoms.push(r.cls);
          literal = false;
        } else {
          atoms.push(one);
          text += String.fromCharCode(one);
        }
        i = r.end;
        continue;
      }
    }
    if (c === BSL && i + 1 < p.length) {
      const e = p.charCodeAt(i + 1);
      if (e === STAR || e === QUESTION || e === LBRACKET || e === RBRACKET || e === BSL) {
        atoms.push(e);
        text += p[i + 1];
        i += 2;
        continue;
      }
    }
    atoms.push(c);
    text += p[i];
    i++;
  }
  close();
  return segs;
}

/** The one character a class matches, if it matches exactly one. */
function singleChar(cls: CharClass): number | undefined {
  if (cls.negated) return undefined;
  const r = cls.ranges;
  for (let k = 0; k < r.length; k++) if (r[k] !== r[0]) return undefined;
  return r[0];
}

/** The longest run of literal atoms and its offset in the segment. */
function longestRun(atoms: Atom[]): { run: string; at: number } {
  let best = { run: '', at: 0 };
  let run = '';
  for (let k = 0; k <= atoms.length; k++) {
    const a = atoms[k];
    if (typeof a === 'number') {
      run += String.fromCharCode(a);
      continue;
    }
    if (run.length > best.run.length) best = { run, at: k - run.length };
    run = '';
  }
  return best;
}

/**
 * The longest run of literal characters of a wildcard pattern: every string
 * the pattern matches contains it ('' when the pattern has none).
 */
export function requiredLiteral(pattern: string): string {
  let best = '';
  for (const seg of parseSegments(pattern)) if (seg.anchor.length > best.length) best = seg.anchor;
  return best;
}

/** The text every string a wildcard pattern matches starts with: its characters up to the first wildcard. */
export function leadingLiteral(pattern: string): string {
  const first = parseSegments(pattern)[0]!;
  if (first.literal !== null) return first.literal;
  let out = '';
  for (const a of first.atoms) {
    if (typeof a !== 'number') break;
    out += String.fromCharCode(a);
  }
  return out;
}

/**
 * Whether some string could start with both texts (one is a prefix of the
 * other). When two patterns' leading literals fail this, no string matches both.
 */
export function prefixesAgree(a: string, b: string): boolean {
  return a.length <= b.length ? b.startsWith(a) : a.startsWith(b);
}

/** A character no pattern holds: it stands for a wildcard of the pattern tested by `wildcardCovers`. */
const HOLE = '\u0000';

/**
 * Whether every string `inner` matches is also matched by `outer`, proved for
 * an `outer` whose only wildcard is `*` (for any other, false). Each wildcard
 * of `inner` becomes a HOLE, which no literal of `outer` can match, so only a
 * star of `outer` can absorb it; and a star absorbs whatever text the
 * wildcard stands for.
 */
export function wildcardCovers(outer: string, inner: string): boolean {
  if (outer.includes(HOLE) || parseSegments(outer).some((seg) => seg.literal === null)) return false;
  const skeleton = parseSegments(inner)
    .map((seg) => seg.atoms.map((a) => (typeof a === 'number' ? String.fromCharCode(a) : HOLE)).join(''))
    .join(HOLE);
  return compileWildcard(outer)(skeleton);
}

function atomMatches(a: Atom, c: number): boolean {
  if (typeof a === 'number') return a === c;
  const r = a.ranges;
  for (let k = 0; k < r.length; k += 2) if (c >= r[k]! && c <= r[k + 1]!) return !a.negated;
  return a.negated;
}

function matchAt(seg: Segment, s: string, at: number): boolean {
  if (seg.literal !== null) return s.startsWith(seg.literal, at);
  const atoms = seg.atoms;
  for (let k = 0; k < atoms.length; k++) if (!atomMatches(atoms[k]!, s.charCodeAt(at + k))) return false;
  return true;
}

/** First index ≥ from where `seg` matches and ends by `end`, or -1. */
function find(seg: Segment, s: string, from: number, end: number): number {
  const len = seg.atoms.length;
  if (seg.literal !== null) {
    const at = s.indexOf(seg.literal, from);
    return at >= 0 && at + len <= end ? at : -1;
  }
  if (!seg.anchor) {
    for (let at = from; at + len <= end; at++) if (matchAt(seg, s, at)) return at;
    return -1;
  }
  // Only where the anchor run occurs can the segment start (anchorAt before it).
  const k = seg.anchorAt;
  for (let a = s.indexOf(seg.anchor, from + k); a >= 0; a = s.indexOf(seg.anchor, a + 1)) {
    const at = a - k;
    if (at + len > end) return -1;
    if (matchAt(seg, s, at)) return at;
  }
  return -1;
}

/** Compiles a whole-string wildcard pattern into a predicate. */
export function compileWildcard(pattern: string): (text: string) => boolean {
  const segs = parseSegments(pattern);
  const first = segs[0]!;
  if (segs.length === 1) {
    const lit = first.literal;
    if (lit !== null) return (s) => s === lit;
    const len = first.atoms.length;
    return (s) => s.length === len && matchAt(first, s, 0);
  }
  const last = segs[segs.length - 1]!;
  const middle = segs.slice(1, -1);
  const firstLen = first.atoms.length;
  const lastLen = last.atoms.length;
  const minLen = segs.reduce((sum, seg) => sum + seg.atoms.length, 0);
  if (middle.length === 0) {
    // `abc*`, `*abc`, `a*c`: prefix/suffix checks only.
    if (lastLen === 0 && first.literal !== null) {
      const prefix = first.literal;
      return (s) => s.startsWith(prefix);
    }
    return (s) => s.length >= minLen && matchAt(first, s, 0) && matchAt(last, s, s.length - lastLen);
  }
  return (s) => {
    if (s.length < minLen || !matchAt(first, s, 0) || !matchAt(last, s, s.length - lastLen)) return false;
    const end = s.length - lastLen;
    let pos = firstLen;
    for (const seg of middle) {
      const at = find(seg, s, pos, end);
      if (at < 0) return false;
      pos = at + seg.atoms.length;
    }
    return true;
  };
}
