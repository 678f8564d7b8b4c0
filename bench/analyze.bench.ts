// Streams 1,000,000 generated events (check-format JSONL with session and
// timestamp; commands and paths drawn from the real agent sessions in shared data) through the
// importer and the Analyzer. Baseline, measured in the same run over the same
// file: reading it line by line and JSON.parse-ing each line, nothing else.
// Then an import of many projects' transcripts: 200,000 reads and edits over
// 5,000 sessions, each in its own project folder (a workspace each), against the
// same distinct paths in one session and one workspace.
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Analyzer } from '../src/core/learn/analyzer';
import { emptyImportStats, importCallBatches } from '../src/core/learn/importers';
import { loadPolicy, shippedPolicyPath } from '../src/core/policy';
import { SHARED_DATA } from '../test/shared-data';

const EVENTS = Number(process.env.ANALYZE_BENCH_EVENTS ?? 1_000_000);
const SESSIONS = join(SHARED_DATA, 'agent-sessions');
const log = (msg: string) => process.stderr.write(`${msg}\n`);

/** Real calls from the agent sessions, pre-serialised up to their closing brace: the pool the events cycle through. */
function realPool(): string[] {
  const pool: string[] = [];
  for (const f of readdirSync(SESSIONS).filter((n) => n.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(SESSIONS, f), 'utf8').split('\n')) {
      if (!line) continue;
      const o = JSON.parse(line);
      for (const key of ['command', 'path', 'url'] as const) {
        if (typeof o[key] !== 'string') continue;
        pool.push(JSON.stringify({ tool: o.tool, params: { [key]: o[key] }, agent: 'claude-code', cwd: '/work/project' }).slice(0, -1));
        // A variant of each path, so distinct values grow like a long-lived project's.
        if (key === 'path') {
          const variant = o.path.replace(/(\.\w+)?$/, `-${pool.length % 97}$1`);
          pool.push(JSON.stringify({ tool: o.tool, params: { path: variant }, agent: 'claude-code', cwd: '/work/project' }).slice(0, -1));
        }
      }
    }
  }
  return pool;
}

/** Writes EVENTS lines of check-format JSONL (with session and timestamp), in large chunks. */
async function generate(file: string): Promise<void> {
  const pool = realPool();
  const out = createWriteStream(file);
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const CHUNK = 20_000;
  for (let i = 0; i < EVENTS; i += CHUNK) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(EVENTS, i + CHUNK); j++) {
      lines.push(`${pool[j % pool.length]},"session":"s${Math.floor(j / 5000)}","timestamp":"${new Date(t0 + j * 100).toISOString()}"}\n`);
    }
    if (!out.write(lines.join(''))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

const PROJECTS = 5_000;
const FILES_PER_PROJECT = 40;

/** Seconds to analyze PROJECTS × FILES_PER_PROJECT path calls, each project in its own folder and session, or all in one. */
function timePathImport(oneWorkspace: boolean): number {
  const analyzer = new Analyzer({ generalize: true });
  const t = performance.now();
  for (let p = 0; p < PROJECTS; p++) {
    for (let f = 0; f < FILES_PER_PROJECT; f++) {
      const file = `src/m${f % 7}/file${f}.ts`;
      analyzer.add(oneWorkspace
        ? { tool: f % 2 ? 'read' : 'edit', params: { path: `p${p}/${file}` }, cwd: '/home/dev/code', session: 'one' }
        : { tool: f % 2 ? 'read' : 'edit', params: { path: file }, cwd: `/home/dev/code/p${p}`, session: `s${p}` });
    }
  }
  analyzer.finish();
  return (performance.now() - t) / 1000;
}

async function baseline(file: string): Promise<number> {
  let n = 0;
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) if (JSON.parse(line)) n++;
  return n;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rl-analyze-bench-'));
  const file = join(dir, 'calls.jsonl');
  try {
    let t = performance.now();
    await generate(file);
    log(`generated ${EVENTS} events (${(statSync(file).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // CPU time next to wall time: on a shared machine the wall clock mostly measures the neighbours.
    t = performance.now();
    let cpu = process.cpuUsage();
    const parsed = await baseline(file);
    const baselineS = (performance.now() - t) / 1000;
    const baselineCpuS = cpuSeconds(process.cpuUsage(cpu));
    log(`baseline read + JSON.parse: ${parsed} lines in ${baselineS.toFixed(2)} s (${baselineCpuS.toFixed(2)} s CPU)`);

    const policy = loadPolicy(shippedPolicyPath('standard'));
    t = performance.now();
    cpu = process.cpuUsage();
    const stats = emptyImportStats();
    const analyzer = new Analyzer({ policy, minFrequency: 1, generalize: true, workspaceRoot: '/work/project' });
    for await (const batch of importCallBatches([file], {}, stats)) for (const call of batch) analyzer.add(call);
    const s = analyzer.finish();
    const analyzeS = (performance.now() - t) / 1000;
    const analyzeCpuS = cpuSeconds(process.cpuUsage(cpu));
    const rssMb = process.resourceUsage().maxRSS / 1024;
    const patterns = s.exec.length + s.read.length + s.write.length + s.fetch.length;
    log(`import + analyze: ${stats.calls} calls in ${analyzeS.toFixed(2)} s (${analyzeCpuS.toFixed(2)} s CPU), ${patterns} patterns, ${s.warnings.length} warnings, peak RSS ${rssMb.toFixed(0)} MB`);
    if (stats.calls !== EVENTS) throw new Error(`imported ${stats.calls} of ${EVENTS} events`);

    const oneS = timePathImport(true);
    const manyS = timePathImport(false);
    log(`${PROJECTS * FILES_PER_PROJECT} path calls: ${oneS.toFixed(2)} s in one workspace, ${manyS.toFixed(2)} s over ${PROJECTS} session workspaces`);

    process.stdout.write(
      `${JSON.stringify({
        analyze_events: EVENTS,
        analyze_seconds: Number(analyzeS.toFixed(2)),
        analyze_events_per_s: Math.round(EVENTS / analyzeS),
        analyze_baseline_parse_events_per_s: Math.round(EVENTS / baselineS),
        analyze_vs_parse_ratio: Number((analyzeS / baselineS).toFixed(2)),
        analyze_cpu_seconds: Number(analyzeCpuS.toFixed(2)),
        analyze_events_per_cpu_s: Math.round(EVENTS / analyzeCpuS),
        analyze_vs_parse_cpu_ratio: Number((analyzeCpuS / baselineCpuS).toFixed(2)),
        analyze_rss_mb: Math.round(rssMb),
        analyze_many_workspaces_seconds: Number(manyS.toFixed(2)),
        analyze_many_workspaces_vs_one_ratio: Number((manyS / oneS).toFixed(2)),
      })}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exitCode = 1;
});
