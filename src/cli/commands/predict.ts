import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ModelFileError, readModelFile } from '../../core/model/model-file';
import { createPredictor, type Predictor } from '../../core/model/predictor';
import type { CliCommand } from '../command';
import { UserError } from '../errors';

const HELP = `Usage: rampart-learn predict [--model <file>] [--json] ["<command>"]

Predicts whether a shell command is safe or unsafe with a trained model
(see \`rampart-learn train\`). Predictions assist reviewers; they never change
a policy decision.

With a command argument, prints:
  Command: rm -rf /
  Prediction: unsafe
  Confidence: 98.50%
  Probabilities: safe=1.50%, unsafe=98.50%

Without one, reads JSON lines {"command": "..."} from stdin and writes one JSON
line per input line, in order:
  {"prediction":"unsafe","confidence":0.98,"p_unsafe":0.98}
A malformed line gets {"error":"line N: ..."} and processing continues.

Options:
  --model <file>   model file (default: policy_model/policy_model.json)
  --json           print the single prediction as JSON
`;

const percent = (x: number) => `${(x * 100).toFixed(2)}%`;

function loadPredictor(path: string): Predictor {
  try {
    return createPredictor(readModelFile(path));
  } catch (err) {
    if (err instanceof ModelFileError) throw new UserError(err.message);
    throw err;
  }
}

async function predictStream(predictor: Predictor): Promise<number> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
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
    let out: object;
    try {
      const input = JSON.parse(line) as { command?: unknown };
      if (typeof input?.command !== 'string') throw new Error('expected {"command": "<string>"}');
      const p = predictor.predict(input.command);
      out = { prediction: p.prediction, confidence: Number(p.confidence.toFixed(6)), p_unsafe: Number(p.p_unsafe.toFixed(6)) };
    } catch (err) {
      out = { error: `line ${n}: ${(err as Error).message}` };
    }
    batch.push(`${JSON.stringify(out)}\n`);
    if (batch.length >= 256) await flush();
  }
  await flush();
  return 0;
}

export const command: CliCommand = {
  name: 'predict',
  summary: 'Predict safe/unsafe for commands with a trained model',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { model: { type: 'string', default: 'policy_model/policy_model.json' }, json: { type: 'boolean', default: false } },
    });
    const predictor = loadPredictor(values.model!);
    if (!positionals.length) return predictStream(predictor);
    const cmd = positionals.join(' ');
    const p = predictor.predict(cmd);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ command: cmd, ...p })}\n`);
    } else {
      process.stdout.write(
        `Command: ${cmd}\nPrediction: ${p.prediction}\nConfidence: ${percent(p.confidence)}\nProbabilities: safe=${percent(1 - p.p_unsafe)}, unsafe=${percent(p.p_unsafe)}\n`,
      );
    }
    return 0;
  },
};
