// The prefilters must never change a result: checked against the plain globs
// over every real path and command of the shared agent sessions.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileCommandGlob, compilePathGlob, normalizePath } from '../../src/core/glob/index';
import { parseCommand } from '../../src/core/shell/index';
import { firstWord, pathLiteral, PatternGroup } from '../../src/core/policy/prefilter';
import { SHARED_DATA } from '../shared-data';

const SESSIONS = join(SHARED_DATA, 'agent-sessions');

function realCalls(): { paths: string[]; commands: string[] } {
  const paths: string[] = [];
  const commands: string[] = [];
  for (const f of readdirSync(SESSIONS).filter((n) => n.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(SESSIONS, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const o = JSON.parse(line) as { path?: string; command?: string };
      if (o.path) paths.push(o.path);
      if (o.command) commands.push(o.command);
    }
  }
  return { paths, commands };
}

const { paths, commands } = realCalls();

const PATH_PATTERNS = [
  '/etc/**', '**/.ssh/id_*', '~/.ssh/**', '$HOME/.aws/*', '*.pem', '/proc/*/environ', '**/.env*', 'src/**',
  '**/*.py', '**/*.ts', '/Users/*/**', '**/node_modules/**', '**/test*/**', '*.md', '**/package.json',
  '/home/*/.bashrc', '**/.git/*', '/usr/**', '**/tests/?est_*.py', '~/**', '**/*config*',
];

describe('pathLiteral', () => {
  it('extracts a literal every matching path contains', () => {
    assert.equal(pathLiteral('/etc/**'), '/etc');
    assert.equal(pathLiteral('**/.ssh/id_*'), '.ssh/id_');
    assert.equal(pathLiteral('~/.ssh/**'), '/.ssh');
    assert.equal(pathLiteral('/etc/shadow'), undefined, 'literal patterns are compared whole already');
    assert.equal(pathLiteral('**/a{b,c}'), undefined, 'braces are not literal runs');
  });

  it('never rejects a path the glob accepts (real session paths)', () => {
    assert.ok(paths.length > 1000, `expected real paths, got ${paths.length}`);
    let matched = 0;
    for (const pattern of PATH_PATTERNS) {
      const glob = compilePathGlob(pattern);
      const lit = pathLiteral(pattern);
      for (const raw of paths) {
        for (const s of [raw, normalizePath(raw, { cwd: '/work/proj' })]) {
          if (!glob(s)) continue;
          matched++;
          if (lit !== undefined) assert.ok(s.includes(lit), `${pattern} matches ${s} but the literal ${lit} is missing`);
        }
      }
    }
    assert.ok(matched > 500, `the patterns should match many real paths (${matched})`);
  });
});

describe('PatternGroup', () => {
  const PATTERNS = [
    'git *', 'git status', 'npm *', 'npm run *', 'rm -rf *', 'rm -fr /', 'python* -c *', 'ls', 'ls *', 'cd *', '* --help',
    'cat *.env*', 'find * -delete*', 'curl * | sh', 'echo *', 'sed -i *', '[a-c]* *', 'pytest*', 'uv run *', 'make',
  ];
  const compiled = PATTERNS.map((source) => {
    const canon = parseCommand(source).components[0]?.text;
    const main = compileCommandGlob(source);
    const alt = canon && canon !== source && firstWord(canon) === firstWord(source) ? compileCommandGlob(canon) : undefined;
    return { source, compound: false, canonical: alt ? canon : undefined, test: (s: string) => main(s) || (alt ? alt(s) : false) };
  });
  const group = new PatternGroup(compiled);

  it('keys literal first words and keeps wildcard words apart', () => {
    assert.ok(group.byWord.has('git'));
    assert.ok(group.others.some((p) => p.source === 'python* -c *'));
    assert.ok(group.others.some((p) => p.source === '* --help'));
  });

  it('agrees with trying every pattern, on every real command and component', () => {
    let hits = 0;
    for (const cmd of commands) {
      const strings = [cmd, ...parseCommand(cmd).components.map((c) => c.text)];
      for (const s of strings) {
        const expected = compiled.some((p) => p.test(s));
        assert.equal(group.test(s, firstWord(s)), expected, s);
        if (expected) hits++;
      }
    }
    assert.ok(hits > 500, `the patterns should match many real commands (${hits})`);
  });
});
