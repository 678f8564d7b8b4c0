import type { CliCommand } from '../command';
import { UserError } from '../errors';

// Placeholder until its issue lands; replaced by the real command.
export const command: CliCommand = {
  name: 'telemetry',
  summary: '(not implemented yet)',
  help: 'rampart-learn telemetry: not implemented yet',
  async run() {
    throw new UserError('telemetry: not implemented yet');
  },
};
