import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSampleRows, writeTelemetryCsv } from '../../core/telemetry/index';
import { COLUMNS } from '../../core/telemetry/schema';
import { plural } from '../../core/plural';
import type { CliCommand } from '../command';
import { UserError } from '../errors';
import { checkOutputFile } from '../output-guard';

const HELP = `Usage: rampart-learn generate-sample --out <file> [--count N] [--seed N] [--unsafe-ratio R]

Writes sample telemetry as CSV (the export-csv format), for trying the
review → train → predict flow before real data exists. Commands are composed
from templates: everyday development commands labelled safe (0), and
destructive, exfiltrating, download-and-run and reverse-shell shapes labelled
unsafe (1). Both labels are always present (for N ≥ 2). The same seed gives
the same file.

Options:
  --out <file>        the CSV file to write (required); never a telemetry store
                      or another SQLite file
  --force             replace an --out file that is not an earlier CSV export
  --count <N>         rows (default 200, at most 1,000,000)
  --seed <N>          generator seed (default 1)
  --unsafe-ratio <R>  share of unsafe rows, 0 to 1 (default 0.3)

Example:
  rampart-learn generate-sample --out sample.csv --count 500
  rampart-learn train --csv sample.csv --out policy_model/policy_model.json
`;

/** An earlier export or sample: the header row of the export-csv format. */
const CSV_OUTPUT = { what: 'CSV', isOurs: (head: string) => head.replace(/^\xEF\xBB\xBF/, '').startsWith(`${COLUMNS.join(',')}\r\n`) };

export const command: CliCommand = {
  name: 'generate-sample',
  summary: 'Write sample labelled telemetry CSV for trying the training flow',
  help: HELP,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, count: { type: 'string' }, seed: { type: 'string' }, 'unsafe-ratio': { type: 'string' }, force: { type: 'boolean', default: false } },
    });
    if (!values.out) throw new UserError('generate-sample: --out <file> is required');
    checkOutputFile(values.out, CSV_OUTPUT, { force: values.force });
    const count = Number(values.count ?? 200);
    if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new UserError(`--count: expected an integer from 1 to 1000000, got "${values.count}"`);
    const seed = Number(values.seed ?? 1);
    if (!Number.isInteger(seed)) throw new UserError(`--seed: expected an integer, got "${values.seed}"`);
    const ratio = Number(values['unsafe-ratio'] ?? 0.3);
    if (!(ratio >= 0 && ratio <= 1)) throw new UserError(`--unsafe-ratio: expected a number from 0 to 1, got "${values['unsafe-ratio']}"`);
    try {
      const n = await writeTelemetryCsv(resolve(values.out), generateSampleRows(count, { seed, unsafeRatio: ratio }));
      process.stdout.write(`wrote ${plural(n, 'sample event')} to ${values.out}\n`);
    } catch (err) {
      throw new UserError(`${values.out}: ${(err as Error).message}`);
    }
    return 0;
  },
};
