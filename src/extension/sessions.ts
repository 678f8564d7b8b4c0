// Agent sessions: one gate per window, started inside the extension host on
// the first agent terminal and shared by all of them. Each terminal is its own
// gate session (own id, mode, approver, audit log, counts); the shim in its
// environment names the session on every request. The terminal keeps its own
// shell, so shell integration works; only the environment carries the shim
// (SHELL, CLAUDE_CODE_SHELL, PATH, gate address, token file, session id, mode,
// fail behaviour). Gate events feed the telemetry store, the views and the
// output channel as they happen.
import * as vscode from 'vscode';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FailBehaviour, GateServer, GateSession } from '../core/gate';
import type { AuditEvent, GateMode } from '../core/types';
import { countEvent, emptyCounts, type SessionCounts } from './sessionTypes';
import type { AgentMode } from './settings';

export interface AgentSession {
  id: string;
  agent: string;
  mode: AgentMode;
  folder: vscode.WorkspaceFolder;
  policyFile: string;
  auditDir: string;
  terminal: vscode.Terminal;
  startedAt: Date;
  endedAt?: Date;
  counts: SessionCounts;
}

export interface StartOptions {
  folder: vscode.WorkspaceFolder;
  agent: string;
  commandLine: string;
  mode: AgentMode;
  policyFile: string;
  /** What the shim does in Enforce mode when the gate cannot be reached (Learn mode always runs the command, with a warning). */
  failBehaviour: FailBehaviour;
  /** Decides `ask` calls in enforce mode. */
  approver: (session: AgentSession, call: { command: string; tool: string }, message: string) => Promise<boolean>;
}

export const GATE_MODE: Record<AgentMode, GateMode> = { learn: 'monitor', enforce: 'enforce' };

export class SessionManager implements vscode.Disposable {
  private readonly sessions: AgentSession[] = [];
  private server?: Promise<GateServer>;
  private readonly gateSessions = new Map<string, GateSession>();
  private readonly changed = new vscode.EventEmitter<AgentSession | undefined>();
  private readonly ended = new vscode.EventEmitter<AgentSession>();
  private readonly eventSeen = new vscode.EventEmitter<{ session: AgentSession; event: AuditEvent }>();
  readonly onDidChange = this.changed.event;
  readonly onDidEnd = this.ended.event;
  readonly onEvent = this.eventSeen.event;
  private readonly closeListener: vscode.Disposable;

  constructor(
    private readonly auditRoot: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.closeListener = vscode.window.onDidCloseTerminal((t) => {
      const s = this.sessions.find((x) => x.terminal === t && !x.endedAt);
      if (s) void this.end(s);
    });
  }

  all(): readonly AgentSession[] {
    return this.sessions;
  }

  running(): AgentSession[] {
    return this.sessions.filter((s) => !s.endedAt);
  }

  /** The session the status bar shows: the active terminal's, else the newest running one. */
  active(): AgentSession | undefined {
    const t = vscode.window.activeTerminal;
    return this.running().find((s) => s.terminal === t) ?? this.running().at(-1);
  }

  get(id: string): AgentSession | undefined {
    return this.sessions.find((s) => s.id === id);
  }

  /** The window's gate, started on first use. */
  private gateServer(): Promise<GateServer> {
    if (!this.server) {
      const starting = import('../core/gate').then(async ({ startGateServer }) => {
        const server = await startGateServer();
        this.log.info(`gate listening on ${server.address} for this window's agent terminals`);
        return server;
      });
      // A failed start is not kept: the next Run Agent Task tries again.
      starting.catch(() => {
        if (this.server === starting) this.server = undefined;
      });
      this.server = starting;
    }
    return this.server;
  }

  async start(opts: StartOptions): Promise<AgentSession> {
    const server = await this.gateServer();
    const auditDir = join(this.auditRoot, `${new Date().toISOString().replace(/[:.]/g, '-')}-${opts.agent.replace(/[^\w.-]/g, '_')}`);
    mkdirSync(auditDir, { recursive: true, mode: 0o700 });
    let session: AgentSession | undefined;
    const gate = server.openSession({
      policy: opts.policyFile,
      mode: GATE_MODE[opts.mode],
      auditDir,
      agent: opts.agent,
      failBehaviour: shimFailBehaviour(opts.mode, opts.failBehaviour),
      approver: async ({ call, decision }) =>
        !!session && opts.approver(session, { tool: String(call.tool), command: String(call.params.command ?? call.params.path ?? call.params.url ?? '') }, decision.message),
    });
    const terminal = vscode.window.createTerminal({
      name: `Rampart: ${opts.agent} (${opts.mode})`,
      cwd: opts.folder.uri,
      env: gate.sessionEnv({ agent: opts.agent }),
      iconPath: new vscode.ThemeIcon('shield'),
    });
    session = {
      id: gate.id,
      agent: opts.agent,
      mode: opts.mode,
      folder: opts.folder,
      policyFile: opts.policyFile,
      auditDir,
      terminal,
      startedAt: new Date(),
      counts: emptyCounts(),
    };
    const s = session;
    this.sessions.push(s);
    this.gateSessions.set(s.id, gate);
    gate.onEvent((event) => {
      countEvent(s.counts, event);
      const what = event.request.command ?? event.request.path ?? event.request.url ?? '';
      this.log.info(`[${s.agent} ${s.id.slice(-6)}] ${event.decision.action.padEnd(5)} ${event.tool} ${String(what).slice(0, 300)}`);
      this.eventSeen.fire({ session: s, event });
      this.changed.fire(s);
    });
    gate.onPolicyError((err) => this.log.error(`policy reload rejected, previous policy stays in force: ${err.message}`));
    gate.onPolicyReload(() => this.log.info(`policy reloaded: ${opts.policyFile}`));
    this.log.info(`session ${s.id}: ${s.agent} in ${s.mode} mode, policy ${opts.policyFile}, audit ${auditDir}`);
    terminal.show();
    terminal.sendText(opts.commandLine);
    this.changed.fire(s);
    return s;
  }

  /** Stops an agent: closing its terminal ends the processes and the session. */
  stop(s: AgentSession): void {
    s.terminal.dispose();
  }

  private async end(s: AgentSession): Promise<void> {
    s.endedAt = new Date();
    const gate = this.gateSessions.get(s.id);
    this.gateSessions.delete(s.id);
    await gate?.close();
    this.log.info(`session ${s.id} ended: ${s.counts.calls} calls, ${s.counts.denied} denied, ${s.counts.asked} asked`);
    this.changed.fire(s);
    this.ended.fire(s);
  }

  async dispose(): Promise<void> {
    this.closeListener.dispose();
    this.gateSessions.clear();
    // Closing the gate stops every session still running.
    await (await this.server?.catch(() => undefined))?.close();
    this.server = undefined;
    this.changed.dispose();
    this.ended.dispose();
    this.eventSeen.dispose();
  }
}

/** The shim's fail behaviour for a session: the setting in Enforce mode; Learn mode never blocks, so the shim's own default (open) stays. */
export function shimFailBehaviour(mode: AgentMode, setting: FailBehaviour): FailBehaviour | undefined {
  return mode === 'enforce' ? setting : undefined;
}
