import type { CliCommand } from '../command';
import { UserError } from '../errors';

// Placeholder until its issue lands; replaced by the real command.
export const command: CliCommand = {
  name: 'hook',
  summary: '(not implemented yet)',
  help: 'rampart-learn hook: not implemented yet',
  async run() {
    throw new UserError('hook: not implemented yet');
  },
};
