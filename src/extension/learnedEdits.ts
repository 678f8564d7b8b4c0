// Learned patterns → minimal text edits of a policy file, made by the core
// merge (comments and formatting are kept byte for byte), and turned into a
// WorkspaceEdit so the change is one undoable step in the editor.
import * as vscode from 'vscode';
import { fragmentEdits, learnedRulePatterns, type TextEdit } from '../core/learn/merge';
import type { PatternAlternative, PatternEntry, Suggestions } from '../core/learn/types';
import { SUGGESTION_KINDS, suggestionId, type SuggestionKind } from './learnedDiagnostics';

export interface LearnedPick {
  kind: SuggestionKind;
  entry: PatternEntry;
}

/** Suggestions holding only the given entries (the rest empty), as a merge input. */
export function onlyEntries(base: Suggestions, picks: LearnedPick[]): Suggestions {
  const s: Suggestions = { ...base, exec: [], read: [], write: [], fetch: [], warnings: [], handled: [], tests: [] };
  for (const p of picks) s[p.kind].push(p.entry);
  return s;
}

/** The entry rewritten to allow one of its ranked alternatives instead of its default. */
export function withAlternative(entry: PatternEntry, alt: PatternAlternative): PatternEntry {
  return { ...entry, pattern: alt.pattern, notMatches: alt.notMatches, count: alt.covers };
}

/**
 * The entry in its default form, with only its own guards: the analyzer gives
 * every entry the guards of all of them (they share one rule in a full
 * fragment), which would bring other tools' guards along with a single pick.
 */
export function defaultForm(kind: SuggestionKind, entry: PatternEntry): LearnedPick {
  const alt = entry.alternatives.find((a) => a.pattern === entry.pattern);
  return { kind, entry: alt ? withAlternative(entry, alt) : entry };
}

/** Edits that add the picked entries to `text`; empty when they are all there already. */
export function learnedTextEdits(text: string, base: Suggestions, picks: LearnedPick[], file: string) {
  return fragmentEdits(text, onlyEntries(base, picks), { file });
}

/**
 * The suggestions the file does not answer yet: once one of a suggestion's
 * alternatives is in the file (a quick fix applied, or typed by hand) it is
 * no longer pending, and is again after an undo. A file the merge cannot parse
 * keeps every suggestion.
 */
export function pendingSuggestions(text: string, file: string, s: Suggestions): Suggestions {
  const out = { ...s };
  // The merge adds every pattern its `learned-*` policy does not spell out, so only a pattern
  // found there needs a merge to tell. A merge parses the whole file: on a policy with thousands of
  // guards, one per alternative of every suggestion took seconds after each edit (about 4 s for
  // 14 suggestions on a 5,600-line policy); the file is parsed once here instead.
  const spelled = learnedRulePatterns(text);
  for (const kind of SUGGESTION_KINDS) {
    out[kind] = s[kind].filter((entry) => {
      const choices = [entry, ...entry.alternatives.map((alt) => withAlternative(entry, alt))];
      try {
        return choices.every((choice) => !spelled.has(choice.pattern) || learnedTextEdits(text, s, [{ kind, entry: choice }], file).edits.length > 0);
      } catch {
        return true;
      }
    });
  }
  return out;
}

/** The suggestions to review on `text`, as the Problems panel lists them: pending and not dismissed. */
export function reviewable(text: string, file: string, s: Suggestions, dismissed: ReadonlySet<string>): LearnedPick[] {
  const pending = pendingSuggestions(text, file, s);
  return SUGGESTION_KINDS.flatMap((kind) => pending[kind].filter((entry) => !dismissed.has(suggestionId(kind, entry))).map((entry) => ({ kind, entry })));
}

/**
 * Where the edits' inserted text lies in the edited document, as offsets
 * without the surrounding line breaks: what to select after applying them.
 */
export function insertedSpan(edits: readonly TextEdit[]): { start: number; end: number } | undefined {
  if (!edits.length) return undefined;
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  let shift = 0;
  let start = -1;
  let end = 0;
  for (const e of sorted) {
    if (start < 0) start = e.offset + (e.newText.length - e.newText.trimStart().length);
    end = e.offset + shift + e.newText.trimEnd().length;
    shift += e.newText.length - e.length;
  }
  return { start, end: Math.max(start, end) };
}

/** "`git *`" or "3 patterns", and the guards that came with them, for titles and messages. */
export function describeAdded(added: readonly string[], guards: number): string {
  // `added` holds "policy: pattern".
  const patterns = added.length === 1 ? `\`${added[0].slice(added[0].indexOf(': ') + 2)}\`` : `${added.length} patterns`;
  const withGuards = `${guards.toLocaleString('en-US')} guard${guards === 1 ? '' : 's'} against dangerous forms`;
  if (!added.length) return `${withGuards} for rules already there`;
  return guards ? `${patterns} with ${withGuards}` : patterns;
}

export function toWorkspaceEdit(doc: vscode.TextDocument, edits: { offset: number; length: number; newText: string }[], metadata?: vscode.WorkspaceEditEntryMetadata): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) {
    we.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.newText, metadata);
  }
  return we;
}

export function describeAlternative(kind: SuggestionKind, alt: PatternAlternative): string {
  const verb = kind === 'exec' ? 'Allow' : kind === 'read' ? 'Allow reading' : kind === 'write' ? 'Allow writing' : 'Allow fetching from';
  if (alt.kind === 'exact') return `${verb} exactly \`${alt.pattern}\``;
  // A companion covers no observed call: its diagnostic says why it is suggested.
  if (!alt.covers) return `${verb} \`${alt.pattern}\` (not observed)`;
  return `${verb} \`${alt.pattern}\` (covers ${alt.covers} observed call${alt.covers === 1 ? '' : 's'})`;
}
