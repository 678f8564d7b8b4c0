// Path generalisation for read and write calls. Paths arrive normalised and
// absolute where possible. Inside the workspace, config files get an exact-name
// pattern inside it (`<workspace>/**/package.json`: another project's
// docker-compose.yml may hold its secrets, and writing its manifest or Makefile
// runs code there later), directories with several files get `dir/**`,
// and files of one extension spread over several directories collapse into
// `<workspace>/**/*.ext`. Paths outside the workspace stay exact; sensitive
// paths become warnings. Every pattern, exact ones included, carries the
// sensitive paths as guards.
import { posix } from 'node:path';
import { BUILTIN_SENSITIVE_PATHS, type SensitiveMatcher } from './sensitive-paths';
import { homeFolderOf, isAgentNote } from './workspace-roots';
import type { PatternAlternative, PatternEntry, PatternKind } from './types';

/** Config files suggested by exact name anywhere in the workspace. */
export const CONFIG_NAMES = new Set([
  'package.json', 'package-lock.json', 'tsconfig.json', 'jsconfig.json', 'pnpm-workspace.yaml', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb',
  'pyproject.toml', 'setup.py', 'setup.cfg', 'requirements.txt', 'Pipfile', 'poetry.lock', 'uv.lock', 'tox.ini', 'pytest.ini',
  'Cargo.toml', 'Cargo.lock', 'go.mod', 'go.sum', 'Gemfile', 'Gemfile.lock', 'composer.json', 'Makefile', 'CMakeLists.txt',
  'Dockerfile', 'docker-compose.yml', 'docker-compose.yaml', 'compose.yaml', '.gitignore', '.dockerignore', '.editorconfig',
  '.eslintrc.json', '.eslintrc.js', 'eslint.config.js', 'eslint.config.mjs', '.prettierrc', 'vite.config.ts', 'vitest.config.ts',
  'jest.config.js', 'webpack.config.js', 'next.config.js', 'tailwind.config.js', 'README.md', 'CLAUDE.md', 'AGENTS.md', 'CHANGELOG.md',
]);

/** Windows 8.3 short names (`SERVIC~1.JSO`) can name any file: a widened pattern never covers one. */
const SHORT_NAMES = ['**/*~[0-9]*', '**/*~[0-9]*/**'];

/** Minimum distinct files before a directory or an extension is generalised. */
const DIR_MIN_FILES = 2;
const EXT_MIN_FILES = 3;

export interface PathStat {
  /** Normalised path. */
  path: string;
  count: number;
  /** Raw paths as the agent wrote them. */
  examples: string[];
}

export interface PathWarning {
  raw: string;
  reason: string;
  count: number;
}

export interface PathOptions {
  generalize?: boolean;
  minFrequency?: number;
  /** Normalised absolute project roots; a path is generalised under the deepest one holding it, other paths stay exact. */
  workspaceRoots?: readonly string[];
  sensitive: SensitiveMatcher;
  /** `path_not_matches` of every pattern (default: the built-in sensitive paths). */
  guards?: readonly string[];
  /** Warn a path in a home folder outside every workspace instead of suggesting it (writes: start-up files, tools' settings, other projects). */
  warnHomeOutside?: boolean;
}

function escapePath(p: string): string {
  return p.replace(/[*?[\]{}()!+@]/g, (c) => `\\${c}`);
}

/** The deepest root holding the path, and the path relative to it: the path's folders are looked up, deepest first. */
function inside(path: string, roots: ReadonlySet<string>): { root: string; rel: string } | null {
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    if (roots.has(path.slice(0, i))) return { root: path.slice(0, i), rel: path.slice(i + 1) };
  }
  return null;
}

interface Choice {
  pattern: string;
  kind: PatternKind;
  level: number;
}

/**
 * The `path_not_matches` of a pattern. Exact ones are guarded too: a path
 * recorded without a cwd stays a bare name (`run_dev.sh`), which the engine
 * matches in every folder, `/usr/local/bin` and `.git/hooks` included. Short
 * names only get past a pattern that matches more than one path (a widened one
 * or a bare name); an exact absolute path keeps its own spelling.
 */
function guardsOf(choice: Choice, guards: readonly string[]): string[] {
  const many = choice.level > 0 || !choice.pattern.includes('/');
  return many ? [...guards, ...SHORT_NAMES] : [...guards];
}

