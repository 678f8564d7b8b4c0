// Quick fixes on learned-suggestion diagnostics: one per ranked alternative,
// "apply all learned exec rules", and "dismiss". Each fix is a WorkspaceEdit
// computed by the core merge, applied only when the user picks it.
import * as vscode from 'vscode';
import { LEARNED_CODE, type LearnedFinding } from './learnedDiagnostics';
import { describeAlternative, learnedTextEdits, toWorkspaceEdit, withAlternative } from './learnedEdits';
import type { LearnState } from './learnState';
import type { PolicyDiagnostics } from './policyDiagnostics';
import type { TextEdit } from '../core/learn/merge';

export const DISMISS_COMMAND = 'rampartLearn.dismissSuggestion';

export class LearnedQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly diagnostics: PolicyDiagnostics,
    private readonly learn: LearnState,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const learned = this.learn.get(doc.uri.fsPath);
    if (!learned) return [];
    const findings = this.diagnostics.findingsOf(doc.uri);
    const matched = context.diagnostics
      .filter((d) => d.code === LEARNED_CODE)
      .map((d) => findings.find((f) => f.diagnostic.message === d.message && f.diagnostic.range.isEqual(d.range)))
      .filter((f): f is LearnedFinding => !!f);
    const text = doc.getText();
    const actions: vscode.CodeAction[] = [];
    for (const f of matched) {
      for (const alt of f.entry.alternatives) {
        const edits = this.editsFor(doc, () => learnedTextEdits(text, learned.suggestions, [{ kind: f.kind, entry: withAlternative(f.entry, alt) }], doc.uri.fsPath).edits);
        if (!edits.length) continue;
        const action = new vscode.CodeAction(describeAlternative(f.kind, alt), vscode.CodeActionKind.QuickFix);
        action.edit = toWorkspaceEdit(doc, edits);
        action.diagnostics = [f.diagnostic];
        action.isPreferred = alt.pattern === f.entry.pattern;
        actions.push(action);
      }
    }
    if (matched.length) {
      const execs = findings.filter((f) => f.kind === 'exec');
      if (execs.length > 1) {
        const edits = this.editsFor(doc, () => learnedTextEdits(text, learned.suggestions, execs.map((f) => ({ kind: f.kind, entry: f.entry })), doc.uri.fsPath).edits);
        if (edits.length) {
          const all = new vscode.CodeAction(`Apply all learned exec rules (${execs.length})`, vscode.CodeActionKind.QuickFix);
          all.edit = toWorkspaceEdit(doc, edits);
          all.diagnostics = execs.map((f) => f.diagnostic);
          actions.push(all);
        }
      }
      for (const f of matched) {
        const dismiss = new vscode.CodeAction(`Dismiss suggestion \`${f.entry.pattern}\``, vscode.CodeActionKind.QuickFix);
        dismiss.command = { title: 'Dismiss suggestion', command: DISMISS_COMMAND, arguments: [doc.uri.fsPath, f.id] };
        dismiss.diagnostics = [f.diagnostic];
        actions.push(dismiss);
      }
    }
    return actions;
  }

  /** A merge that fails (e.g. the file no longer parses) drops that one fix, not the whole menu. */
  private editsFor(doc: vscode.TextDocument, make: () => TextEdit[]): TextEdit[] {
    try {
      return make();
    } catch (err) {
      this.log.warn(`quick fix for ${doc.uri.fsPath} skipped: ${(err as Error).message}`);
      return [];
    }
  }
}
