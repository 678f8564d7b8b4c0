// The learner's front door: a streaming aggregator over observed calls that
// produces reviewed-ready Suggestions. `add` keeps one record per distinct
// command component, path and host (with counts and a few examples), so
// memory grows with the variety of what the agent did, not with the number
// of calls. `finish` generalises, self-checks against the real policy engine
// (narrowing any pattern that lets a dangerous probe through) and writes the
// fragment's inline tests.
import { changesDirectory, evaluate, knownProgramDir, type PolicySet } from '../policy/index';
import { injectsCode, isInjectionVariable } from '../policy/env-injection';
import { compileCommandGlob, hostOf, normalizePath } from '../glob/index';
import { parseCommand, type CommandComponent } from '../shell/index';
import type { ToolCall } from '../types';
import { homeFolderGuards, MAX_PROGRAM_NAME } from './dangerous-forms';
import { generaliseExec, redirectDanger, shapeWithDanger, UNKNOWN_PROGRAM_DIR, type ComponentStat } from './exec-patterns';
import { exfilMatcher, generaliseFetch, isLocalHost, urlOrigin, type HostStat } from './fetch-patterns';
import { generalisePaths, type PathStat } from './path-patterns';
import { homeFolderOf, SessionWorkspaces } from './workspace-roots';
import { selfCheck } from './self-check';
import { sensitiveMatcher, WRITE_GUARDS, WRITE_SENSITIVE_PATHS, type SensitiveMatcher } from './sensitive-paths';
import type { AnalyzerOptions, HandledCall, LearnWarning, ObservedCall, Suggestions } from './types';

const MAX_EXAMPLES = 3;
/** Distinct raw commands whose classification is cached (a cache: past it, commands are re-parsed). */
const RAW_CACHE = 200_000;
/** Distinct clean commands kept for the self-check and the inline tests. */
const MAX_OBSERVED = 400;
/** Agents and session ids listed in the stats (the count of sessions covers all of them). */
const MAX_NAMED = 8;
/** Narrowing rounds of the self-check. */
const MAX_ROUNDS = 4;
/** Home folders whose guards are kept (an import of many users' logs: a bound on the guard list). */
const MAX_HOMES = 16;
/** Tools learned from their command, path or URL; a call of one without it is counted in `withoutSubject`. */
const LEARNED_TOOLS = new Set(['exec', 'read', 'write', 'edit', 'fetch']);

type RawInfo = { kind: 'handled' | 'ignored'; key: string } | { kind: 'warned'; key: string; comps?: CompStat[] } | { kind: 'ok'; comps: CompStat[] };

/** Commands that modify files: an agent running them edits the project even without write calls. */
const EDITING = new Set(['mkdir', 'cp', 'mv', 'touch', 'tee', 'rm', 'patch', 'ln', 'install', 'unzip', 'tar']);
const FILE_OUTPUT = /^(\d*>>?|&>>?|>\|)$/;

/** Origins of commands run on behalf of another (sudo, find -exec, xargs). */
const NESTED = new Set(['elevated', 'find-exec', 'xargs', 'launched']);

interface CompStat extends ComponentStat {
  danger: string | null;
  programDirs: Set<string>;
}

export interface AnalyzerInit extends AnalyzerOptions {
  /** The active policy: calls it denies or asks are reported as handled, and its deny paths are sensitive. */
  policy?: PolicySet;
}

