// Public surface of the telemetry module.
import { homedir } from 'node:os';
import { join } from 'node:path';

export { TelemetryStore } from './store';
export type { RetentionOptions, TelemetryStoreOptions } from './store';
export { telemetryEventFromAudit, safetyScore, DECISION_SCORE } from './from-audit';
export { neutraliseCell, restoreCell, telemetryCsv, writeTelemetryCsv } from './csv';
export { COLUMNS } from './schema';
export { SQLITE_MAGIC, whichStoreFile } from './store-paths';
export * from './types';

/** Where the CLI keeps the store unless `--db` says otherwise. */
export function defaultTelemetryPath(): string {
  return join(homedir(), '.rampart-learn', 'telemetry.sqlite');
}
export { generateSampleRows } from './sample';
export type { SampleOptions } from './sample';
