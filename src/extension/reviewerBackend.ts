// The Reviewer's backend: pages of telemetry with predictions, labels as
// review events, CSV export and training, all against the window's store and
// model. Training is shared with the "Train Model…" command.
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { osUserName } from '../core/os-user';
import { dirname, join } from 'node:path';
import type { LabelCounts, ToWebview } from '../../webview/protocol';
import type { ReviewerBackend } from './reviewerMessages';
import type { TelemetryService } from './telemetryService';
import { modelSummary, noModelNote, progressText, trainingRows, trainingShortfall, type ModelService } from './modelService';
import { LABEL_VALUE, NO_REASON, queryPage, recordContext, toEventRow, type Predict } from './telemetryRows';
import { readSettings } from './settings';
import { offersDenyRule } from '../../webview/protocol';
import { printable } from '../core/printable';
import type { DenyTarget } from './denyRules';

export class Reviewer implements ReviewerBackend {
  private training?: AbortController;
  /** Where the last export went; the next one starts there. */
  private exportDir = homedir();

  constructor(
    private readonly telemetry: TelemetryService,
    private readonly models: ModelService,
    private readonly log: vscode.LogOutputChannel,
    private readonly proposeDenyRule: (target: DenyTarget) => Promise<{ pattern: string; file: string } | undefined>,
    private readonly deniedNow: (target: DenyTarget) => boolean = () => false,
  ) {}

  async status() {
    try {
      await this.telemetry.store();
      return { telemetry: 'ready' as const };
    } catch (err) {
      return { telemetry: 'unavailable' as const, note: `Telemetry store unavailable: ${(err as Error).message}` };
    }
  }

  private async predictor(): Promise<{ predict?: Predict; threshold: number }> {
    try {
      const p = await this.models.current();
      return p ? { predict: (c) => p.predict(c), threshold: p.model.threshold } : { threshold: 0.5 };
    } catch (err) {
      this.log.warn(`model: ${(err as Error).message}`);
      return { threshold: 0.5 };
    }
  }

  async query(q: Parameters<ReviewerBackend['query']>[0]) {
    const store = await this.telemetry.store();
    const { predict, threshold } = await this.predictor();
    return queryPage(store, q, predict, threshold, (command, context) => this.deniedNow({ command, ...context }));
  }

  async label(id: string, label: keyof typeof LABEL_VALUE, reason?: string) {
    const store = await this.telemetry.store();
    await store.labelEvent(id, LABEL_VALUE[label], { who: `${osUserName()} (VS Code)`, why: reason || NO_REASON });
  }

  async labelCounts(): Promise<LabelCounts> {
    const c = (await this.telemetry.store()).labelCounts();
    return { safe: c.safe, unsafe: c.unsafe, unknown: c.unknown, unlabelled: c.unlabelled };
  }

  async model() {
    try {
      const p = await this.models.current();
      if (p) return { model: modelSummary(p.model) };
    } catch (err) {
      return { model: null, note: `The model file could not be read: ${(err as Error).message}. Train again to replace it.` };
    }
    // An unavailable store is reported by `status`; here it only means no labels yet.
    const counts = await this.telemetry.store().then((store) => trainingRows(store).distinct, () => ({ safe: 0, unsafe: 0 }));
    return { model: null, note: noModelNote(counts, readSettings().model.minLabels) };
  }

  /** Offers a dated file in the home folder (or the last export's folder), never the project: the telemetry is sensitive and must not be committed. */
  async exportCsv() {
    const target = await vscode.window.showSaveDialog({
      title: 'Export telemetry as CSV',
      defaultUri: vscode.Uri.file(join(this.exportDir, `rampart-telemetry-${localDate(new Date())}.csv`)),
      filters: { CSV: ['csv'] },
    });
    if (!target) return;
    this.exportDir = dirname(target.fsPath);
    const n = await (await this.telemetry.store()).exportCsv(target.fsPath);
    this.log.info(`exported ${n} telemetry rows to ${target.fsPath}`);
    void vscode.window.showInformationMessage(`Rampart: exported ${n} telemetry rows to ${target.fsPath}`);
  }

  /** Confirms with the label counts, then trains with a cancellable progress notification. */
  async train(post: (msg: ToWebview) => void = () => {}) {
    if (this.training) {
      void vscode.window.showInformationMessage('Rampart: a training run is already in progress.');
      return;
    }
    const store = await this.telemetry.store();
    const counts = store.labelCounts();
    const { rows, distinct } = trainingRows(store);
    const { model: opts } = readSettings();
    const short = trainingShortfall(distinct, opts.minLabels);
    if (short) {
      void vscode.window.showWarningMessage(`Rampart: ${short}. Label more in the Reviewer.`);
      return;
    }
    const train = 'Train';
    const ok = await vscode.window.showInformationMessage(
      'Train the command classifier?',
      {
        modal: true,
        detail: `Labelled commands: ${distinct.safe} safe, ${distinct.unsafe} unsafe (from ${counts.safe} safe and ${counts.unsafe} unsafe events: a command labelled again counts once; ${counts.unknown} unknown and ${counts.unlabelled} unlabelled are left out). ${opts.trees} trees, depth ${opts.maxDepth}. The model only informs reviews; it never changes a policy decision.`,
      },
      train,
    );
    if (ok !== train) return;
    this.training = new AbortController();
    const signal = this.training.signal;
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Rampart: training the classifier', cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => this.training?.abort());
          let last = 0;
          post({ type: 'training', training: { state: 'running', message: 'Starting', fraction: 0 } });
          const model = await this.models.train(rows, { trees: opts.trees, maxDepth: opts.maxDepth }, (p) => {
            const t = progressText(p);
            progress.report({ message: t.message, increment: Math.max(0, (t.fraction - last) * 100) });
            last = t.fraction;
            post({ type: 'training', training: { state: 'running', ...t } });
          }, signal);
          const f1 = model.metrics.unsafe.f1;
          const msg = `Model trained on ${model.metrics.trainRows} commands: unsafe F1 ${(f1 * 100).toFixed(1)}%.`;
          post({ type: 'training', training: { state: 'done', message: msg } });
          this.log.info(msg);
        },
      );
    } catch (err) {
      if (signal.aborted) post({ type: 'training', training: { state: 'cancelled' } });
      else {
        post({ type: 'training', training: { state: 'failed', message: (err as Error).message } });
        throw err;
      }
    } finally {
      this.training = undefined;
    }
  }

  cancelTraining() {
    this.training?.abort();
  }

  /** Checks the event still qualifies (the model flags it unsafe, or it is labelled unsafe), then proposes the rule. */
  async addDenyRule(id: string) {
    const record = (await this.telemetry.store()).getEvent(id);
    if (!record) throw new Error(`no telemetry event with id ${JSON.stringify(id)}`);
    const { predict } = await this.predictor();
    const row = toEventRow(record, predict);
    if (!offersDenyRule(row)) {
      const command = `\`${printable(row.target).slice(0, 80)}\``;
      throw new Error(row.decision === 'deny' ? `${command} is already denied by the policy` : `${command} is neither predicted unsafe by the model nor labelled unsafe; edit the policy by hand to deny it`);
    }
    const added = await this.proposeDenyRule({ command: row.target, ...recordContext(record) });
    if (!added) return undefined;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === added.file);
    return { ...added, saved: !doc?.isDirty };
  }

  async runAgentTask() {
    await vscode.commands.executeCommand('rampartLearn.runAgent');
  }
}

/** YYYY-MM-DD in the local time zone. */
function localDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
