// `npm run bench`: runs every bench/*.bench.ts in its own process (so memory
// figures are not polluted by the other suites), prints each suite's output,
// and ends with one JSON object merging every suite's final JSON line.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv.slice(2);
const suites = readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((o) => f.includes(o)))
  .sort();

const merged: Record<string, unknown> = {};
let failed = false;
for (const suite of suites) {
  process.stderr.write(`\n== ${suite}\n`);
  const res = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, suite)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = res.stdout.trim().split('\n');
  for (const l of lines.slice(0, -1)) process.stderr.write(`${l}\n`);
  try {
    Object.assign(merged, JSON.parse(lines[lines.length - 1] ?? ''));
  } catch {
    failed = true;
    process.stderr.write(`${suite}: no JSON result line (exit ${res.status})\n${lines.at(-1) ?? ''}\n`);
  }
  if (res.status !== 0) failed = true;
}
process.stdout.write(`${JSON.stringify(merged)}\n`);
process.exitCode = failed ? 1 : 0;
