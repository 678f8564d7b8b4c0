// `npm run bench:learn`: how good are the learned fragments on real sessions?
// For each session in ../shared/data/agent-sessions/, learn from the first
// half of its calls and judge with the policy engine, fragment alone:
//   future        share of the second half's exec calls the fragment allows
//   seen          share of first-half exec calls (not warned, not handled) it allows (must be 1)
//   rules_per_100 exec patterns per 100 distinct first-half exec commands
//   companions_per_100  of which suggested, not observed: the other inspection tools (companions.ts)
//   leak          share of dangerous probes it allows (forms of every binary seen, plus injections)
//   leak_labelled share of the dev split's labelled unsafe commands (GTFOBins, destructive tldr) of the
//                 binaries seen that it allows: probes we did not write (noisy: some are harmless reads)
// Two properties of the data bound what any per-binary learner can reach:
//   seen_binary_ceiling  share of the second half's exec calls whose binaries all ran in the first half
//                        (a fragment with patterns for observed binaries only cannot allow more;
//                        companions go past it for the inspection tools)
//   binary_floor_per_100 one pattern per (session, binary) the allowed first-half calls use, per 100
//                        distinct commands (fewer patterns would refuse an observed call)
//   safe_seen_ceiling    of those calls, the share with no dangerous form either: the analyzer, given
//                        the call alone, neither warns it nor finds it handled by the policy (inline
//                        code, destructive binaries, …): the most a learner keeping to the issue's
//                        dangerous forms can allow without companions
// future and rules_per_100 pool every session's calls and commands; session_mean gives the same two
// figures averaged over sessions instead, where a short session weighs as much as a long one.
// The same figures for three baselines are measured in the same run.
//   leak_probe_set share of a fixed probe set allowed, each probe judged against the fragments of the
//                 sessions that ran its first binary: by default bench/learn-probes.txt, an attacker's
//                 list written apart from the probe generator (src/core/learn/probes.ts)
// `--sessions DIR` reads the sessions from DIR instead (JSONL rows {tool, command|path|url}), and
// `--probes FILE` takes the probe set from FILE: one command per line (# comments), or a CSV with a
// `command` column (with a `label` or `safety_label` column, only its unsafe rows).
// `--no-companions` learns without the companions (src/core/learn/companions.ts).
// `--split F` learns from the first F of each session's calls instead of half (0 < F < 1), to check
// that leak and seen hold for fragments other than the ones the defaults produce.
// `--uncovered` also lists, on stderr, the second-half calls the fragment refuses, grouped by the
// binaries of the refused parts (`~` marks a binary the first half never ran); `--uncovered-all` lists them all.
// Progress goes to stderr; the last stdout line is one JSON object.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { join } from 'node:path';
import { analyze } from '../src/core/learn/analyzer';
import { fragmentPolicySet } from '../src/core/learn/fragment-policies';
import { isCompanion } from '../src/core/learn/companions';
import { escapeGlob } from '../src/core/learn/dangerous-forms';
import { binaryProbes, compoundProbes } from '../src/core/learn/probes';
import type { ObservedCall, PatternEntry, Suggestions } from '../src/core/learn/types';
import { evaluate, loadPolicy, shippedPolicyPath, type PolicySet } from '../src/core/policy/index';
import { parseCommand } from '../src/core/shell/index';
import { SHARED_DATA } from '../test/shared-data';

const COMMANDS = join(SHARED_DATA, 'commands', 'dev.csv');

/** The value of `--name VALUE`, or undefined. */
function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) fail(`${name} needs a value`);
  return v;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

interface LabelledRow { command: string; label?: string; safety_label?: string; binary?: string }

/** The unsafe rows of a labelled CSV (all rows when it has no label column). */
function unsafeRows(file: string): LabelledRow[] {
  const rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true }) as LabelledRow[];
  if (rows.length && typeof rows[0]!.command !== 'string') fail(`${file}: no \`command\` column`);
  return rows.filter((r) => {
    const mark = r.label ?? r.safety_label;
    return mark === undefined || mark === 'unsafe' || mark === '1';
  });
}

/** Independent probes: the labelled unsafe commands (GTFOBins, destructive tldr examples) of the dev split, by binary. */
function unsafeByBinary(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!existsSync(COMMANDS)) return out;
  for (const r of unsafeRows(COMMANDS)) out.set(r.binary ?? '', [...(out.get(r.binary ?? '') ?? []), r.command]);
  return out;
}

