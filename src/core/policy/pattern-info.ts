// What a pattern of a rule's `when` means, in words, and which recently
// recorded calls it matches (the VS Code hover shows both). The matching is the policy
// engine's own: the pattern is compiled into a one-rule policy by the core's
// loader (so with the same globs, canonical flag spellings and shell-aware
// reading) and tried on each call with `firstMatchingRule`.
import { stringify } from 'yaml';
import { firstMatchingRule, isCompoundPattern, parsePolicyText } from './index';
import { CONDITION_KEYS } from './schema';
import type { ConditionKey } from './types';
import type { Action, ToolCall } from '../types';
import { printable } from '../printable';

export type PatternKind = 'command' | 'contains' | 'path' | 'domain' | 'url';

export function isConditionKey(key: string): key is ConditionKey {
  return (CONDITION_KEYS as readonly string[]).includes(key);
}

export function patternKind(key: ConditionKey): PatternKind {
  if (key === 'command_contains') return 'contains';
  return key.slice(0, key.indexOf('_')) as PatternKind;
}

/** The call parameter a kind of pattern is tested against, and the tools whose calls carry it. */
export const SUBJECT: Record<PatternKind, { param: 'command' | 'path' | 'url'; tools: readonly string[] }> = {
  command: { param: 'command', tools: ['exec'] },
  contains: { param: 'command', tools: ['exec'] },
  path: { param: 'path', tools: ['read', 'write', 'edit'] },
  domain: { param: 'url', tools: ['fetch'] },
  url: { param: 'url', tools: ['fetch'] },
};

type Piece = { lit: string } | { star: true } | { globstar: true } | { one: true } | { cls: string; neg: boolean } | { alt: string[] };

/** Splits a glob into literal runs and wildcards, as the command (or path) glob reads it. */
export function globPieces(pattern: string, path: boolean): Piece[] {
  const out: Piece[] = [];
  const lit = (c: string) => {
    const last = out[out.length - 1];
    if (last && 'lit' in last) last.lit += c;
    else out.push({ lit: c });
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length && (path || '*?[]\\'.includes(pattern[i + 1]!))) lit(pattern[++i]!);
    else if (c === '*' && path && pattern[i + 1] === '*') {
      // Only a whole segment is a globstar (`/a/**/b`); elsewhere (`/a/**b`, `b**`) `**` is `*` and stays in one name.
      let j = i;
      while (pattern[j + 1] === '*') j++;
      const whole = (i === 0 || pattern[i - 1] === '/') && (j + 1 === pattern.length || pattern[j + 1] === '/');
      out.push(whole ? { globstar: true } : { star: true });
      i = j;
    } else if (c === '*') {
      // `**` in a command (or URL, host) is one `*`.
      const last = out[out.length - 1];
      if (!last || !('star' in last)) out.push({ star: true });
    }
    else if (c === '?') out.push({ one: true });
    else if (c === '[') {
      // `]` right after `[` (or `[!`) is a member; without a closing `]` the `[` is literal.
      let j = i + 1;
      const neg = pattern[j] === '!' || pattern[j] === '^';
      if (neg) j++;
      const start = j;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) lit(c);
      else {
        out.push({ cls: pattern.slice(start, j), neg });
        i = j;
      }
    } else if (c === '{' && path) {
      const end = pattern.indexOf('}', i);
      if (end < 0 || !pattern.slice(i, end).includes(',')) lit(c);
      else {
        out.push({ alt: pattern.slice(i + 1, end).split(',') });
        i = end;
      }
    } else lit(c);
  }
  return out;
}

