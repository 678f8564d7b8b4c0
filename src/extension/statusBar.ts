// The status bar item: the active session's mode and counts; a click opens
// the Reviewer.
import * as vscode from 'vscode';
import { countsDetail, countsSummary, type SessionCounts } from './sessionTypes';
import type { AgentMode } from './settings';

export class RampartStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('rampartLearn.status', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Rampart Learn';
    this.item.command = 'rampartLearn.reviewer.focus';
    this.show(undefined);
  }

  show(active: { agent: string; mode: AgentMode; counts: SessionCounts } | undefined): void {
    if (!active) {
      this.item.text = '$(shield) Rampart';
      this.item.tooltip = 'Rampart Learn: no agent session running. Click to open the Reviewer.';
      // Said without the icon's name ("shield"), which screen readers would read out of the text.
      this.item.accessibilityInformation = { label: 'Rampart Learn: no agent session running', role: 'button' };
    } else {
      this.item.text = `$(shield) ${active.mode === 'enforce' ? 'Enforce' : 'Learn'} · ${countsSummary(active.counts, active.mode)}`;
      this.item.tooltip = `Rampart Learn: ${active.agent} in ${active.mode} mode — ${countsDetail(active.counts, active.mode)}. Click to open the Reviewer.`;
      this.item.accessibilityInformation = { label: `Rampart Learn: ${active.agent} in ${active.mode} mode, ${countsDetail(active.counts, active.mode)}`, role: 'button' };
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
