// Path generalisation for read and write calls. Paths arrive normalised and
// absolute where possible. Inside the workspace, config files get an exact-name
// pattern (`**/package.json` for reads; for writes `<workspace>/**/package.json`,
// since writing another project's manifest or Makefile runs code there later),
// directories with several files get `dir/**`,
// and files of one extension spread over several directories collapse into
// `<workspace>/**/*.ext`. Paths outside the workspace stay exact; sensitive
// paths become warnings.
import { posix } from 'node:path';
import { BUILTIN_SENSITIVE_PATHS, type SensitiveMatcher } from './sensitive-paths';
import type { PatternAlternative, PatternEntry, PatternKind } from './types';

/** Config files suggested by exact name wherever they are. */
export const CONFIG_NAMES = new Set([
  'package.json', 'package-lock.json', 'tsconfig.json', 'jsconfig.json', 'pnpm-workspace.yaml', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb',
  'pyproject.toml', 'setup.py', 'setup.cfg', 'requirements.txt', 'Pipfile', 'poetry.lock', 'uv.lock', 'tox.ini', 'pytest.ini',
  'Cargo.toml', 'Cargo.lock', 'go.mod', 'go.sum', 'Gemfile', 'Gemfile.lock', 'composer.json', 'Makefile', 'CMakeLists.txt',
  'Dockerfile', 'docker-compose.yml', 'docker-compose.yaml', 'compose.yaml', '.gitignore', '.dockerignore', '.editorconfig',
  '.eslintrc.json', '.eslintrc.js', 'eslint.config.js', 'eslint.config.mjs', '.prettierrc', 'vite.config.ts', 'vitest.config.ts',
  'jest.config.js', 'webpack.config.js', 'next.config.js', 'tailwind.config.js', 'README.md', 'CLAUDE.md', 'AGENTS.md', 'CHANGELOG.md',
]);

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
  /** Normalised absolute workspace root; without it every path stays exact. */
  workspaceRoot?: string;
  /** Config-name patterns stay inside the workspace (for writes). */
  anchorConfigNames?: boolean;
  sensitive: SensitiveMatcher;
}

function escapePath(p: string): string {
  return p.replace(/[*?[\]{}()!+@]/g, (c) => `\\${c}`);
}

function inside(path: string, root: string | undefined): string | null {
  if (!root) return null;
  const r = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(r) ? path.slice(r.length) : null;
}

interface Choice {
  pattern: string;
  kind: PatternKind;
  level: number;
}

/** Generalises the observed paths of one kind (read or write). */
export function generalisePaths(stats: Iterable<PathStat>, opts: PathOptions): { entries: PatternEntry[]; warnings: PathWarning[] } {
  const generalize = opts.generalize ?? true;
  const root = opts.workspaceRoot;
  const warnings: PathWarning[] = [];
  const kept: PathStat[] = [];
  for (const s of stats) {
    const hit = opts.sensitive.match(s.path);
    if (hit) warnings.push({ raw: s.examples[0] ?? s.path, reason: `sensitive path (matches ${hit})`, count: s.count });
    else kept.push(s);
  }
  // Distinct files per top-level directory and per extension inside the workspace.
  const perDir = new Map<string, number>();
  const perExt = new Map<string, Set<string>>();
  for (const s of kept) {
    const rel = inside(s.path, root);
    if (rel === null || !rel.includes('/')) continue;
    const top = rel.slice(0, rel.indexOf('/'));
    perDir.set(top, (perDir.get(top) ?? 0) + 1);
    const ext = posix.extname(rel);
    if (ext) perExt.set(ext, (perExt.get(ext) ?? new Set()).add(top));
  }
  const extFiles = new Map<string, number>();
  for (const s of kept) {
    const rel = inside(s.path, root);
    const ext = rel === null ? '' : posix.extname(rel);
    if (ext) extFiles.set(ext, (extFiles.get(ext) ?? 0) + 1);
  }
  const ladderOf = (s: PathStat): Choice[] => {
    const exact: Choice = { pattern: escapePath(s.path), kind: 'exact', level: 0 };
    const rel = inside(s.path, root);
    if (!generalize || rel === null || rel === '') return [exact];
    const name = posix.basename(rel);
    const out = [exact];
    if (CONFIG_NAMES.has(name)) out.push({ pattern: `${opts.anchorConfigNames ? `${escapePath(root!)}/` : ''}**/${escapePath(name)}`, kind: 'glob', level: 3 });
    if (rel.includes('/')) {
      const top = rel.slice(0, rel.indexOf('/'));
      if ((perDir.get(top) ?? 0) >= DIR_MIN_FILES) out.push({ pattern: `${escapePath(root!)}/${escapePath(top)}/**`, kind: 'prefix', level: 1 });
    }
    const ext = posix.extname(name);
    if (ext && (extFiles.get(ext) ?? 0) >= EXT_MIN_FILES && (perExt.get(ext)?.size ?? 0) >= 2) {
      out.push({ pattern: `${escapePath(root!)}/**/*${escapePath(ext)}`, kind: 'glob', level: 2 });
    }
    return out;
  };
  // Config names win (they are the seed's rule); otherwise the widest of directory or extension.
  const groups = new Map<string, { choice: Choice; members: { s: PathStat; ladder: Choice[] }[] }>();
  for (const s of kept) {
    const ladder = ladderOf(s);
    const choice = ladder.find((c) => c.level === 3) ?? ladder[ladder.length - 1];
    const g = groups.get(choice.pattern) ?? { choice, members: [] };
    g.members.push({ s, ladder });
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
    if (g.choice.level > 0) entry.notMatches = [...BUILTIN_SENSITIVE_PATHS];
    entries.push(entry);
  }
  entries.sort((a, b) => b.count - a.count || a.pattern.localeCompare(b.pattern));
  return { entries, warnings };
}
