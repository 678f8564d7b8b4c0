// Workspace folders and policy files: which folder a command works on, and
// which policy file of that folder is active. Every command that needs a
// folder goes through `requireFolder`, so "no folder open" is explained once.
import * as vscode from 'vscode';
import { isAbsolute, join } from 'node:path';
import { existsSync } from 'node:fs';
import { readSettings } from './settings';

/**
 * The folder to act on: the only one, the active editor's, or the user's pick.
 * `uses` names what the command works on in the folder (audit logs and
 * telemetry are in VS Code's storage, never in the folder).
 */
export async function requireFolder(purpose: string, uses = "the folder's rampart.yaml"): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (!folders.length) {
    const open = 'Open Folder…';
    const choice = await vscode.window.showWarningMessage(
      `Rampart: ${purpose} needs a workspace folder: it works on ${uses}. Open a folder first.`,
      open,
    );
    if (choice === open) await vscode.commands.executeCommand('vscode.openFolder');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  const active = vscode.window.activeTextEditor?.document.uri;
  const owner = active && vscode.workspace.getWorkspaceFolder(active);
  if (owner) return owner;
  return vscode.window.showWorkspaceFolderPick({ placeHolder: `Workspace folder for: ${purpose}` });
}

/** Candidate policy files of a folder, in the order of `rampartLearn.policyFiles`. */
export function policyCandidates(folder: vscode.WorkspaceFolder): string[] {
  return readSettings(folder).policyFiles.map((p) => (isAbsolute(p) ? p : join(folder.uri.fsPath, p)));
}

/** The active policy file of a folder: the first candidate that exists, else the first candidate. */
export function policyFileOf(folder: vscode.WorkspaceFolder): { file: string; exists: boolean } {
  const candidates = policyCandidates(folder);
  const found = candidates.find((f) => existsSync(f));
  return { file: found ?? candidates[0] ?? join(folder.uri.fsPath, 'rampart.yaml'), exists: !!found };
}

/** Whether a document gets policy diagnostics: any rampart.yaml, or a configured policy file. */
export function isPolicyDocument(uri: vscode.Uri): boolean {
  if (uri.scheme !== 'file') return false;
  if (/(^|[\\/])rampart\.ya?ml$/.test(uri.fsPath)) return true;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return !!folder && policyCandidates(folder).includes(uri.fsPath);
}
