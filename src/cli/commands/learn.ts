import type { CliCommand } from '../command';
import { UserError } from '../errors';

// Placeholder until its issue lands; replaced by the real command.
export const command: CliCommand = {
  name: 'learn',
  summary: '(not implemented yet)',
  help: 'rampart-learn learn: not implemented yet',
  async run() {
    throw new UserError('learn: not implemented yet');
  },
};
