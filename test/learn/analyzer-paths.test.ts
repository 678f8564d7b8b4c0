import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../src/core/learn/analyzer';
import { fragmentPolicySet } from '../../src/core/learn/fragment-policies';
import { registrableDomain } from '../../src/core/learn/fetch-patterns';
import type { Suggestions } from '../../src/core/learn/types';
import { evaluate, parsePolicyText } from '../../src/core/policy/index';

const WS = '/home/dev/proj';
const reads = (...paths: string[]) => paths.map((path) => ({ tool: 'read', params: { path }, cwd: WS }));
const writes = (...paths: string[]) => paths.map((path) => ({ tool: 'edit', params: { path }, cwd: WS }));
const fetches = (...urls: string[]) => urls.map((url) => ({ tool: 'fetch', params: { url } }));
function allows(s: Suggestions, tool: string, params: Record<string, string>): boolean {
  return evaluate(fragmentPolicySet(s), { tool, params }).action === 'allow';
}

describe('path generalisation', () => {
  it('turns several files of one top-level directory into dir/**', () => {
    const s = analyze(reads(`${WS}/src/a.ts`, `${WS}/src/lib/b.ts`), { workspaceRoot: WS });
    assert.deepEqual(s.read.map((e) => e.pattern), [`${WS}/src/**`]);
    assert.ok(allows(s, 'read', { path: `${WS}/src/other/c.ts` }));
    assert.ok(!allows(s, 'read', { path: `${WS}/docs/x.md` }));
    assert.ok(!allows(s, 'read', { path: `${WS}/src/../../etc/passwd` }));
  });

  it('collapses one extension spread over several directories into **/*.ext', () => {
    const s = analyze(reads('src/a.py', 'tests/test_a.py', 'tools/gen.py'), { workspaceRoot: WS });
    assert.deepEqual(s.read.map((e) => e.pattern), [`${WS}/**/*.py`]);
    assert.equal(s.read[0].count, 3);
    assert.ok(allows(s, 'read', { path: `${WS}/other/deep/x.py` }));
    const alt = s.read[0].alternatives;
    assert.equal(alt[0].kind, 'exact');
    assert.equal(alt[alt.length - 1].pattern, `${WS}/**/*.py`);
  });

  it('suggests config files by exact name, inside the workspace', () => {
    const s = analyze(reads('package.json', 'packages/web/package.json', 'docker-compose.yml'), { workspaceRoot: WS });
    assert.deepEqual(s.read.map((e) => e.pattern).sort(), [`${WS}/**/docker-compose.yml`, `${WS}/**/package.json`]);
    // another project's compose file may hold its secrets
    assert.ok(!allows(s, 'read', { path: '/srv/prod/docker-compose.yml' }));
    const w = analyze(writes('package.json', 'packages/web/package.json', 'Makefile'), { workspaceRoot: WS });
    assert.deepEqual(w.write.map((e) => e.pattern).sort(), [`${WS}/**/Makefile`, `${WS}/**/package.json`]);
    assert.ok(allows(w, 'write', { path: `${WS}/package.json` }));
    assert.ok(allows(w, 'write', { path: `${WS}/apps/api/package.json` }));
    // another project's manifest or Makefile runs code there later
    assert.ok(!allows(w, 'write', { path: '/home/dev/other/package.json' }));
    assert.ok(!allows(w, 'write', { path: '/usr/lib/node_modules/npm/package.json' }));
    assert.ok(!allows(w, 'write', { path: '/home/dev/other/Makefile' }));
  });

  it('counts calls that name no file instead of learning from them', () => {
    const s = analyze([
      { tool: 'edit', params: { note: 'diff shown without file name' } },
      { tool: 'write', params: { path: 'src/a.ts' } },
      { tool: 'fetch', params: {} },
      { tool: 'mcp__db__query', params: {} },
    ]);
    assert.deepEqual(s.stats.withoutSubject, { edit: 1, fetch: 1 });
    assert.equal(s.write.length, 1);
  });

  it('keeps paths outside the workspace exact', () => {
    const s = analyze(reads('/opt/tool/config.yml', '/opt/tool/other.yml', `${WS}/src/a.ts`), { workspaceRoot: WS });
    const pats = s.read.map((e) => e.pattern).sort();
    assert.deepEqual(pats, ['/opt/tool/config.yml', '/opt/tool/other.yml', `${WS}/src/a.ts`].sort());
    assert.ok(!allows(s, 'read', { path: '/opt/tool/secret.yml' }));
  });

  it('turns sensitive paths into warnings, from the built-in list and the active policy', () => {
    const { set } = parsePolicyText('version: "1"\npolicies:\n  - name: keys\n    rules:\n      - action: ask\n        when: { path_matches: ["**/*.key"] }\n', 'p.yaml');
    const s = analyze([
      ...reads('~/.ssh/id_rsa', `${WS}/.env`, '/home/dev/.aws/credentials', '/etc/shadow'),
      ...reads(`${WS}/certs/server.key`),
    ], { workspaceRoot: WS, sensitivePaths: ['**/secrets/**'], policy: set });
    assert.deepEqual(s.read, []);
    assert.equal(s.warnings.length, 4);
    assert.ok(s.warnings.every((w) => w.tool === 'read' && /sensitive path/.test(w.reason)));
    assert.equal(s.handled.length, 1, 'the policy asks for *.key itself: handled, not warned');
    const extra = analyze(reads(`${WS}/secrets/a.txt`), { workspaceRoot: WS, sensitivePaths: ['**/secrets/**'] });
    assert.equal(extra.warnings.length, 1);
  });

  it('keeps generalised patterns away from sensitive files inside them', () => {
    const s = analyze(writes(`${WS}/src/a.ts`, `${WS}/src/b.ts`), { workspaceRoot: WS });
    assert.deepEqual(s.write.map((e) => e.pattern), [`${WS}/src/**`]);
    assert.ok(allows(s, 'write', { path: `${WS}/src/c.ts` }));
    assert.ok(allows(s, 'edit', { path: `${WS}/src/c.ts` }));
    assert.ok(!allows(s, 'write', { path: `${WS}/src/.env` }));
    // however spelled on a case-insensitive or Windows file system, or by an 8.3 short name
    for (const f of ['.ENV', '.env.', '.env::$DATA', 'CONFIG~1.JSO', 'PROGRA~1/x.ts']) assert.ok(!allows(s, 'write', { path: `${WS}/src/${f}` }), f);
  });

  it('never suggests writing the files that run code or grant permissions, and keeps widened writes away from them', () => {
    const s = analyze(writes('.claude/commands/a.md', '.claude/commands/b.md', '.vscode/launch.json', '.vscode/tasks.json', '.claude/settings.local.json', '.mcp.json'));
    assert.deepEqual(s.warnings.map((w) => w.raw).sort(), ['.claude/settings.local.json', '.mcp.json', '.vscode/tasks.json'].map((f) => `${WS}/${f}`));
    assert.ok(allows(s, 'write', { path: `${WS}/.claude/commands/c.md` }));
    for (const f of ['.claude/settings.json', '.claude/hooks/x.sh', '.vscode/settings.json', '.devcontainer/devcontainer.json', '.envrc', 'rampart.yaml']) {
      assert.ok(!allows(s, 'write', { path: `${WS}/${f}` }), f);
    }
    // reading most of them is fine; an MCP server list holds its servers' tokens
    assert.deepEqual(analyze(reads('.vscode/tasks.json', '.claude/settings.json')).warnings, []);
    assert.deepEqual(analyze(reads('.mcp.json')).warnings.map((w) => w.reason), ['sensitive path (matches **/.mcp.json)']);
  });

  it('keeps a bare file name recorded without a cwd (which matches that name in any folder) away from the sensitive places', () => {
    const noCwd = (tool: string, ...paths: string[]) => paths.map((path) => ({ tool, params: { path }, session: 'aider' }));
    const w = analyze(noCwd('write', 'run_dev.sh', 'lint_all.sh', '.gitignore', '.eslintrc.json'));
    assert.deepEqual(w.write.map((e) => e.pattern).sort(), ['.eslintrc.json', '.gitignore', 'lint_all.sh', 'run_dev.sh']);
    assert.ok(allows(w, 'write', { path: 'run_dev.sh' }));
    for (const path of [
      '/usr/local/bin/run_dev.sh', '/opt/homebrew/bin/run_dev.sh', '/home/u/.local/bin/run_dev.sh', '/home/u/bin/lint_all.sh', '/Users/u/bin/lint_all.sh',
      'C:/Users/u/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup/run_dev.sh', '/etc/.gitignore', '/home/u/proj/.git/hooks/run_dev.sh',
      '/home/u/proj/.claude/hooks/run_dev.sh', 'C:/Users/u/AppData/Roaming/MICROS~1/Windows/STARTM~1/Programs/Startup/run_dev.sh',
    ]) assert.ok(!allows(w, 'write', { path }), path);
    const r = analyze(noCwd('read', 'config', 'notes.md'));
    assert.ok(allows(r, 'read', { path: 'config' }));
    for (const path of ['/home/u/.ssh/config', '/home/u/.aws/config', '/home/u/.kube/config', '/home/u/proj/.git/config']) assert.ok(!allows(r, 'read', { path }), path);
  });

  it('infers the workspace from the calls’ cwd', () => {
    const s = analyze(reads('src/a.ts', 'src/b.ts'));
    assert.deepEqual(s.read.map((e) => e.pattern), [`${WS}/src/**`]);
  });

  it('gives each session of an import its own workspace, the deepest one holding a path', () => {
    const other = '/Users/ann/code/site';
    const nested = `${WS}/client`;
    const s = analyze([
      ...reads('src/a.ts', 'src/b.ts', 'lib/c.py').map((c) => ({ ...c, session: 's1' })),
      ...['pages/a.tsx', 'pages/b.tsx', 'README.md', '/Users/ann/.bashrc'].map((path) => ({ tool: 'read', params: { path }, cwd: other, session: 's2' })),
      ...['src/x.js', 'src/y.js'].map((path) => ({ tool: 'read', params: { path }, cwd: nested, session: 's3' })),
    ]);
    const patterns = s.read.map((e) => e.pattern).sort();
    assert.deepEqual(patterns, [`${nested}/src/**`, `${WS}/lib/c.py`, `${WS}/src/**`, `${other}/pages/**`, `${other}/**/README.md`].sort());
    assert.equal(s.warnings.length, 1, '~/.bashrc stays a warning');
    assert.ok(!allows(s, 'read', { path: '/Users/ann/code/other/pages/a.tsx' }));
  });

  it('finds a session’s project from its paths when it has no cwd, and warns writes in a home folder outside every project', () => {
    const s = analyze([
      ...['src/a.ts', 'src/b.ts', 'docs/x.md'].map((p) => ({ tool: 'edit', params: { path: `/Users/ann/code/site/${p}` }, session: 'no-cwd' })),
      { tool: 'write', params: { path: '/tmp/scratch.txt' }, session: 'no-cwd' },
      { tool: 'write', params: { path: '/Users/ann/.claude/plans/brave-plan.md' }, session: 'no-cwd' },
      ...['src/c.ts', 'src/d.ts'].map((p) => ({ tool: 'edit', params: { path: p }, cwd: WS, session: 'with-cwd' })),
      { tool: 'write', params: { path: '/home/dev/other/Makefile' }, cwd: WS, session: 'with-cwd' },
      { tool: 'write', params: { path: '/home/dev/.tmux.conf' }, cwd: WS, session: 'with-cwd' },
    ]);
    assert.deepEqual(s.write.map((e) => e.pattern).sort(), [
      '/Users/ann/.claude/plans/brave-plan.md', '/Users/ann/code/site/docs/x.md', '/Users/ann/code/site/src/**', '/tmp/scratch.txt', `${WS}/src/**`,
    ].sort());
    assert.deepEqual(s.warnings.map((w) => [w.raw, /home folder \/home\/dev/.test(w.reason) || /sensitive/.test(w.reason)]).sort(), [
      ['/home/dev/.tmux.conf', true], ['/home/dev/other/Makefile', true],
    ]);
  });

  it('never takes a home directory or / for a project, even when given', () => {
    for (const home of ['/home/dev', '/Users/ann', 'C:/Users/ann', '/', '/var/home/dev', '/mnt/c/Users/dev', '/home/dev/.config', 'C:/Users/ann/Documents']) {
      const files = ['a/x.ts', 'b/y.ts', 'c/z.ts', 'c/w.ts'].map((f) => `${home.replace(/\/$/, '')}/${f}`);
      const fromCwd = analyze(files.map((path) => ({ tool: 'read', params: { path }, cwd: home })));
      assert.deepEqual(fromCwd.read.map((e) => e.pattern).sort(), [...files].sort(), home);
      const given = analyze(files.map((path) => ({ tool: 'read', params: { path } })), { workspaceRoot: home });
      assert.ok(given.read.every((e) => !e.pattern.includes('*')), home);
    }
  });
});

