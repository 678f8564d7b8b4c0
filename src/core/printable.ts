/**
 * Characters untrusted text must not send to a terminal as they are: C0 and C1
 * controls (an ANSI escape recolours, moves or clears; a newline forges a line)
 * and the bidirectional overrides and isolates, which make text read in an
 * order other than the one it runs in (`gnp.exe` shown for `exe.png`).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Untrusted text (a hostile command, a line of random bytes) with those characters spelled out instead of obeyed. */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** Text on one line for a message or a comment: whitespace runs become one space, those characters `?`, cut to `max` characters with `…`. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').replace(UNSAFE, '?').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
