/** `12,345`: a count as people read it, grouped in thousands. */
export function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 event`, `2 events`, `12,345 events`: a count with its noun in the right number. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${grouped(n)} ${n === 1 ? one : many}`;
}
