/**
 * Characters untrusted text must not send to a terminal as they are: C0 and C1
 * controls (an ANSI escape recolours, moves or clears; a newline forges a line)
 * and the bidirectional marks, overrides and isolates, which make text read
 * in an order other than the one it runs in (`gnp.exe` shown for `exe.png`).
 */
const BIDI_CONTROLS = '\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069';
const UNSAFE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${BIDI_CONTROLS}]`, 'g');
/** The bidirectional marks, overrides and isolates alone. */
export const BIDI = new RegExp(`[${BIDI_CONTROLS}]`, 'g');

/** A character as the `\\uXXXX` escape that JavaScript, JSON and YAML double-quoted strings all read back as it. */
export function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Untrusted text (a hostile command, a line of random bytes) with those characters spelled out instead of obeyed. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code > 0xff ? unicodeEscape(c) : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** Text on one line for a message or a comment: whitespace runs become one space, those characters `?`, cut to `max` characters with `…`. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').replace(UNSAFE, '?').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
