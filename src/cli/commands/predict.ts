import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ModelFileError, readModelFile } from '../../core/model/model-file';
import { createPredictor, type Prediction, type Predictor } from '../../core/model/predictor';
import { printable } from '../../core/printable';
import type { CliCommand } from '../command';
import { UserError } from '../errors';

const HELP = `Usage: rampart-learn predict [--model <file>] [--json] ["<command>"]

Predicts whether a shell command is safe or unsafe with a trained model
(see \`rampart-learn train\`). Predictions assist reviewers; they never change
a policy decision.

The model comes from \`rampart-learn train\`; with no labelled data yet,
\`rampart-learn generate-sample\` writes some to try the flow.

With a command argument, prints:
  Command: rm -rf /
  Prediction: unsafe
  Confidence: 98.50%
  Probabilities: safe=1.50%, unsafe=98.50%

Without one, reads JSON lines {"command": "..."} from stdin and writes one JSON
line per input line, in order, in the same shape as --json:
  {"command":"rm -rf /","prediction":"unsafe","confidence":0.985,"p_unsafe":0.985}
A malformed line (or an empty command) gets {"error":"line N: ..."} and
processing continues.

Options:
  --model <file>   model file (default: policy_model/policy_model.json)
  --json           print the single prediction as JSON

Exit status: 0 on success; 2 on bad arguments, a missing or unreadable model,
or (stdin mode) a malformed input line.
`;

const DEFAULT_MODEL = 'policy_model/policy_model.json';

const percent = (x: number) => `${(x * 100).toFixed(2)}%`;

function loadPredictor(path: string): Predictor {
  if (!existsSync(path)) {
    // What every first run meets: say how to get a model.
    throw new UserError(
      `${path}: no model here; train one with \`rampart-learn train --csv <file> --out ${path}\` (no labelled data yet? try \`rampart-learn generate-sample --out sample.csv\`), or pass --model`,
    );
  }
  try {
    return createPredictor(readModelFile(path));
  } catch (err) {
    if (err instanceof ModelFileError) throw new UserError(err.message);
    throw err;
  }
}

/** The JSON both modes print, probabilities rounded to 6 places. */
function predictionJson(command: string, p: Prediction): string {
  return JSON.stringify({ command, prediction: p.prediction, confidence: Number(p.confidence.toFixed(6)), p_unsafe: Number(p.p_unsafe.toFixed(6)) });
}

async function predictStream(predictor: Predictor): Promise<number> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  let malformed = false;
  let batch: string[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const chunk = batch.join('');
    batch = [];
    if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
  };
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let out: string;
    try {
      const input = JSON.parse(line) as { command?: unknown };
      if (typeof input?.command !== 'string') throw new Error('expected {"command": "<string>"}');
      if (!input.command.trim()) throw new Error('the command is empty');
      out = predictionJson(input.command, predictor.predict(input.command));
    } catch (err) {
      malformed = true;
      out = JSON.stringify({ error: `line ${n}: ${(err as Error).message}` });
    }
    batch.push(`${out}\n`);
    if (batch.length >= 256) await flush();
  }
  await flush();
  // As `check` does: the stream goes on, but the run fails.
  return malformed ? 2 : 0;
}

export const command: CliCommand = {
  name: 'predict',
  summary: 'Predict safe/unsafe for commands with a trained model',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { model: { type: 'string', default: DEFAULT_MODEL }, json: { type: 'boolean', default: false } },
    });
    const cmd = positionals.join(' ');
    if (positionals.length && !cmd.trim()) throw new UserError('predict: the command is empty');
    const predictor = loadPredictor(values.model!);
    if (!positionals.length) return predictStream(predictor);
    const p = predictor.predict(cmd);
    if (values.json) {
      process.stdout.write(`${predictionJson(cmd, p)}\n`);
    } else {
      process.stdout.write(
        `Command: ${printable(cmd)}\nPrediction: ${p.prediction}\nConfidence: ${percent(p.confidence)}\nProbabilities: safe=${percent(1 - p.p_unsafe)}, unsafe=${percent(p.p_unsafe)}\n`,
      );
    }
    return 0;
  },
};
