import { plural } from '../core/plural';
import * as vscode from 'vscode';
import type { AgentSession } from './sessions';

/** A quick pick of agent sessions, newest first; undefined when there are none or the user cancels. */
export async function pickSession(sessions: readonly AgentSession[], title: string): Promise<AgentSession | undefined> {
  if (!sessions.length) return undefined;
  const picked = await vscode.window.showQuickPick(
    [...sessions].reverse().map((s) => ({
      label: `${s.agent} · ${s.mode}`,
      description: `${plural(s.counts.calls, 'call')} · ${s.endedAt ? 'ended' : 'running'} · ${s.startedAt.toLocaleTimeString()}`,
      detail: s.id,
      session: s,
    })),
    { title },
  );
  return picked?.session;
}
