// Pathname expansion of a shell word without a file system: which of a list
// of known paths could `cat /e*/sh*w` or `~/.s?h/id_*` name? The shell would
// replace the word by the paths it matches on disk; a policy only sees the
// pattern, so the word is matched against the paths the policy cares about
// and the names it could stand for are returned. Brace lists (`/etc/{a,b}`)
// are expanded exactly (expandBraces), as the shell does before globbing.
import { compileWildcard } from './wildcard';

/** Where a known path is anchored: at `/`, in the home directory, or at any depth (`**∕.ssh`, `id_rsa`). */
export type PathAnchor = 'root' | 'home' | 'anywhere';

export interface KnownPath {
  anchor: PathAnchor;
  /** Literal segments, e.g. ['etc', 'shadow'] or ['.ssh']. */
  segments: string[];
}

/**
 * Known paths of one anchor grouped by first segment, so a word segment is
 * tested once per distinct name, and those names by their first and last
 * character, so a segment like `.s?h` or `*rc` is only tested against names
 * that can match it.
 */
interface KnownGroup {
  byName: Map<string, string[][]>;
  byFirstChar: Map<string, string[]>;
  byLastChar: Map<string, string[]>;
  names: string[];
  /** Every name between newlines: a segment whose literal parts are not in it can match none. */
  joined: string;
}

export type KnownPathIndex = Record<PathAnchor, KnownGroup>;

