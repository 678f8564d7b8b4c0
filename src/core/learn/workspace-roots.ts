// The project roots paths are generalised under, and the home folders no
// project root may be: a learned `~/**/*.md` or `~/.config/**` would reach
// start-up files, credentials and other projects.
import { homedir } from 'node:os';
import { normalizePath } from '../glob/path';

/** A user's home folder on Linux, macOS, Windows, WSL (`/mnt/c/Users/x`), Fedora Atomic (`/var/home/x`) and Solaris-style systems. */
const HOME = String.raw`(?:/home|/Users|/var/home|/export/home|/mnt/[a-z]/Users|[A-Za-z]:/Users)/[^/]+`;
const HOME_DIR = new RegExp(`^${HOME}$`, 'i');
const IN_HOME = new RegExp(`^${HOME}(?=/|$)`, 'i');
/** Folders directly in a home folder that hold the user's files, not one project. */
const HOME_FOLDERS = new Set(['documents', 'desktop', 'downloads', 'library', 'appdata', 'onedrive', 'dropbox']);

/** Claude Code's own notes in the home folder: plans, to-do lists and project memory. */
const AGENT_NOTES = new RegExp(`^${HOME}/\\.claude/(?:plans|todos|projects/[^/]+/memory)/`, 'i');

/** Whether a path is one of the coding agent's own notes in the home folder, which it writes in every project. */
export function isAgentNote(path: string): boolean {
  return AGENT_NOTES.test(path);
}

let homeCache = { raw: '', normalised: '' };
/** This user's home folder, normalised (remembered while HOME stays the same). */
function ownHome(): string {
  const raw = homedir();
  if (raw !== homeCache.raw) homeCache = { raw, normalised: normalizePath(raw) };
  return homeCache.normalised;
}

/** The home folder a normalised absolute path is in (the path itself when it is one), or null. */
export function homeFolderOf(path: string): string | null {
  const home = ownHome();
  if (path === home || path.startsWith(`${home}/`)) return home;
  if (path === '/root' || path.startsWith('/root/')) return '/root';
  return IN_HOME.exec(path)?.[0] ?? null;
}

/**
 * Whether a directory can be a project's root: not `/` or a top-level folder,
 * not a home folder or above one, not a hidden or standard folder right in a
 * home (`~/.config`, `~/.claude`, `~/Documents`).
 */
export function isProjectRoot(dir: string): boolean {
  const parts = dir.replace(/^[A-Za-z]:/, '').split('/').filter(Boolean);
  if (parts.length < 2 || HOME_DIR.test(dir) || dir === '/root') return false;
  const home = ownHome();
  if (home === dir || home.startsWith(`${dir}/`)) return false;
  const parent = dir.slice(0, dir.lastIndexOf('/'));
  const name = dir.slice(dir.lastIndexOf('/') + 1);
  const inHome = HOME_DIR.test(parent) || parent === home || parent === '/root';
  return !(inHome && (name.startsWith('.') || HOME_FOLDERS.has(name.toLowerCase())));
}

/** Temporary folders, and hidden folders right in a home (`~/.claude`): paths an agent touches besides its project's. */
const ASIDE = new RegExp(`^(?:/tmp/|/private/|/var/folders/|${HOME}/\\.)`, 'i');
const ABSOLUTE = /^(?:[A-Za-z]:)?\//;

/** Sessions whose working directories and paths are told apart (a bound on memory for huge imports). */
const MAX_SESSIONS = 10_000;

interface SessionFacts {
  cwds: Map<string, number>;
  /** The deepest folder the session's project-like paths share ('' once they share none), or its one path while it has seen only one. */
  common?: string;
  /** Whether `common` is the one path seen so far, which may name a file. */
  onePath?: boolean;
}

/**
 * Each session's project root: the working directory it used most, or, when
 * that is no project (a home folder) or the calls carry none, the deepest
 * folder its paths share outside temporary and hidden home folders, when that
 * is at least three levels deep. An import of several projects' transcripts
 * has one root per project.
 */
export class SessionWorkspaces {
  private readonly sessions = new Map<string, SessionFacts>();

  addCwd(session: string, cwd: string): void {
    const cwds = this.facts(session).cwds;
    cwds.set(cwd, (cwds.get(cwd) ?? 0) + 1);
  }

  /**
   * A normalised path the session read or wrote, or a folder it searched or
   * listed. Paths are shared whole, not by their parents: the path of a Glob,
   * LS or Grep of the project itself names the project, and its parent is the
   * folder of all the user's projects. A path another one lies under is a
   * folder; only a path seen alone may be a file, so it counts by its parent.
   */
  addPath(session: string, path: string): void {
    if (!ABSOLUTE.test(path) || ASIDE.test(path)) return;
    const f = this.facts(session);
    if (f.common === undefined) {
      f.common = path;
      f.onePath = true;
    } else if (path !== f.common) {
      f.common = sharedFolder(f.common, path);
      f.onePath = false;
    }
  }

  /** The roots, the given one alone when there is one; never a home folder or `/`. */
  roots(given?: string): string[] {
    const roots = given ? [normalizePath(given)] : [...this.sessions.values()].map(rootOf).filter((r): r is string => !!r);
    return [...new Set(roots)].filter(isProjectRoot);
  }

  private facts(session: string): SessionFacts {
    let f = this.sessions.get(session);
    if (!f) {
      // Past the cap, further sessions count with the calls that had no session.
      if (this.sessions.size >= MAX_SESSIONS && session !== '') return this.facts('');
      f = { cwds: new Map() };
      this.sessions.set(session, f);
    }
    return f;
  }
}

function rootOf(f: SessionFacts): string | undefined {
  let best = '';
  let n = 0;
  for (const [cwd, c] of f.cwds) if (c > n) [best, n] = [cwd, c];
  const cwd = best && normalizePath(best);
  if (cwd && isProjectRoot(cwd)) return cwd;
  const common = f.onePath ? parentOf(f.common!) : f.common;
  return common && common.split('/').filter(Boolean).length >= 3 ? common : undefined;
}

/** The folder a path is in. */
function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

/** The deepest folder two paths share: one of them when it holds the other (it is then a folder). */
function sharedFolder(a: string, b: string): string {
  if (a === b || b.startsWith(`${a}/`)) return a;
  if (a.startsWith(`${b}/`)) return b;
  const x = a.split('/');
  const y = b.split('/');
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return x.slice(0, i).join('/');
}
