// Agent sessions: each agent terminal gets its own gate (the core gate serves
// one session with one mode), started inside the extension host. The terminal
// keeps its own shell, so shell integration works; only the environment
// carries the shim (SHELL, CLAUDE_CODE_SHELL, PATH, gate address, token file,
// session id, mode). Gate events feed the telemetry store, the views and the
// output channel as they happen.
import * as vscode from 'vscode';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Gate } from '../core/gate';
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
  /** Decides `ask` calls in enforce mode. */
  approver: (session: AgentSession, call: { command: string; tool: string }, message: string) => Promise<boolean>;
}

export const GATE_MODE: Record<AgentMode, GateMode> = { learn: 'monitor', enforce: 'enforce' };

export class SessionManager implements vscode.Disposable {
  private readonly sessions: AgentSession[] = [];
  private readonly gates = new Map<string, Gate>();
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

  async start(opts: StartOptions): Promise<AgentSession> {
    const { startGate } = await import('../core/gate');
    const auditDir = join(this.auditRoot, `${new Date().toISOString().replace(/[:.]/g, '-')}-${opts.agent.replace(/[^\w.-]/g, '_')}`);
    mkdirSync(auditDir, { recursive: true, mode: 0o700 });
    let session: AgentSession | undefined;
    const gate = await startGate({
      policy: opts.policyFile,
      mode: GATE_MODE[opts.mode],
      auditDir,
      agent: opts.agent,
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
      id: gate.sessionId,
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
    this.gates.set(s.id, gate);
    gate.onEvent((event) => {
      countEvent(s.counts, event);
      const what = event.request.command ?? event.request.path ?? event.request.url ?? '';
      this.log.info(`[${s.agent} ${s.id.slice(-6)}] ${event.decision.action.padEnd(5)} ${event.tool} ${String(what).slice(0, 300)}`);
      this.eventSeen.fire({ session: s, event });
      this.changed.fire(s);
    });
    gate.onPolicyError((err) => this.log.error(`policy reload rejected, previous policy stays in force: ${err.message}`));
    gate.onPolicyReload(() => this.log.info(`policy reloaded: ${opts.policyFile}`));
    this.log.info(`session ${s.id}: ${s.agent} in ${s.mode} mode, gate ${gate.address}, policy ${opts.policyFile}, audit ${auditDir}`);
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
    const gate = this.gates.get(s.id);
    this.gates.delete(s.id);
    await gate?.close();
    this.log.info(`session ${s.id} ended: ${s.counts.calls} calls, ${s.counts.denied} denied, ${s.counts.asked} asked`);
    this.changed.fire(s);
    this.ended.fire(s);
  }

  async dispose(): Promise<void> {
    this.closeListener.dispose();
    await Promise.all([...this.gates.values()].map((g) => g.close()));
    this.gates.clear();
    this.changed.dispose();
    this.ended.dispose();
    this.eventSeen.dispose();
  }
}
