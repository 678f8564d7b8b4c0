// The extension's state for one window: output channel, status bar, views and
// the lazily started services. Command handlers are thin methods here; the
// work happens in the core and in the focused modules next to this one.
import * as vscode from 'vscode';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ReviewerBackend } from './reviewerMessages';
import type { ReviewerView } from './reviewer';
import type { RampartStatusBar } from './statusBar';
import { TelemetryService } from './telemetryService';
import { ModelService } from './modelService';
import { Reviewer } from './reviewerBackend';
import { SessionManager, type AgentSession } from './sessions';
import { pickSession } from './pickSession';
import { SessionsView } from './sessionsView';
import { LearnState } from './learnState';
import { PolicyDiagnostics } from './policyDiagnostics';
import { LearnedQuickFixes, registerQuickFixCommands, restoreDismissed } from './quickFixes';
import { isPolicyDocument, policyFileOf, requireFolder } from './folders';
import { readSettings, type AgentMode, type AgentSpec } from './settings';
import { agentCommandLine, customAgentName } from './agentCommand';
import { askApproval } from './approval';
import { installClaudeHooks, refreshHookLauncher } from './claudeHooks';
import { policyErrorSummary, policyLoadError, showPolicyProblem } from './policyProblems';
import { deniedNow, proposeDenyRule } from './denyRules';
import { analyzeClaudeHistory, applyLearnedRules, learnFromSession, offerSessionReview } from './learnCommands';
import { BEFORE_SCHEME, BeforeSnapshots } from './policyEdit';
import { PolicyCompletionProvider } from './policyCompletion';
import { existingStore, PolicyHoverProvider, RecentCalls } from './policyHover';
import { PolicySymbolProvider } from './policySymbols';
import { TypoFixes } from './typoFixes';
import { plural } from '../core/plural';
import { programOf, programOnPath } from '../core/agents/program-on-path';

const REFRESH_THROTTLE_MS = 500;

