// Building diagnostics from character offsets, "did you mean" hints, and the
// error thrown when a policy cannot be loaded.
import { closest, distance } from 'fastest-levenshtein';
import { LineCounter } from 'yaml';
import type { PolicyDiagnostic } from './types';

/** Converts offsets of one file to 1-based line/column pairs. */
export class SourceText {
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lines.addNewLine(i + 1);
  }

  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  diagnostic(
    start: number,
    end: number,
    severity: PolicyDiagnostic['severity'],
    code: string,
    message: string,
    hint?: string,
  ): PolicyDiagnostic {
    const s = Math.max(0, Math.min(start, this.text.length));
    const e = Math.max(s, Math.min(end, this.text.length));
    const a = this.lines.linePos(s);
    const b = this.lines.linePos(e);
    const d: PolicyDiagnostic = {
      file: this.file,
      line: a.line,
      column: a.col,
      endLine: b.line,
      endColumn: b.col,
      offset: s,
      endOffset: e,
      severity,
      code,
      message,
    };
    if (hint) d.hint = hint;
    return d;
  }
}

/** `file:line:col: message (hint)` — the one-line form used by the CLI and PolicyError. */
export function formatDiagnostic(d: PolicyDiagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}${d.hint ? ` (${d.hint})` : ''}`;
}

export class PolicyError extends Error {
  constructor(readonly diagnostics: PolicyDiagnostic[]) {
    // The first error in the text, whatever order the checks found them in (files keep theirs).
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const first = errors.reduce<PolicyDiagnostic | undefined>((a, d) => (!a || (d.file === a.file && d.offset < a.offset) ? d : a), undefined) ?? diagnostics[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    super(first ? `${formatDiagnostic(first)}${more}` : 'invalid policy');
    this.name = 'PolicyError';
  }
}

// Words people reach for that are far from the right one in edit distance.
const SYNONYMS: Record<string, string> = {
  block: 'deny',
  reject: 'deny',
  refuse: 'deny',
  forbid: 'deny',
  permit: 'allow',
  accept: 'allow',
  approve: 'allow',
  prompt: 'ask',
  confirm: 'ask',
  require_approval: 'ask',
  audit: 'watch',
  monitor: 'watch',
  warn: 'watch',
  conditions: 'when',
  condition: 'when',
  if: 'when',
  reason: 'message',
  command_glob: 'command_matches',
  command: 'command_matches',
  path: 'path_matches',
  domain: 'domain_matches',
  url: 'url_matches',
  tools: 'tool',
  agents: 'agent',
  sessions: 'session',
  defaultAction: 'default_action',
  default: 'default_action',
};

/** The closest valid word, as a hint, when one is plausibly meant. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const syn = Object.hasOwn(SYNONYMS, word) ? SYNONYMS[word] : undefined;
  if (syn && candidates.includes(syn)) return `did you mean ${syn}?`;
  if (!candidates.length) return undefined;
  const best = closest(word.toLowerCase(), candidates as string[]);
  const d = distance(word.toLowerCase(), best);
  return d <= Math.max(2, Math.floor(best.length / 3)) ? `did you mean ${best}?` : undefined;
}
