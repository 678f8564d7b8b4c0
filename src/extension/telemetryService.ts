// The window's telemetry store, opened on first use (sql.js and its wasm load
// only then) in the extension's workspace storage.
import * as vscode from 'vscode';
import { mkdirSync } from 'node:fs';
import type { TelemetryStore } from '../core/telemetry';
import type { AuditEvent } from '../core/types';
import { readSettings } from './settings';

export class TelemetryService {
  private opening?: Promise<TelemetryStore>;

  constructor(
    /** Folder of the store: the workspace storage, or global storage with no folder open. */
    readonly dir: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get file(): string {
    return vscode.Uri.joinPath(this.dir, 'telemetry.sqlite').fsPath;
  }

  store(): Promise<TelemetryStore> {
    this.opening ??= this.open();
    return this.opening;
  }

  private async open(): Promise<TelemetryStore> {
    const { TelemetryStore } = await import('../core/telemetry');
    mkdirSync(this.dir.fsPath, { recursive: true });
    const { telemetry } = readSettings();
    const store = await TelemetryStore.open(this.file, {
      retention: { maxRows: telemetry.maxRows, maxAgeDays: telemetry.maxAgeDays },
      onWarning: (m) => this.log.warn(`telemetry: ${m}`),
    });
    this.log.info(`telemetry store ${this.file}`);
    return store;
  }

  /** Records a gate decision; failures are logged, never thrown into the gate. */
  async record(event: AuditEvent, modelProbability?: number): Promise<void> {
    try {
      const [{ telemetryEventFromAudit }, store] = await Promise.all([import('../core/telemetry'), this.store()]);
      await store.insertEvent(telemetryEventFromAudit(event, { modelProbability }));
    } catch (err) {
      this.log.error(`telemetry: could not record ${event.id}: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    if (opening) await (await opening).close();
  }
}
