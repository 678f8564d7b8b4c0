// Cheap tests that rule out most patterns before a glob runs: command patterns
// are grouped by their literal first word, and path globs carry a literal that
// every matching path must contain.
import type { CommandPattern } from './types';

/** The text up to the first space: what a literal first word of a pattern must equal. */
export function firstWord(s: string): string {
  const i = s.indexOf(' ');
  return i < 0 ? s : s.slice(0, i);
}

const COMMAND_WILDCARD = /[*?[\\]/;

/**
 * The literal first word every string a command pattern matches starts with
 * (`git` for `git push *`), or undefined when the pattern (or its canonical
 * spelling) does not start with one.
 */
export function commandKey(p: CommandPattern): string | undefined {
  const word = firstWord(p.source);
  if (COMMAND_WILDCARD.test(word)) return undefined;
  if (p.canonical !== undefined && firstWord(p.canonical) !== word) return undefined;
  return word;
}

/** Command patterns indexed by literal first word; the rest are tried on every string. */
export class PatternGroup {
  readonly byWord = new Map<string, CommandPattern[]>();
  readonly others: CommandPattern[] = [];

  constructor(readonly patterns: CommandPattern[]) {
    for (const p of patterns) {
      const word = commandKey(p);
      if (word === undefined) {
        this.others.push(p);
        continue;
      }
      const list = this.byWord.get(word);
      if (list) list.push(p);
      else this.byWord.set(word, [p]);
    }
  }

  get size(): number {
    return this.patterns.length;
  }

  /**
   * Whether any pattern matches `s`, whose first word is `word`. With
   * `program` (the program word as the command wrote it, `./build.sh`), a
   * pattern naming a program path must also name the directory it ran from
   * (a relative one only when the command line changes no directory: `afterCd`).
   */
  test(s: string, word: string, program?: string, afterCd = false): boolean {
    const keyed = this.byWord.get(word);
    if (keyed) for (const p of keyed) if (p.test(s) && runFrom(p, program, afterCd)) return true;
    for (const p of this.others) if (p.test(s) && runFrom(p, program, afterCd)) return true;
    return false;
  }
}

// Characters that make a path glob more than literal runs and `*`/`?`/`**`,
// or that picomatch or normalisation could rewrite: no prefilter for those.
const PATH_UNSAFE = /[{}()[\]!\\]|\/\/|(^|\/)\.\.?(\/|$)/;

/**
 * The longest literal run of a path glob that any matching (normalised) path
 * contains, or undefined. A slash next to a wildcard is dropped from the run
 * (`**` may match zero segments around it); `~` and `$HOME` are expanded by
 * the glob itself, so they are not part of any run.
 */
export function pathLiteral(pattern: string): string | undefined {
  if (!/[*?]/.test(pattern) || PATH_UNSAFE.test(pattern)) return undefined;
  const body = pattern.replace(/^(~|\$\{?HOME\}?)(?=\/|$)/, '\0');
  const runs = body.split(/[*?]/);
  let best = '';
  runs.forEach((run, i) => {
    let lit = run;
    if (i > 0) lit = lit.replace(/^\/+/, '');
    if (i < runs.length - 1) lit = lit.replace(/\/+$/, '');
    // After the expanded home prefix, the run starts at the following slash.
    if (lit.startsWith('\0')) lit = lit.slice(1);
    if (lit.length > best.length) best = lit;
  });
  return best.length >= 2 ? best : undefined;
}

/** `./scripts/` and `scripts/` name the same directory; `./` alone stays, apart from a PATH lookup (no directory). */
export function normalProgramDir(dir: string): string {
  const d = dir.replace(/^(\.\/)+/, '');
  return d === '' && dir !== '' ? './' : d;
}

/** The normalised directory a program word runs from ('' for a PATH lookup): `./build.sh` → `./`. */
export function programDirOf(argv0: string): string {
  const slash = argv0.lastIndexOf('/');
  return slash < 0 ? '' : normalProgramDir(argv0.slice(0, slash + 1));
}

/**
 * The normalised directory a program word runs from, as a pattern's `program` names it, or undefined
 * when it cannot be known: a relative path in a command line that changes directory
 * (`cd /tmp/x && ./build.sh`).
 */
export function knownProgramDir(argv0: string, afterCd: boolean): string | undefined {
  const dir = programDirOf(argv0);
  return afterCd && isRelativeDir(dir) ? undefined : dir;
}

/** Whether a pattern's program directory is the one the command ran it from. */
function runFrom(p: CommandPattern, program: string | undefined, afterCd: boolean): boolean {
  return p.program === undefined || program === undefined || p.program === knownProgramDir(program, afterCd);
}

const DIRECTORY_CHANGERS = new Set(['cd', 'pushd', 'popd']);

/** Whether a command line changes directory (`cd`, `pushd`, `popd`): then a relative program path names an unknown place. */
export function changesDirectory(components: readonly { binary: string }[]): boolean {
  return components.some((c) => DIRECTORY_CHANGERS.has(c.binary));
}

/** A directory relative to where the command runs (`./`, `scripts/`), not absolute, home-based or a PATH lookup. */
function isRelativeDir(dir: string): boolean {
  return dir !== '' && !/^[/~$]/.test(dir);
}
