import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readAuditRecords, resolveAuditPaths, verifyAudit, type BadLine } from '../../core/audit/index';
import { plural } from '../../core/plural';
import {
  defaultTelemetryPath,
  LABEL_NAMES,
  parseLabel,
  TelemetryError,
  telemetryEventFromAudit,
  TelemetryStore,
  type RecentFilter,
  type SafetyLabel,
  type TelemetryRecord,
} from '../../core/telemetry/index';
import type { Action, AuditEvent } from '../../core/types';
import { defaultAuditDir } from '../audit-dirs';
import type { CliCommand } from '../command';
import { UserError } from '../errors';
import { printable } from '../../core/printable';
import { osUserName } from '../../core/os-user';
import { hint, optionError } from '../option-errors';

const HELP = `Usage: rampart-learn telemetry <sub-command> [options]

Reads and reviews the telemetry store (gate decisions, with their safety
score and label). The CLI gate (wrap, hook) writes an audit log, not
telemetry: import-audit brings its decisions into the store.

Sub-commands:
  recent [--limit N] [--offset N] [--json] [--tool T] [--label L]
         [--decision A] [--session S] [--text S]
      Newest events first. --label is safe, unsafe, unknown or none (the
      label that applies after reviews). --text matches a substring of the
      command. --json prints one JSON object per line (metadata parsed).
  counts [--json]
      How many events are safe, unsafe, unknown and unlabelled.
  label <id> safe|unsafe|unknown --why "reason" [--who NAME]
      Records a review as a new label event; the event itself is never
      edited. <id> is the full id from \`recent\`, or any prefix of it that
      names one event. --who defaults to your OS user name.
  import-audit <file|dir>
      Adds the decisions of an audit log (a file, or a directory of them) as
      telemetry events. wrap and hook log to $RAMPART_AUDIT_DIR, else
      \${XDG_STATE_HOME:-~/.local/state}/rampart-learn/audit. Events already in the store are
      skipped, so importing twice adds nothing.

Options (every sub-command):
  --db <file>   the store (default: ~/.rampart-learn/telemetry.sqlite)

Examples:
  rampart-learn telemetry import-audit ~/.local/state/rampart-learn/audit
  rampart-learn telemetry recent --limit 20 --label unsafe
  rampart-learn telemetry label 01JD8Z6X4T2QH9W0M3B7C8D9EF unsafe --why "uploads ~/.ssh"
  rampart-learn telemetry label 01JD8Z6X4T unsafe --why "uploads ~/.ssh"

Exit status: 0 on success, 2 on bad arguments or an unreadable store.
`;

/** Opens the store for a CLI command; warnings (corrupt database, torn journal line) go to stderr. */
export async function openCliStore(db: string | undefined, mode: 'read' | 'write'): Promise<TelemetryStore> {
  const path = db ?? defaultTelemetryPath();
  if (mode === 'read' && !existsSync(path) && !existsSync(`${path}.journal`)) {
    // The gate writes an audit log, never telemetry: importing it is the way in.
    throw new UserError(`${path}: no telemetry store here; import the gate's audit log with \`rampart-learn telemetry import-audit ${defaultAuditDir()}\`, or pass --db`);
  }
  try {
    // Reading needs no lock, so it works while the extension has the store open.
    return await TelemetryStore.open(path, {
      readOnly: mode === 'read',
      onWarning: (w) => process.stderr.write(`rampart-learn: warning: ${w}\n`),
    });
  } catch (err) {
    throw asUserError(err);
  }
}

export function asUserError(err: unknown): unknown {
  return err instanceof TelemetryError ? new UserError(err.message) : err;
}

function labelOption(text: string): SafetyLabel | 'none' {
  if (text.trim().toLowerCase() === 'none') return 'none';
  const l = parseLabel(text);
  if (l === undefined) throw new UserError(`--label: expected safe, unsafe, unknown or none, got "${text}"`);
  return l;
}

const DECISIONS: readonly Action[] = ['allow', 'deny', 'ask', 'watch'];

function decisionOption(text: string): Action {
  const d = DECISIONS.find((a) => a === text.trim().toLowerCase());
  if (!d) throw new UserError(`--decision: expected allow, deny, ask or watch, got "${text}"`);
  return d;
}