export class Analyzer {
  private readonly opts: AnalyzerInit;
  private readonly sensitive: SensitiveMatcher;
  /** The sensitive paths plus the files that run code or grant permissions once written. */
  private readonly sensitiveWrites: SensitiveMatcher;
  private readonly exfil: (host: string) => string | null;
  private readonly raw = new Map<string, RawInfo>();
  private readonly comps = new Map<string, CompStat>();
  private readonly paths = { read: new Map<string, PathStat>(), write: new Map<string, PathStat>() };
  private readonly hosts = new Map<string, HostStat>();
  private readonly warnings = new Map<string, LearnWarning>();
  private readonly handled = new Map<string, HandledCall>();
  private readonly observed = new Set<string>();
  /** Normalised path or host per distinct (tool, cwd, value); null when the policy handled it. */
  private readonly values = new Map<string, string | null>();
  private readonly workspaces = new SessionWorkspaces();
  /** The home folders the calls ran in (from their cwd), with their guards, which join the generic ones. */
  private readonly homes = new Map<string, { glob: string; test: (text: string) => boolean }[]>();
  // Keyed by tool names from the input: no prototype, so `constructor` counts like any other name.
  private readonly byTool: Record<string, number> = Object.create(null);
  private readonly withoutSubject: Record<string, number> = Object.create(null);
  private readonly agents = new Set<string>();
  /** First and last timestamp per session ('' for calls that name none): the duration is the sum of their spans. */
  private readonly sessions = new Map<string, { first: number; last: number }>();
  private distinctOverflow = 0;
  /** Seen a write/edit call or a command that modifies files. */
  private editsProject = false;
  private total = 0;

  constructor(opts: AnalyzerInit = {}) {
    this.opts = opts;
    this.sensitive = sensitiveMatcher(opts.sensitivePaths ?? [], opts.policy);
    this.sensitiveWrites = sensitiveMatcher([...(opts.sensitivePaths ?? []), ...WRITE_SENSITIVE_PATHS], opts.policy);
    this.exfil = exfilMatcher(policyDomains(opts.policy));
  }

  /** Adds every call and returns the suggestions (the architecture's `analyze(events)`). */
  analyze(calls: Iterable<ObservedCall>): Suggestions {
    for (const c of calls) this.add(c);
    return this.finish();
  }

  add(call: ObservedCall): void {
    this.total++;
    const tool = String(call.tool ?? 'unknown');
    this.byTool[tool] = (this.byTool[tool] ?? 0) + 1;
    if (call.agent && this.agents.size < MAX_NAMED) this.agents.add(call.agent);
    this.addTime(call);
    if (call.cwd) this.workspaces.addCwd(call.session ?? '', call.cwd);
    // An edit whose file the source did not record (some exports omit it) still shows the agent edits the project.
    if (tool === 'write' || tool === 'edit') this.editsProject = true;
    const p = call.params ?? {};
    if (tool === 'exec' && typeof p.command === 'string') this.addExec(call, p.command);
    else if ((tool === 'read' || tool === 'write' || tool === 'edit') && typeof p.path === 'string') this.addPath(call, tool === 'read' ? 'read' : 'write', p.path);
    else if (tool === 'fetch' && typeof p.url === 'string') this.addFetch(call, p.url);
    else if (LEARNED_TOOLS.has(tool)) this.withoutSubject[tool] = (this.withoutSubject[tool] ?? 0) + 1;
  }

  private addTime(call: ObservedCall): void {
    const span = this.sessions.get(call.session ?? '') ?? { first: Infinity, last: -Infinity };
    this.sessions.set(call.session ?? '', span);
    const t = call.timestamp ? Date.parse(call.timestamp) : NaN;
    if (Number.isNaN(t)) return;
    span.first = Math.min(span.first, t);
    span.last = Math.max(span.last, t);
  }

  private handledBy(call: ToolCall, tool: string, raw: string): boolean {
    if (!this.opts.policy) return false;
    const d = evaluate(this.opts.policy, call);
    if (d.policy === null || (d.action !== 'deny' && d.action !== 'ask')) return false;
    const key = `${tool}\0${raw}`;
    const h = this.handled.get(key) ?? { tool, raw, action: d.action, policy: d.policy, count: 0 };
    h.count++;
    this.handled.set(key, h);
    return true;
  }

  private warn(tool: string, raw: string, reason: string): void {
    const key = `${tool}\0${raw}`;
    const w = this.warnings.get(key) ?? { tool, raw, reason, count: 0 };
    w.count++;
    this.warnings.set(key, w);
  }