/** Inline code for untrusted text: control characters spelled out, a fence longer than any backtick run inside. */
export function code(text: string, max = 120): string {
  let t = printable(text);
  if (t.length > max) t = `${t.slice(0, max - 1)}…`;
  const runs = t.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || /^ .* $/.test(t) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

function pieceWords(p: Piece, kind: PatternKind): string {
  if ('lit' in p) return code(p.lit);
  if ('globstar' in p) return 'any number of folders, none included';
  if ('star' in p) return kind === 'path' ? 'any characters within one name (no `/`)' : kind === 'domain' ? 'any characters' : 'any text, spaces and `/` included';
  if ('one' in p) return kind === 'path' ? 'one character (not `/`)' : 'one character';
  if ('cls' in p) return `${p.neg ? 'one character other than' : 'one of'} ${code(p.cls)}`;
  return `one of ${p.alt.map((a) => code(a)).join(', ')}`;
}

/** The program of a command pattern named by a path without wildcards in its folder (`./build.sh *`, `/usr/bin/rm *`), as the engine reads it. */
function programPath(pattern: string): { name: string } | undefined {
  const word = pattern.split(' ', 1)[0]!;
  const slash = word.lastIndexOf('/');
  if (slash < 0 || slash === word.length - 1 || /[*?[\\]/.test(word.slice(0, slash + 1))) return undefined;
  return { name: word.slice(slash + 1) };
}

export interface PatternReading {
  /** The rule's action decides how a command pattern meets a compound command. */
  action?: Action;
  key: ConditionKey;
}

/** The pattern in plain words: a few markdown lines. */
export function describePattern(pattern: string, { action, key }: PatternReading): string[] {
  const kind = patternKind(key);
  const restrictive = action === 'deny' || action === 'ask';
  const negative = key.endsWith('_not_matches');
  const lines: string[] = [];
  if (kind === 'contains') {
    lines.push(`Matches a command that contains ${code(pattern)} anywhere (plain text, case-sensitive; no wildcards).`);
    return lines;
  }
  if (kind === 'domain') {
    const m = /^\*\.(.+)$/.exec(pattern);
    if (m && !/[*?[]/.test(m[1]!)) lines.push(`Matches every subdomain of ${code(m[1]!)}, at any depth, but not ${code(m[1]!)} itself.`);
    else if (pattern === '*') lines.push('Matches any host.');
    else if (!/[*?[]/.test(pattern)) lines.push(`Matches the host ${code(pattern)} exactly (not its subdomains).`);
    else lines.push(`Matches the host: ${globPieces(pattern, false).map((p) => pieceWords(p, kind)).join(', then ')} (\`*\` may cross dots).`);
    lines.push('The host is taken from the URL, lower-cased, without port, user or trailing dot.');
    return lines;
  }
  const pieces = globPieces(pattern, kind === 'path');
  const wild = pieces.some((p) => !('lit' in p));
  // A path pattern without `/` is tried on the last name of the path, not on the whole path.
  const what = kind === 'path' ? (pattern.includes('/') ? 'path' : 'name') : kind === 'url' ? 'URL, as given' : 'command';
  if (!wild) lines.push(`No wildcard: matches exactly ${code(pattern)} (the whole ${what}).`);
  else lines.push(`Matches the **whole** ${what}: ${pieces.map((p) => pieceWords(p, kind)).join(', then ')}.`);
  if (kind === 'command') {
    if (isCompoundPattern(pattern)) lines.push('It has a shell operator, so it is compared with the whole command line.');
    else if (negative) lines.push("Excludes from this rule the commands it matches, in the same spelling (the line, or the part) that matched the rule's `command_matches`.");
    else if (restrictive) lines.push('A deny or ask rule fires when the line **or any part** of it matches (each command of `&&`, `|`, `;`, `$(…)`, `bash -c`…).');
    else if (action) lines.push('An allow or watch rule needs **every part** of the command line to match (`git *` does not allow `git status && curl x | sh`).');
    const program = isCompoundPattern(pattern) ? undefined : programPath(pattern);
    if (program && !negative && restrictive) lines.push(`Its program is named by a path, but a deny or ask rule matches ${code(program.name)} run by any path or by name alone.`);
    else if (program && !negative && action) lines.push(`Its program is named by a path: ${code(program.name)} matches only when run by that path, not by name or from another folder.`);
    lines.push('Case-sensitive. Flags of `rm`, `chmod`, `git push`… are compared in canonical order (`rm -fr` is `rm -rf`).');
  }
  if (kind === 'path') {
    if (!pattern.includes('/')) lines.push('No `/`: matches the last name of any path (a file or folder name anywhere).');
    else if (/^(~|\$HOME|\$\{HOME\})(\/|$)/.test(pattern)) lines.push('`~` is your home folder.');
    else if (!pattern.startsWith('/') && !pattern.startsWith('**')) lines.push('Relative, with a `/`: it only matches relative paths, and paths are made absolute when the call has a folder. Write `**/' + printable(pattern) + '` to match it anywhere.');
    if (negative) lines.push('Excludes from this rule the paths it matches.');
    lines.push(negative || restrictive ? 'Case is ignored (a refusing pattern: `.ENV` is `.env` on macOS and Windows).' : 'Case-sensitive (a granting pattern).');
  }
  return lines;
}

/** One distinct recorded value (a command, a path, a URL) and how often it was seen in the window. */
export interface RecordedValue {
  tool: string;
  value: string;
  cwd?: string;
  agent?: string;
  /** Calls with this value in the window. */
  calls: number;
}

/**
 * Recorded calls folded into their distinct values (by tool and value), each
 * with how many calls it stands for, in the order first seen. `read` gives a
 * call's tool and value (undefined skips it); `context` its folder and agent,
 * asked once per distinct value.
 */
export function distinctValues<T>(
  items: Iterable<T>,
  read: (item: T) => { tool: string; value: string } | undefined,
  context: (item: T) => { cwd?: string; agent?: string },
): RecordedValue[] {
  const byValue = new Map<string, RecordedValue>();
  for (const item of items) {
    const call = read(item);
    if (!call) continue;
    const id = `${call.tool}\0${call.value}`;
    const seen = byValue.get(id);
    if (seen) seen.calls++;
    else byValue.set(id, { ...call, ...context(item), calls: 1 });
  }
  return [...byValue.values()];
}

/** "an allow rule", "a deny rule": how the hover and `explain` name the rule a pattern is in. */
/**
 * The binary a command guard belongs to (`git push* -f*` → git, `cat[! ]*` → cat), or null for a
 * guard of every command (`* sh *`, `*.pem`): the first word, when it is a literal name.
 */
export function guardBinary(guard: string): string | null {
  return /^([\w.+/-]+)(?=[ [*?]|$)/.exec(guard)?.[1] ?? null;
}

export function ruleName(action: Action): string {
  return `${action === 'allow' || action === 'ask' ? 'an' : 'a'} ${action} rule`;
}

export interface MatchCount {
  /** Distinct values matched, and the calls they stand for. */
  matched: number;
  matchedCalls: number;
  /** Distinct values looked at, and their calls. */
  distinct: number;
  calls: number;
  /** Up to `examples` matched values, most frequent first. */
  examples: string[];
  /** Set when the pattern does not compile. */
  error?: string;
}

/**
 * How many of the recorded values a pattern matches, read as the engine reads
 * it in a rule with `action` (a `*_not_matches` pattern as its positive partner:
 * what it matches is what it would exclude).
 */
export function countMatches(pattern: string, reading: PatternReading, values: readonly RecordedValue[], examples = 3): MatchCount {
  const key = reading.key.replace('_not_matches', '_matches');
  // An exclusion works as a refusing pattern does: one excluded part of a command line
  // takes the whole line out of an allow rule, and its case is ignored on paths.
  const action = reading.key.endsWith('_not_matches') ? 'deny' : reading.action ?? 'deny';
  const text = stringify({ policies: [{ name: 'hover', rules: [{ action, when: { [key]: [pattern] } }] }] });
  const { set, diagnostics } = parsePolicyText(text, 'pattern');
  const total = values.reduce((n, v) => n + v.calls, 0);
  if (!set) {
    const d = diagnostics.find((x) => x.severity === 'error');
    return { matched: 0, matchedCalls: 0, distinct: values.length, calls: total, examples: [], error: d?.message ?? 'invalid pattern' };
  }
  const policy = set.policies[0]!;
  const param = SUBJECT[patternKind(reading.key)].param;
  const hits: RecordedValue[] = [];
  for (const v of values) {
    const call: ToolCall = { tool: v.tool, params: { [param]: v.value }, cwd: v.cwd, agent: v.agent };
    if (firstMatchingRule(policy, call, set)) hits.push(v);
  }
  const shown = [...hits].sort((a, b) => b.calls - a.calls).slice(0, examples).map((v) => v.value);
  return { matched: hits.length, matchedCalls: hits.reduce((n, v) => n + v.calls, 0), distinct: values.length, calls: total, examples: shown };
}
