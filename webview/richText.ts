// Messages from the extension mark commands Markdown-style, in backticks.
// The Reviewer shows those as code instead of printing the backticks.

/** Splits `text` at backtick pairs: `code` pieces were quoted. An unpaired backtick stays as it is. */
export function codeSpans(text: string): { text: string; code: boolean }[] {
  const parts = text.split('`');
  // An even count of pieces means an odd count of backticks: the last one has no partner.
  const tail = parts.length % 2 === 0 ? `\`${parts.pop()}` : '';
  const spans = parts.map((t, i) => ({ text: t, code: i % 2 === 1 }));
  spans[spans.length - 1].text += tail;
  return spans.filter((s) => s.text);
}
