import type { CliCommand } from '../command';
import { UserError } from '../errors';

// Placeholder until its issue lands; replaced by the real command.
export const command: CliCommand = {
  name: 'lint',
  summary: '(not implemented yet)',
  help: 'rampart-learn lint: not implemented yet',
  async run() {
    throw new UserError('lint: not implemented yet');
  },
};
