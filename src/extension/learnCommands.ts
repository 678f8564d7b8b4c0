// Learn From Session, Analyze Claude Code History and Apply Learned Rules:
// they fill the LearnState (which shows as diagnostics on the policy file) or
// apply picked suggestions as one minimal, undoable edit shown as a diff.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { analyzeRecorded } from './learnService';
import type { LearnState } from './learnState';
import { policyFileOf, requireFolder } from './folders';
import { readSettings } from './settings';
import { SUGGESTION_KINDS, suggestionId, type SuggestionKind } from './learnedDiagnostics';
import { learnedTextEdits, toWorkspaceEdit } from './learnedEdits';
import type { PatternEntry } from '../core/learn/types';
import type { TextEdit } from '../core/learn/merge';
import type { AgentSession } from './sessions';
import { pickSession } from './pickSession';

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

async function showResult(learn: LearnState, policyFile: string, origin: string): Promise<void> {
  const r = learn.get(policyFile)!;
  const n = SUGGESTION_KINDS.reduce((sum, k) => sum + r.suggestions[k].length, 0);
  const w = r.suggestions.warnings.length;
  await vscode.window.showTextDocument(vscode.Uri.file(policyFile), { preview: false });
  const text = n
    ? `Rampart: ${n} learned rule${n === 1 ? '' : 's'} to review from ${origin}${w ? ` and ${w} sensitive-access warning${w === 1 ? '' : 's'}` : ''}. They show as problems on the policy; quick fixes (Ctrl+.) apply them.`
    : `Rampart: nothing to learn from ${origin}: the policy already covers every observed call${w ? ` (${w} sensitive-access warning${w === 1 ? '' : 's'})` : ''}.`;
  void vscode.window.showInformationMessage(text);
}

export async function learnFromSession(learn: LearnState, session: AgentSession | undefined, sessions: readonly AgentSession[]): Promise<void> {
  let s = session;
  if (!s) {
    if (!sessions.length) {
      void vscode.window.showInformationMessage('Rampart: no agent session in this window yet. Run Agent Task first, or use Analyze Claude Code History.');
      return;
    }
    s = await pickSession(sessions, 'Learn from which session?');
    if (!s) return;
  }
  const result = await analyzeSession(s);
  learn.set(s.policyFile, result);
  await showResult(learn, s.policyFile, result.origin);
}

/** The suggestions from one session's audit log, against the session's policy. */
export function analyzeSession(s: AgentSession) {
  return analyzeRecorded([s.auditDir], {
    policyFile: s.policyFile,
    workspaceRoot: s.folder.uri.fsPath,
    minFrequency: readSettings(s.folder).learnMinFrequency,
    origin: `${s.agent} session ${s.id.slice(-6)}`,
  });
}

/** Counts what a session would suggest; the user decides whether to look. */
export async function offerSessionReview(learn: LearnState, s: AgentSession, log: vscode.LogOutputChannel): Promise<void> {
  const result = await analyzeSession(s);
  const n = SUGGESTION_KINDS.reduce((sum, k) => sum + result.suggestions[k].length, 0);
  const summary = `Rampart: ${s.agent} session ended after ${s.counts.calls} calls (${s.counts.denied} denied, ${s.counts.asked} asked).`;
  if (!n) {
    void vscode.window.showInformationMessage(`${summary} Nothing new to learn.`);
    return;
  }
  const review = `Review ${n} learned rule${n === 1 ? '' : 's'}`;
  log.info(`${summary} ${n} learned rule(s) to review.`);
  if ((await vscode.window.showInformationMessage(summary, review)) !== review) return;
  learn.set(s.policyFile, result);
  await showResult(learn, s.policyFile, result.origin);
}

/** Claude Code keeps a project's transcripts in ~/.claude/projects/<cwd with / and . as ->. */
export function claudeProjectDir(folder: string): string {
  return join(homedir(), '.claude', 'projects', folder.replace(/[/.]/g, '-'));
}