function intOption(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`--${name}: expected an integer from ${min} to ${max}, got "${text}"`);
  return n;
}

function decisionOf(r: TelemetryRecord): string {
  try {
    return String((JSON.parse(r.metadata ?? '{}') as { decision?: { action?: string } }).decision?.action ?? '');
  } catch {
    return '';
  }
}

function table(rows: TelemetryRecord[]): string {
  const width = Math.max(60, process.stdout.columns ?? 120);
  const head = ['TIME', 'ID', 'TOOL', 'DECISION', 'LABEL', 'SCORE'];
  const cells = rows.map((r) => [
    r.ts.replace('T', ' ').slice(0, 19),
    r.id,
    r.tool ?? '',
    decisionOf(r),
    r.effective_label === null ? '-' : LABEL_NAMES[r.effective_label],
    r.safety_score === null ? '-' : String(r.safety_score),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[], command: string) => {
    const left = c.map((v, i) => v.padEnd(widths[i])).join('  ');
    const room = Math.max(10, width - left.length - 2);
    const cmd = printable(command);
    return `${left}  ${cmd.length > room ? `${cmd.slice(0, room - 1)}…` : cmd}`;
  };
  return [line(head, 'COMMAND'), ...cells.map((c, i) => line(c, rows[i].command ?? ''))].join('\n');
}

async function recent(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      limit: { type: 'string' },
      offset: { type: 'string' },
      json: { type: 'boolean' },
      tool: { type: 'string' },
      label: { type: 'string' },
      decision: { type: 'string' },
      session: { type: 'string' },
      text: { type: 'string' },
    },
  });
  if (positionals.length) throw new UserError(`telemetry recent: unexpected argument "${positionals[0]}"`);
  const filter: RecentFilter = {
    tool: values.tool,
    decision: values.decision === undefined ? undefined : decisionOption(values.decision),
    session: values.session,
    text: values.text,
    label: values.label === undefined ? undefined : labelOption(values.label),
    offset: intOption('offset', values.offset, 0, 0, Number.MAX_SAFE_INTEGER),
  };
  const limit = intOption('limit', values.limit, 20, 1, 100_000);
  const store = await openCliStore(values.db, 'read');
  try {
    const rows = store.queryRecent(limit, filter);
    if (values.json) {
      for (const r of rows) process.stdout.write(`${JSON.stringify({ ...r, metadata: r.metadata === null ? null : JSON.parse(r.metadata) })}\n`);
    } else if (!rows.length) {
      process.stdout.write('no events match\n');
    } else {
      process.stdout.write(`${table(rows)}\n`);
    }
  } finally {
    await store.close();
  }
  return 0;
}

async function counts(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { db: { type: 'string' }, json: { type: 'boolean' } } });
  const store = await openCliStore(values.db, 'read');
  try {
    const c = store.labelCounts();
    process.stdout.write(
      values.json
        ? `${JSON.stringify(c)}\n`
        : `safe ${c.safe}\nunsafe ${c.unsafe}\nunknown ${c.unknown}\nunlabelled ${c.unlabelled}\ntotal ${c.total}\n`,
    );
  } finally {
    await store.close();
  }
  return 0;
}

async function label(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { db: { type: 'string' }, why: { type: 'string' }, who: { type: 'string' } },
  });
  const [id, word, extra] = positionals;
  if (!id || !word || extra !== undefined) throw new UserError('telemetry label: usage: telemetry label <id> safe|unsafe|unknown --why "reason"');
  const value = parseLabel(word);
  if (value === undefined) throw new UserError(`telemetry label: expected safe, unsafe or unknown, got "${word}"`);
  if (!values.why?.trim()) throw new UserError('telemetry label: --why "reason" is required (reviews say why)');
  const store = await openCliStore(values.db, 'write');
  try {
    const full = store.resolveEventId(id);
    const row = await store.labelEvent(full, value, { who: values.who ?? osUserName(), why: values.why });
    process.stdout.write(`labelled ${full} ${LABEL_NAMES[value]} (label event ${row.id})\n`);
  } catch (err) {
    throw asUserError(err);
  } finally {
    await store.close();
  }
  return 0;
}

function warnSkipped(b: BadLine): void {
  process.stderr.write(`rampart-learn: warning: ${printable(`${b.file}:${b.line}: skipped: ${b.reason}`)}\n`);
}

