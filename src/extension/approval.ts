// Enforce mode's `ask`: a modal with Deny / Allow once / Always allow. Always
// allow adds an exact rule to the session's policy through the learn merge
// (the gate reloads it); the call runs only after a click.
//
// VS Code makes the first button of a modal its default (focused, so Enter
// presses it) and puts the close affordance (Escape) last; an item marked
// `isCloseAffordance` can never be the default. So Deny comes first, and the
// close affordance VS Code adds (Cancel) denies as well: a stray Enter or
// Escape never approves.
import * as vscode from 'vscode';
import { readSettings } from './settings';
import type { AgentSession } from './sessions';
import { emptySuggestions, learnedTextEdits, toWorkspaceEdit } from './learnedEdits';

export async function askApproval(
  session: AgentSession,
  call: { tool: string; command: string },
  message: string,
  log: vscode.LogOutputChannel,
): Promise<boolean> {
  if (readSettings(session.folder).askBehavior === 'deny') {
    log.info(`ask denied by setting rampartLearn.ask.behavior: ${call.command}`);
    return false;
  }
  const once = 'Allow once';
  const always = 'Always allow';
  const deny = 'Deny';
  // Only commands get "Always allow": an exact command is a rule a human can read and undo.
  const buttons = call.tool === 'exec' ? [deny, once, always] : [deny, once];
  const choice = await vscode.window.showWarningMessage(
    `${session.agent} wants to ${call.tool === 'exec' ? 'run' : call.tool}: ${call.command.slice(0, 200)}`,
    { modal: true, detail: `${message || 'The policy asks for approval.'}${call.tool === 'exec' ? `\n\nAlways allow adds an exact rule to ${session.policyFile}.` : ''}` },
    ...buttons,
  );
  if (choice === always) {
    try {
      await allowExactly(session.policyFile, call.command);
    } catch (err) {
      void vscode.window.showErrorMessage(`Rampart: could not add the rule: ${(err as Error).message}. The call is allowed once.`);
    }
  }
  const allowed = choice === once || choice === always;
  log.info(`ask ${allowed ? 'approved' : 'denied'} (${choice ?? 'dismissed'}): ${call.command}`);
  return allowed;
}

/** Adds an exact allow rule as a minimal edit of the policy's document (undoable), then saves it for the gate. */
async function allowExactly(policyFile: string, command: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(policyFile));
  const entry = { pattern: command, count: 1, examples: [command], alternatives: [{ pattern: command, kind: 'exact' as const, covers: 1 }] };
  const { edits } = learnedTextEdits(doc.getText(), emptySuggestions(), [{ kind: 'exec', entry }], policyFile);
  if (!edits.length) return;
  await vscode.workspace.applyEdit(toWorkspaceEdit(doc, edits));
  await doc.save();
}
