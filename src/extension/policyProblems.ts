// A policy with errors: Run Agent Task refuses to start an agent on it, and a
// save the gate rejects while agents run leaves the previous policy in force.
// Both say so in one line with the way to the problems; the parser's own
// messages are in the Problems panel, where they have a line to point at.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { PolicyError } from '../core/policy';
import { plural } from '../core/plural';

/** The error a policy file fails to load with, or undefined when it loads. */
export async function policyLoadError(file: string): Promise<PolicyError | undefined> {
  const { loadPolicy, PolicyError } = await import('../core/policy');
  try {
    loadPolicy(file);
    return undefined;
  } catch (err) {
    if (err instanceof PolicyError) return err;
    throw err;
  }
}

/** "rampart.yaml has 3 errors", from a load error (a non-policy error, e.g. an unreadable file, counts as one). */
export function policyErrorSummary(file: string, err: Error): string {
  const diagnostics = (err as Partial<PolicyError>).diagnostics;
  const n = diagnostics ? Math.max(1, diagnostics.filter((d) => d.severity === 'error').length) : 1;
  return `${basename(file)} has ${plural(n, 'error')}`;
}

/** Shows `message` with Show Problems and Open Policy buttons. */
export async function showPolicyProblem(severity: 'error' | 'warning', message: string, file: string): Promise<void> {
  const problems = 'Show Problems';
  const open = 'Open Policy';
  const choice = await (severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage)(message, problems, open);
  if (choice === problems) await vscode.commands.executeCommand('workbench.actions.view.problems');
  else if (choice === open) await vscode.window.showTextDocument(vscode.Uri.file(file));
}
