// Evaluation: which policies are in scope, which rule of each fires, and how
// the verdicts of several policies combine (deny > ask > watch > allow).
import { performance } from 'node:perf_hooks';
import { hostOf, normalizePath } from '../glob/index';
import { operandTexts, parseCommand, type CommandComponent, type ParsedCommand } from '../shell/index';
import { otherSpellings, windowsSpelling } from './text-spellings';
import type { Action, Decision, ToolCall } from '../types';
import type { KnownPathIndex } from '../glob/expand';
import { injectsCode } from './env-injection';
import { globSpellings, knownPathsOf } from './glob-spellings';
import { changesDirectory, firstWord, type PatternGroup } from './prefilter';
import { toolView, type RestrictiveIndex } from './rule-index';
import type { CompiledPolicy, CompiledRule, PolicySet } from './types';

/** How strict each action is: when several rules match, the strictest decides. */
export const ACTION_RANK: Record<Action, number> = { allow: 0, watch: 1, ask: 2, deny: 3 };

/**
 * The parts of one call the rules look at, each computed at most once and only
 * when a rule in scope needs it.
 */
class CallView {
  private parsed?: ParsedCommand;
  private anyStrings?: string[];
  private anyWords?: string[];
  private componentWords?: string[];
  private injection?: boolean;
  private moved?: boolean;
  private normPath?: string;
  private anyPaths?: string[];
  private host?: string | null;
  private commandHitSet?: Set<CompiledRule>;
  private pathHitSet?: Set<CompiledRule>;

  /** The parameters the rules look at, when they are strings. */
  readonly command: string | undefined;
  readonly path: string | undefined;
  readonly url: string | undefined;

  /** With an index, restrictive rules are looked up instead of tested one by one. */
  constructor(
    readonly call: ToolCall,
    readonly index?: RestrictiveIndex,
    private readonly known?: KnownPathIndex,
  ) {
    const p = call.params;
    this.command = stringOrUndefined(p?.command);
    this.path = stringOrUndefined(p?.path);
    this.url = stringOrUndefined(p?.url);
  }

  get commandHits(): Set<CompiledRule> {
    return (this.commandHitSet ??= this.index!.commandHits(this.restrictiveStrings, this.restrictiveWords));
  }

  get pathHits(): Set<CompiledRule> {
    return (this.pathHitSet ??= this.index!.pathHits(this.restrictivePaths));
  }

  get parse(): ParsedCommand {
    return (this.parsed ??= parseCommand(this.command ?? ''));
  }

  /**
   * Every spelling a restrictive rule tries: raw, cleaned, each component, each operand of an rm-like one,
   * glob-spelled paths expanded, and the other spellings of text-spellings.ts.
   */
  get restrictiveStrings(): string[] {
    if (this.anyStrings) return this.anyStrings;
    const p = this.parse;
    const out = [p.raw];
    if (p.clean !== p.raw) out.push(p.clean);
    for (const c of p.components) if (!out.includes(c.text)) out.push(c.text);
    addOperandTexts(out, p.components);
    if (this.known) for (const t of globSpellings(p.clean, p.components, this.known)) if (!out.includes(t)) out.push(t);
    for (const t of otherSpellings(p)) if (!out.includes(t)) out.push(t);
    // The assignments a component was given, unquoted (`L'D_PRELOAD'=x id` →
    // `LD_PRELOAD=x id`), so `*LD_PRELOAD=*` sees them whatever their quoting.
    for (const c of p.components) {
      const prefixed = withEnv(c);
      if (prefixed !== undefined && !out.includes(prefixed)) out.push(prefixed);
    }
    this.anyWords = out.map(firstWord);
    return (this.anyStrings = out);
  }

  /** First words of restrictiveStrings, in the same order. */
  get restrictiveWords(): string[] {
    if (!this.anyWords) void this.restrictiveStrings;
    return this.anyWords!;
  }

  /** Whether some component sets a code-injecting variable (LD_PRELOAD, BASH_ENV …): never granted. */
  get injectsCode(): boolean {
    return (this.injection ??= this.parse.components.some(injectsCode));
  }

  /** Whether the command line changes directory (`cd`, `pushd`, `popd`): then a relative program path names an unknown place. */
  get changesDirectory(): boolean {
    return (this.moved ??= changesDirectory(this.parse.components));
  }

  get componentFirstWords(): string[] {
    return (this.componentWords ??= this.parse.components.map((c) => firstWord(c.text)));
  }

  get normalizedPath(): string {
    return (this.normPath ??= normalizePath(this.path ?? '', { cwd: this.call.cwd }));
  }

