// Emoji and typographic symbols are for a terminal. Under NO_COLOR, or when
// the stream is a pipe or a file (logs, CI), the CLI's notes are plain ASCII,
// as the learn summary is (same test: `wantsColor`).
import { wantsColor } from './policy-files';

const ASCII: ReadonlyArray<readonly [RegExp, string]> = [
  [/\u26a0\ufe0f?\s*/gu, '! '], // ⚠️ (before the emoji range, which does not hold it)
  [/[\u{1f300}-\u{1faff}]\ufe0f?\s*/gu, ''], // 🎓 📊 …: decoration only
  [/\u2014/gu, '-'], // —
  [/\u2026/gu, '...'], // …
  [/\u2192/gu, '->'], // →
  [/\u2022/gu, '-'], // •
  [/\u2265/gu, '>='], // ≥
  [/\u2264/gu, '<='], // ≤
];

/** `text` with the CLI's symbols spelled in ASCII. */
export function plainSymbols(text: string): string {
  return ASCII.reduce((t, [symbol, ascii]) => t.replace(symbol, ascii), text);
}

/** `text` as it should appear on `stream`: unchanged on a colour terminal, else plain ASCII. */
export function forStream(stream: NodeJS.WriteStream, text: string): string {
  return wantsColor(stream) ? text : plainSymbols(text);
}
