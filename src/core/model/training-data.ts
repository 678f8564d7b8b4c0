// Reads labelled commands from CSV: the telemetry export (`command`,
// `safety_label` 0/1/2) or a labelled list (`command`, `label` safe/unsafe,
// optional `group`).
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { restoreCell } from '../telemetry/csv';
import type { TelemetryStore } from '../telemetry/store';
import type { LabelledCommand } from './trainer';

export class TrainingCsvError extends Error {}

const LABEL_WORDS: Record<string, number> = { safe: 0, unsafe: 1, unknown: 2, '0': 0, '1': 1, '2': 2, '': 2 };

export function parseTrainingCsv(text: string, file: string): LabelledCommand[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true });
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new TrainingCsvError(`${file}:${e.lines ?? 1}: ${e.message}`);
  }
  if (!records.length) return [];
  const columns = Object.keys(records[0]);
  const labelColumn = columns.includes('safety_label') ? 'safety_label' : columns.includes('label') ? 'label' : null;
  if (!columns.includes('command') || !labelColumn) {
    throw new TrainingCsvError(`${file}:1: expected a "command" column and a "safety_label" or "label" column (found: ${columns.join(', ')})`);
  }
  const rows: LabelledCommand[] = [];
  records.forEach((r, i) => {
    // The classifier learns commands: the export's path, URL and label rows are not training data.
    if (r.event_type !== undefined && r.event_type !== 'command') return;
    const label = LABEL_WORDS[(r[labelColumn] ?? '').trim().toLowerCase()];
    if (label === undefined) throw new TrainingCsvError(`${file}:${i + 2}: unknown label "${r[labelColumn]}" (use 0/1/2 or safe/unsafe/unknown)`);
    // The export neutralises formula-like cells with a leading apostrophe.
    const command = restoreCell(r.command);
    rows.push(r.group ? { command, label, group: r.group } : { command, label });
  });
  return rows;
}

export function readTrainingCsv(file: string): LabelledCommand[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TrainingCsvError(`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return parseTrainingCsv(text, file);
}

/** The store's command events whose effective label is safe or unsafe (the rows `exportCsv` writes). */
export function labelledCommands(store: TelemetryStore): LabelledCommand[] {
  const rows: LabelledCommand[] = [];
  for (const r of store.labelledRows()) {
    if (r.event_type === 'command' && r.command !== null && (r.safety_label === 0 || r.safety_label === 1)) rows.push({ command: r.command, label: r.safety_label });
  }
  return rows;
}