  /**
   * Every spelling a restrictive path rule tries: raw, normalised, and for a
   * path that climbs above an unknown directory (`../../etc/shadow`, no cwd)
   * the path without its leading `../` (`etc/shadow`) and rooted
   * (`/etc/shadow`), since enough `..` reach `/` from anywhere.
   */
  get restrictivePaths(): string[] {
    if (this.anyPaths) return this.anyPaths;
    if (this.path === undefined) return (this.anyPaths = []);
    const out = [this.path, this.normalizedPath];
    const m = /^(\.\.(\/|$))+/.exec(this.normalizedPath);
    if (m) {
      const rest = this.normalizedPath.slice(m[0].length);
      if (rest) out.push(rest, `/${rest}`);
    }
    return (this.anyPaths = out);
  }

  get hostname(): string | null {
    if (this.host === undefined) this.host = this.url === undefined ? null : hostOf(this.url);
    return this.host;
  }
}

/**
 * Adds `rm -rf a b` once per operand (`rm -rf a`, `rm -rf b`) to `out`, so
 * that a pattern like `rm -r* /home/?*` cannot run on into the next operand.
 */
function addOperandTexts(out: string[], components: readonly CommandComponent[]): void {
  let seen: Set<string> | undefined;
  for (const c of components) {
    if (c.argv.length < 3) continue;
    for (const t of operandTexts(c.binary, c.argv)) {
      seen ??= new Set(out);
      if (seen.has(t)) continue;
      seen.add(t);
      out.push(t);
    }
  }
}