  private addExec(call: ObservedCall, command: string): void {
    const cached = this.raw.get(command);
    if (cached) return this.count(cached, command);
    const info = this.classify(call, command);
    // Past the cache size, distinct commands are only estimated (a repeat outside the cache counts again).
    if (this.raw.size < RAW_CACHE) this.raw.set(command, info);
    else this.distinctOverflow++;
    if (info.kind !== 'handled') this.count(info, command);
  }

  /** Counts one more occurrence of an already classified command. */
  private count(info: RawInfo, command: string): void {
    if (info.kind === 'ok' || (info.kind === 'warned' && info.comps)) {
      for (const c of info.comps!) {
        c.count++;
        if (c.examples.length < MAX_EXAMPLES && !c.examples.includes(command)) c.examples.push(command);
      }
    }
    if (info.kind === 'ok') {
      if (this.observed.size < MAX_OBSERVED) this.observed.add(command);
    } else if (info.kind === 'handled') {
      const h = this.handled.get(info.key);
      if (h) h.count++;
    } else if (info.kind === 'warned') {
      const w = this.warnings.get(info.key);
      if (w) w.count++;
    }
  }

  private classify(call: ObservedCall, command: string): RawInfo {
    const key = `exec\0${command}`;
    if (this.handledBy({ ...call, tool: 'exec' }, 'exec', command)) return { kind: 'handled', key };
    const parsed = parseCommand(command);
    if (!parsed.components.length && !parsed.errors.length) return { kind: 'ignored', key };
    const refuse = (reason: string): RawInfo => {
      this.warnings.set(key, { tool: 'exec', raw: command, reason, count: 0 });
      return { kind: 'warned', key };
    };
    // The engine refuses to grant commands it could not parse, so suggesting anything for them is pointless.
    if (parsed.errors.length) return refuse(`could not be parsed reliably (${parsed.errors[0]}); review manually`);
    if (parsed.components.some((c) => c.opaque)) return refuse('too large or deeply nested to analyse; review manually');
    if (parsed.components.some((c) => c.binary.length > MAX_PROGRAM_NAME)) return refuse(`names a program longer than ${MAX_PROGRAM_NAME} characters, which no file system allows; review manually`);
    const comps: CompStat[] = [];
    const safe: CompStat[] = [];
    let danger: string | null = null;
    const moved = changesDirectory(parsed.components);
    for (const c of parsed.components) {
      if (EDITING.has(c.binary) || (c.binary === 'sed' && c.argv.some((a) => a.startsWith('-i'))) || c.redirects.some((r) => FILE_OUTPUT.test(r.op) && !r.target.startsWith('/dev/') && !r.target.startsWith('&'))) {
        this.editsProject = true;
      }
      let stat = this.comps.get(c.text);
      if (!stat) {
        stat = { text: c.text, argv: c.argv, binary: c.binary, count: 0, examples: [], danger: shapeWithDanger(c).danger, programDirs: new Set() };
        this.comps.set(c.text, stat);
      }
      // After a `cd` in the same command a relative program path names an unknown place: never pinned.
      stat.programDirs.add(knownProgramDir(c.argv[0] ?? '', moved) ?? UNKNOWN_PROGRAM_DIR);
      // The engine never grants a component that sets a loader or start-up variable, whatever its text.
      const reason =
        stat.danger ?? injectionDanger(c) ?? redirectDanger(c, this.sensitiveWrites, (p) => normalizePath(p, { cwd: call.cwd })) ?? this.homeDanger(c.text, call.cwd);
      if (reason) danger ??= reason;
      // What sudo, find -exec or xargs would run is learned only from calls that are not warned.
      else if (!NESTED.has(c.origin)) safe.push(stat);
      comps.push(stat);
    }
    if (!danger) return { kind: 'ok', comps };
    // The call is a warning, but its harmless parts (`cd x` in `cd x && python -c …`) are still learned.
    refuse(`dangerous form: ${danger}`);
    return { kind: 'warned', key, comps: safe };
  }

