// Quick fixes for lint's "did you mean X?" hints (`comand_matches`, `alow`):
// replace the misspelt word with X, its quotes kept.
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from './lintDiagnostics';

/** The hint as toDiagnostic appends it to the message. */
const DID_YOU_MEAN = /\(did you mean ([^\s?]+)\?\)$/;
const QUOTED = /^(['"])[^]*\1$/;

export class TypoFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      const meant = d.source === DIAGNOSTIC_SOURCE ? DID_YOU_MEAN.exec(d.message)?.[1] : undefined;
      if (!meant) continue;
      const quote = QUOTED.exec(doc.getText(d.range))?.[1] ?? '';
      const action = new vscode.CodeAction(`Change to ${meant}`, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(doc.uri, d.range, `${quote}${meant}${quote}`);
      action.diagnostics = [d];
      action.isPreferred = true;
      out.push(action);
    }
    return out;
  }
}
