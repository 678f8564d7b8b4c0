// Shell parser speed on the real agent commands in ../shared/data/agent-sessions
// (every exec call's `command`). Each command is parsed REPEAT times in a row
// and the mean taken as its cost; p50/p99 are over commands. The baseline is
// `String.prototype.split(' ')` on the same inputs, measured the same way in
// the same run, so `parse_vs_split_p50` is comparable across machines.
import { parseCommand } from '../src/core/shell/index';
import { compileCommandGlob } from '../src/core/glob/index';
import { loadSessionCalls } from '../test/policies/corpus';

const REPEAT = 50;
const ROUNDS = 5;

function loadCommands(): string[] {
  return loadSessionCalls()
    .filter((c) => c.call.tool === 'exec')
    .map((c) => c.call.params.command as string);
}

/** Per-command mean time in µs of `fn`, best of ROUNDS rounds (to shed GC and scheduler noise). */
function perCommandUs(cmds: string[], fn: (c: string) => unknown): number[] {
  const best = new Array<number>(cmds.length).fill(Infinity);
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < cmds.length; k++) {
      const c = cmds[k]!;
      const t0 = process.hrtime.bigint();
      for (let j = 0; j < REPEAT; j++) if (fn(c)) sink++;
      const us = Number(process.hrtime.bigint() - t0) / 1000 / REPEAT;
      if (us < best[k]!) best[k] = us;
    }
  }
  if (sink < 0) console.error(sink);
  return best;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const round = (x: number, d = 3): number => Number(x.toFixed(d));

const cmds = loadCommands();
process.stderr.write(`shell bench: ${cmds.length} exec commands, ${REPEAT}×${ROUNDS} runs each\n`);
// Warm up the JIT on both paths.
for (let j = 0; j < 20; j++) for (const c of cmds) { parseCommand(c); c.split(' '); }

const parse = perCommandUs(cmds, (c) => parseCommand(c).components.length).sort((a, b) => a - b);
const split = perCommandUs(cmds, (c) => c.split(' ').length).sort((a, b) => a - b);
const glob = compileCommandGlob('git *');
const parseAndMatch = perCommandUs(cmds, (c) => parseCommand(c).components.every((x) => glob(x.text))).sort((a, b) => a - b);

// Hostile inputs: time for one parse each (bounded, no crash).
const hostile: Record<string, string> = {
  one_mb_words: 'a '.repeat(512 * 1024),
  nested_subst_10k: '$('.repeat(10_000) + 'rm -rf /' + ')'.repeat(10_000),
  operators_100k: 'true && '.repeat(100_000) + 'rm -rf /',
  quotes_unterminated_1mb: `echo "${'x'.repeat(1 << 20)}`,
};
const hostileMs: Record<string, number> = {};
for (const [name, text] of Object.entries(hostile)) {
  const t0 = process.hrtime.bigint();
  parseCommand(text);
  hostileMs[`hostile_${name}_ms`] = round(Number(process.hrtime.bigint() - t0) / 1e6, 1);
}

const p50 = quantile(parse, 0.5);
const splitP50 = quantile(split, 0.5);
const result = {
  shell_commands: cmds.length,
  parse_p50_us: round(p50),
  parse_p99_us: round(quantile(parse, 0.99)),
  parse_max_us: round(parse[parse.length - 1]!),
  split_p50_us: round(splitP50),
  parse_vs_split_p50: round(p50 / splitP50, 1),
  parse_and_match_p50_us: round(quantile(parseAndMatch, 0.5)),
  ...hostileMs,
};
process.stderr.write(`${JSON.stringify(result, null, 1)}\n`);
console.log(JSON.stringify(result));
