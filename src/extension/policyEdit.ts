// Learned allow rules and the Reviewer's deny rules reach the policy as one
// undoable edit, which the user reviews before it takes effect: the gate
// reloads the policy when the file is saved, not when it is edited.
//
// With `files.autoSave` on (the default of VS Code in a browser, e.g.
// code-server; a common choice on the desktop), VS Code saves an edited
// document by itself, within a second or on the next focus change, whoever
// made the edit: an edit left "unsaved" for review would be in force at once.
// There the edit goes through VS Code's refactor preview first (nothing
// changes until the user ticks it and applies it there), and is saved once
// applied.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { applyEdits, type TextEdit } from '../core/learn/merge';
import { insertedSpan, toWorkspaceEdit } from './learnedEdits';

export const BEFORE_SCHEME = 'rampart-before';

/** Snapshots of policy texts before an applied edit, served to the diff view. */
export class BeforeSnapshots implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private n = 0;

  add(text: string, file: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: BEFORE_SCHEME, path: file, query: String(++this.n) });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

/** Whether VS Code saves `doc` by itself once it is edited. */
export function autoSaves(doc: vscode.TextDocument): boolean {
  return vscode.workspace.getConfiguration('files', doc).get<string>('autoSave', 'off') !== 'off';
}

/** The edits as one replacement: the preview then offers a pattern and its guards together, never one without the other. */
function asOneEdit(text: string, edits: TextEdit[]): TextEdit[] {
  const start = Math.min(...edits.map((e) => e.offset));
  const end = Math.max(...edits.map((e) => e.offset + e.length));
  return [{ offset: start, length: end - start, newText: applyEdits(text.slice(start, end), edits.map((e) => ({ ...e, offset: e.offset - start }))) }];
}

/**
 * Runs `work` under a progress notification titled `title`: on a large policy
 * (thousands of guards) the merge, the edit and the refresh of the policy's
 * problems take seconds with nothing else on screen. The merge runs
 * synchronously, so the notification is given a moment to show before `work`
 * starts. `work` calls `ready` once what is left is the user's to do (a
 * refactor preview to confirm), which ends the notification early.
 */
export async function whileBusy<T>(title: string, work: (ready: () => Promise<void>) => Promise<T>): Promise<T> {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const shown = vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => finished);
  /** Ends the notification; resolves once it is gone, so a message shown next comes after it. */
  const ready = async () => {
    finish();
    await shown;
  };
  await new Promise((resolve) => setTimeout(resolve, SHOW_PROGRESS_MS));
  try {
    return await work(ready);
  } finally {
    await ready();
  }
}

/** How long the extension host yields for a progress notification to reach the window before blocking on a merge. */
const SHOW_PROGRESS_MS = 30;

/** Left unsaved for review, saved after the user applied it in the refactor preview, or discarded there. */
export type EditOutcome = 'unsaved' | 'saved' | 'discarded';

/**
 * Applies `edits` to the policy document for review, selects what they
 * inserted, and says what happened. `what` names the addition for titles and
 * messages, e.g. "`git *` with 1,798 guards against dangerous forms".
 * `ready` (from `whileBusy`) is awaited once the rest is the user's: the
 * preview is up, or the diff is open.
 */
export async function proposePolicyEdit(doc: vscode.TextDocument, edits: TextEdit[], what: string, snapshots: BeforeSnapshots, ready: () => Promise<void> = async () => {}): Promise<EditOutcome> {
  const name = basename(doc.uri.fsPath);
  const before = doc.getText();
  const confirm = autoSaves(doc);
  const edit = confirm ? toWorkspaceEdit(doc, asOneEdit(before, edits), { label: `Rampart: add ${what}`, needsConfirmation: true }) : toWorkspaceEdit(doc, edits);
  // The refactor preview waits for the user: no longer busy.
  if (confirm) await ready();
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied && !confirm) throw new Error(`VS Code refused the edit of ${doc.uri.fsPath}`);
  // Discarded, or applied with its entry left unticked, which applies nothing and VS Code does not say.
  if (confirm && (!applied || doc.getText() === before)) {
    void vscode.window.showInformationMessage(
      `Rampart: nothing was added to ${name}: the Refactor Preview was discarded, or applied with its entry unticked. To add it, choose the fix again, tick its entry, then press Apply.`,
    );
    return 'discarded';
  }
  if (confirm) await doc.save();
  const span = insertedSpan(edits);
  const selection = span && new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
  // The rule is selected in the editor, so it is in view once the diff is closed.
  await vscode.window.showTextDocument(doc, { selection, preview: false });
  if (confirm) {
    void vscode.window.showInformationMessage(`Rampart: added ${what} to ${name} and saved it (files.autoSave is on), so it is in force now. Ctrl+Z in the editor undoes it.`);
    return 'saved';
  }
  await vscode.commands.executeCommand('vscode.diff', snapshots.add(before, doc.uri.fsPath), doc.uri, `${name}: ${what} added`, { selection, preview: false });
  await ready();
  void vscode.window.showInformationMessage(`Rampart: added ${what} to ${name}, not saved: review the diff, then save (Ctrl+S) to put it in force, or undo (Ctrl+Z).`);
  return 'unsaved';
}
