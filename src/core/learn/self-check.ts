// Self-check of a learned fragment with the real policy engine:
//  - the fragment alone must allow what the agent was observed doing;
//  - it must not allow any dangerous probe of the binaries it names (the
//    patterns that let one through are returned so the analyzer can narrow them);
//  - layered over the active policy it must not turn any of that policy's
//    deny or ask decisions into an allow.
// It also produces the fragment's inline `tests:`.
import { evaluate, layerPolicies, type PolicySet } from '../policy/index';
import { parseCommand } from '../shell/index';
import type { Action, ToolCall } from '../types';
import { ruleMatcher } from './exec-patterns';
import { fragmentPolicySet } from './fragment-policies';
import { binaryProbes, compoundProbes } from './probes';
import { leadingLiteral } from '../glob/index';
import type { LearnTestCase, PatternEntry, Suggestions } from './types';

export interface SelfCheckResult {
  tests: LearnTestCase[];
  /** Probes the fragment alone allowed. */
  leaks: string[];
  /** Non-exact exec patterns that took part in a leak (to be narrowed). */
  leakingPatterns: string[];
  /** Observed calls the fragment does not allow (should be none). */
  notAllowed: string[];
  /** Calls the active policy denies or asks that the layered policy allows (should be none). */
  regressions: string[];
}

const MAX_OBSERVED_TESTS = 15;
const MAX_PATH_TESTS = 5;
const MAX_PROBE_TESTS = 30;
/** Observed commands that get compound injections (a sample: each costs one evaluation per injection, eighteen). */
const MAX_INJECTED = 60;

function execCall(command: string): ToolCall {
  return { tool: 'exec', params: { command } };
}

function short(s: string, n = 60): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

/** The binary a pattern is about: its first word up to any wildcard, unescaped (`rg*` is rg). */
function binaryOf(pattern: string): string {
  return leadingLiteral(pattern).split(' ')[0]!;
}

/**
 * Dangerous probes for a set of exec entries: every binary's forms plus
 * injections around observed commands, each with the observed command it
 * was built from (its components are not to blame for a leak).
 */
export function probesFor(entries: PatternEntry[], observed: readonly string[]): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const e of entries) for (const p of binaryProbes(binaryOf(e.pattern))) out.set(p, undefined);
  for (const o of observed.slice(0, MAX_INJECTED)) for (const p of compoundProbes(o)) if (!out.has(p)) out.set(p, o);
  return out;
}

function isRestrictive(a: Action): boolean {
  return a === 'deny' || a === 'ask';
}

/** The non-exact entries that allow a component of a leaked probe that was not part of the observed command. */
function culprits(probe: string, observed: string | undefined, entries: PatternEntry[]): string[] {
  const innocent = new Set(observed === undefined ? [] : parseCommand(observed).components.map((c) => c.text));
  const comps = parseCommand(probe).components.filter((c) => !innocent.has(c.text));
  return entries
    .filter((e) => e.alternatives.find((a) => a.pattern === e.pattern)?.kind !== 'exact')
    .filter((e) => {
      const m = ruleMatcher(e.pattern, e.notMatches);
      return comps.some((c) => m(c.text));
    })
    .map((e) => e.pattern);
}

export function selfCheck(s: Suggestions, opts: { policy?: PolicySet; observed: readonly string[] }): SelfCheckResult {
  const frag = fragmentPolicySet(s);
  // Rules applied from an earlier session live in the policy under the same
  // names; the new ones are layered beside them under names of their own.
  const taken = new Set(opts.policy?.policies.map((p) => p.name));
  const clash = frag.policies.some((p) => taken.has(p.name));
  const layered = opts.policy ? layerPolicies(opts.policy, clash ? fragmentPolicySet(s, '<learned fragment>', ' (this session)') : frag) : undefined;
  const result: SelfCheckResult = { tests: [], leaks: [], leakingPatterns: [], notAllowed: [], regressions: [] };
  const leaking = new Set<string>();

  const observedTests: LearnTestCase[] = [];
  for (const command of opts.observed) {
    if (evaluate(frag, execCall(command)).action !== 'allow') result.notAllowed.push(command);
    else if (observedTests.length < MAX_OBSERVED_TESTS) observedTests.push({ name: `allows observed: ${short(command)}`, tool: 'exec', params: { command }, expect: 'allow' });
  }
  for (const [kind, key] of [['read', 'path'], ['write', 'path'], ['fetch', 'url']] as const) {
    for (const e of s[kind].slice(0, MAX_PATH_TESTS)) {
      const value = e.examples[0];
      if (value === undefined) continue;
      const call: ToolCall = { tool: kind, params: { [key]: value } };
      if (evaluate(frag, call).action !== 'allow') result.notAllowed.push(`${kind} ${value}`);
      else observedTests.push({ name: `allows observed ${kind}: ${short(value)}`, tool: kind, params: { [key]: value }, expect: 'allow' });
    }
  }

  const probeTests: LearnTestCase[] = [];
  const probes = probesFor(s.exec, opts.observed);
  const perBinary = new Map<string, number>();
  for (const [probe, observed] of probes) {
    const call = execCall(probe);
    const alone = evaluate(frag, call);
    if (alone.action === 'allow') {
      result.leaks.push(probe);
      for (const p of culprits(probe, observed, s.exec)) leaking.add(p);
      continue;
    }
    if (layered && opts.policy) {
      const before = evaluate(opts.policy, call);
      if (before.policy !== null && isRestrictive(before.action) && evaluate(layered, call).action === 'allow') result.regressions.push(probe);
    }
    // Spread the inline tests over binaries rather than taking the first binary's forms only.
    const bin = parseCommand(probe).components[0]?.binary ?? '';
    const n = perBinary.get(bin) ?? 0;
    if (probeTests.length < MAX_PROBE_TESTS && n < 2) {
      perBinary.set(bin, n + 1);
      probeTests.push({ name: `blocks probe: ${short(probe)}`, tool: 'exec', params: { command: probe }, expect: alone.action });
    }
  }
  if (layered && opts.policy) {
    for (const h of s.handled) {
      const call: ToolCall = h.tool === 'exec' ? execCall(h.raw) : { tool: h.tool, params: h.tool === 'fetch' ? { url: h.raw } : { path: h.raw } };
      if (evaluate(layered, call).action === 'allow') result.regressions.push(h.raw);
    }
  }
  result.tests = [...observedTests, ...probeTests];
  result.leakingPatterns = [...leaking];
  return result;
}
