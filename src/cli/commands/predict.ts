import type { CliCommand } from '../command';
import { UserError } from '../errors';

// Placeholder until its issue lands; replaced by the real command.
export const command: CliCommand = {
  name: 'predict',
  summary: '(not implemented yet)',
  help: 'rampart-learn predict: not implemented yet',
  async run() {
    throw new UserError('predict: not implemented yet');
  },
};