export async function analyzeClaudeHistory(learn: LearnState): Promise<void> {
  const folder = await requireFolder('Analyze Claude Code History');
  if (!folder) return;
  const { file: policyFile, exists } = policyFileOf(folder);
  if (!exists) {
    void vscode.window.showWarningMessage(`Rampart: ${folder.name} has no policy file yet (${policyFile}). Run "Rampart: Open Policy" to create one.`);
    return;
  }
  const projectDir = claudeProjectDir(folder.uri.fsPath);
  let paths: string[] | undefined;
  if (existsSync(projectDir)) {
    const use = `Use ${projectDir}`;
    const choice = await vscode.window.showQuickPick([use, 'Choose files or folders…'], { title: 'Claude Code history to analyze' });
    if (!choice) return;
    if (choice === use) paths = [projectDir];
  }
  if (!paths) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Claude Code transcripts, hook logs or audit logs',
      canSelectFiles: true,
      canSelectFolders: true,
      canSelectMany: true,
      filters: { 'JSON / JSON Lines': ['json', 'jsonl', 'ndjson'] },
    });
    if (!picked?.length) return;
    paths = picked.map((u) => u.fsPath);
  }
  const result = await analyzeRecorded(paths, {
    policyFile,
    workspaceRoot: folder.uri.fsPath,
    minFrequency: readSettings(folder).learnMinFrequency,
    origin: 'Claude Code history',
  });
  if (result.stats.badLines.count) {
    void vscode.window.showWarningMessage(`Rampart: ${result.stats.badLines.count} unreadable record(s) were skipped, e.g. ${result.stats.badLines.samples[0]}`);
  }
  learn.set(policyFile, result);
  await showResult(learn, policyFile, `Claude Code history (${result.stats.calls} calls)`);
}

export async function applyLearnedRules(learn: LearnState, snapshots: BeforeSnapshots): Promise<void> {
  const folder = await requireFolder('Apply Learned Rules');
  if (!folder) return;
  const { file: policyFile } = policyFileOf(folder);
  const result = learn.get(policyFile);
  if (!result) {
    void vscode.window.showInformationMessage('Rampart: nothing learned for this policy yet. Run "Learn From Session…" or "Analyze Claude Code History…" first.');
    return;
  }
  const dismissed = learn.dismissed(policyFile);
  const items = SUGGESTION_KINDS.flatMap((kind) =>
    result.suggestions[kind]
      .filter((entry) => !dismissed.has(suggestionId(kind, entry)))
      .map((entry) => ({
        label: `${kind}: ${entry.pattern}`,
        description: `${entry.count} observed`,
        detail: entry.examples.length ? `e.g. ${entry.examples.join(' · ')}` : undefined,
        picked: false,
        pick: { kind: kind as SuggestionKind, entry: entry as PatternEntry },
      })),
  );
  if (!items.length) {
    void vscode.window.showInformationMessage('Rampart: every learned rule was applied or dismissed.');
    return;
  }
  const chosen = await vscode.window.showQuickPick(items, { canPickMany: true, title: `Apply learned rules to ${policyFile}`, placeHolder: 'Select the rules to add (nothing is added without your selection)' });
  if (!chosen?.length) return;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(policyFile));
  const { edits, added } = learnedTextEdits(doc.getText(), result.suggestions, chosen.map((c) => c.pick), policyFile);
  if (!edits.length) {
    void vscode.window.showInformationMessage('Rampart: the selected rules are already in the policy.');
    return;
  }
  await applyAndShowDiff(doc, edits, snapshots, `rampart.yaml: ${added.length} learned pattern${added.length === 1 ? '' : 's'} added (unsaved)`);
}

/** Applies edits to a policy document as one undoable step, unsaved, and opens the before/after diff. */
export async function applyAndShowDiff(doc: vscode.TextDocument, edits: TextEdit[], snapshots: BeforeSnapshots, title: string): Promise<void> {
  const before = doc.getText();
  if (!(await vscode.workspace.applyEdit(toWorkspaceEdit(doc, edits)))) throw new Error(`VS Code refused the edit of ${doc.uri.fsPath}`);
  await vscode.commands.executeCommand('vscode.diff', snapshots.add(before, doc.uri.fsPath), doc.uri, title);
}
