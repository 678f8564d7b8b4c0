/**
 * Untrusted text (a hostile command, a line of random bytes) shown with its
 * control characters spelled out instead of obeyed: an ANSI escape in it must
 * not recolour, move or clear the user's terminal, and a newline must not
 * forge a second line of output.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** Text on one line for a message or a comment: whitespace runs become one space, control characters `?`, cut to `max` characters with `…`. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
