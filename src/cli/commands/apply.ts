import type { CliCommand } from '../command';
import { UserError } from '../errors';

// Placeholder until its issue lands; replaced by the real command.
export const command: CliCommand = {
  name: 'apply',
  summary: '(not implemented yet)',
  help: 'rampart-learn apply: not implemented yet',
  async run() {
    throw new UserError('apply: not implemented yet');
  },
};
