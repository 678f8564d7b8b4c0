// Keeps the `rampart` diagnostic collection current for every policy file:
// lint results as you type (debounced) plus learned suggestions and warnings.
// Files that are not open are linted from disk, so the Problems panel covers
// every rampart.yaml of the workspace.
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { isPolicyDocument } from './folders';
import { lintDiagnostics } from './lintDiagnostics';
import { learnedDiagnostics, type LearnedFinding } from './learnedDiagnostics';
import { pendingSuggestions } from './learnedEdits';
import type { LearnState } from './learnState';
import { LineIndex } from './ranges';
import { unusedRuleDiagnostics } from './ruleHits';

const TYPING_DELAY_MS = 200;

export class PolicyDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('rampart');
  private readonly findings = new Map<string, LearnedFinding[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly learn: LearnState) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/rampart.{yaml,yml}');
    this.disposables.push(
      this.collection,
      watcher,
      watcher.onDidCreate((u) => this.refreshUri(u)),
      watcher.onDidChange((u) => this.refreshUri(u)),
      watcher.onDidDelete((u) => this.collection.delete(u)),
      vscode.workspace.onDidOpenTextDocument((d) => this.refreshDocument(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      learn.onDidChange((file) => this.refreshUri(vscode.Uri.file(file))),
    );
    for (const d of vscode.workspace.textDocuments) this.refreshDocument(d);
    void vscode.workspace.findFiles('**/rampart.{yaml,yml}', '**/node_modules/**', 200).then((uris) => uris.forEach((u) => this.refreshUri(u)));
  }

  /** The learned findings shown on a file (for the code actions). */
  findingsOf(uri: vscode.Uri): LearnedFinding[] {
    return this.findings.get(uri.toString()) ?? [];
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isPolicyDocument(doc.uri)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => this.refreshDocument(doc), TYPING_DELAY_MS));
  }

  private refreshDocument(doc: vscode.TextDocument): void {
    if (isPolicyDocument(doc.uri)) this.update(doc.uri, doc.getText());
  }

  /** Re-reads a file: from its open document when there is one, else from disk. */
  async refreshUri(uri: vscode.Uri): Promise<void> {
    if (!isPolicyDocument(uri)) return;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return this.update(uri, open.getText());
    try {
      this.update(uri, await readFile(uri.fsPath, 'utf8'));
    } catch {
      this.collection.delete(uri);
    }
  }

  private update(uri: vscode.Uri, text: string): void {
    const index = new LineIndex(text);
    const lint = lintDiagnostics(text, uri.fsPath, index);
    const learned = this.learn.get(uri.fsPath);
    if (!learned) {
      this.findings.delete(uri.toString());
      this.collection.set(uri, lint);
      return;
    }
    const { findings, warnings } = learnedDiagnostics({
      text,
      suggestions: pendingSuggestions(text, uri.fsPath, learned.suggestions),
      dismissed: this.learn.dismissed(uri.fsPath),
      exampleLocation: (kind, raw) => this.learn.exampleLocation(uri.fsPath, kind, raw),
    });
    this.findings.set(uri.toString(), findings);
    const unused = unusedRuleDiagnostics(text, uri.fsPath, index, learned.calls);
    this.collection.set(uri, [...lint, ...findings.map((f) => f.diagnostic), ...warnings, ...unused]);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
