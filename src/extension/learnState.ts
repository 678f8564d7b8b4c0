// What Learn found, per policy file: the latest suggestions, where their
// examples were observed, and which suggestions the user dismissed on each
// policy (kept in the workspace state, so a dismissal survives reloads).
import * as vscode from 'vscode';
import type { Suggestions } from '../core/learn/types';
import type { ToolCall } from '../core/types';
import type { SuggestionKind } from './learnedDiagnostics';

const DISMISSED_KEY = 'rampartLearn.dismissedSuggestions';

export interface LearnResult {
  suggestions: Suggestions;
  /** `${kind}\0${raw}` → where that call was recorded. */
  examples: Map<string, vscode.Location>;
  /** What the suggestions came from, for messages ("session 01J…", "Claude Code history"). */
  origin: string;
  /** The calls analysed, replayed against the policy for "never matched" hints. */
  calls: readonly ToolCall[];
}

export class LearnState {
  private readonly byFile = new Map<string, LearnResult>();
  private readonly changed = new vscode.EventEmitter<string>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento) {}

  set(policyFile: string, result: LearnResult): void {
    this.byFile.set(policyFile, result);
    this.changed.fire(policyFile);
  }

  get(policyFile: string): LearnResult | undefined {
    return this.byFile.get(policyFile);
  }

  files(): string[] {
    return [...this.byFile.keys()];
  }

  exampleLocation(policyFile: string, kind: SuggestionKind, raw: string): vscode.Location | undefined {
    return this.byFile.get(policyFile)?.examples.get(`${kind}\0${raw}`);
  }

  /** Suggestion ids dismissed on this policy file (each folder's policy keeps its own dismissals). */
  dismissed(policyFile: string): Set<string> {
    const prefix = `${policyFile}\0`;
    return new Set(this.memento.get<string[]>(DISMISSED_KEY, []).flatMap((key) => (key.startsWith(prefix) ? [key.slice(prefix.length)] : [])));
  }

  async dismiss(policyFile: string, ids: readonly string[]): Promise<void> {
    const all = new Set(this.memento.get<string[]>(DISMISSED_KEY, []));
    for (const id of ids) all.add(`${policyFile}\0${id}`);
    await this.memento.update(DISMISSED_KEY, [...all]);
    this.changed.fire(policyFile);
  }

  /** Takes dismissals back (the Undo of a dismissal): the suggestions show again. */
  async undismiss(policyFile: string, ids: readonly string[]): Promise<void> {
    const gone = new Set(ids.map((id) => `${policyFile}\0${id}`));
    await this.memento.update(DISMISSED_KEY, this.memento.get<string[]>(DISMISSED_KEY, []).filter((key) => !gone.has(key)));
    this.changed.fire(policyFile);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