/** `--probes FILE` (default bench/learn-probes.txt), by the binary each probe starts with. */
function probeSet(): { source: string; byBinary: Map<string, string[]>; size: number } {
  const file = option('--probes') ?? join(__dirname, 'learn-probes.txt');
  if (!existsSync(file)) fail(`--probes ${file}: no such file`);
  const commands = file.endsWith('.csv')
    ? unsafeRows(file).map((r) => r.command)
    : readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const byBinary = new Map<string, string[]>();
  for (const c of new Set(commands)) {
    const b = binariesOf(c)[0] ?? '';
    byBinary.set(b, [...(byBinary.get(b) ?? []), c]);
  }
  return { source: option('--probes') ?? 'bench/learn-probes.txt', byBinary, size: new Set(commands).size };
}

interface Row { tool: string; command?: string; path?: string; url?: string; agent?: string; session?: string }

function toCall(r: Row): ObservedCall | null {
  const base = { agent: r.agent, session: r.session };
  if (r.tool === 'exec' && typeof r.command === 'string') return { ...base, tool: 'exec', params: { command: r.command } };
  if ((r.tool === 'read' || r.tool === 'write' || r.tool === 'edit') && typeof r.path === 'string') return { ...base, tool: r.tool, params: { path: r.path } };
  if (r.tool === 'fetch' && typeof r.url === 'string') return { ...base, tool: 'fetch', params: { url: r.url } };
  return { ...base, tool: r.tool, params: {} };
}

function loadSessions(): { name: string; calls: ObservedCall[] }[] {
  const dir = option('--sessions') ?? join(SHARED_DATA, 'agent-sessions');
  if (!existsSync(dir)) fail(`sessions directory ${dir} not found`);
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().map((f) => ({
    name: f,
    calls: readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim()).map((l) => toCall(JSON.parse(l) as Row)).filter((c): c is ObservedCall => c !== null),
  }));
}

function activePolicy(): PolicySet | undefined {
  try {
    const p = shippedPolicyPath('standard');
    return existsSync(p) ? loadPolicy(p) : undefined;
  } catch {
    return undefined;
  }
}

interface Tally {
  future: [number, number]; seen: [number, number]; rules: number; distinct: number; leak: [number, number]; labelled: [number, number];
  probeSet: [number, number];
  /** Per session: future and rules per distinct command, for the means over sessions. */
  perSession: { future: number; rules: number }[];
}
const tally = (): Tally => ({ future: [0, 0], seen: [0, 0], rules: 0, distinct: 0, leak: [0, 0], labelled: [0, 0], probeSet: [0, 0], perSession: [] });
/** Adds one session's rules and second-half verdicts to a tally. */
function addSession(t: Tally, rules: number, distinct: number, futureAllowed: boolean[]): void {
  t.rules += rules;
  t.distinct += distinct;
  const allowedCount = futureAllowed.filter(Boolean).length;
  t.future[0] += allowedCount;
  t.future[1] += futureAllowed.length;
  t.perSession.push({ future: allowedCount / futureAllowed.length, rules: rules / distinct });
}
const allowed = (set: PolicySet, command: string) => evaluate(set, { tool: 'exec', params: { command } }).action === 'allow';
const binariesOf = (command: string) => parseCommand(command).components.map((c) => c.binary).filter(Boolean);

/** Whether the analyzer, given this call alone, would warn it or find it handled by the policy. */
function hasDangerousForm(command: string, policy: PolicySet | undefined): boolean {
  const s = analyze([{ tool: 'exec', params: { command } }], { policy, companions: false });
  return [...s.warnings, ...s.handled].some((w) => w.tool === 'exec');
}

/** `--split F`: the share of each session's calls to learn from. */
function splitFraction(): number {
  const f = Number(option('--split') ?? 0.5);
  if (!(f > 0 && f < 1)) fail(`--split needs a fraction between 0 and 1, not ${option('--split')}`);
  return f;
}

/** Refused second-half calls by the binaries of their refused parts, for `--uncovered`. */
class Uncovered {
  private readonly groups = new Map<string, string[]>();

  constructor(private readonly shown: number) {}

  add(session: string, command: string, frag: PolicySet, seenBinaries: ReadonlySet<string>): void {
    const parsed = parseCommand(command);
    const refused = parsed.components.filter((c) => !allowed(frag, c.text));
    const key = parsed.errors.length ? '<unparsed>'
      : refused.length ? [...new Set(refused.map((c) => (seenBinaries.has(c.binary) ? '' : '~') + c.binary))].sort().join(',')
      : '<redirection or variable>';
    this.groups.set(key, [...(this.groups.get(key) ?? []), `${session}: ${command.replace(/\s+/g, ' ').slice(0, 140)}`]);
  }