export class RampartContext {
  reviewer?: ReviewerView;
  readonly storage: vscode.Uri;
  readonly telemetry: TelemetryService;
  readonly model: ModelService;
  readonly sessions: SessionManager;
  readonly learn: LearnState;
  private diagnostics?: PolicyDiagnostics;
  private readonly snapshots = new BeforeSnapshots();
  private backend?: Reviewer;
  private refreshTimer?: NodeJS.Timeout;

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
    readonly statusBar: RampartStatusBar,
  ) {
    // Workspace storage when a folder is open; global storage otherwise, so the Reviewer still works.
    this.storage = extension.storageUri ?? extension.globalStorageUri;
    this.telemetry = new TelemetryService(this.storage, output);
    this.model = new ModelService(join(this.storage.fsPath, 'model', 'model.json'));
    this.sessions = new SessionManager(join(this.storage.fsPath, 'audit'), output);
    this.learn = new LearnState(extension.workspaceState);
  }

  start(): void {
    const subs = this.extension.subscriptions;
    this.diagnostics = new PolicyDiagnostics(this.learn);
    const tree = new SessionsView(this.sessions);
    const policySelector: vscode.DocumentSelector = [{ scheme: 'file', pattern: '**/rampart.{yaml,yml}' }, { scheme: 'file', language: 'yaml' }];
    const recentCalls = new RecentCalls(existingStore(this.telemetry.file, () => this.telemetry.store()));
    subs.push(
      this.diagnostics,
      this.learn,
      tree,
      vscode.window.registerTreeDataProvider('rampartLearn.sessions', tree),
      vscode.languages.registerCompletionItemProvider(policySelector, new PolicyCompletionProvider(), ...PolicyCompletionProvider.triggerCharacters),
      vscode.languages.registerHoverProvider(policySelector, new PolicyHoverProvider(recentCalls)),
      vscode.languages.registerDocumentSymbolProvider(policySelector, new PolicySymbolProvider(), { label: 'Rampart policy' }),
      vscode.languages.registerCodeActionsProvider(
        policySelector,
        new LearnedQuickFixes(this.diagnostics, this.learn, this.output),
        { providedCodeActionKinds: LearnedQuickFixes.kinds },
      ),
      vscode.languages.registerCodeActionsProvider(policySelector, new TypoFixes(), { providedCodeActionKinds: TypoFixes.kinds }),
      vscode.workspace.registerTextDocumentContentProvider(BEFORE_SCHEME, this.snapshots),
      ...registerQuickFixCommands(this.learn, this.snapshots),
      vscode.commands.registerCommand('rampartLearn.showSessionTerminal', (s: AgentSession) => s.terminal.show()),
      this.sessions.onDidChange(() => this.updateStatus()),
      this.sessions.onEvent(({ event }) => {
        void this.recordEvent(event);
      }),
      this.sessions.onDidEnd((s) =>
        this.offerReview(s).catch((err) => this.output.error(`review of session ${s.id}: ${(err as Error).message}`)),
      ),
      vscode.window.onDidChangeActiveTerminal(() => this.updateStatus()),
      this.sessions.onPolicyRejected(({ policyFile, error }) => {
        const message = `Rampart: ${policyErrorSummary(policyFile, error)}, so the change was not loaded: running agents keep the previous policy.`;
        void showPolicyProblem('warning', message, policyFile);
      }),
    );
    refreshHookLauncher(this.extension.globalStorageUri.fsPath, this.extension.extensionPath, this.output);
  }

  reviewerBackend(): ReviewerBackend {
    const policyOfSession = (id: string) => this.sessions.get(id)?.policyFile;
    this.backend ??= new Reviewer(
      this.telemetry,
      this.model,
      this.output,
      (target) => proposeDenyRule(target, { snapshots: this.snapshots, policyOfSession, log: this.output }),
      (target) => deniedNow(target, policyOfSession),
    );
    return this.backend;
  }

  private updateStatus(): void {
    const s = this.sessions.active();
    this.statusBar.show(s && { agent: s.agent, mode: s.mode, counts: s.counts });
  }

  private async recordEvent(event: Parameters<TelemetryService['record']>[0]): Promise<void> {
    let p: number | undefined;
    if (event.tool === 'exec' && typeof event.request.command === 'string') {
      try {
        p = (await this.model.current())?.predict(event.request.command).p_unsafe;
      } catch {
        p = undefined; // a broken model file must not lose the event
      }
    }
    await this.telemetry.record(event, p);
    // Many events arrive in bursts; refresh the Reviewer at most twice a second.
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      this.reviewer?.refresh();
    }, REFRESH_THROTTLE_MS);
  }

  // ---- commands ------------------------------------------------------------

  async runAgent(): Promise<void> {
    const folder = await requireFolder('Run Agent Task');
    if (!folder) return;
    const settings = readSettings(folder);
    // The policy first: nothing the user picks can start an agent on a policy the gate cannot load.
    let { file: policyFile, exists } = policyFileOf(folder);
    if (!exists) {
      const create = 'Create rampart.yaml from the standard policy';
      const choice = await vscode.window.showWarningMessage(
        `Rampart: ${folder.name} has no policy file (${policyFile}). The gate needs one.`,
        { modal: true },
        create,
      );
      if (choice !== create) return;
      policyFile = await this.createPolicy(policyFile);
    }
    const problem = await policyLoadError(policyFile);
    if (problem) {
      this.output.warn(`no agent started: ${problem.message}`);
      const summary = policyErrorSummary(policyFile, problem);
      void showPolicyProblem('error', `Rampart: no agent was started: ${summary}. Learn mode needs a valid policy too: it records what the policy decides for every call.`, policyFile);
      return;
    }
    const agent = await pickAgent(settings.agents, this.extension.globalState);
    if (!agent) return;
    if (!(await agentFound(agent, folder.uri.fsPath))) return;
    const mode = await pickMode(settings.defaultMode);
    if (!mode) return;
    const prompt = await vscode.window.showInputBox({
      title: `Run ${agent.name} (${mode})`,
      prompt: 'Task for the agent (optional; leave empty to start it interactively)',
      placeHolder: 'e.g. fix the failing test in src/auth.ts',
    });
    if (prompt === undefined) return;
    await this.sessions.start({
      folder,
      agent: agent.name,
      commandLine: agentCommandLine(agent, prompt),
      mode,
      policyFile,
      failBehaviour: settings.gateFailBehaviour,
      approver: (session, call, message) => askApproval(session, call, message, this.output),
    });
  }

  async stopAgent(item: unknown): Promise<void> {
    const running = this.sessions.running();
    const target = isSession(item) ? item : running.length === 1 ? running[0] : await pickSession(running, 'Stop which agent?');
    if (!target) {
      if (!running.length) void vscode.window.showInformationMessage('Rampart: no agent is running.');
      return;
    }
    this.sessions.stop(target);
  }

  private async offerReview(s: AgentSession): Promise<void> {
    if (s.counts.calls) await offerSessionReview(this.learn, s, this.output);
  }

  async learnFromSession(item: unknown): Promise<void> {
    await learnFromSession(this.learn, isSession(item) ? item : undefined, this.sessions.all());
  }

  async analyzeClaudeHistory(): Promise<void> {
    await analyzeClaudeHistory(this.learn);
  }

  async applyLearnedRules(): Promise<void> {
    await applyLearnedRules(this.learn, this.snapshots);
  }

  /** On the policy in the active editor, else on the folder's policy. */
  async restoreDismissed(): Promise<void> {
    const active = vscode.window.activeTextEditor?.document.uri;
    let file = active && isPolicyDocument(active) ? active.fsPath : undefined;
    if (!file) {
      const folder = await requireFolder('Restore Dismissed Suggestions');
      if (!folder) return;
      file = policyFileOf(folder).file;
    }
    await restoreDismissed(this.learn, file);
  }

  async openPolicy(): Promise<void> {
    const folder = await requireFolder('Open Policy');
    if (!folder) return;
    const { file, exists } = policyFileOf(folder);
    const target = exists ? file : await this.createPolicy(file);
    await vscode.window.showTextDocument(vscode.Uri.file(target));
  }

  /** Copies the shipped standard policy to `file`; returns its path. */
  private async createPolicy(file: string): Promise<string> {
    const { shippedPolicyPath } = await import('../core/policy');
    mkdirSync(dirname(file), { recursive: true });
    copyFileSync(shippedPolicyPath('standard'), file);
    this.output.info(`created ${file} from the standard policy`);
    void vscode.window.showInformationMessage(`Rampart: Created ${vscode.workspace.asRelativePath(file)} from the standard policy.`);
    return file;
  }

  async exportCsv(): Promise<void> {
    await this.reviewerBackend().exportCsv();
  }

  async trainModel(): Promise<void> {
    await this.reviewerBackend().train((m) => this.reviewer?.post(m));
    this.reviewer?.refresh();
  }

  /** Verifies the hash chain of every session's audit log (each session writes its own chain). */
  async verifyAudit(): Promise<void> {
    const root = join(this.storage.fsPath, 'audit');
    const dirs = existsSync(root) ? readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(root, d.name)) : [];
    if (!dirs.length) {
      void vscode.window.showInformationMessage('Rampart: no audit log yet. Run an agent task first.');
      return;
    }
    const { verifyAudit } = await import('../core/audit');
    let events = 0;
    let torn = 0;
    for (const dir of dirs) {
      const r = await verifyAudit(dir);
      events += r.events;
      torn += r.torn.length;
      if (r.ok) continue;
      const p = r.problem!;
      this.output.error(`audit verify: ${p.file}:${p.line}: ${p.message}`);
      const open = 'Open at the problem';
      if ((await vscode.window.showErrorMessage(`Rampart: audit log broken at ${p.file}:${p.line}: ${p.message}`, open)) === open) {
        await vscode.window.showTextDocument(vscode.Uri.file(p.file), { selection: new vscode.Range(p.line - 1, 0, p.line - 1, 0) });
      }
      return;
    }
    const msg = `audit logs intact: ${plural(events, 'event')} in ${plural(dirs.length, 'session')}${torn ? `, ${plural(torn, 'torn line')} from interrupted writes skipped` : ''}`;
    this.output.info(msg);
    void vscode.window.showInformationMessage(`Rampart: ${msg}.`);
  }

  async installClaudeHooks(): Promise<void> {
    await installClaudeHooks(this.extension.globalStorageUri.fsPath, this.extension.extensionPath, this.output);
  }

  async openAudit(item: unknown): Promise<void> {
    const s = isSession(item) ? item : await pickSession([...this.sessions.all()], 'Open the audit log of which session?');
    if (!s) return;
    const { listAuditFiles } = await import('../core/audit');
    const files = listAuditFiles(s.auditDir);
    if (!files.length) {
      void vscode.window.showInformationMessage(`Rampart: session ${s.id} has no audit events yet.`);
      return;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(files[files.length - 1]));
  }

  async dispose(): Promise<void> {
    clearTimeout(this.refreshTimer);
    await this.sessions.dispose();
    await this.telemetry.close();
  }
}

