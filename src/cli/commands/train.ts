import { parseArgs } from 'node:util';
import { labelledCommands } from '../../core/model/training-data';
import { saveModelFile, type ModelFile } from '../../core/model/model-file';
import { trainInWorker } from '../../core/model/train-in-worker';
import { DEFAULT_TRAIN_OPTIONS, TrainingDataError, type LabelledCommand } from '../../core/model/trainer';
import { TrainingCsvError, readTrainingCsv } from '../../core/model/training-data';
import { formatTrainingReport } from '../../core/model/report-text';
import type { CliCommand } from '../command';
import { UserError } from '../errors';
import { checkOutputFile } from '../output-guard';
import { intOption } from '../options';
import { openCliStore } from './telemetry';

const HELP = `Usage: rampart-learn train --csv <file> [--out policy_model/policy_model.json] [options]

Trains the command safety classifier (a class-balanced random forest over
shell-aware TF-IDF features) on labelled commands, prints its evaluation on a
stratified 20% test split, and writes the model file. The model only assists
reviewers: it never changes a policy decision.

Input (one of):
  --csv <file>        telemetry CSV export (command, safety_label 0/1/2) or a
                      labelled list (command, label safe/unsafe[, group])
  --db <file>         a telemetry store: its labelled commands (the latest
                      label of each event counts)

Options:
  --out <file>        model file to write (default: policy_model/policy_model.json);
                      never a telemetry store or another SQLite file
  --force             replace an --out file that is not an earlier model
  --trees <n>         number of trees (default: ${DEFAULT_TRAIN_OPTIONS.trees})
  --max-depth <n>     maximum tree depth (default: ${DEFAULT_TRAIN_OPTIONS.maxDepth})
  --features <k>      vocabulary size kept by chi² (default: ${DEFAULT_TRAIN_OPTIONS.features})
  --seed <n>          random seed for the split and the forest (default: ${DEFAULT_TRAIN_OPTIONS.seed})
  --json              print the report as JSON
`;

function loadCsvRows(csv: string): LabelledCommand[] {
  try {
    return readTrainingCsv(csv);
  } catch (err) {
    if (err instanceof TrainingCsvError) throw new UserError(err.message);
    throw err;
  }
}

/** Reads the labelled commands read-only, as the other readers do: a damaged store is reported, not repaired here. */
async function loadStoreRows(db: string): Promise<LabelledCommand[]> {
  const store = await openCliStore(db, 'read');
  try {
    return labelledCommands(store);
  } finally {
    await store.close();
  }
}

async function loadRows(csv: string | undefined, db: string | undefined): Promise<LabelledCommand[]> {
  if (csv && db) throw new UserError('train takes --csv or --db, not both');
  if (csv) return loadCsvRows(csv);
  if (db) return loadStoreRows(db);
  throw new UserError('train needs --csv <file> or --db <telemetry.sqlite> (see `rampart-learn train --help`)');
}

/** An earlier model: replaced without --force. */
const MODEL_OUTPUT = { what: 'model', isOurs: (head: string) => /"format"\s*:\s*"rampart-learn\.model"/.test(head) };

export const command: CliCommand = {
  name: 'train',
  summary: 'Train the command safety classifier on labelled telemetry',
  help: HELP,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        csv: { type: 'string' },
        db: { type: 'string' },
        out: { type: 'string', default: 'policy_model/policy_model.json' },
        trees: { type: 'string' },
        'max-depth': { type: 'string' },
        features: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
      },
    });
    checkOutputFile(values.out!, MODEL_OUTPUT, { db: values.db, force: values.force });
    const rows = await loadRows(values.csv, values.db);
    const options = {
      trees: intOption(values.trees, '--trees', DEFAULT_TRAIN_OPTIONS.trees, 1),
      maxDepth: intOption(values['max-depth'], '--max-depth', DEFAULT_TRAIN_OPTIONS.maxDepth, 1),
      features: intOption(values.features, '--features', DEFAULT_TRAIN_OPTIONS.features, 1),
      seed: intOption(values.seed, '--seed', DEFAULT_TRAIN_OPTIONS.seed, 0),
    };
    const interactive = process.stderr.isTTY;
    let model: ModelFile;
    try {
      model = await trainInWorker(rows, options, {
        onProgress: (p) => {
          if (!interactive) return;
          const text = p.phase === 'trees' ? `growing trees ${p.done}/${p.total}` : p.phase === 'features' ? 'extracting features' : 'evaluating';
          process.stderr.write(`\r\x1b[2K${text}`);
        },
      });
    } catch (err) {
      if (err instanceof TrainingDataError) throw new UserError(err.message);
      throw err;
    } finally {
      if (interactive) process.stderr.write('\r\x1b[2K');
    }
    saveModelFile(values.out!, model);
    if (values.json) process.stdout.write(`${JSON.stringify({ model: values.out, ...model.metrics })}\n`);
    else process.stdout.write(`${formatTrainingReport(model)}\nModel written to ${values.out}\n`);
    return 0;
  },
};
