import type { CliCommand } from '../command';
import { UserError } from '../errors';

// Placeholder until its issue lands; replaced by the real command.
export const command: CliCommand = {
  name: 'check',
  summary: '(not implemented yet)',
  help: 'rampart-learn check: not implemented yet',
  async run() {
    throw new UserError('check: not implemented yet');
  },
};
