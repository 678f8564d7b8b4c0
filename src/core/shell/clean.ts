// Removes terminal escape sequences and control characters before parsing, so
// that what a policy sees is what a human reading the command would see.
// Newlines and tabs are kept (they separate commands and words); CR is dropped.
import type { CommandComponent } from './types';

const ESC = 0x1b;

/** Invisible characters that could make two different-looking words read the same. */
function isInvisible(c: number): boolean {
  return (
    c === 0x00ad || // soft hyphen
    (c >= 0x200b && c <= 0x200f) || // zero-width space/joiners, LRM/RLM
    (c >= 0x202a && c <= 0x202e) || // bidi embeddings and overrides
    (c >= 0x2060 && c <= 0x2064) || // word joiner, invisible operators
    (c >= 0x2066 && c <= 0x2069) || // bidi isolates
    c === 0xfeff // BOM / zero-width no-break space
  );
}

export function isDropped(c: number): boolean {
  if (c < 0x20) return c !== 0x0a && c !== 0x09;
  if (c < 0x7f) return false;
  if (c <= 0x9f) return true; // DEL and C1 controls
  return c >= 0x00ad && isInvisible(c);
}

/** Index just past the escape sequence starting at `i` (s[i] is ESC or CSI 0x9b). */
function skipEscape(s: string, i: number): number {
  const n = s.length;
  let j = i + 1;
  const kind = s.charCodeAt(i) === 0x9b ? 0x5b : s.charCodeAt(j++);
  if (kind === 0x5b) {
    // CSI: parameter bytes 0x30–0x3f, intermediates 0x20–0x2f, final 0x40–0x7e.
    while (j < n) {
      const c = s.charCodeAt(j);
      if (c >= 0x40 && c <= 0x7e) return j + 1;
      if (c < 0x20 || c > 0x3f) return j;
      j++;
    }
    return j;
  }
  if (kind === 0x5d || kind === 0x50 || kind === 0x5f || kind === 0x5e || kind === 0x58) {
    // OSC / DCS / APC / PM / SOS: string terminated by BEL or ESC \.
    while (j < n) {
      const c = s.charCodeAt(j);
      if (c === 0x07) return j + 1;
      if (c === ESC) return s.charCodeAt(j + 1) === 0x5c ? j + 2 : j;
      j++;
    }
    return j;
  }
  // Two-byte (or charset-select three-byte) escapes.
  if (kind >= 0x20 && kind <= 0x2f && j < n) j++;
  return Math.min(j, n);
}

/**
 * The characters isDropped accepts, as a class: the regex engine finds the
 * first one (or that there is none, as in most commands) several times faster
 * than a loop over charCodeAt. test/shell/parse.test.ts checks the two agree.
 */
export const DROPPED = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** `s` without ANSI/OSC escapes, C0/C1 controls (except \n and \t) and invisible format characters. */
export function stripControl(s: string): string {
  const n = s.length;
  let i = s.search(DROPPED);
  if (i < 0) return s;
  let out = s.slice(0, i);
  let seg = i;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (!isDropped(c)) {
      i++;
      continue;
    }
    out += s.slice(seg, i);
    i = c === ESC || c === 0x9b ? skipEscape(s, i) : i + 1;
    seg = i;
  }
  return out + s.slice(seg);
}

/** Stands in for a dropped character in the shell's reading of a line: a private-use character, read as part of a word. */
const MARK = '\ue000';
const MARKS = /\ue000/g;

/** `s` with every character stripControl drops (each one, not whole escape sequences) replaced by MARK. */
export function markDropped(s: string): string {
  let out = '';
  let seg = 0;
  for (let i = s.search(DROPPED); i >= 0 && i < s.length; i++) {
    if (!isDropped(s.charCodeAt(i))) continue;
    out += s.slice(seg, i) + MARK;
    seg = i + 1;
  }
  return out + s.slice(seg);
}

const unmark = (s: string): string => s.replace(MARKS, '');

/** A component parsed from a marked line, with the marks removed from its words. */
export function unmarkComponent(c: CommandComponent): CommandComponent {
  const env = Object.fromEntries(Object.entries(c.env).map(([k, v]) => [unmark(k), unmark(v)]));
  return {
    ...c,
    argv: c.argv.map(unmark),
    binary: unmark(c.binary),
    text: unmark(c.text),
    env,
    wrappers: c.wrappers.map(unmark),
    redirects: c.redirects.map((r) => ({ ...r, target: unmark(r.target), ...(r.body === undefined ? {} : { body: unmark(r.body) }) })),
  };
}
