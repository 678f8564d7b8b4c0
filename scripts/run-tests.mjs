// Runs the test suite with node's test runner. Tests are TypeScript, loaded
// through tsx. `--unit` skips the end-to-end suites (test/e2e/), which need
// the code-server host; extra arguments narrow the run to matching files.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

let files = walk('test').map((f) => relative('.', f)).sort();
if (unitOnly) files = files.filter((f) => !f.startsWith(join('test', 'e2e')));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (!files.length) {
  console.error('no test files matched');
  process.exit(1);
}
// The end-to-end files need the code-server host: install it once, before they
// run in parallel. Elsewhere they skip without it; under CI a missing host is a
// failure, since a green run must mean the extension was tested.
if (files.some((f) => f.startsWith(join('test', 'e2e')))) {
  const host = spawnSync('bash', ['scripts/setup-vscode-host.sh'], { stdio: ['ignore', 2, 2] });
  if (host.status !== 0 && process.env.CI) {
    console.error(`scripts/setup-vscode-host.sh failed (exit ${host.status}): the end-to-end suite cannot run`);
    process.exit(1);
  }
}
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(res.status ?? 1);
