import type { CliCommand } from '../command';
import { UserError } from '../errors';

// Placeholder until its issue lands; replaced by the real command.
export const command: CliCommand = {
  name: 'test',
  summary: '(not implemented yet)',
  help: 'rampart-learn test: not implemented yet',
  async run() {
    throw new UserError('test: not implemented yet');
  },
};
