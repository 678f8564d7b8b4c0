// Path normalisation and path globs. Paths are compared in one spelling:
// forward slashes, `~`/$HOME expanded, `.`/`..` and duplicate slashes
// resolved, relative paths made absolute against the call's cwd, and the
// Windows spellings of the same file reduced to its name (`.env.`, `.env `,
// `.env::$DATA`).
import { homedir } from 'node:os';
import { posix } from 'node:path';
import picomatch from 'picomatch';

export interface PathOptions {
  /** Directory relative paths resolve against; without it they stay relative. */
  cwd?: string;
  /** Home directory for `~` and `$HOME` (default: the current user's). */
  home?: string;
}

const DRIVE = /^[A-Za-z]:\//;

/** `~`, `~/…`, `$HOME`, `${HOME}` prefixes replaced by `home`. */
function expandHome(p: string, home: string): string {
  if (p === '~' || p.startsWith('~/')) return home + p.slice(1);
  for (const v of ['$HOME', '${HOME}']) {
    if (p.startsWith(v) && (p.length === v.length || p[v.length] === '/')) return home + p.slice(v.length);
  }
  return p;
}

/**
 * Windows opens the same file for a name with trailing dots or spaces and for
 * its default data stream (`name::$DATA`, `name:stream:$DATA`): those
 * spellings are reduced to the name, so a rule about `.env` sees them.
 */
function windowsSameFile(p: string): string {
  if (!/[. ](?:\/|$)|:\$data/i.test(p)) return p;
  return p
    .split('/')
    .map((seg) => {
      if (seg === '.' || seg === '..') return seg;
      const name = seg.replace(/:(?:[^:/]*):\$data$/i, '').replace(/[. ]+$/, '');
      return name || seg;
    })
    .join('/');
}

/** The normalised spelling of `path` (see the file comment). Never throws; '' for empty input. */
export function normalizePath(path: string, opts: PathOptions = {}): string {
  if (typeof path !== 'string' || path === '') return '';
  let p = path.includes('\\') ? path.replace(/\\/g, '/') : path;
  const home = (opts.home ?? homedir()).replace(/\\/g, '/');
  p = expandHome(p, home);
  const absolute = p.startsWith('/') || DRIVE.test(p);
  if (!absolute && opts.cwd) {
    const cwd = normalizePath(opts.cwd, { home });
    p = `${cwd}/${p}`;
  }
  let out = windowsSameFile(posix.normalize(p));
  if (out.startsWith('//')) out = out.replace(/^\/+/, '/');
  if (out.length > 1 && out.endsWith('/') && !/^[A-Za-z]:\/$/.test(out)) out = out.slice(0, -1);
  return out === '.' && !path.startsWith('.') ? '' : out;
}

export interface PathGlobOptions {
  home?: string;
  /** Case-insensitive matching (for case-insensitive file systems). */
  nocase?: boolean;
}

/**
 * Compiles a path glob: `*` and `?` stay within one segment, `**` crosses
 * segments, a leading `**∕` also matches zero directories, dotfiles match
 * like any other name. `~`/$HOME at the start expand to the home directory.
 * A pattern without `/` matches the last segment of any path (`*.pem`,
 * `id_rsa`). The path given to the predicate should already be normalised.
 */
export function compilePathGlob(pattern: string, opts: PathGlobOptions = {}): (path: string) => boolean {
  const home = (opts.home ?? homedir()).replace(/\\/g, '/');
  const expanded = expandHome(pattern, home);
  const anywhere = !expanded.includes('/');
  const scan = picomatch.scan(expanded);
  if (!scan.isGlob && !expanded.includes('\\')) {
    const lit = anywhere ? expanded : normalizePath(expanded, { home });
    if (opts.nocase) {
      const low = lit.toLowerCase();
      return anywhere ? (p) => basenameOf(p).toLowerCase() === low : (p) => p.toLowerCase() === low;
    }
    return anywhere ? (p) => basenameOf(p) === lit : (p) => p === lit;
  }
  const isMatch = picomatch(expanded, { dot: true, windows: false, basename: anywhere, nocase: opts.nocase ?? false });
  return (p) => isMatch(p);
}

function basenameOf(p: string): string {
  const slash = p.lastIndexOf('/');
  return slash < 0 ? p : p.slice(slash + 1);
}
