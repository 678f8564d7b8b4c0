import type { CliCommand } from '../command';
import { UserError } from '../errors';

// Placeholder until its issue lands; replaced by the real command.
export const command: CliCommand = {
  name: 'export-csv',
  summary: '(not implemented yet)',
  help: 'rampart-learn export-csv: not implemented yet',
  async run() {
    throw new UserError('export-csv: not implemented yet');
  },
};
