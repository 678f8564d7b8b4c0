// The terminal summary printed after a learn session or `analyze`: calls and
// patterns per tool, warnings, already-handled calls, where the fragment went
// and how to apply it. Colour and symbols only when the caller says so
// (a TTY without NO_COLOR); otherwise plain text.
import { createColors } from 'picocolors';
import { isCompanion } from './companions';
import type { LearnWarning, Suggestions } from './types';
import { grouped, plural } from '../plural';
import { oneLine } from '../printable';
import { shellWord } from '../shell/quote';

export interface SummaryOptions {
  /** Where the fragment was written (omit when it went to stdout). */
  outputPath?: string;
  /** The output is the JSON suggestions, not a YAML fragment: `apply` cannot read it, so no hint names it. */
  json?: boolean;
  /** Policy file the apply hint names. */
  policyPath?: string;
  /** There is no policy file to apply to yet (the run used a shipped policy): the hint starts with `init`. */
  needsInit?: boolean;
  /** ANSI colours and Unicode symbols. */
  color: boolean;
  /** Unreadable input lines, as counted by the importers. */
  badLines?: { count: number; samples: string[] };
  /** Cap on the warnings and handled calls listed (the rest are counted). */
  maxItems?: number;
}

/** `3m 12s`, `1h 4m 0s`, `12s`, `0.4s`; spans of days (several sessions) as `12d 3h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  if (ms < 10_000 && ms % 1000 !== 0) return `${(ms / 1000).toFixed(1)}s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h >= 48) return `${Math.floor(h / 24)}d ${h % 24}h`;
  if (h) return `${h}h ${m}m ${s}s`;
  if (m) return `${m}m ${s}s`;
  return `${s}s`;
}

/** How many warnings must share a tool and a reason to be shown as one entry (61 `python -c` one-liners are one finding). */
const GROUP_AT = 3;

/**
 * The warnings as entries to show: those sharing a tool and a reason together when there are at least
 * GROUP_AT of them, the others one by one; in the order of each entry's first warning.
 */
export function warningEntries(warnings: readonly LearnWarning[]): LearnWarning[][] {
  const byReason = new Map<string, LearnWarning[]>();
  for (const w of warnings) {
    const key = `${w.tool}\u0000${w.reason}`;
    byReason.set(key, [...(byReason.get(key) ?? []), w]);
  }
  return [...byReason.values()].flatMap((group) => (group.length >= GROUP_AT ? [group] : group.map((w) => [w])));
}

/**
 * oneLine for a list: each text at most `max` characters, and distinct wherever the texts are. Texts
 * that share their first `max` characters (`cd x && python3 << 'EOF'…` twice) show where they part.
 */
export function distinctLines(texts: readonly string[], max: number): string[] {
  const flat = texts.map((t) => oneLine(t, Infinity));
  const lines = flat.map((f) => oneLine(f, max));
  const byLine = new Map<string, number[]>();
  lines.forEach((l, i) => byLine.set(l, [...(byLine.get(l) ?? []), i]));
  for (const group of byLine.values()) {
    if (group.length < 2) continue;
    for (const i of group) {
      const parts = Math.max(...group.filter((j) => j !== i).map((j) => commonPrefixLength(flat[i], flat[j])));
      lines[i] = elideAround(flat[i], parts, max);
    }
  }
  return lines;
}

function commonPrefixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
}

/** The start of `text` and, after an ellipsis, the stretch from just before `at`, in `max` characters. */
function elideAround(text: string, at: number, max: number): string {
  const head = Math.floor(max / 3);
  const from = Math.max(head, at - 10);
  const room = max - head - 1;
  const rest = text.slice(from);
  return `${text.slice(0, head)}…${rest.length > room ? `${rest.slice(0, room - 1)}…` : rest}`;
}

const ROWS = [
  { key: 'exec', label: 'exec ', unit: 'commands', subject: 'command', out: 'pattern', tools: ['exec'] },
  { key: 'read', label: 'read ', unit: 'paths', subject: 'path', out: 'pattern', tools: ['read'] },
  { key: 'write', label: 'write', unit: 'paths', subject: 'path', out: 'pattern', tools: ['write', 'edit'] },
  { key: 'fetch', label: 'fetch', unit: 'URLs', subject: 'URL', out: 'domain', tools: ['fetch'] },
] as const;

/** Whether the fragment still allows a dangerous probe, or something the active policy denies or asks. */
export function selfCheckFailed(s: Suggestions): boolean {
  return !!s.check && s.check.leaks.length + s.check.regressions.length > 0;
}

