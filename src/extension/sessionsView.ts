// The Sessions tree: running and finished agent sessions with their counts.
// Items carry `contextValue` session.running / session.ended for the menus.
import * as vscode from 'vscode';
import type { AgentSession, SessionManager } from './sessions';

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
    const c = s.counts;
    const item = new vscode.TreeItem(`${s.agent} · ${s.mode}`, vscode.TreeItemCollapsibleState.None);
    item.id = s.id;
    item.description = `${c.calls} calls · ${c.denied} denied · ${c.asked} asked · ${c.watched} watched`;
    item.tooltip = new vscode.MarkdownString(
      [
        `**${s.agent}** in ${s.mode} mode — ${s.endedAt ? 'ended' : 'running'}`,
        `- session \`${s.id}\``,
        `- folder ${s.folder.name}, policy \`${s.policyFile}\``,
        `- started ${s.startedAt.toLocaleTimeString()}${s.endedAt ? `, ended ${s.endedAt.toLocaleTimeString()}` : ''}`,
        `- ${c.calls} calls: ${c.denied} denied, ${c.asked} asked, ${c.watched} watched`,
      ].join('\n'),
    );
    item.iconPath = new vscode.ThemeIcon(s.endedAt ? 'circle-outline' : 'debug-start');
    item.contextValue = s.endedAt ? 'session.ended' : 'session.running';
    item.command = s.endedAt ? undefined : { title: 'Show terminal', command: 'rampartLearn.showSessionTerminal', arguments: [s] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
