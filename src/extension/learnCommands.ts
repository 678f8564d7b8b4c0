// Learn From Session, Analyze Claude Code History and Apply Learned Rules:
// they fill the LearnState (which shows as diagnostics on the policy file) or
// propose picked suggestions as one undoable edit, for review (policyEdit.ts).
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { analyzeRecorded } from './learnService';
import type { LearnResult, LearnState } from './learnState';
import { policyFileOf, requireFolder } from './folders';
import { readSettings } from './settings';
import { defaultForm, describeAdded, learnedTextEdits, reviewable, type LearnedPick } from './learnedEdits';
import { proposePolicyEdit, whileBusy, type BeforeSnapshots } from './policyEdit';
import type { Suggestions } from '../core/learn/types';
import { parsePolicyText } from '../core/policy';
import { plural } from '../core/plural';
import type { AgentSession } from './sessions';
import { pickSession } from './pickSession';
import { pickText } from './pickText';
import { countsSummary } from './sessionTypes';

/** How many of a result's suggestions the policy's Problems panel shows: pending on its current text and not dismissed. */
async function reviewCount(learn: LearnState, policyFile: string, result: LearnResult): Promise<number> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(policyFile));
  return reviewable(doc.getText(), policyFile, result.suggestions, learn.dismissed(policyFile)).length;
}

/**
 * Under `default_action: allow` learned rules change no decision yet: said with them, so that reviewing
 * them is a choice, not a chore ('' otherwise, or when the policy does not load).
 */
export function defaultAllowNote(policyText: string, policyFile: string): string {
  return parsePolicyText(policyText, policyFile).set?.defaultAction === 'allow'
    ? ' The policy allows by default, so they change nothing today: they keep what the agent needed allowed once the default is deny.'
    : '';
}

async function showResult(learn: LearnState, policyFile: string, origin: string): Promise<void> {
  const r = learn.get(policyFile)!;
  const n = await reviewCount(learn, policyFile, r);
  const w = r.suggestions.warnings.length;
  const doc = await vscode.window.showTextDocument(vscode.Uri.file(policyFile), { preview: false });
  const pinsOnly = n ? defaultAllowNote(doc.document.getText(), policyFile) : '';
  const text = n
    ? `Rampart: ${n} learned rule${n === 1 ? '' : 's'} to review from ${origin}${w ? ` and ${w} sensitive-access warning${w === 1 ? '' : 's'}` : ''}. They show as problems on the policy; quick fixes (Ctrl+.) apply them.${pinsOnly}`
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
  if (!keepsEarlier(learn, s.policyFile, result)) return;
  learn.set(s.policyFile, result);
  await showResult(learn, s.policyFile, result.origin);
}

/**
 * A source with no recorded call has nothing to learn from: it must not replace the rules an earlier
 * session left to review (they would vanish from the Problems panel). Says so; false when it did.
 */
function keepsEarlier(learn: LearnState, policyFile: string, result: LearnResult): boolean {
  if (result.suggestions.stats.totalEvents > 0) return true;
  const earlier = learn.get(policyFile) ? ' The rules to review from earlier sessions stay as they were.' : '';
  void vscode.window.showInformationMessage(`Rampart: ${result.origin} recorded no calls, so there is nothing to learn from it.${earlier}`);
  return false;
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
  const n = await reviewCount(learn, s.policyFile, result);
  // The same counts as the status bar and the Sessions view (Learn mode's read "would be denied").
  const summary = `Rampart: ${s.agent} session ended after ${countsSummary(s.counts, s.mode)}.`;
  if (!n) {
    void vscode.window.showInformationMessage(`${summary} Nothing new to learn.`);
    return;
  }
  const review = `Review ${plural(n, 'learned rule')}`;
  log.info(`${summary} ${plural(n, 'learned rule')} to review.`);
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
      // Said when there was no history to offer: the dialog is then the first thing the user sees.
      title: existsSync(projectDir)
        ? 'Claude Code transcripts, hook logs or audit logs'
        : `No Claude Code history for ${folder.name} in ~/.claude/projects: choose transcripts, hook logs or audit logs`,
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
    void vscode.window.showWarningMessage(`Rampart: ${plural(result.stats.badLines.count, 'unreadable record')} skipped, e.g. ${result.stats.badLines.samples[0]}`);
  }
  if (!keepsEarlier(learn, policyFile, result)) return;
  learn.set(policyFile, result);
  await showResult(learn, policyFile, `Claude Code history (${plural(result.stats.calls, 'call')})`);
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
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(policyFile));
  const items = reviewable(doc.getText(), policyFile, result.suggestions, learn.dismissed(policyFile)).map(({ kind, entry }) => ({
    label: pickText(`${kind}: ${entry.pattern}`),
    description: `${entry.count} observed`,
    detail: entry.examples.length ? pickText(`e.g. ${entry.examples.join(' · ')}`) : undefined,
    picked: false,
    pick: defaultForm(kind, entry),
  }));
  if (!items.length) {
    const restore = learn.dismissed(policyFile).size ? ' "Restore Dismissed Suggestions…" brings dismissed ones back.' : '';
    void vscode.window.showInformationMessage(`Rampart: every learned rule is in the policy or dismissed.${restore}`);
    return;
  }
  const chosen = await vscode.window.showQuickPick(items, { canPickMany: true, title: `Apply learned rules to ${policyFile}`, placeHolder: 'Select the rules to add (nothing is added without your selection)' });
  if (!chosen?.length) return;
  await proposeLearned(doc, result.suggestions, chosen.map((c) => c.pick), snapshots);
}

/** Proposes the picked suggestions as one edit of the policy; says so, and edits nothing, when they are all there already. */
export async function proposeLearned(doc: vscode.TextDocument, base: Suggestions, picks: LearnedPick[], snapshots: BeforeSnapshots): Promise<void> {
  const rules = picks.length === 1 ? `\`${picks[0].entry.pattern}\`` : plural(picks.length, 'learned rule');
  await whileBusy(`Rampart: adding ${rules} to ${basename(doc.uri.fsPath)}…`, async (ready) => {
    const { edits, added, guards } = learnedTextEdits(doc.getText(), base, picks, doc.uri.fsPath);
    if (!edits.length) {
      await ready();
      void vscode.window.showInformationMessage(`Rampart: ${picks.length === 1 ? 'this rule is' : 'the selected rules are'} already in the policy; nothing to add.`);
      return;
    }
    await proposePolicyEdit(doc, edits, describeAdded(added, guards), snapshots, ready);
  });
}
