// The Sessions tree: running and finished agent sessions with their start
// time, folder (in a multi-root window) and counts. Items carry `contextValue`
// session.running / session.ended for the menus.
import * as vscode from 'vscode';
import type { AgentSession, SessionManager } from './sessions';
import { countsDetail, sessionDescription } from './sessionTypes';

export class SessionsView implements vscode.TreeDataProvider<AgentSession> {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly sessions: SessionManager) {
    sessions.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(element?: AgentSession): AgentSession[] {
    return element ? [] : [...this.sessions.all()].reverse();
  }

  getTreeItem(s: AgentSession): vscode.TreeItem {
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    const item = new vscode.TreeItem(`${s.agent} · ${s.mode}`, vscode.TreeItemCollapsibleState.None);
    item.id = s.id;
    item.description = sessionDescription(s, multiRoot);
    const exit = s.exitCode === undefined ? '' : ` (exit ${s.exitCode})`;
    item.tooltip = new vscode.MarkdownString(
      [
        `**${s.agent}** in ${s.mode} mode — ${s.endedAt ? `ended${exit}` : 'running'}`,
        `- session \`${s.id}\``,
        `- folder ${s.folder.name}, policy \`${s.policyFile}\``,
        `- started ${s.startedAt.toLocaleString()}${s.endedAt ? `, ended ${s.endedAt.toLocaleTimeString()}` : ''}`,
        `- ${countsDetail(s.counts, s.mode)}`,
      ].join('\n'),
    );
    item.iconPath = new vscode.ThemeIcon(s.endedAt ? 'circle-outline' : 'debug-start');
    item.contextValue = s.endedAt ? 'session.ended' : 'session.running';
    item.command = this.sessions.terminalOpen(s) ? { title: 'Show terminal', command: 'rampartLearn.showSessionTerminal', arguments: [s] } : undefined;
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