function stringOrUndefined(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `NAME=value … text` for a component with assignments, else undefined. */
function withEnv(c: CommandComponent): string | undefined {
  let prefix = '';
  for (const name in c.env) prefix += `${name}=${c.env[name]} `;
  if (!prefix) return undefined;
  // An assignment-only statement already has its assignments as its text.
  return c.argv.length ? prefix + c.text : undefined;
}

/** Whether `s` (first word `word`, its program written `program`) meets the rule's command conditions, using `positive` as the patterns. */
function commandTest(rule: CompiledRule, s: string, word: string, positive: PatternGroup, program?: string, afterCd = false): boolean {
  if (positive.size && !positive.test(s, word, program, afterCd)) return false;
  if (rule.commandContains.length && !rule.commandContains.some((c) => s.includes(c))) return false;
  return !(rule.commandGroups.not.size && rule.commandGroups.not.test(s, word));
}

function commandMatches(rule: CompiledRule, v: CallView): boolean {
  const g = rule.commandGroups;
  // *_not_matches only narrows: with no positive condition there is nothing to narrow.
  if (v.command === undefined || (!g.all.size && !rule.commandContains.length)) return false;
  if (rule.restrictive) {
    if (v.index) return v.commandHits.has(rule);
    const strings = v.restrictiveStrings;
    const words = v.restrictiveWords;
    for (let i = 0; i < strings.length; i++) if (commandTest(rule, strings[i]!, words[i]!, g.all)) return true;
    return false;
  }
  const p = v.parse;
  // No granting rule, compound or not, grants a loader or start-up injection.
  if (v.injectsCode) return false;
  // A compound pattern describes the whole command line; nothing else may grant one.
  if (g.compound.size && commandTest(rule, p.clean, firstWord(p.clean), g.compound)) return true;
  if (g.all.size && !g.simple.size) return false;
  if (p.errors.length || p.truncated || !p.components.length) return false;
  const words = v.componentFirstWords;
  const moved = v.changesDirectory;
  return p.components.every(
    (c, i) =>
      redirectsStayLocal(c) &&
      commandTest(rule, c.text, words[i]!, g.simple, c.argv[0] ?? '', moved) &&
      !redirectExcluded(rule, c, words[i]!) &&
      !windowsPathExcluded(rule, c, words[i]!),
  );
}

/**
 * A granting rule's command_not_matches also sees the component's Windows paths written with `/`: a quoted
 * one (`cat "C:\Users\me\.aws\credentials"`) reaches the file the guard `*.aws/*` names.
 */
function windowsPathExcluded(rule: CompiledRule, c: CommandComponent, word: string): boolean {
  const not = rule.commandGroups.not;
  if (!not.size) return false;
  const slashed = windowsSpelling(c);
  return slashed !== undefined && not.test(slashed, word);
}

const HARMLESS_TARGET = /^\/dev\/(null|stdout|stderr|stdin|fd\/\d+)$|^\/tmp\//;
const FD_DUP = /^(\d+|-)$/;
const PARENT = /(^|[/\\])\.\.([/\\]|$)/;

/**
 * Whether a component's redirections stay in the project, as a granting rule
 * requires: `echo *` must not also grant `echo x >> ~/.bashrc` or
 * `cat < /etc/shadow`. File descriptors, here-documents, /dev/null and /tmp
 * are fine; absolute, home, variable, parent-directory and glob-spelled targets are not.
 */
export function redirectsStayLocal(c: CommandComponent): boolean {
  for (const r of c.redirects) {
    if (r.op.startsWith('<<')) continue; // here-document delimiter; a here-string is its own component
    if (r.op.endsWith('&') && FD_DUP.test(r.target)) continue;
    // A target the shell expands may name any file the pattern fits (`>> .gi?/config` is .git/config).
    if (r.glob) return false;
    const t = r.target;
    if (PARENT.test(t)) return false;
    if (HARMLESS_TARGET.test(t)) continue;
    if (/^[/~$`\\]/.test(t) || /^[A-Za-z]:/.test(t)) return false;
  }
  return true;
}

/** A granting rule's command_not_matches also sees each redirection (`echo x >> ~/.bashrc`), which `text` leaves out. */
function redirectExcluded(rule: CompiledRule, c: CommandComponent, word: string): boolean {
  const not = rule.commandGroups.not;
  if (!c.redirects.length || !not.size) return false;
  return c.redirects.some((r) => not.test(`${c.text} ${r.op} ${r.target}`, word));
}

function pathMatches(rule: CompiledRule, v: CallView): boolean {
  const raw = v.path;
  if (raw === undefined || !rule.pathMatches.length) return false;
  // Granting rules see only the normalised path: `src/../../etc/x` is not under src/.
  if (!rule.restrictive) return pathTest(rule, v.normalizedPath);
  if (v.index) return v.pathHits.has(rule);
  return v.restrictivePaths.some((s) => pathTest(rule, s));
}

function pathTest(rule: CompiledRule, s: string): boolean {
  return rule.pathMatches.some((m) => m(s)) && !rule.pathNotMatches.some((m) => m(s));
}

function ruleMatches(rule: CompiledRule, v: CallView): boolean {
  if (rule.catchAll) return true;
  const checks = rule.checks;
  if (checks.command && !commandMatches(rule, v)) return false;
  if (checks.path && !pathMatches(rule, v)) return false;
  if (checks.domain) {
    const host = v.hostname;
    if (host === null || !rule.domainMatches.some((m) => m(host))) return false;
  }
  if (checks.url) {
    const url = v.url;
    if (url === undefined || !rule.urlMatches.some((m) => m(url))) return false;
  }
  return true;
}

/**
 * The spellings of an exec call (its line, its components, …) by which a
 * restrictive rule matches it: what an exception to the rule has to name.
 */
export function matchedSpellings(set: PolicySet, rule: CompiledRule, call: ToolCall): string[] {
  const v = new CallView(call, undefined, knownPathsOf(set));
  const words = v.restrictiveWords;
  return v.restrictiveStrings.filter((s, i) => commandTest(rule, s, words[i]!, rule.commandGroups.all));
}

/**
 * The first rule of a policy that matches the call, if any (scope not checked).
 * With the policy's set given, deny/ask rules are looked up in the set's index.
 */
export function firstMatchingRule(policy: CompiledPolicy, call: ToolCall, set?: PolicySet): CompiledRule | undefined {
  const view = set && toolView(set, call.tool);
  const v = new CallView(call, view?.policies.includes(policy) ? view.index : undefined, set && knownPathsOf(set));
  return policy.rules.find((r) => ruleMatches(r, v));
}

function round(us: number): number {
  return Math.round(us * 100) / 100;
}

export function evaluate(set: PolicySet, call: ToolCall): Decision {
  // The per-tool index is built on a tool's first call; that one-time compile step is not evaluation time.
  const view = toolView(set, call.tool);
  const t0 = performance.now();
  const v = new CallView(call, view.index, knownPathsOf(set));
  let best: CompiledRule | undefined;
  let bestPolicy: CompiledPolicy | undefined;
  for (const policy of view.policies) {
    if (policy.matchesCaller && !policy.matchesCaller(call)) continue;
    for (const rule of policy.rules) {
      if (!ruleMatches(rule, v)) continue;
      if (!best || ACTION_RANK[rule.action] > ACTION_RANK[best.action]) {
        best = rule;
        bestPolicy = policy;
      }
      break;
    }
    if (best?.action === 'deny') break; // nothing outranks a deny
  }
  const eval_us = round((performance.now() - t0) * 1000);
  // Past the parser's caps the rest of the line is one unread block, which anchored deny rules cannot see:
  // a line that long (or expanding to that many commands) is asked about, not let through by default.
  if (ACTION_RANK[best?.action ?? set.defaultAction] < ACTION_RANK.ask && call.tool === 'exec' && v.command !== undefined && v.parse.truncated) {
    return { action: 'ask', policy: null, rule: null, message: 'the command is too large to analyse fully (the parse was cut short): review it', eval_us };
  }
  if (!best || !bestPolicy) {
    return { action: set.defaultAction, policy: null, rule: null, message: `no rule matched (default_action: ${set.defaultAction})`, eval_us };
  }
  return {
    action: best.action,
    policy: bestPolicy.name,
    rule: best.index,
    message: best.message ?? `${bestPolicy.name} rule ${best.index} (${best.action})`,
    eval_us,
  };
}
