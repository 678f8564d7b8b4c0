// "Add deny rule for …": the Reviewer's row action for a command the model
// flags unsafe (or a human labelled unsafe). It runs only on that click; the
// rule is made by the core merge as one undoable edit of the policy, proposed
// for review like the learned rules (policyEdit.ts).
import * as vscode from 'vscode';
import { existsSync, statSync } from 'node:fs';
import { evaluate, loadPolicy, type PolicySet } from '../core/policy';
import { basename } from 'node:path';
import { policyFileOf, requireFolder } from './folders';
import { proposePolicyEdit, whileBusy, type BeforeSnapshots } from './policyEdit';
import { printable } from '../core/printable';

export interface DenyTarget {
  command: string;
  /** Where the agent ran it: picks the workspace folder, hence the policy. */
  cwd?: string;
  /** The agent session: its policy is the one to edit, when it ran in this window. */
  session?: string;
}

export interface DenyRuleContext {
  snapshots: BeforeSnapshots;
  policyOfSession(session: string): string | undefined;
  log: vscode.LogOutputChannel;
}

/** The policy a call goes to when that is known without asking: its session's, else the one of the folder it ran in. */
function knownPolicyFor(target: DenyTarget, policyOfSession: (session: string) => string | undefined): string | undefined {
  const ofSession = target.session ? policyOfSession(target.session) : undefined;
  if (ofSession) return ofSession;
  const folder = target.cwd ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(target.cwd)) : undefined;
  return folder ? policyFileOf(folder).file : undefined;
}

/** The policy the rule goes to: the one known for the call, else the one of the folder the user picks. */
async function policyFor(target: DenyTarget, ctx: DenyRuleContext): Promise<string | undefined> {
  const known = knownPolicyFor(target, ctx.policyOfSession);
  if (known) return known;
  const folder = await requireFolder('Add deny rule');
  return folder ? policyFileOf(folder).file : undefined;
}

/** Policies loaded for `deniedNow`, by file, until the file changes. */
const loaded = new Map<string, { mtimeMs: number; set: PolicySet | undefined }>();

/**
 * Whether the policy a call would go to (its session's, else its folder's) denies the command now, as
 * saved on disk: once a deny rule was added, the Reviewer stops offering *Deny…* for it. Never asks
 * which folder; false when the policy is unknown or does not load.
 */
export function deniedNow(target: DenyTarget, policyOfSession: (session: string) => string | undefined): boolean {
  const file = knownPolicyFor(target, policyOfSession);
  if (!file) return false;
  const mtimeMs = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
  if (mtimeMs === undefined) return false;
  let entry = loaded.get(file);
  if (entry?.mtimeMs !== mtimeMs) {
    let set: PolicySet | undefined;
    try {
      set = loadPolicy(file);
    } catch {
      set = undefined; // a broken policy is reported where it is edited
    }
    loaded.set(file, (entry = { mtimeMs, set }));
  }
  return !!entry.set && evaluate(entry.set, { tool: 'exec', params: { command: target.command }, cwd: target.cwd }).action === 'deny';
}

/** The rule proposed, and whether the file is saved with it; undefined when nothing changed. */
export async function proposeDenyRule(target: DenyTarget, ctx: DenyRuleContext): Promise<{ pattern: string; file: string; saved: boolean } | undefined> {
  const file = await policyFor(target, ctx);
  if (!file) return undefined;
  if (!existsSync(file)) throw new Error(`${file} does not exist yet; run "Rampart: Open Policy" to create it`);
  return whileBusy(`Rampart: adding a deny rule to ${basename(file)}…`, async (ready) => {
    const { denyRuleEdits } = await import('../core/learn/deny-rule');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const { edits, pattern } = denyRuleEdits(doc.getText(), target.command, { file });
    if (!edits.length) {
      await ready();
      void vscode.window.showInformationMessage(`Rampart: ${basename(file)} already has this deny rule.`);
      return undefined;
    }
    const printed = printable(pattern);
    const shown = printed.length > 60 ? `${printed.slice(0, 59)}…` : printed;
    const outcome = await proposePolicyEdit(doc, edits, `a deny rule for \`${shown}\``, ctx.snapshots, ready);
    ctx.log.info(`deny rule ${outcome} in ${file}: ${printable(pattern)}`);
    return outcome === 'discarded' ? undefined : { pattern, file, saved: outcome === 'saved' };
  });
}
