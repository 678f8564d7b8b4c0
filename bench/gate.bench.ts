// Gate and shim speed. Runs the gate in a child process (this file with
// --serve) so the clients measured here do not share its event loop.
//   shim_overhead_ms / shim_ratio: `rampart-shell -c true` (monitor mode)
//     against `bash -c true`, alternated in one bash driver that times each run
//     with $EPOCHREALTIME; medians of the same run.
//   gate_decisions_per_s: 8 concurrent keep-alive clients posting real agent
//     commands (../shared/data/agent-sessions) to /v1/shell.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readAuditEvents } from '../src/core/audit';
import { startGate } from '../src/core/gate';
import { shippedPolicyPath } from '../src/core/policy';
import { SHARED_DATA } from '../test/shared-data';

const SHIM = join(__dirname, '../shim/rampart-shell');
const SESSIONS = join(SHARED_DATA, 'agent-sessions');
const PAIRS = Number(process.env.GATE_BENCH_PAIRS ?? 300);
const CLIENTS = 8;
const REQUESTS = Number(process.env.GATE_BENCH_REQUESTS ?? 4000);

const log = (s: string) => process.stderr.write(`${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function serve(auditDir: string): Promise<void> {
  const gate = await startGate({ policy: shippedPolicyPath('standard'), mode: 'monitor', auditDir, agent: 'bench', watchPolicy: false });
  process.stdout.write(`${JSON.stringify(gate.sessionEnv())}\n`);
  process.on('SIGTERM', () => void gate.close().then(() => process.exit(0)));
}

function realCommands(n: number): string[] {
  const out: string[] = [];
  for (const f of readdirSync(SESSIONS).filter((x) => x.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(SESSIONS, f), 'utf8').split('\n')) {
      if (!line) continue;
      const call = JSON.parse(line) as { tool: string; command?: string };
      if (call.tool === 'exec' && call.command) out.push(call.command);
    }
  }
  return Array.from({ length: n }, (_, i) => out[i % out.length]);
}

function runDriver(env: NodeJS.ProcessEnv): Promise<{ bare: number[]; shim: number[] }> {
  // Alternating runs cancel out drifts in machine load; each pair prints "bare_us shim_us".
  const script = `
    for ((i = 0; i < ${PAIRS}; i++)); do
      a=$(( \${EPOCHREALTIME//[!0-9]/} )); /bin/bash -c true
      b=$(( \${EPOCHREALTIME//[!0-9]/} )); "$RAMPART_BENCH_SHIM" -c true
      c=$(( \${EPOCHREALTIME//[!0-9]/} ))
      echo "$((b - a)) $((c - b))"
    done`;
  return new Promise((resolve, reject) => {
    const p = spawn('/bin/bash', ['-c', script], { env: { ...env, RAMPART_BENCH_SHIM: SHIM }, stdio: ['ignore', 'pipe', 'inherit'] });
    const bare: number[] = [];
    const shim: number[] = [];
    createInterface({ input: p.stdout }).on('line', (l) => {
      const [a, b] = l.split(' ').map(Number);
      bare.push(a / 1000);
      shim.push(b / 1000);
    });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve({ bare, shim }) : reject(new Error(`driver exit ${code}`))));
  });
}

async function loadGate(env: Record<string, string>, commands: string[]): Promise<{ perSec: number; latencies: number[] }> {
  const [host, port] = env.RAMPART_GATE.split(':');
  const token = readFileSync(env.RAMPART_TOKEN_FILE, 'utf8').trim();
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies: number[] = [];
  let next = 0;
  const post = (body: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        { host, port: Number(port), method: 'POST', path: '/v1/shell', agent, headers: { Authorization: `Bearer ${token}`, 'Content-Length': body.length } },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const client = async () => {
    while (next < commands.length) {
      const body = Buffer.from(`/work\0${commands[next++]}`);
      const t = performance.now();
      await post(body);
      latencies.push(performance.now() - t);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return { perSec: commands.length / seconds, latencies };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rl-gate-bench-'));
  const auditDir = join(dir, 'audit');
  const server = spawn(process.execPath, ['--import', 'tsx', __filename, '--serve', auditDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const env = await new Promise<Record<string, string>>((resolve, reject) => {
    createInterface({ input: server.stdout! }).once('line', (l) => resolve(JSON.parse(l) as Record<string, string>));
    server.once('exit', (code) => reject(new Error(`gate exited ${code}`)));
  });
  try {
    log(`shim: ${PAIRS} alternating runs of bash -c true / rampart-shell -c true (monitor mode)…`);
    const { bare, shim } = await runDriver({ ...process.env, ...env });
    const bareMs = median(bare);
    const shimMs = median(shim);
    log(`  bare ${bareMs.toFixed(2)} ms, shim ${shimMs.toFixed(2)} ms (medians)`);
    log(`gate: ${REQUESTS} real agent commands, ${CLIENTS} concurrent clients…`);
    const load = await loadGate(env, realCommands(REQUESTS));
    log(`  ${load.perSec.toFixed(0)} decisions/s, p50 ${median(load.latencies).toFixed(2)} ms, p99 ${pct(load.latencies, 0.99).toFixed(2)} ms`);
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    // How much of a decision is the policy evaluation itself (recorded per event).
    const evalUs: number[] = [];
    for await (const e of readAuditEvents(auditDir)) evalUs.push(e.decision.eval_us);
    process.stdout.write(
      `${JSON.stringify({
        shim_overhead_ms: +(shimMs - bareMs).toFixed(3),
        shim_ratio: +(shimMs / bareMs).toFixed(3),
        shim_bare_bash_ms: +bareMs.toFixed(3),
        shim_ms: +shimMs.toFixed(3),
        gate_decisions_per_s: Math.round(load.perSec),
        gate_latency_p50_ms: +median(load.latencies).toFixed(3),
        gate_latency_p99_ms: +pct(load.latencies, 0.99).toFixed(3),
        gate_policy_eval_us_p50: +median(evalUs).toFixed(1),
        gate_events_recorded: evalUs.length,
      })}\n`,
    );
  } finally {
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') void serve(process.argv[3]);
else
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