/** Generalises the observed paths of one kind (read or write). */
export function generalisePaths(stats: Iterable<PathStat>, opts: PathOptions): { entries: PatternEntry[]; warnings: PathWarning[] } {
  const generalize = opts.generalize ?? true;
  const roots = new Set((opts.workspaceRoots ?? []).map((r) => r.replace(/\/+$/, '')));
  const warnings: PathWarning[] = [];
  // Each path kept, with the workspace holding it (looked up once).
  const kept: { s: PathStat; at: ReturnType<typeof inside> }[] = [];
  for (const s of stats) {
    const hit = opts.sensitive.match(s.path);
    const at = inside(s.path, roots);
    // Outside only when some workspace is known: without one, every path stays exact as before.
    const home = !hit && opts.warnHomeOutside && roots.size && at === null && !isAgentNote(s.path) ? homeFolderOf(s.path) : null;
    if (hit) warnings.push({ raw: s.examples[0] ?? s.path, reason: `sensitive path (matches ${hit})`, count: s.count });
    else if (home) warnings.push({ raw: s.examples[0] ?? s.path, reason: `outside the project, in the home folder ${home}: start-up files, tools' settings and other projects live there`, count: s.count });
    else kept.push({ s, at });
  }
  // Per project root (keys `root\0name`): distinct files per top-level directory, and per extension (with the directories they are in).
  const key = (root: string, name: string) => `${root}\0${name}`;
  const perDir = new Map<string, number>();
  const perExt = new Map<string, Set<string>>();
  const extFiles = new Map<string, number>();
  for (const { at } of kept) {
    if (at === null) continue;
    const ext = posix.extname(at.rel);
    if (ext) extFiles.set(key(at.root, ext), (extFiles.get(key(at.root, ext)) ?? 0) + 1);
    if (!at.rel.includes('/')) continue;
    const top = at.rel.slice(0, at.rel.indexOf('/'));
    perDir.set(key(at.root, top), (perDir.get(key(at.root, top)) ?? 0) + 1);
    if (ext) perExt.set(key(at.root, ext), (perExt.get(key(at.root, ext)) ?? new Set()).add(top));
  }
  const ladderOf = ({ s, at }: (typeof kept)[number]): Choice[] => {
    const exact: Choice = { pattern: escapePath(s.path), kind: 'exact', level: 0 };
    if (!generalize || at === null || at.rel === '') return [exact];
    const { root, rel } = at;
    const name = posix.basename(rel);
    const out = [exact];
    if (CONFIG_NAMES.has(name)) out.push({ pattern: `${escapePath(root)}/**/${escapePath(name)}`, kind: 'glob', level: 3 });
    if (rel.includes('/')) {
      const top = rel.slice(0, rel.indexOf('/'));
      if ((perDir.get(key(root, top)) ?? 0) >= DIR_MIN_FILES) out.push({ pattern: `${escapePath(root)}/${escapePath(top)}/**`, kind: 'prefix', level: 1 });
    }
    const ext = posix.extname(name);
    if (ext && (extFiles.get(key(root, ext)) ?? 0) >= EXT_MIN_FILES && (perExt.get(key(root, ext))?.size ?? 0) >= 2) {
      out.push({ pattern: `${escapePath(root)}/**/*${escapePath(ext)}`, kind: 'glob', level: 2 });
    }
    return out;
  };
  // Config names win (they are the seed's rule); otherwise the widest of directory or extension.
  const groups = new Map<string, { choice: Choice; members: { s: PathStat; ladder: Choice[] }[] }>();
  for (const k of kept) {
    const ladder = ladderOf(k);
    const choice = ladder.find((c) => c.level === 3) ?? ladder[ladder.length - 1];
    const g = groups.get(choice.pattern) ?? { choice, members: [] };
    g.members.push({ s: k.s, ladder });
    groups.set(choice.pattern, g);
  }
  const entries: PatternEntry[] = [];
  for (const [pattern, g] of groups) {
    const count = g.members.reduce((n, m) => n + m.s.count, 0);
    if (count < (opts.minFrequency ?? 1)) continue;
    g.members.sort((a, b) => b.s.count - a.s.count);
    const alts = new Map<string, PatternAlternative & { level: number }>();
    for (const m of g.members) {
      for (const c of m.ladder) {
        if (c.level > g.choice.level && c.pattern !== pattern) continue;
        if (c.level === 0 && alts.size && m !== g.members[0]) continue;
        const a = alts.get(c.pattern) ?? { pattern: c.pattern, kind: c.kind, covers: 0, level: c.level };
        a.covers += m.s.count;
        alts.set(c.pattern, a);
      }
    }
    const alternatives = [...alts.values()].sort((a, b) => a.level - b.level).map(({ level: _l, ...a }) => a);
    const entry: PatternEntry = { pattern, count, examples: g.members.flatMap((m) => m.s.examples).slice(0, 3), alternatives };
    entry.notMatches = guardsOf(g.choice, opts.guards ?? BUILTIN_SENSITIVE_PATHS);
    entries.push(entry);
  }
  entries.sort((a, b) => b.count - a.count || a.pattern.localeCompare(b.pattern));
  return { entries, warnings };
}