  /** Why a component names the home folder its call ran in, whole (`grep -r KEY /home/alice`), or null. */
  private homeDanger(text: string, cwd: string | undefined): string | null {
    const home = cwd ? homeFolderOf(normalizePath(cwd)) : null;
    if (!home) return null;
    let guards = this.homes.get(home);
    if (!guards) {
      if (this.homes.size >= MAX_HOMES) return null;
      guards = homeFolderGuards(home).map((glob) => ({ glob, test: compileCommandGlob(glob) }));
      this.homes.set(home, guards);
    }
    const hit = guards.find((g) => g.test(text));
    return hit ? `matches the dangerous form \`${hit.glob}\` (the home folder the agent ran in)` : null;
  }

  /** Classifies a path or URL once per distinct (tool, cwd, value): null when the policy handles it. */
  private seenValue(call: ObservedCall, tool: string, value: string, derive: () => string | null): string | null {
    const key = `${tool}\0${call.cwd ?? ''}\0${value}`;
    const cached = this.values.get(key);
    if (cached !== undefined) {
      if (cached === null) this.handled.get(`${tool}\0${value}`)!.count++;
      return cached;
    }
    const out = this.handledBy(call, tool, value) ? null : derive();
    if (this.values.size < RAW_CACHE && (out !== null || this.handled.has(`${tool}\0${value}`))) this.values.set(key, out);
    return out;
  }

  private addPath(call: ObservedCall, kind: 'read' | 'write', path: string): void {
    const norm = this.seenValue(call, kind, path, () => normalizePath(path, { cwd: call.cwd ?? this.opts.workspaceRoot }));
    // `.` without a cwd names no file a path rule could match.
    if (norm === null || norm === '' || norm === '.') return;
    this.workspaces.addPath(call.session ?? '', norm);
    const map = this.paths[kind];
    const stat = map.get(norm) ?? { path: norm, count: 0, examples: [] };
    stat.count++;
    if (stat.examples.length < MAX_EXAMPLES && !stat.examples.includes(norm)) stat.examples.push(norm);
    map.set(norm, stat);
  }

  private addFetch(call: ObservedCall, url: string): void {
    const host = this.seenValue(call, 'fetch', url, () => hostOf(url) ?? '');
    if (host === null) return;
    if (!host) return this.warn('fetch', url, 'no host could be read from the URL');
    // This machine and its network are learned by origin (port included), the rest by host.
    const origin = isLocalHost(host) ? urlOrigin(url) : null;
    const key = origin ?? host;
    const stat = this.hosts.get(key) ?? { host: key, count: 0, examples: [] };
    stat.count++;
    if (origin !== null && url === origin) stat.bare = (stat.bare ?? 0) + 1;
    if (stat.examples.length < MAX_EXAMPLES && !stat.examples.includes(url)) stat.examples.push(url);
    this.hosts.set(key, stat);
  }