export function renderSummary(s: Suggestions, opts: SummaryOptions): string {
  const c = createColors(opts.color);
  const sym = opts.color ? { warn: '⚠', bullet: '•', arrow: '→', rule: '─' } : { warn: '!', bullet: '-', arrow: '->', rule: '-' };
  const max = opts.maxItems ?? 10;
  const rule = c.dim(sym.rule.repeat(60));
  const out: string[] = [rule, `  ${c.bold('rampart-learn')} ${sym.arrow} suggested policy additions`, rule, ''];

  const counts = ROWS.map((row) => ({
    row,
    calls: row.tools.reduce((n, t) => n + (s.stats.byTool[t] ?? 0), 0),
    patterns: s[row.key].length,
    missing: row.tools.reduce((n, t) => n + (s.stats.withoutSubject?.[t] ?? 0), 0),
  }));
  const width = Math.max(...counts.map((x) => grouped(x.calls).length));
  for (const { row, calls, patterns, missing } of counts) {
    const left = `${grouped(calls).padStart(width)} ${calls === 1 ? row.subject : row.unit}`.padEnd(width + 10);
    // Companions were never observed: say how many, so the reviewer looks for them.
    const unobserved = s[row.key].filter(isCompanion).length;
    const notes = [
      ...(unobserved ? [`${grouped(unobserved)} not observed: companions, see their notes in the fragment`] : []),
      // Calls the source recorded without their file cannot become patterns: say so, or "31 paths -> 0" looks like a bug.
      ...(missing ? [`${grouped(missing)} without a ${row.subject}: nothing to learn from`] : []),
    ];
    const note = notes.length ? c.dim(` (${notes.join('; ')})`) : '';
    out.push(`  ${c.cyan(row.label)}  ${left} ${sym.arrow} ${c.bold(plural(patterns, row.out))}${note}`);
  }
  const others = Object.entries(s.stats.byTool).filter(([t]) => !ROWS.some((r) => (r.tools as readonly string[]).includes(t)));
  if (others.length) {
    const n = others.reduce((sum, [, v]) => sum + v, 0);
    out.push(`  ${c.dim(`other  ${plural(n, 'call')} of ${plural(others.length, 'other tool')} (not learned)`)}`);
  }

  if (s.warnings.length) {
    out.push('', `  ${c.yellow(`${sym.warn} ${grouped(s.warnings.length)} WARNING${s.warnings.length === 1 ? '' : 'S'}`)} (observed but NOT suggested ${sym.arrow} review before allowing):`);
    const shown = warningEntries(s.warnings).slice(0, max);
    const raws = distinctLines(shown.map((g) => g[0]!.raw), 60);
    shown.forEach((g, i) => {
      const w = g[0]!;
      const what = g.length > 1 ? `${grouped(g.length)} commands like ${raws[i]}` : raws[i];
      const count = g.reduce((n, x) => n + x.count, 0);
      out.push(`    ${sym.bullet} ${w.tool} ${what}  ${c.dim(`(${oneLine(w.reason, 100)}; ${grouped(count)}x)`)}`);
    });
    const rest = s.warnings.length - shown.reduce((n, g) => n + g.length, 0);
    if (rest > 0) out.push(`    ${c.dim(`… and ${grouped(rest)} more (see the fragment)`)}`);
  }
  if (s.handled.length) {
    out.push('', `  Already handled by the active policy (not suggested):`);
    const shown = s.handled.slice(0, max);
    const raws = distinctLines(shown.map((h) => h.raw), 60);
    shown.forEach((h, i) => out.push(`    ${sym.bullet} ${h.tool} ${raws[i]}  ${c.dim(`${sym.arrow} ${h.action} by ${h.policy} (${grouped(h.count)}x)`)}`));
    if (s.handled.length > max) out.push(`    ${c.dim(`… and ${grouped(s.handled.length - max)} more`)}`);
  }
  const failed = selfCheckFailed(s);
  if (failed) {
    out.push('', `  ${c.bold(c.red(`${sym.warn} SELF-CHECK FAILED: ${plural(s.check!.leaks.length, 'dangerous probe')} still allowed, ${plural(s.check!.regressions.length, 'denied call')} allowed with the fragment.`))}`);
    out.push(`    Do not apply it as it is: remove or narrow the patterns listed under SELF-CHECK at the end of the fragment.`);
  }
  if (opts.badLines?.count) {
    out.push('', `  ${c.yellow(`${sym.warn} ${plural(opts.badLines.count, 'unreadable input line')} skipped`)}, e.g.:`);
    for (const line of opts.badLines.samples.slice(0, 3)) out.push(`    ${oneLine(line, 120)}`);
  }

  out.push('');
  if (opts.outputPath && opts.json) out.push(`  Written to: ${c.bold(opts.outputPath)}`);
  else if (opts.outputPath) {
    const policy = shellWord(opts.policyPath ?? 'rampart.yaml');
    out.push(`  Written to: ${c.bold(opts.outputPath)}`, '', '  To apply (review it first; a backup of the policy is written):');
    if (opts.needsInit) out.push(`    rampart-learn init                  # creates ${policy} from the standard policy`);
    out.push(`    rampart-learn apply ${shellWord(opts.outputPath)} --policy ${policy}`, `    rampart-learn lint ${policy}`, `    rampart-learn test ${policy}`);
  }
  out.push(rule);
  return `${out.join('\n')}\n`;
}
