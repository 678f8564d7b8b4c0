// Reviewer responsiveness over a large store: 100,000 real agent calls (from
// ../shared/data/agent-sessions, cycled) in a telemetry store, then the
// queries the Reviewer makes: first page, a deep page, a search, a decision
// filter, the "most uncertain first" ranking, and the label counts. Each is
// timed as the median of several runs; the last stdout line is the JSON result.
// The ranking is timed without a model (policy scores only) and with one
// (trained on the labelled dev set, as the window's memoized predictor): its
// first ranking predicts every command of the window, later ones hit the cache.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TelemetryStore } from '../src/core/telemetry';
import { createPredictor } from '../src/core/model/predictor';
import { trainModel } from '../src/core/model/trainer';
import { readTrainingCsv } from '../src/core/model/training-data';
import { memoized } from '../src/extension/modelService';
import { queryPage, UNCERTAIN_WINDOW } from '../src/extension/telemetryRows';
import { DEFAULT_QUERY, type EventQuery } from '../webview/protocol';
import { SHARED_DATA } from '../test/shared-data';

const DATA = join(SHARED_DATA, 'agent-sessions');
const EVENTS = 100_000;
const RUNS = 7;
const ACTIONS = ['allow', 'allow', 'allow', 'watch', 'ask', 'deny'] as const;

function realCommands(): string[] {
  const out: string[] = [];
  for (const f of readdirSync(DATA).filter((n) => n.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(DATA, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as { tool?: string; command?: string };
        if (r.tool === 'exec' && typeof r.command === 'string') out.push(r.command);
      } catch {
        // a torn line in the data set is skipped
      }
    }
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => unknown): number {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    runs.push(performance.now() - t0);
  }
  return Number(median(runs).toFixed(2));
}

async function main(): Promise<void> {
  const commands = realCommands();
  process.stderr.write(`reviewer: ${commands.length} real commands, filling ${EVENTS} events\n`);
  const dir = mkdtempSync(join(tmpdir(), 'rl-reviewer-bench-'));
  const store = await TelemetryStore.open(join(dir, 't.sqlite'), { sync: 'none', retention: { maxRows: 0, maxAgeDays: 0 } });
  try {
    const t0 = Date.UTC(2026, 0, 1);
    for (let base = 0; base < EVENTS; base += 5000) {
      await store.insertMany(Array.from({ length: 5000 }, (_, j) => {
        const i = base + j;
        const action = ACTIONS[i % ACTIONS.length];
        return {
          event_type: 'command', ts: new Date(t0 + i * 1000), batch_id: `S${i % 50}`, tool: 'exec',
          command: commands[i % commands.length], safety_score: action === 'deny' ? 100 : action === 'ask' ? 75 : action === 'watch' ? 50 : 0,
          metadata: { agent: 'bench', decision: { action } },
        };
      }));
      if (base % 25_000 === 0) process.stderr.write(`reviewer: ${base + 5000} events\n`);
    }
    process.stderr.write('reviewer: labelling 500 events\n');
    for (let i = 0; i < 500; i++) await store.labelEvent(store.queryRecent(1, { offset: i * 97 })[0].id, (i % 5 === 0 ? 1 : 0), { who: 'bench', why: 'bench' });
    process.stderr.write('reviewer: training a model on the dev set\n');
    const model = trainModel(readTrainingCsv(join(SHARED_DATA, 'commands', 'dev.csv')).slice(0, 4000), { trees: 50 });
    const predictor = memoized(createPredictor(model));
    const uncertain = () => queryPage(store, { ...DEFAULT_QUERY, sort: 'uncertain' }, (c) => predictor.predict(c), model.threshold);
    const t0Cold = performance.now();
    uncertain();
    const coldMs = Number((performance.now() - t0Cold).toFixed(2));
    const q = (over: Partial<EventQuery>) => () => queryPage(store, { ...DEFAULT_QUERY, ...over }, undefined, 0.5);
    const result = {
      reviewer_events: store.countEvents({}),
      reviewer_first_page_ms: time(q({})),
      reviewer_deep_page_ms: time(q({ offset: EVENTS - 200 })),
      reviewer_search_ms: time(q({ search: 'git' })),
      reviewer_decision_filter_ms: time(q({ decision: 'deny' })),
      reviewer_unlabelled_filter_ms: time(q({ label: 'unlabelled' })),
      reviewer_uncertain_window: UNCERTAIN_WINDOW,
      reviewer_uncertain_sort_ms: time(q({ sort: 'uncertain' })),
      reviewer_uncertain_model_cold_ms: coldMs,
      reviewer_uncertain_model_ms: time(uncertain),
      reviewer_label_counts_ms: time(() => store.labelCounts()),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
