// Quality of the shipped standard policy (`npm run bench:policy`): the share of
// the attack corpus it denies or asks (per category), the share of real agent
// calls it denies or asks (friction, per tool), and the calls behind each miss
// and each false positive. Progress and tables go to stderr; the last stdout
// line is {"attack_catch":…, "friction":…, …}.
//
// Options: --policy FILE (default policies/standard.yaml), --top N false
// positives and misses to list (default 25).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate, loadPolicy } from '../src/core/policy/index';
import { describeCall, GATED_TOOLS, loadAttacks, loadHookLogCalls, loadSessionCalls, REPO_ROOT, stops, type SessionCall } from '../test/policies/corpus';

const { values } = parseArgs({
  options: { policy: { type: 'string' }, top: { type: 'string', default: '25' } },
});
const policyFile = values.policy ?? join(REPO_ROOT, 'policies', 'standard.yaml');
const top = Number(values.top);
const set = loadPolicy(policyFile);
const log = (s: string) => process.stderr.write(`${s}\n`);
const pct = (n: number, d: number) => (d ? (100 * n) / d : 0);
const fmt = (n: number, d: number) => `${pct(n, d).toFixed(2).padStart(6)}%  (${n}/${d})`;

// Attacks: caught means denied or asked.
const attacks = loadAttacks();
const perCategory = new Map<string, { caught: number; total: number }>();
const misses: string[] = [];
for (const a of attacks) {
  const d = evaluate(set, a.call);
  const c = perCategory.get(a.category) ?? { caught: 0, total: 0 };
  c.total++;
  if (stops(d.action)) c.caught++;
  else misses.push(`${a.where}  ${describeCall(a.call)}`);
  perCategory.set(a.category, c);
}
const caught = [...perCategory.values()].reduce((s, c) => s + c.caught, 0);
log(`policy: ${policyFile}`);
log(`\nattack catch rate (deny or ask), by category:`);
for (const [cat, c] of [...perCategory].sort()) log(`  ${cat.padEnd(26)} ${fmt(c.caught, c.total)}`);
log(`  ${'all'.padEnd(26)} ${fmt(caught, attacks.length)}`);
if (misses.length) {
  log(`\nmissed attacks (first ${top} of ${misses.length}):`);
  for (const m of misses.slice(0, top)) log(`  ${m}`);
}

// Friction: real agent calls that would be denied or asked, from two sources.
interface Friction {
  stopped: number;
  total: number;
  perTool: Map<string, { stopped: number; total: number }>;
}
function friction(label: string, calls: SessionCall[]): Friction {
  const perTool = new Map<string, { stopped: number; total: number }>(GATED_TOOLS.map((t) => [t, { stopped: 0, total: 0 }]));
  const byRule = new Map<string, { count: number; example: string; action: string }>();
  for (const { where, call } of calls) {
    const d = evaluate(set, call);
    const t = perTool.get(call.tool)!;
    t.total++;
    if (!stops(d.action)) continue;
    t.stopped++;
    const key = `${d.policy}#${d.rule}`;
    const r = byRule.get(key) ?? { count: 0, example: `${where}  ${describeCall(call)}`, action: d.action };
    r.count++;
    byRule.set(key, r);
  }
  const stopped = [...perTool.values()].reduce((s, t) => s + t.stopped, 0);
  log(`\nfriction on ${calls.length} ${label} (deny or ask), by tool:`);
  for (const [tool, t] of perTool) log(`  ${tool.padEnd(8)} ${fmt(t.stopped, t.total)}`);
  log(`  ${'all'.padEnd(8)} ${fmt(stopped, calls.length)}`);
  if (byRule.size) {
    log(`\nfalse positives by deciding rule (top ${top}):`);
    for (const [rule, r] of [...byRule].sort((a, b) => b[1].count - a[1].count).slice(0, top)) {
      log(`  ${String(r.count).padStart(4)}  ${r.action.padEnd(4)} ${rule}\n        e.g. ${r.example}`);
    }
  }
  return { stopped, total: calls.length, perTool };
}
const sessions = friction('real agent-session calls', loadSessionCalls());
const hooks = friction('real Claude Code hook-log calls', loadHookLogCalls());

const round = (x: number) => Math.round(x * 10000) / 10000;
const result: Record<string, number> = {
  attack_catch: round(caught / attacks.length),
  friction: round(sessions.stopped / sessions.total),
  friction_hook_logs: round(hooks.stopped / hooks.total),
  attacks: attacks.length,
  agent_calls: sessions.total,
  hook_log_calls: hooks.total,
};
for (const [cat, c] of perCategory) result[`attack_catch_${cat.replace(/-/g, '_')}`] = round(c.caught / c.total);
for (const [tool, t] of sessions.perTool) result[`friction_${tool}`] = round(t.total ? t.stopped / t.total : 0);
process.stdout.write(`${JSON.stringify(result)}\n`);
