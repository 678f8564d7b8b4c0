// The policies a fragment consists of, as plain data, compiled with the real
// policy engine so the self-check and the quality bench judge suggestions
// exactly as `check` would. Each `learned-*` policy holds ONE rule (learned-fetch
// a second for origins of this machine): a granting
// rule must match every component of a compound command by itself, so
// splitting patterns over several rules would refuse `cd x && git status`
// even though both parts are learned. The guards are merged; each one names
// its binary (or a shell/credential form), so merging never narrows another
// binary's pattern.
import { stringify } from 'yaml';
import { parsePolicyText, type PolicySet } from '../policy/index';
import { guardBinary } from '../policy/pattern-info';
import { isUrlPattern } from './fetch-patterns';
import type { PatternEntry, Suggestions } from './types';

export const LEARNED_PRIORITY = 50;

interface Section {
  key: 'exec' | 'read' | 'write' | 'fetch';
  name: string;
  tool: string[];
  matchKey: string;
  notKey?: string;
}

const SECTIONS: Section[] = [
  { key: 'exec', name: 'learned-exec', tool: ['exec'], matchKey: 'command_matches', notKey: 'command_not_matches' },
  { key: 'read', name: 'learned-read', tool: ['read'], matchKey: 'path_matches', notKey: 'path_not_matches' },
  { key: 'write', name: 'learned-write', tool: ['write', 'edit'], matchKey: 'path_matches', notKey: 'path_not_matches' },
  { key: 'fetch', name: 'learned-fetch', tool: ['fetch'], matchKey: 'domain_matches' },
];

/**
 * Every entry's guards once. Command guards are ordered for review: each binary's together (in order of first
 * appearance), the guards of every command last.
 */
function unionGuards(entries: PatternEntry[], commands: boolean): string[] {
  const groups = new Map<string | null, Set<string>>();
  for (const e of entries) {
    for (const g of e.notMatches ?? []) {
      const key = commands ? guardBinary(g) : null;
      groups.set(key, (groups.get(key) ?? new Set<string>()).add(g));
    }
  }
  const generic = groups.get(null) ?? [];
  groups.delete(null);
  return [...[...groups.values()].flatMap((set) => [...set]), ...generic];
}

/**
 * The fragment's policies as plain objects (the Rampart policy format).
 * `nameSuffix` renames them, so they can be layered over a policy that already
 * holds earlier learned rules under the same names.
 */
export function fragmentPolicies(s: Pick<Suggestions, 'exec' | 'read' | 'write' | 'fetch'>, nameSuffix = ''): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const sec of SECTIONS) {
    const entries = s[sec.key];
    if (!entries.length) continue;
    // Fetch origins (fetch-patterns.ts) are a rule of their own: a rule's conditions must all hold.
    const byUrl = sec.key === 'fetch' ? entries.filter((e) => isUrlPattern(e.pattern)) : [];
    const byKey = entries.filter((e) => !byUrl.includes(e));
    const rules: Record<string, unknown>[] = [];
    if (byKey.length) {
      const when: Record<string, string[]> = { [sec.matchKey]: byKey.map((e) => e.pattern) };
      const guards = unionGuards(byKey, sec.key === 'exec');
      if (guards.length && sec.notKey) when[sec.notKey] = guards;
      rules.push({ action: 'allow', when });
    }
    if (byUrl.length) rules.push({ action: 'allow', when: { url_matches: byUrl.map((e) => e.pattern) } });
    out.push({ name: sec.name + nameSuffix, priority: LEARNED_PRIORITY, match: { tool: sec.tool }, rules });
  }
  return out;
}

/** The fragment compiled on its own (no default_action, so anything it does not allow is denied). */
export function fragmentPolicySet(s: Pick<Suggestions, 'exec' | 'read' | 'write' | 'fetch'>, file = '<learned fragment>', nameSuffix = ''): PolicySet {
  const text = stringify({ version: '1', policies: fragmentPolicies(s, nameSuffix) });
  const { set, diagnostics } = parsePolicyText(text, file);
  if (!set) throw new Error(`learned fragment does not compile: ${diagnostics.map((d) => d.message).join('; ')}`);
  return set;
}
