import type { CliCommand } from '../command';
import { UserError } from '../errors';

// Placeholder until its issue lands; replaced by the real command.
export const command: CliCommand = {
  name: 'setup',
  summary: '(not implemented yet)',
  help: 'rampart-learn setup: not implemented yet',
  async run() {
    throw new UserError('setup: not implemented yet');
  },
};
