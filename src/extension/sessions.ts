// Agent sessions: one gate per window, started inside the extension host on
// the first agent terminal and shared by all of them. Each terminal is its own
// gate session (own id, mode, approver, audit log, counts); the shim in its
// environment names the session on every request. The terminal keeps its own
// shell, so shell integration works; only the environment carries the shim
// (SHELL, CLAUDE_CODE_SHELL, PATH, gate address, token file, session id, mode,
// fail behaviour). Gate events feed the telemetry store, the views and the
// output channel as they happen. A session ends when the agent's command exits
// (seen through shell integration) or its terminal closes; its gate session
// stays open with the terminal, so commands run there later are still checked.
import * as vscode from 'vscode';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FailBehaviour, GateServer, GateSession } from '../core/gate';
import type { AuditEvent, GateMode } from '../core/types';
import { countEvent, countsDetail, emptyCounts, type SessionCounts } from './sessionTypes';
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
  /** When the agent's command exited, or its terminal closed. */
  endedAt?: Date;
  /** The agent command's exit code, when shell integration reported it. */
  exitCode?: number;
  counts: SessionCounts;
}

/** A policy reload the gate rejected while agents ran: the previous policy stays in force. */
export interface PolicyRejection {
  policyFile: string;
  error: Error;
}

/** How long to wait for a new terminal's shell integration before typing the agent's command blind. */
const SHELL_INTEGRATION_WAIT_MS = 3000;

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
  private readonly policyRejected = new vscode.EventEmitter<PolicyRejection>();
  readonly onDidChange = this.changed.event;
  readonly onDidEnd = this.ended.event;
  readonly onEvent = this.eventSeen.event;
  /** Fires once per rejected save of a policy file, however many sessions use it. */
  readonly onPolicyRejected = this.policyRejected.event;
  private readonly listeners: vscode.Disposable[];
  /** The agent command run in each session's terminal. */
  private readonly executions = new Map<vscode.TerminalShellExecution, AgentSession>();
  /** Sessions whose command was typed before their terminal's shell integration started: its first execution is theirs. */
  private readonly awaitingStart = new Map<vscode.Terminal, AgentSession>();
  /** Per policy file, the version (mtime) whose rejection was last reported. */
  private readonly rejectedVersion = new Map<string, number>();

  constructor(
    private readonly auditRoot: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.listeners = [
      vscode.window.onDidCloseTerminal((t) => {
        const s = this.sessions.find((x) => x.terminal === t && this.terminalOpen(x));
        if (s) void this.close(s);
      }),
      vscode.window.onDidStartTerminalShellExecution((e) => {
        const s = this.awaitingStart.get(e.terminal);
        if (!s) return;
        this.awaitingStart.delete(e.terminal);
        this.executions.set(e.execution, s);
      }),
      vscode.window.onDidEndTerminalShellExecution((e) => {
        const s = this.executions.get(e.execution);
        if (!s) return;
        this.executions.delete(e.execution);
        this.end(s, e.exitCode);
      }),
    ];
  }

  all(): readonly AgentSession[] {
    return this.sessions;
  }

  running(): AgentSession[] {
    return this.sessions.filter((s) => !s.endedAt);
  }

  /** The session the status bar shows: the active terminal's (while it is open), else the newest running one. */
  active(): AgentSession | undefined {
    const t = vscode.window.activeTerminal;
    return this.sessions.find((s) => s.terminal === t && this.terminalOpen(s)) ?? this.running().at(-1);
  }

  /** Whether the session's terminal is still open (an ended agent's terminal stays until closed). */
  terminalOpen(s: AgentSession): boolean {
    return this.gateSessions.has(s.id);
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
    gate.onPolicyError((err) => this.rejected(opts.policyFile, err));
    gate.onPolicyReload(() => this.log.info(`policy reloaded: ${opts.policyFile}`));
    this.log.info(`session ${s.id}: ${s.agent} in ${s.mode} mode, policy ${opts.policyFile}, audit ${auditDir}`);
    terminal.show();
    void this.launch(s, opts.commandLine);
    this.changed.fire(s);
    return s;
  }

  /**
   * Types the agent's command into its terminal. With shell integration the
   * command's end is seen and ends the session. A shell whose integration
   * starts late (a busy machine) still reports the typed command's execution,
   * which is then the session's; with none, the session ends when the terminal closes.
   */
  private async launch(s: AgentSession, commandLine: string): Promise<void> {
    const integration = s.terminal.shellIntegration ?? (await shellIntegrationOf(s.terminal, SHELL_INTEGRATION_WAIT_MS));
    if (!this.terminalOpen(s)) return; // closed while we waited
    if (integration) {
      this.executions.set(integration.executeCommand(commandLine), s);
      return;
    }
    this.awaitingStart.set(s.terminal, s);
    s.terminal.sendText(commandLine);
  }

  /** Each session watches its policy, so one save can be rejected by several: report each saved version once. */
  private rejected(policyFile: string, error: Error): void {
    let version: number;
    try {
      version = statSync(policyFile).mtimeMs;
    } catch {
      version = -1; // the file was removed: still one report
    }
    if (this.rejectedVersion.get(policyFile) === version) return;
    this.rejectedVersion.set(policyFile, version);
    this.log.error(`policy reload rejected, previous policy stays in force: ${error.message}`);
    this.policyRejected.fire({ policyFile, error });
  }

  /** Stops an agent: closing its terminal ends the processes and the session. */
  stop(s: AgentSession): void {
    s.terminal.dispose();
  }

  /** The agent's run is over: its command exited, or its terminal closed first. */
  private end(s: AgentSession, exitCode?: number): void {
    if (s.endedAt) return;
    s.endedAt = new Date();
    s.exitCode = exitCode;
    this.log.info(`session ${s.id} ended${exitCode === undefined ? '' : ` (exit ${exitCode})`}: ${countsDetail(s.counts, s.mode)}`);
    this.changed.fire(s);
    this.ended.fire(s);
  }

  /** The terminal closed: the gate session stops too. */
  private async close(s: AgentSession): Promise<void> {
    const gate = this.gateSessions.get(s.id);
    this.gateSessions.delete(s.id);
    for (const [execution, owner] of this.executions) if (owner === s) this.executions.delete(execution);
    this.awaitingStart.delete(s.terminal);
    this.end(s);
    await gate?.close();
    this.changed.fire(s);
  }

  async dispose(): Promise<void> {
    for (const l of this.listeners) l.dispose();
    this.gateSessions.clear();
    // Closing the gate stops every session still running.
    await (await this.server?.catch(() => undefined))?.close();
    this.server = undefined;
    this.changed.dispose();
    this.ended.dispose();
    this.eventSeen.dispose();
    this.policyRejected.dispose();
  }
}

/** The terminal's shell integration once it activates, or undefined after `timeoutMs`. */
function shellIntegrationOf(terminal: vscode.Terminal, timeoutMs: number): Promise<vscode.TerminalShellIntegration | undefined> {
  return new Promise((resolve) => {
    const done = (value: vscode.TerminalShellIntegration | undefined) => {
      clearTimeout(timer);
      listener.dispose();
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const listener = vscode.window.onDidChangeTerminalShellIntegration((e) => {
      if (e.terminal === terminal) done(e.shellIntegration);
    });
  });
}

/** The shim's fail behaviour for a session: the setting in Enforce mode; Learn mode never blocks, so the shim's own default (open) stays. */
export function shimFailBehaviour(mode: AgentMode, setting: FailBehaviour): FailBehaviour | undefined {
  return mode === 'enforce' ? setting : undefined;
}
