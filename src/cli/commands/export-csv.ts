import { parseArgs } from 'node:util';
import { plural } from '../../core/plural';
import type { CliCommand } from '../command';
import { UserError } from '../errors';
import { asUserError, openCliStore } from './telemetry';

const HELP = `Usage: rampart-learn export-csv --out <file> [--db <file>] [--with-label-events]

Writes every telemetry event as CSV for training (\`rampart-learn train --csv\`)
or a spreadsheet. The file is replaced atomically.

Format: RFC 4180 (CRLF line ends; cells with commas, quotes or line breaks
quoted, quotes doubled), a header row, then the columns
  id,ts,event_type,tab_id,batch_id,tool,command,exit_code,stdout,stderr,
  safety_score,safety_label,metadata
safety_label is the label that applies after reviews (0 safe, 1 unsafe,
2 unknown, empty when unlabelled). Label events are folded into it; with
--with-label-events they are also written as rows of their own.

Formula injection: a text cell starting with = + - @ tab or carriage return
(after any apostrophes) is written with one more leading apostrophe, so a
spreadsheet shows it as text. Readers strip that one apostrophe.

Options:
  --out <file>           the CSV file to write (required)
  --db <file>            the store (default: ~/.rampart-learn/telemetry.sqlite)
  --with-label-events    also write each review as a row (event_type "label")
`;

export const command: CliCommand = {
  name: 'export-csv',
  summary: 'Export telemetry (with reviewed labels) as CSV for training',
  help: HELP,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { db: { type: 'string' }, out: { type: 'string' }, 'with-label-events': { type: 'boolean' } },
    });
    if (!values.out) throw new UserError('export-csv: --out <file> is required');
    const store = await openCliStore(values.db, 'read');
    try {
      const n = await store.exportCsv(values.out, { includeLabelEvents: values['with-label-events'] });
      process.stdout.write(`wrote ${plural(n, 'event')} to ${values.out}\n`);
    } catch (err) {
      throw asUserError(err);
    } finally {
      await store.close();
    }
    return 0;
  },
};
