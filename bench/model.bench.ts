// Classifier speed and memory: training on 10,000 labelled rows with the
// default options, and prediction latency per command. The baseline is parsing
// the same commands with the shell parser alone, timed in the same run.
// Memory: the heap a training run holds while it grows its trees (the feature
// rows), per training row, and what each never-seen binary adds to a
// long-running predictor (binary names come from untrusted command text).
import { join } from 'node:path';
import { createPredictor } from '../src/core/model/predictor';
import { seededRandom, shuffleInPlace } from '../src/core/random';
import { trainModel } from '../src/core/model/trainer';
import { readTrainingCsv } from '../src/core/model/training-data';
import { parseCommand } from '../src/core/shell/index';
import { SHARED_DATA } from '../test/shared-data';

const rows = shuffleInPlace(readTrainingCsv(join(SHARED_DATA, 'commands', 'dev.csv')), seededRandom(11)).slice(0, 10_000);
process.stderr.write(`training on ${rows.length} rows (${rows.filter((r) => r.label === 1).length} unsafe)\n`);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const heapMb = () => (gc(), process.memoryUsage().heapUsed / 2 ** 20);
const heapBefore = heapMb();
let trainHeapMb = 0;
const model = trainModel(rows, {}, (p) => {
  if (p.phase === 'trees' && p.done === 1) trainHeapMb = heapMb() - heapBefore;
});
const trainSeconds = (performance.now() - t0) / 1000;
// CPU time is reported beside wall time: on a shared machine it is the steadier figure.
const cpu = process.cpuUsage(cpu0);
const trainCpuSeconds = (cpu.user + cpu.system) / 1e6;

const predictor = createPredictor(model);
const commands = rows.slice(0, 2000).map((r) => r.command);
for (const c of commands.slice(0, 200)) predictor.predict(c);
const t1 = performance.now();
for (const c of commands) predictor.predict(c);
const predictMs = (performance.now() - t1) / commands.length;
const t2 = performance.now();
for (const c of commands) parseCommand(c);
const parseMs = (performance.now() - t2) / commands.length;
const heapStart = heapMb();
const NEW_BINARIES = 5000;
for (let i = 0; i < NEW_BINARIES; i++) predictor.predict(`tool${i} --flag ./x${i}.txt | grep y`);
const perNewBinaryKb = ((heapMb() - heapStart) * 1024) / NEW_BINARIES;
process.stderr.write(`train ${trainSeconds.toFixed(1)} s; predict ${predictMs.toFixed(3)} ms/command (${(predictMs / parseMs).toFixed(1)}× parsing alone)\n`);
process.stdout.write(`${JSON.stringify({ train_10k_s: +trainSeconds.toFixed(2), train_10k_cpu_s: +trainCpuSeconds.toFixed(2), predict_ms: +predictMs.toFixed(4), predict_vs_parse_ratio: +(predictMs / parseMs).toFixed(2), train_heap_kb_per_row: +((trainHeapMb * 1024) / rows.length).toFixed(2), predict_heap_kb_per_new_binary: +perNewBinaryKb.toFixed(2) })}\n`);
