// Character offsets (what the core's YAML positions are) to VS Code ranges.
// Works on plain text, so files that are not open in an editor get the same
// ranges as open documents. Offsets and VS Code characters are both UTF-16
// code units, so no re-encoding is needed.
import * as vscode from 'vscode';

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 0-based line and character of an offset, clamped into the text. */
  position(offset: number): vscode.Position {
    const o = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return new vscode.Position(lo, o - this.starts[lo]);
  }

  /** The offset where a 0-based line's text ends (before `\r\n` or `\n`). */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return next > this.starts[line] && this.text[next - 1] === '\r' ? next - 1 : next;
  }

  /**
   * The range of [offset, endOffset). An empty range (e.g. "missing key" at the
   * end of a mapping) is widened to the rest of its line so the squiggle shows.
   */
  range(offset: number, endOffset: number): vscode.Range {
    const start = this.position(offset);
    let end = this.position(Math.max(offset, endOffset));
    if (end.isEqual(start)) {
      const lineEnd = this.lineEnd(start.line);
      const lineStart = this.starts[start.line];
      end = lineEnd > lineStart + start.character ? new vscode.Position(start.line, lineEnd - lineStart) : end;
    }
    return new vscode.Range(start, end);
  }
}