describe('fetch generalisation', () => {
  it('groups subdomains under their registrable domain', () => {
    const s = analyze(fetches('https://api.github.com/repos/x', 'https://raw.githubusercontent.com/a/b/main/README.md', 'https://api.github.com/users/y'));
    assert.deepEqual(s.fetch.map((e) => e.pattern).sort(), ['*.github.com', '*.githubusercontent.com']);
    assert.equal(s.fetch.find((e) => e.pattern === '*.github.com')!.count, 2);
    assert.ok(allows(s, 'fetch', { url: 'https://uploads.github.com/x' }));
    assert.ok(!allows(s, 'fetch', { url: 'https://github.com.evil.io/x' }));
  });

  it('keeps bare domains exact, learns this machine and its network by origin, and notes public registries', () => {
    const s = analyze(fetches('https://pypi.org/simple/requests/', 'http://localhost:8000/health', 'http://10.0.0.5/api', 'https://example.co.uk/', 'http://[::1]:3000'));
    assert.deepEqual(s.fetch.map((e) => e.pattern).sort(), ['example.co.uk', 'http://10.0.0.5/*', 'http://\\[::1\\]:3000', 'http://localhost:8000/*', 'pypi.org']);
    assert.match(s.fetch.find((e) => e.pattern === 'pypi.org')!.note ?? '', /public registry/);
    assert.equal(s.fetch.find((e) => e.pattern === 'example.co.uk')!.note, undefined);
    // A domain rule has no port: an origin rule keeps the other local services (the Docker API on 2375) refused.
    for (const url of ['http://localhost:8000/x', 'http://10.0.0.5/other', 'http://[::1]:3000']) assert.ok(allows(s, 'fetch', { url }), url);
    for (const url of ['http://localhost:2375/containers/json', 'http://10.0.0.5:8080/', 'http://localhost:8000@evil.example.com/', 'http://[::1]:3000/x']) {
      assert.ok(!allows(s, 'fetch', { url }), url);
    }
    // The domain-wide rule stays one pick away, as the widest alternative.
    assert.deepEqual(s.fetch.find((e) => e.pattern === 'http://localhost:8000/*')!.alternatives.map((a) => a.pattern), ['http://localhost:8000/*', 'localhost']);
    assert.equal(registrableDomain('docs.example.co.uk'), 'example.co.uk');
    assert.equal(registrableDomain('user.github.io'), null, 'shared hosting: every subdomain belongs to someone else');
  });

  it('never groups a domain that holds shared hosting under it (everyone’s buckets)', () => {
    assert.equal(registrableDomain('www.googleapis.com'), null);
    assert.equal(registrableDomain('ec2.us-east-1.amazonaws.com'), null);
    const s = analyze(fetches('https://www.googleapis.com/x', 'https://oauth2.googleapis.com/token', 'https://storage.googleapis.com/b/o'));
    assert.deepEqual(s.fetch.map((e) => e.pattern).sort(), ['oauth2.googleapis.com', 'storage.googleapis.com', 'www.googleapis.com']);
    assert.ok(!allows(s, 'fetch', { url: 'https://attacker.storage.googleapis.com/x' }));
    // nor a wildcard over hosts anyone can publish on, or over a listed exfiltration service
    for (const [host, why] of [['developers.google.com', 'script.google.com'], ['dev.azure.com', 'cloudapp.azure.com'], ['core.telegram.org', 'api.telegram.org'], ['api.slack.com', 'hooks.slack.com'], ['x.readthedocs.io', 'readthedocs.io'], ['api.foo.vercel.app', 'vercel.app']]) {
      assert.equal(registrableDomain(host), null, `${host} (${why})`);
    }
    assert.equal(registrableDomain('docs.example.co.uk'), 'example.co.uk');
    assert.equal(registrableDomain('a.b.example.com.au'), 'example.com.au');
  });

  it('turns exfiltration domains into warnings', () => {
    const s = analyze(fetches('https://pastebin.com/raw/abc', 'https://abc.ngrok.io/x', 'https://webhook.site/123', 'https://hooks.slack.com/services/T/B/x', 'https://x.lhr.life/', 'https://ntfy.sh/topic'));
    assert.deepEqual(s.fetch, []);
    assert.equal(s.warnings.length, 6);
    assert.ok(s.warnings.every((w) => /exfiltration/.test(w.reason)));
  });
});
