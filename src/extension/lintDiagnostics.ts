// Policy lint results (core offsets) → VS Code diagnostics on exact ranges.
import * as vscode from 'vscode';
import { lintPolicyText, type PolicyDiagnostic } from '../core/policy';
import { LineIndex } from './ranges';

export const DIAGNOSTIC_SOURCE = 'rampart';

export function toDiagnostic(index: LineIndex, d: PolicyDiagnostic): vscode.Diagnostic {
  const message = d.hint ? `${d.message} (${d.hint})` : d.message;
  const severity = d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const diag = new vscode.Diagnostic(index.range(d.offset, d.endOffset), message, severity);
  diag.source = DIAGNOSTIC_SOURCE;
  diag.code = d.code;
  return diag;
}

/** Lints a policy text; a crash of the linter itself becomes one diagnostic instead of silence. */
export function lintDiagnostics(text: string, file: string, index = new LineIndex(text)): vscode.Diagnostic[] {
  try {
    return lintPolicyText(text, file).map((d) => toDiagnostic(index, d));
  } catch (err) {
    const diag = new vscode.Diagnostic(index.range(0, 0), `Rampart could not lint this file: ${(err as Error).message}`, vscode.DiagnosticSeverity.Error);
    diag.source = DIAGNOSTIC_SOURCE;
    return [diag];
  }
}