function emptyGroup(): KnownGroup {
  return { byName: new Map(), byFirstChar: new Map(), byLastChar: new Map(), names: [], joined: '' };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function indexKnownPaths(paths: readonly KnownPath[]): KnownPathIndex {
  const index: KnownPathIndex = { root: emptyGroup(), home: emptyGroup(), anywhere: emptyGroup() };
  const seen = new Set<string>();
  for (const p of paths) {
    if (!p.segments.length) continue;
    const key = `${p.anchor}:${p.segments.join('/')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const group = index[p.anchor];
    const first = p.segments[0]!;
    if (!group.byName.has(first)) {
      group.names.push(first);
      push(group.byFirstChar, first[0]!, first);
      push(group.byLastChar, first[first.length - 1]!, first);
    }
    push(group.byName, first, p.segments);
  }
  for (const group of Object.values(index)) group.joined = `\n${group.names.join('\n')}\n`;
  return index;
}

/** The first names of a group a word segment can match, narrowed by its literal first or last character. */
function candidates(segment: string, group: KnownGroup): readonly string[] {
  if (!GLOB_CHAR.test(segment)) return group.byName.has(segment) ? [segment] : [];
  const { head, tail, inner } = literalParts(segment);
  if (!group.joined.includes(inner) || !group.joined.includes(`\n${head}`) || !group.joined.includes(`${tail}\n`)) return [];
  const first = segment[0]!;
  if (first !== '*' && first !== '?' && first !== '[') return group.byFirstChar.get(first) ?? [];
  const last = segment[segment.length - 1]!;
  if (last !== '*' && last !== '?' && last !== ']') return group.byLastChar.get(last) ?? [];
  return group.names;
}

const GLOB_CHAR = /[*?[]/;
/** Words a brace list expands to, and names returned per glob word. */
const MAX_ALTERNATIVES = 16;

/**
 * The known paths (or ancestor directories of one) a glob word can name, each
 * written with the unmatched rest of the word kept: `/e*` → `/etc`,
 * `~/.s?h/id_*` → `~/.ssh/id_*`. At most 16; [] when the word names nothing
 * known. Brace lists are expanded first by the caller (expandBraces).
 */
export function expandGlob(word: string, known: KnownPathIndex): string[] {
  const out: string[] = [];
  if (!GLOB_CHAR.test(word)) return out;
  for (const form of anchoredForms(word)) matchKnown(form, known, out);
  return out;
}


/** A word split at its anchor: `prefix` is written back in front of the segments. */
interface AnchoredWord {
  anchor: 'root' | 'home' | 'relative';
  prefix: string;
  segments: string[];
}

/**
 * The ways a word can be read against known paths: rooted, in the home
 * directory (`~`, `$HOME`, `/home/NAME`, `/Users/NAME`, `/root`), or relative;
 * a relative word climbing out with `../` also rooted, as enough `..` reach `/`.
 */
function anchoredForms(word: string): AnchoredWord[] {
  const home = /^(?:~|\$HOME|\$\{HOME\})(?:\/|$)/.exec(word);
  if (home) return [{ anchor: 'home', prefix: '~/', segments: segmentsOf(word.slice(home[0].length)) }];
  if (word.startsWith('/')) {
    const segments = segmentsOf(word);
    const forms: AnchoredWord[] = [{ anchor: 'root', prefix: '/', segments }];
    const skip = homeDirLength(segments);
    if (skip) forms.push({ anchor: 'home', prefix: '~/', segments: segments.slice(skip) });
    return forms;
  }
  const climb = /^(?:\.\.\/)+/.exec(word);
  const forms: AnchoredWord[] = [{ anchor: 'relative', prefix: '', segments: segmentsOf(word) }];
  if (climb) forms.push({ anchor: 'root', prefix: '/', segments: segmentsOf(word.slice(climb[0].length)) });
  return forms;
}

/** Path segments without empty and `.` ones. */
function segmentsOf(path: string): string[] {
  return path.split('/').filter((s) => s !== '' && s !== '.');
}

const HOME_PARENTS = compileWildcardList(['home', 'Users']);

/** How many leading segments name a home directory (`/home/*`, `/Users/bob`, `/root`), or 0. */
function homeDirLength(segments: readonly string[]): number {
  if (segments.length >= 2 && HOME_PARENTS(segments[0]!)) return 2;
  if (segments.length >= 1 && segmentMatcher(segments[0]!)('root')) return 1;
  return 0;
}

function compileWildcardList(names: string[]): (segment: string) => boolean {
  return (segment) => {
    const m = segmentMatcher(segment);
    return names.some(m);
  };
}

/**
 * A word segment as a test of one file name, as pathname expansion reads it:
 * a name starting with `.` is only matched by a segment starting with `.`.
 */
function segmentMatcher(segment: string): (name: string) => boolean {
  if (!GLOB_CHAR.test(segment)) return (name) => name === segment;
  // The literal text before the first and after the last glob character
  // rejects most names before the wildcard is compiled.
  const { head, tail, inner } = literalParts(segment);
  const dot = segment.startsWith('.');
  let m: ((name: string) => boolean) | undefined;
  return (name) =>
    name.startsWith(head) &&
    name.endsWith(tail) &&
    name.includes(inner) &&
    (dot || !name.startsWith('.')) &&
    (m ??= compileWildcard(segment))(name);
}

/**
 * The literal text of a glob segment every name it matches holds: before the
 * first glob character, after the last, and its longest run in between
 * (classes skipped whole).
 */
function literalParts(segment: string): { head: string; tail: string; inner: string } {
  const head = segment.slice(0, segment.search(GLOB_CHAR));
  const tail = segment.slice(Math.max(segment.lastIndexOf('*'), segment.lastIndexOf('?'), segment.lastIndexOf(']')) + 1);
  let inner = '';
  for (const run of segment.split(/\[[^\]]*\]|[*?]/)) if (run.length > inner.length) inner = run;
  return { head, tail, inner };
}

/** A segment made only of `*` and `?`: it names anything, so it says nothing about which known name is meant. */
function isBareWildcard(segment: string): boolean {
  return /^[*?]+$/.test(segment);
}

/** Adds to `out` the known paths the anchored word matches, each written with the rest of the word. */
function matchKnown(form: AnchoredWord, known: KnownPathIndex, out: string[]): void {
  const segs = form.segments;
  if (!segs.some((s) => GLOB_CHAR.test(s))) return;
  // A last segment that is a bare wildcard (`/etc/*`) is left as it is: it would name every known file.
  const usable = isBareWildcard(segs[segs.length - 1]!) ? segs.length - 1 : segs.length;
  if (usable === 0) return;
  const matchers = segs.slice(0, usable).map(segmentMatcher);
  const write = (at: number, names: readonly string[]) => {
    if (out.length >= MAX_ALTERNATIVES) return;
    // Nothing new unless a glob segment was replaced by a name, and nothing
    // meant when the last name matched is a lone `*`: `/usr/*/x` or
    // `/x/*/y` name no known file, `/*/shadow` and `/home/*/.s?h` do.
    const matched = segs.slice(at, at + names.length);
    if (!matched.some((s) => GLOB_CHAR.test(s)) || isBareWildcard(matched[matched.length - 1]!)) return;
    const text = form.prefix + [...segs.slice(0, at), ...names, ...segs.slice(at + names.length)].join('/');
    if (!out.includes(text)) out.push(text);
  };
  if (form.anchor !== 'relative') {
    const group = known[form.anchor];
    for (const first of candidates(segs[0]!, group)) {
      if (!matchers[0]!(first)) continue;
      for (const path of group.byName.get(first)!) {
        // The word may name the path or a directory above it (`/e*` for /etc/shadow names /etc).
        const n = Math.min(usable, path.length);
        if (prefixMatches(matchers, path, 0, n)) write(0, path.slice(0, n));
      }
    }
  }
  const anywhere = known.anywhere;
  for (let at = 0; at < usable; at++) {
    for (const first of candidates(segs[at]!, anywhere)) {
      if (!matchers[at]!(first)) continue;
      for (const path of anywhere.byName.get(first)!) {
        if (at + path.length <= usable && prefixMatches(matchers, path, at, path.length)) write(at, path);
      }
    }
  }
}

/** Whether matchers[at + i] accepts path[i] for i < n. */
function prefixMatches(matchers: readonly ((name: string) => boolean)[], path: readonly string[], at: number, n: number): boolean {
  for (let i = 1; i < n; i++) if (!matchers[at + i]!(path[i]!)) return false;
  return true;
}

/**
 * The words a brace list expands to (`a{b,c}d` → abd, acd; nested lists too),
 * or just the word. `{}` and `{x}` are not lists; `{1..3}` ranges are left as
 * they are. Stops at 16 words.
 */
export function expandBraces(word: string): string[] {
  const list = firstBraceList(word);
  if (!list) return [word];
  const out: string[] = [];
  const head = word.slice(0, list.open);
  const tail = word.slice(list.close + 1);
  for (const alt of list.alternatives) {
    for (const w of expandBraces(head + alt + tail)) {
      if (out.length >= MAX_ALTERNATIVES) return out;
      out.push(w);
    }
  }
  return out;
}

/** The first `{…,…}` of a word: where it opens and closes, and its top-level alternatives. */
function firstBraceList(word: string): { open: number; close: number; alternatives: string[] } | undefined {
  for (let open = word.indexOf('{'); open >= 0; open = word.indexOf('{', open + 1)) {
    if (word[open - 1] === '$') continue; // ${var}
    let depth = 0;
    let from = open + 1;
    const alternatives: string[] = [];
    for (let j = open + 1; j < word.length; j++) {
      const c = word[j];
      if (c === '{') depth++;
      else if (c === '}' && depth > 0) depth--;
      else if (c === ',' && depth === 0) {
        alternatives.push(word.slice(from, j));
        from = j + 1;
      } else if (c === '}') {
        if (!alternatives.length) break;
        alternatives.push(word.slice(from, j));
        return { open, close: j, alternatives };
      }
    }
  }
  return undefined;
}