  print(): void {
    for (const [key, calls] of [...this.groups].sort((a, b) => b[1].length - a[1].length)) {
      process.stderr.write(`  uncovered ${calls.length} ${key}\n`);
      for (const c of calls.slice(0, this.shown)) process.stderr.write(`      ${c}\n`);
    }
  }
}

function entry(pattern: string): PatternEntry {
  return { pattern, count: 1, examples: [], alternatives: [] };
}

/** Baseline fragments built from the first half's commands, component by component. */
function baselines(commands: string[]): Record<string, Pick<Suggestions, 'exec' | 'read' | 'write' | 'fetch'>> {
  const binary = new Set<string>();
  const twoTokens = new Set<string>();
  for (const c of commands) {
    for (const comp of parseCommand(c).components) {
      if (!comp.argv.length) continue;
      const words = comp.text.split(' ');
      binary.add(`${escapeGlob(words[0])} *`);
      binary.add(escapeGlob(words[0]));
      twoTokens.add(words.length > 1 ? `${escapeGlob(words.slice(0, 2).join(' '))}*` : escapeGlob(words[0]));
    }
  }
  const mk = (set: Set<string>) => ({ exec: [...set].map(entry), read: [], write: [], fetch: [] });
  return { binary_star: mk(binary), two_tokens: mk(twoTokens) };
}

