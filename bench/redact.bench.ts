// Audit redaction on hostile text. The gate redacts every call before it is
// logged, so a rule that backtracks lets one crafted command stall the gate
// (the name rules once took 92 s on 256 KB of `a-`). Each input is 1 MB of one
// unit repeated (rule prefixes and near misses); the baseline is 1 MB of the
// real agent commands in ../shared/data/agent-sessions, timed in the same run.
//   redact_ordinary_ms_per_mb     the baseline
//   redact_hostile_worst_ratio    slowest hostile input / baseline (a rule that backtracks shows
//                                 as a ratio in the hundreds; the old name rules' was over 1,000)
import { redactText } from '../src/core/audit/redact';
import { loadSessionCalls } from '../test/policies/corpus';

const MB = 1 << 20;
const UNITS = [
  'a-', 'a.', 'a=', 'TOKEN', '-TOKEN', 'TOKEN=', '--password ', 'eyJ', 'eyJa.eyJa.', '-----BEGIN ', '-----BEGIN RSA PRIVATE KEY-----\n',
  '-----BEGIN PRIVATE KEY-----\\n', 'ghp_', 'sk-', 'AIza', 'a://a:', 'a://:a', 'curl -u a:', 'mysql -p', 'docker login ', 'Cookie: a',
  'Authorization: Bearer ', 'machine a ', 'configure set TOKEN ', '"token": "', '?sig=', 'AccountKey=', 'Private-Lines: 1\nA', '\\n', ' ',
];

const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

/** Best of three, in ms. */
function time(text: string): number {
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    redactText(text);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

let ordinary = '';
const commands = loadSessionCalls().filter((c) => c.call.tool === 'exec').map((c) => c.call.params.command as string);
for (let i = 0; ordinary.length < MB; i++) ordinary += `${commands[i % commands.length]}\n`;
const base = time(ordinary.slice(0, MB));

let worst = { unit: '', ms: 0 };
for (const unit of UNITS) {
  const ms = time(fill(unit, MB));
  if (ms > worst.ms) worst = { unit, ms };
}
console.log(`ordinary 1 MB: ${base.toFixed(1)} ms; slowest hostile unit ${JSON.stringify(worst.unit)}: ${worst.ms.toFixed(1)} ms`);
console.log(
  JSON.stringify({
    redact_ordinary_ms_per_mb: Number(base.toFixed(1)),
    redact_hostile_worst_ratio: Number((worst.ms / base).toFixed(2)),
  }),
);
