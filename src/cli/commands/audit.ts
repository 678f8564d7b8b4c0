import type { CliCommand } from '../command';
import { UserError } from '../errors';

// Placeholder until its issue lands; replaced by the real command.
export const command: CliCommand = {
  name: 'audit',
  summary: '(not implemented yet)',
  help: 'rampart-learn audit: not implemented yet',
  async run() {
    throw new UserError('audit: not implemented yet');
  },
};
