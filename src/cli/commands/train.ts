import type { CliCommand } from '../command';
import { UserError } from '../errors';

// Placeholder until its issue lands; replaced by the real command.
export const command: CliCommand = {
  name: 'train',
  summary: '(not implemented yet)',
  help: 'rampart-learn train: not implemented yet',
  async run() {
    throw new UserError('train: not implemented yet');
  },
};
