import type { CliCommand } from '../command';
import { UserError } from '../errors';

// Placeholder until its issue lands; replaced by the real command.
export const command: CliCommand = {
  name: 'wrap',
  summary: '(not implemented yet)',
  help: 'rampart-learn wrap: not implemented yet',
  async run() {
    throw new UserError('wrap: not implemented yet');
  },
};
