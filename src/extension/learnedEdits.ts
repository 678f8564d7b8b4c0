// Learned patterns → minimal text edits of a policy file, made by the core
// merge (comments and formatting are kept byte for byte), and turned into a
// WorkspaceEdit so the change is one undoable step in the editor.
import * as vscode from 'vscode';
import { fragmentEdits } from '../core/learn/merge';
import type { PatternAlternative, PatternEntry, Suggestions } from '../core/learn/types';
import type { SuggestionKind } from './learnedDiagnostics';

/** Suggestions with nothing in them, as a base for a single hand-picked rule. */
export function emptySuggestions(): Suggestions {
  return {
    exec: [], read: [], write: [], fetch: [], warnings: [], handled: [], tests: [],
    stats: { totalEvents: 0, byTool: {}, durationMs: 0, agent: '', session: '', distinctCommands: 0, badLines: { count: 0, samples: [] } },
  };
}

/** Suggestions holding only the given entries (the rest empty), as a merge input. */
export function onlyEntries(base: Suggestions, picks: { kind: SuggestionKind; entry: PatternEntry }[]): Suggestions {
  const s: Suggestions = { ...base, exec: [], read: [], write: [], fetch: [], warnings: [], handled: [], tests: [] };
  for (const p of picks) s[p.kind].push(p.entry);
  return s;
}

/** The entry rewritten to allow one of its ranked alternatives instead of its default. */
export function withAlternative(entry: PatternEntry, alt: PatternAlternative): PatternEntry {
  return { ...entry, pattern: alt.pattern, notMatches: alt.notMatches, count: alt.covers };
}

/** Edits that add the picked entries to `text`; empty when they are all there already. */
export function learnedTextEdits(text: string, base: Suggestions, picks: { kind: SuggestionKind; entry: PatternEntry }[], file: string) {
  return fragmentEdits(text, onlyEntries(base, picks), { file });
}

export function toWorkspaceEdit(doc: vscode.TextDocument, edits: { offset: number; length: number; newText: string }[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) {
    we.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.newText);
  }
  return we;
}

export function describeAlternative(kind: SuggestionKind, alt: PatternAlternative): string {
  const verb = kind === 'exec' ? 'Allow' : kind === 'read' ? 'Allow reading' : kind === 'write' ? 'Allow writing' : 'Allow fetching from';
  if (alt.kind === 'exact') return `${verb} exactly \`${alt.pattern}\``;
  return `${verb} \`${alt.pattern}\` (covers ${alt.covers} observed call${alt.covers === 1 ? '' : 's'})`;
}
