// Enforce mode's `ask`: a modal with Deny / Allow once / Always allow. Always
// allow changes the session's policy so that the command, exactly as run, is
// no longer asked about (the gate reloads it); the call runs only after a click.
//
// VS Code makes the first button of a modal its default (focused, so Enter
// presses it) and puts the close affordance (Escape) last; an item marked
// `isCloseAffordance` can never be the default. So Deny comes first, and the
// close affordance VS Code adds (Cancel) denies as well: a stray Enter or
// Escape never approves.
import * as vscode from 'vscode';
import { readSettings } from './settings';
import type { AgentSession } from './sessions';
import { alwaysAllow, wholeEdit } from '../core/learn/always-allow';
import { toWorkspaceEdit } from './learnedEdits';

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
    { modal: true, detail: `${message || 'The policy asks for approval.'}${call.tool === 'exec' ? `\n\nAlways allow stops ${session.policyFile} from asking about this exact command.` : ''}` },
    ...buttons,
  );
  if (choice === always) {
    try {
      await allowAlways(session.policyFile, call.command, log);
    } catch (err) {
      void vscode.window.showErrorMessage(`Rampart: could not add the rule: ${(err as Error).message}. The call is allowed once.`);
    }
  }
  const allowed = choice === once || choice === always;
  log.info(`ask ${allowed ? 'approved' : 'denied'} (${choice ?? 'dismissed'}): ${call.command}`);
  return allowed;
}

/**
 * Makes the policy allow the command from now on (core/learn/always-allow.ts: exceptions to the rules that ask,
 * never to a deny), as one undoable edit of its document, saved for the gate to reload.
 */
async function allowAlways(policyFile: string, command: string, log: vscode.LogOutputChannel): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(policyFile));
  const before = doc.getText();
  const result = alwaysAllow(before, policyFile, command);
  for (const change of result.changes) log.info(`always allow: ${change}`);
  if (result.refusal) {
    void vscode.window.showWarningMessage(`Rampart: "${command.slice(0, 80)}" is allowed once only: ${result.refusal}.`);
    return;
  }
  if (result.text === before) return;
  await vscode.workspace.applyEdit(toWorkspaceEdit(doc, [wholeEdit(before, result.text)]));
  await doc.save();
}
