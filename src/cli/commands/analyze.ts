import type { CliCommand } from '../command';
import { UserError } from '../errors';

// Placeholder until its issue lands; replaced by the real command.
export const command: CliCommand = {
  name: 'analyze',
  summary: '(not implemented yet)',
  help: 'rampart-learn analyze: not implemented yet',
  async run() {
    throw new UserError('analyze: not implemented yet');
  },
};