/**
 * The events of an audit log, with the exit code and duration of their
 * completion records. Like `audit verify`, refuses a directory without audit
 * files and a file with no audit record in it.
 */
async function readAuditSource(source: string): Promise<{ events: Map<string, AuditEvent>; bad: number }> {
  if (!existsSync(source)) throw new UserError(`${source}: no such file or directory`);
  if (!resolveAuditPaths(source).length) throw new UserError(`${source}: no audit files (audit.jsonl, audit.NNNNNN.jsonl) found`);
  const events = new Map<string, AuditEvent>();
  // Bad lines before the first record are held back: if no record follows,
  // one error says the file is no audit log instead of a warning per line.
  const held: BadLine[] = [];
  let records = 0;
  let bad = 0;
  const onBadLine = (b: BadLine) => {
    bad++;
    if (records) warnSkipped(b);
    else held.push(b);
  };
  try {
    for await (const { record, file, line } of readAuditRecords(source, { onBadLine })) {
      if (!records++) held.splice(0).forEach(warnSkipped);
      if ('type' in record && record.type === 'completion') {
        const ev = events.get(record.ref);
        if (ev) ev.response = { ...ev.response, ...record.response };
      } else if (!events.has(record.id)) {
        if (typeof record.id !== 'string') throw new UserError(`${file}:${line}: audit event without an id`);
        events.set(record.id, record as AuditEvent);
      }
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${source}: ${(err as Error).message}`);
  }
  const [first] = held;
  if (first) throw new UserError(printable(`${first.file}:${first.line}: not an audit log (no audit record): ${first.reason}`));
  return { events, bad };
}

async function importAudit(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { db: { type: 'string' } } });
  if (positionals.length !== 1) throw new UserError('telemetry import-audit: give one audit file or directory');
  const { events, bad } = await readAuditSource(positionals[0]);
  // An edited log is still imported (it is the user's), but its decisions may not be the gate's: say where it breaks.
  const chain = await verifyAudit(positionals[0]).catch(() => undefined);
  if (chain && !chain.ok && chain.problem) {
    process.stderr.write(`rampart-learn: warning: ${printable(`${chain.problem.file}:${chain.problem.line}: ${chain.problem.message}`)}; its events are imported as they read (check with \`rampart-learn audit verify\`)\n`);
  }
  const store = await openCliStore(values.db, 'write');
  let added = 0;
  let dropped = 0;
  try {
    const fresh = [...events.values()].filter((e) => !store.hasEvent(e.id));
    const ids: string[] = [];
    for (let i = 0; i < fresh.length; i += 5_000) {
      const batch = fresh.slice(i, i + 5_000).map((e) => telemetryEventFromAudit(e));
      for (const row of await store.insertMany(batch)) ids.push(row.id);
    }
    added = ids.length;
    // Retention applies as rows go in: an old session is dropped at once, and the user must hear it.
    store.applyRetention();
    dropped = ids.filter((id) => !store.hasEvent(id)).length;
  } catch (err) {
    throw asUserError(err);
  } finally {
    await store.close();
  }
  const skipped = bad ? `, ${plural(bad, 'unreadable line')} skipped` : '';
  const gone = dropped ? ` (${dropped} of them dropped at once by the store's retention: older than it keeps, or past its size limit)` : '';
  process.stdout.write(`imported ${plural(added, 'event')}${gone}, ${events.size - added} already present${skipped}\n`);
  return 0;
}

const SUB: Record<string, (args: string[]) => Promise<number>> = { recent, counts, label, 'import-audit': importAudit };

export const command: CliCommand = {
  name: 'telemetry',
  summary: 'List recent telemetry events, label them, import audit logs',
  help: HELP,
  async run(argv) {
    const [sub, ...rest] = argv;
    const run = sub ? SUB[sub] : undefined;
    if (!run) throw new UserError(sub ? `telemetry: unknown sub-command "${sub}"${hint(sub, Object.keys(SUB))}; one of recent, counts, label, import-audit` : 'telemetry: give a sub-command: recent, counts, label or import-audit');
    try {
      return await run(rest);
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw optionError(`telemetry ${sub}`, HELP, err as NodeJS.ErrnoException);
      throw asUserError(err);
    }
  },
};