function isSession(x: unknown): x is AgentSession {
  return !!x && typeof x === 'object' && 'terminal' in x && 'counts' in x;
}

const CUSTOM = 'Custom command…';

/** Custom command lines run before, newest first (the window's global state), offered again in the picker. */
const RECENT_CUSTOM = 'rampartLearn.recentCustomAgents';
const MAX_RECENT_CUSTOM = 5;

async function pickAgent(agents: AgentSpec[], memory: vscode.Memento): Promise<AgentSpec | undefined> {
  const recent = memory.get<string[]>(RECENT_CUSTOM, []);
  const custom = (command: string): AgentSpec => ({ name: customAgentName(command), command });
  const items = [
    ...agents.map((a) => ({ label: a.name, description: a.command, agent: a as AgentSpec | undefined })),
    ...recent.map((command) => ({ label: customAgentName(command), description: `custom: ${command}`, agent: custom(command) as AgentSpec | undefined })),
    { label: CUSTOM, description: 'type a command line', agent: undefined },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Run Agent Task: which agent?' });
  if (!picked) return undefined;
  if (picked.agent) return picked.agent;
  const command = (await vscode.window.showInputBox({ title: 'Agent command line', prompt: 'Typed into the agent terminal as is', value: recent[0], ignoreFocusOut: true }))?.trim();
  if (!command) return undefined;
  await memory.update(RECENT_CUSTOM, [command, ...recent.filter((c) => c !== command)].slice(0, MAX_RECENT_CUSTOM));
  return custom(command);
}

/**
 * Whether to start the agent: yes when its program is on PATH; otherwise only if the user says so (the
 * terminal's shell may add it to PATH: nvm, asdf). Without this, a missing agent ended as a session of
 * no calls and a "command not found" in the terminal.
 */
async function agentFound(agent: AgentSpec, cwd: string): Promise<boolean> {
  const program = programOf(agent.command);
  if (!program || programOnPath(program, process.env.PATH ?? '', cwd, process.env.PATHEXT)) return true;
  const run = 'Run Anyway';
  const choice = await vscode.window.showWarningMessage(
    `Rampart: ${program} was not found on PATH, so ${agent.name} would fail with "command not found". Install it, or set its command in the rampartLearn.agents setting.`,
    { modal: true, detail: "Run anyway if your terminal's shell adds it to PATH (nvm, asdf …)." },
    run,
  );
  return choice === run;
}

async function pickMode(preferred: AgentMode): Promise<AgentMode | undefined> {
  const items = [
    { label: 'Learn', description: 'observe only: every call runs and is recorded', mode: 'learn' as const },
    { label: 'Enforce', description: 'denied calls are blocked, asks need your approval', mode: 'enforce' as const },
  ].sort((a) => (a.mode === preferred ? -1 : 1));
  return (await vscode.window.showQuickPick(items, { title: 'Run Agent Task: mode' }))?.mode;
}