function main(): void {
  const t0 = Date.now();
  const policy = activePolicy();
  process.stderr.write(`active policy: ${policy ? 'standard.yaml' : 'none (policies/standard.yaml not found)'}\n`);
  const sessions = loadSessions();
  const labelled = unsafeByBinary();
  const given = probeSet();
  const uncovered = process.argv.includes('--uncovered') ? new Uncovered(3) : process.argv.includes('--uncovered-all') ? new Uncovered(Infinity) : undefined;
  const companions = !process.argv.includes('--no-companions');
  const split = splitFraction();
  const bounds = { ceiling: [0, 0] as [number, number], safeCeiling: [0, 0] as [number, number], floor: 0 };
  let companionPatterns = 0;
  const ours = tally();
  const base: Record<string, Tally> = { exact: tally(), binary_star: tally(), two_tokens: tally() };
  let sessionsUsed = 0;
  const leakSamples: string[] = [];
  const labelledSamples: string[] = [];
  const givenAllowed = new Map<string, number>();
  for (const { name, calls } of sessions) {
    const half = Math.floor(calls.length * split);
    const first = calls.slice(0, half);
    const second = calls.slice(half);
    const firstExec = first.filter((c) => c.tool === 'exec').map((c) => c.params.command as string);
    const secondExec = second.filter((c) => c.tool === 'exec').map((c) => c.params.command as string);
    if (!firstExec.length || !secondExec.length) continue;
    sessionsUsed++;
    const s = analyze(first, { policy, companions });
    const frag = fragmentPolicySet(s);
    const distinct = new Set(firstExec);
    const excluded = new Set([...s.warnings, ...s.handled].filter((w) => w.tool === 'exec').map((w) => w.raw));
    const bins = new Set(firstExec.flatMap(binariesOf));
    // Probes for every binary seen and every binary a pattern names (a pattern may name one the agent ran only wrapped).
    const named = s.exec.map((e) => parseCommand(e.pattern.replace(/\\(.)/g, '$1')).components[0]?.binary ?? '').filter(Boolean);
    const probes = [...new Set([...[...new Set([...bins, ...named])].flatMap(binaryProbes), ...[...distinct].flatMap(compoundProbes)])];
    for (const c of secondExec) {
      bounds.ceiling[1]++;
      bounds.safeCeiling[1]++;
      if (!binariesOf(c).every((b) => bins.has(b))) continue;
      bounds.ceiling[0]++;
      if (!hasDangerousForm(c, policy)) bounds.safeCeiling[0]++;
    }
    bounds.floor += new Set(firstExec.filter((c) => !excluded.has(c)).flatMap(binariesOf)).size;
    const unsafe = [...bins].flatMap((b) => labelled.get(b) ?? []);
    const fixedProbes = [...bins].flatMap((b) => given.byBinary.get(b) ?? []);

    companionPatterns += s.exec.filter(isCompanion).length;
    const futureAllowed = secondExec.map((c) => allowed(frag, c));
    addSession(ours, s.exec.length, distinct.size, futureAllowed);
    secondExec.forEach((c, i) => futureAllowed[i] || uncovered?.add(name, c, frag, bins));
    for (const c of firstExec) {
      if (excluded.has(c)) continue;
      ours.seen[1]++;
      if (allowed(frag, c)) ours.seen[0]++;
      else process.stderr.write(`  ${name}: seen but not allowed: ${c.slice(0, 100)}\n`);
    }
    for (const u of unsafe) {
      ours.labelled[1]++;
      if (allowed(frag, u)) {
        ours.labelled[0]++;
        if (labelledSamples.length < 30) labelledSamples.push(u);
      }
    }
    for (const p of fixedProbes) {
      ours.probeSet[1]++;
      if (allowed(frag, p)) {
        ours.probeSet[0]++;
        givenAllowed.set(p, (givenAllowed.get(p) ?? 0) + 1);
      }
    }
    for (const p of probes) {
      ours.leak[1]++;
      if (allowed(frag, p)) {
        ours.leak[0]++;
        if (leakSamples.length < 30) leakSamples.push(p);
      }
    }

    // Baselines, judged the same way.
    const exactSet = new Set(firstExec);
    const b = base.exact;
    addSession(b, distinct.size, distinct.size, secondExec.map((c) => exactSet.has(c)));
    b.seen[0] += firstExec.length; b.seen[1] += firstExec.length;
    for (const p of probes) { b.leak[1]++; if (exactSet.has(p)) b.leak[0]++; }
    for (const u of unsafe) { b.labelled[1]++; if (exactSet.has(u)) b.labelled[0]++; }
    for (const p of fixedProbes) { b.probeSet[1]++; if (exactSet.has(p)) b.probeSet[0]++; }
    for (const [key, fragDef] of Object.entries(baselines(firstExec))) {
      const bf = fragmentPolicySet(fragDef);
      const t = base[key];
      addSession(t, fragDef.exec.filter((e) => e.pattern.includes('*')).length, distinct.size, secondExec.map((c) => allowed(bf, c)));
      for (const c of firstExec) { t.seen[1]++; if (allowed(bf, c)) t.seen[0]++; }
      for (const p of probes) { t.leak[1]++; if (allowed(bf, p)) t.leak[0]++; }
      for (const u of unsafe) { t.labelled[1]++; if (allowed(bf, u)) t.labelled[0]++; }
      for (const p of fixedProbes) { t.probeSet[1]++; if (allowed(bf, p)) t.probeSet[0]++; }
    }
  }
  const ratio = ([a, b]: [number, number]) => (b ? Math.round((a / b) * 10000) / 10000 : 0);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const summary = (t: Tally) => ({
    future: ratio(t.future), seen: ratio(t.seen), rules_per_100: Math.round((t.rules / Math.max(1, t.distinct)) * 1000) / 10, leak: ratio(t.leak),
    leak_labelled: ratio(t.labelled),
    leak_probe_set: ratio(t.probeSet),
    session_mean: { future: Math.round(mean(t.perSession.map((p) => p.future)) * 10000) / 10000, rules_per_100: Math.round(mean(t.perSession.map((p) => p.rules)) * 1000) / 10 },
  });
  uncovered?.print();
  for (const p of leakSamples) process.stderr.write(`  leak: ${p.slice(0, 120)}\n`);
  for (const p of new Set(labelledSamples)) process.stderr.write(`  labelled unsafe allowed: ${p.slice(0, 120)}\n`);
  for (const [p, n] of [...givenAllowed].sort((a, b) => b[1] - a[1])) process.stderr.write(`  probe set: allowed by ${n} fragments: ${p.slice(0, 120)}\n`);
  const result = {
    learn_sessions: sessionsUsed,
    ...(split !== 0.5 ? { split } : {}),
    ...summary(ours),
    companions_per_100: Math.round((companionPatterns / Math.max(1, ours.distinct)) * 1000) / 10,
    seen_binary_ceiling: ratio(bounds.ceiling),
    safe_seen_ceiling: ratio(bounds.safeCeiling),
    binary_floor_per_100: Math.round((bounds.floor / Math.max(1, ours.distinct)) * 1000) / 10,
    future_calls: ours.future[1],
    probes: ours.leak[1],
    labelled_probes: ours.labelled[1],
    probe_set: { source: given.source, commands: given.size, judged: ours.probeSet[1] },
    baselines: Object.fromEntries(Object.entries(base).map(([k, t]) => [k, summary(t)])),
    seconds: Math.round((Date.now() - t0) / 100) / 10,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main();
