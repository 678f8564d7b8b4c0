import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = join(__dirname, '../../dist/cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('--help lists every command with a summary', () => {
  const r = run('--help');
  assert.equal(r.status, 0);
  for (const name of ['check', 'test', 'lint', 'learn', 'wrap', 'analyze', 'train', 'predict']) {
    assert.match(r.stdout, new RegExp(`^  ${name}\\s+\\S`, 'm'));
  }
});

test('--help after a sub-command or an option prints the command help; after -- it belongs to the agent', () => {
  for (const args of [['audit', 'verify', '--help'], ['hook', 'claude-code', '--help'], ['telemetry', 'recent', '-h'], ['check', '--json', '--help']]) {
    const r = run(...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`rampart-learn ${args[0]}`), args.join(' '));
  }
  const agent = run('wrap', '--mode', 'monitor', '--', '/bin/sh', '-c', 'for a; do [ "$a" = --help ] && exit 7; done; exit 0', 'sh', '--help');
  assert.equal(agent.status, 7, agent.stderr);
});

test('an unknown command is a one-line error with exit code 2', () => {
  const r = run('frobnicate');
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /unknown command "frobnicate"/);
});

test('an unknown option is a one-line usage error (exit 2) for every command', () => {
  for (const name of ['check', 'test', 'lint', 'analyze', 'apply', 'train', 'predict', 'audit', 'export-csv', 'generate-sample']) {
    const r = run(name, '--no-such-flag');
    assert.equal(r.status, 2, `${name}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, `${name}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^rampart-learn: ${name}: unknown option --no-such-flag; see \`rampart-learn ${name} --help\``));
  }
});

test('a mistyped command or option gets the one probably meant', () => {
  assert.match(run('chek').stderr, /unknown command "chek" \(did you mean check\?\)/);
  assert.match(run('check', '--jsn', 'ls').stderr, /check: unknown option --jsn \(did you mean --json\?\)/);
  // A command's own options, given unquoted: say how to pass them.
  const quote = /; quote a command that has options \("ls -la"\) or put it after --; see `rampart-learn predict --help`\n$/;
  assert.match(run('predict', 'ls', '-la').stderr, /^rampart-learn: predict: unknown option -l/);
  assert.match(run('predict', 'ls', '-la').stderr, quote);
  assert.match(run('predict', 'git', 'push', '--force').stderr, quote);
  assert.match(run('check', 'rm', '-rf', '/').stderr, /check: unknown option -r; quote a command/);
  assert.doesNotMatch(run('predict', '--modle', 'm.json').stderr, /quote a command/);
  const r = run('analyze', '--min-frequency', '-1', 'x');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /analyze: --min-frequency needs a value; for one starting with "-", write --min-frequency=-\.\.\./);
});

test('no command at all: the help on stderr and exit 2, so a script that forgot the command fails', () => {
  const r = run();
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^Usage: rampart-learn <command>/);
});

test('output piped into a reader that stops early is no crash', () => {
  // `head -1` closes the pipe after one line; the rest of --help is dropped quietly.
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${cli}" --help | head -1; echo "status=\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
  assert.match(r.stdout, /^Usage: rampart-learn <command> \[options\]\nstatus=0\n$/);
  assert.doesNotMatch(r.stderr, /EPIPE|Error/);
});

test('init creates ./rampart.yaml from a shipped policy, never over an existing file; lint and test then default to it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-init-'));
  const inDir = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir });
  const noPolicy = inDir('lint');
  assert.equal(noPolicy.status, 2);
  assert.match(noPolicy.stderr, /lint: no \.\/rampart\.yaml here; .*rampart-learn init/);
  const created = inDir('init', '--from', 'paranoid');
  assert.equal(created.status, 0, created.stderr);
  assert.match(created.stdout, /Created rampart\.yaml from the paranoid policy/);
  assert.equal(readFileSync(join(dir, 'rampart.yaml'), 'utf8'), readFileSync(join(__dirname, '../../policies/paranoid.yaml'), 'utf8'));
  const again = inDir('init');
  assert.equal(again.status, 2);
  assert.match(again.stderr, /rampart\.yaml already exists; it is left as it is/);
  assert.equal(inDir('lint').status, 0);
  assert.equal(inDir('lint', '--policy', 'rampart.yaml').status, 0);
  const tested = inDir('test');
  assert.equal(tested.status, 0, tested.stderr);
  assert.match(tested.stdout, /\d+ cases: \d+ passed, 0 failed/);
  // A dangling link is an existing name: not followed to create its target.
  symlinkSync(join(dir, 'elsewhere.yaml'), join(dir, 'link.yaml'));
  const link = inDir('init', '--policy', 'link.yaml');
  assert.equal(link.status, 2);
  assert.match(link.stderr, /link\.yaml already exists; it is left as it is/);
  assert.equal(existsSync(join(dir, 'elsewhere.yaml')), false);
  // The commands it suggests can be pasted: a name with a space is quoted.
  const spaced = inDir('init', '--policy', 'my policy.yaml');
  assert.match(spaced.stdout, /Check it with: rampart-learn lint 'my policy\.yaml' && rampart-learn test 'my policy\.yaml'$/m);
  const typo = inDir('test', '--run', 'no such case');
  assert.equal(typo.status, 2);
  assert.match(typo.stderr, /test: no case of \d+ matches --run "no such case"/);
});
