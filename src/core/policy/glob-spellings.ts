// Paths spelled so that the policy cannot read them: with glob characters
// (`cat /e*/sh*w`, `~/.s?h/id_*`, `/etc/s[h]adow`, `/etc/{shadow,x}`) that
// the shell expands at run time, or with redundant `.` and `/`
// (`/etc/./shadow`). Restrictive rules also see each such command with the
// word replaced by the paths it can name. The paths come from the policy set
// itself: the literal part of every deny/ask path pattern and every path
// named in a deny/ask command pattern, so a path a policy protects is also
// protected from its glob spellings, in any policy.
import { posix } from 'node:path';
import { expandBraces, expandGlob, indexKnownPaths, type KnownPath, type KnownPathIndex } from '../glob/expand';
import { canonicalText, operandTexts, type CommandComponent } from '../shell/index';
import type { PolicySet } from './types';

const cache = new WeakMap<PolicySet, KnownPathIndex>();
/** Expansions per known-path index: agents repeat their globs (`dist/*`, `src/*.ts`) from call to call. */
const expansions = new WeakMap<KnownPathIndex, Map<string, Expansion>>();
const MAX_REMEMBERED = 1024;

/**
 * What a word with glob or brace characters stands for: the words of its
 * brace list (`/etc/{passwd,shadow}`, as the shell writes them: several
 * words, undefined when there is no list), and the known paths each glob can
 * name (one spelling each).
 */
interface Expansion {
  words?: string[];
  paths: string[];
}

function expandRemembered(word: string, known: KnownPathIndex): Expansion {
  let memo = expansions.get(known);
  if (!memo) expansions.set(known, (memo = new Map()));
  let out = memo.get(word);
  if (!out) {
    if (memo.size >= MAX_REMEMBERED) memo.clear();
    const words = word.includes('{') ? expandBraces(word) : [word];
    const paths: string[] = [];
    for (const w of words) for (const p of expandGlob(w, known)) if (!paths.includes(p)) paths.push(p);
    out = { words: words.length > 1 ? words : undefined, paths };
    memo.set(word, out);
  }
  return out;
}

/** The known paths of a set's deny and ask rules (all tools), built once per set. */
export function knownPathsOf(set: PolicySet): KnownPathIndex {
  let index = cache.get(set);
  if (!index) {
    const paths: KnownPath[] = [];
    for (const policy of set.policies) {
      for (const rule of policy.rules) {
        if (!rule.restrictive) continue;
        for (const p of rule.when.path_matches ?? []) addPathPattern(paths, p.value);
        for (const p of rule.when.command_matches ?? []) addCommandPattern(paths, p.value);
      }
    }
    index = indexKnownPaths(paths);
    cache.set(set, index);
  }
  return index;
}

const GLOB = /[*?[\]{}!]/;
/** A plausible file name: no quotes, operators or glob characters. */
const NAME = /^[\w.@+ -]+$/;

/** The literal leading segments of a path pattern (`**∕.ssh/id_*` → anywhere .ssh/id_). */
function addPathPattern(out: KnownPath[], pattern: string): void {
  let anchor: KnownPath['anchor'] = 'anywhere';
  let rest = pattern;
  const home = /^(?:~|\$HOME|\$\{HOME\})\//.exec(rest);
  if (home) {
    anchor = 'home';
    rest = rest.slice(home[0].length);
  } else if (rest.startsWith('**/')) rest = rest.slice(3);
  else if (rest.startsWith('/')) anchor = 'root';
  const segments = literalSegments(rest.split('/').filter((s) => s !== ''));
  if (segments.length) out.push({ anchor, segments });
}

/** Leading segments up to the first glob; a glob segment contributes its literal start (`shadow*` → shadow). */
function literalSegments(parts: readonly string[]): string[] {
  const out: string[] = [];
  for (const part of parts) {
    const m = GLOB.exec(part);
    const lit = m ? part.slice(0, m.index) : part;
    if (!lit || !NAME.test(lit)) break;
    out.push(lit);
    if (m) break;
  }
  return out;
}