  finish(): Suggestions {
    const generalize = this.opts.generalize ?? true;
    const minFrequency = this.opts.minFrequency ?? 1;
    const pathOpts = { generalize, minFrequency, workspaceRoots: this.workspaces.roots(this.opts.workspaceRoot) };
    const read = generalisePaths(this.paths.read.values(), { ...pathOpts, sensitive: this.sensitive });
    const write = generalisePaths(this.paths.write.values(), { ...pathOpts, sensitive: this.sensitiveWrites, guards: WRITE_GUARDS, warnHomeOutside: true });
    const fetch = generaliseFetch(this.hosts.values(), { generalize, minFrequency, exfil: this.exfil });
    for (const w of read.warnings) this.warnings.set(`read\0${w.raw}`, { tool: 'read', ...w });
    for (const w of write.warnings) this.warnings.set(`write\0${w.raw}`, { tool: 'write', ...w });
    for (const w of fetch.warnings) this.warnings.set(`fetch\0${w.raw}`, { tool: 'fetch', ...w });

    const clean = [...this.comps.values()].filter((c) => c.count > 0 && !c.danger);
    const forbid = new Set<string>();
    const editsProject = this.editsProject;
    const companions = this.opts.companions ?? true;
    // Every component seen, warned ones included (they keep a count of 0).
    const alsoRan = [...this.comps.values()].map((c) => c.binary);
    const commands = this.observed.size;
    const extraGuards = [...this.homes.values()].flatMap((guards) => guards.map((g) => g.glob));
    let exec = generaliseExec(clean, { generalize, minFrequency, forbid, editsProject, companions, alsoRan, commands, extraGuards });
    const base = (): Suggestions => ({
      exec: exec.entries, read: read.entries, write: write.entries, fetch: fetch.entries,
      warnings: [], handled: [], tests: [], stats: this.stats(),
    });
    let s = { ...base(), handled: [...this.handled.values()] };
    let check = selfCheck(s, { policy: this.opts.policy, observed: [...this.observed] });
    for (let round = 1; round < MAX_ROUNDS && check.leakingPatterns.length; round++) {
      for (const p of check.leakingPatterns) forbid.add(p);
      exec = generaliseExec(clean, { generalize, minFrequency, forbid, editsProject, companions, alsoRan, commands, extraGuards });
      s = { ...base(), handled: [...this.handled.values()] };
      check = selfCheck(s, { policy: this.opts.policy, observed: [...this.observed] });
    }
    const { tests, ...found } = check;
    const narrowed = [...forbid];
    for (const w of exec.warnings) this.warnings.set(`exec\0${w.raw}`, { tool: 'exec', ...w });
    const byCount = <T extends { count: number; raw: string }>(a: T, b: T) => b.count - a.count || a.raw.localeCompare(b.raw);
    return {
      ...s,
      warnings: [...this.warnings.values()].filter((w) => w.count > 0).sort(byCount),
      handled: [...this.handled.values()].sort(byCount),
      tests,
      check: { ...found, leakingPatterns: narrowed },
    };
  }

  private stats(): Suggestions['stats'] {
    const named = [...this.sessions.keys()].filter(Boolean);
    // Sessions of different projects or days are not one span of time: what they took is the sum of theirs.
    const spans = [...this.sessions.values()].filter((s) => Number.isFinite(s.first));
    return {
      totalEvents: this.total,
      byTool: { ...this.byTool },
      withoutSubject: { ...this.withoutSubject },
      durationMs: spans.length ? spans.reduce((ms, s) => ms + s.last - s.first, 0) : undefined,
      agent: [...this.agents].join(', '),
      session: named.slice(0, MAX_NAMED).join(', '),
      sessionCount: named.length,
      distinctCommands: this.raw.size + this.distinctOverflow,
      badLines: { count: 0, samples: [] },
    };
  }
}

/** Why a component's variable assignments make it load or run other code (`LD_PRELOAD=x ls`, `export BASH_ENV=x`), or null. */
function injectionDanger(c: CommandComponent): string | null {
  if (!injectsCode(c)) return null;
  const names = Object.keys(c.env).filter((n) => isInjectionVariable(n, c.env[n]!));
  return `sets a variable that makes the command load or run other code (${names.length ? names.join(', ') : c.text})`;
}

/** Domain globs the active policy denies or asks for (treated as exfiltration domains). */
function policyDomains(policy: PolicySet | undefined): string[] {
  if (!policy) return [];
  return policy.policies.flatMap((p) =>
    p.rules.filter((r) => r.action === 'deny' || r.action === 'ask').flatMap((r) => (r.when.domain_matches ?? []).map((d) => d.value)));
}

export function analyze(calls: Iterable<ObservedCall>, opts: AnalyzerInit = {}): Suggestions {
  return new Analyzer(opts).analyze(calls);
}
