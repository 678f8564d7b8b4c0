import type { CliCommand } from '../command';
import { UserError } from '../errors';

// Placeholder until its issue lands; replaced by the real command.
export const command: CliCommand = {
  name: 'generate-sample',
  summary: '(not implemented yet)',
  help: 'rampart-learn generate-sample: not implemented yet',
  async run() {
    throw new UserError('generate-sample: not implemented yet');
  },
};