/**
 * The paths a command pattern names in its literal runs: `*∕etc/shadow*` →
 * /etc/shadow, `*.aws/*` → .aws anywhere, `*id_rsa` → id_rsa anywhere.
 */
function addCommandPattern(out: KnownPath[], pattern: string): void {
  for (const run of pattern.split(/\[[^\]]*\]|[*?]/)) {
    for (const token of run.split(' ')) {
      const path = pathToken(token);
      if (path) out.push(path);
    }
  }
}

function pathToken(token: string): KnownPath | undefined {
  if (token.length < 3) return undefined;
  let anchor: KnownPath['anchor'];
  let rest: string;
  if (token.startsWith('~/')) [anchor, rest] = ['home', token.slice(2)];
  else if (token.startsWith('$HOME/')) [anchor, rest] = ['home', token.slice(6)];
  else if (token.startsWith('/')) [anchor, rest] = ['root', token];
  else if (token.startsWith('.') || token.includes('/') || /^[\w-]+[._][\w.-]+$/.test(token)) [anchor, rest] = ['anywhere', token];
  else return undefined;
  const parts = rest.split('/').filter((s) => s !== '');
  if (!parts.length || !parts.every((s) => NAME.test(s) && s !== '.' && s !== '..')) return undefined;
  return { anchor, segments: parts };
}

const REDUNDANT = /\/\.{0,2}\/|\/\.{1,2}$/;
/** REDUNDANT somewhere in a command line, other than the `//` of a URL. */
const REDUNDANT_IN_LINE = /(?<![:/])\/\/|\/\.\.?(?:[/\s'"]|$)/;
const PATH_START = /^(?:[/~]|\$HOME\/|\$\{HOME\}\/)/;

/**
 * The extra spellings of a command's components that restrictive rules also
 * try: each glob word (or glob redirection target) replaced by each path it
 * can name, and each path word with `//` or `/./` written plainly. An rm-like
 * command is also given once per operand, as its plain text is.
 */
export function globSpellings(clean: string, components: readonly CommandComponent[], known: KnownPathIndex): string[] {
  const out: string[] = [];
  const redundant = (clean.includes('//') || clean.includes('/.')) && REDUNDANT_IN_LINE.test(clean);
  for (const c of components) {
    if (c.globArgs) {
      for (const k of c.globArgs) {
        const { words, paths } = expandRemembered(c.argv[k]!, known);
        if (words) addWith(out, c, k, words);
        for (const path of paths) addWith(out, c, k, [path]);
      }
    }
    for (const r of c.redirects) {
      if (!r.glob) continue;
      const { words, paths } = expandRemembered(r.target, known);
      for (const target of (words ?? []).concat(paths)) out.push(`${c.text} ${r.op} ${target}`);
    }
    if (!redundant) continue;
    for (let k = 1; k < c.argv.length; k++) {
      const w = c.argv[k]!;
      if (REDUNDANT.test(w) && PATH_START.test(w)) addWith(out, c, k, [plainPath(w)]);
    }
  }
  return out;
}

/** The component's text, and its per-operand texts, with argv[k] replaced by `words`. */
function addWith(out: string[], c: CommandComponent, k: number, words: readonly string[]): void {
  const argv = c.argv.slice(0, k).concat(words, c.argv.slice(k + 1));
  out.push(canonicalText(c.binary, argv));
  if (argv.length >= 3) for (const t of operandTexts(c.binary, argv)) out.push(t);
}

/** `/etc//./shadow` → `/etc/shadow`, `/usr/../` → `/`, `~/x/../.ssh` → `~/.ssh`: `..` resolved lexically. */
function plainPath(w: string): string {
  const slash = w.indexOf('/');
  const head = w.slice(0, slash);
  const p = head + posix.normalize(w.slice(slash));
  return p.length > 1 && p.endsWith('/') && !w.endsWith('/') ? p.slice(0, -1) : p;
}
