import { constants, copyFileSync, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { shippedPolicyPath, type ShippedPolicyName } from '../../core/policy/index';
import { shellWord } from '../../core/shell/quote';
import type { CliCommand } from '../command';
import { fsReason, UserError } from '../errors';
import { DEFAULT_POLICY } from '../policy-files';

const SHIPPED: readonly ShippedPolicyName[] = ['standard', 'paranoid', 'yolo'];

const HELP = `Usage: rampart-learn init [--from standard|paranoid|yolo] [--policy FILE]

Creates ./${DEFAULT_POLICY} (or --policy FILE) from one of the shipped
policies, so there is a policy file to lint, test and apply learned rules to.
An existing file is never replaced.

  standard   the default: denies destructive and credential-reading forms,
             asks before publishing and force-pushing, allows the rest
  paranoid   denies all but routine read-only work; grow it with learn/apply
  yolo       blocks nothing and records every call as watch (learn mode only)

Next: rampart-learn learn -- <agent>, then rampart-learn apply rampart-learn.yaml.

Exit status: 0 when created, 2 when the file exists or cannot be written.
`;

export const command: CliCommand = {
  name: 'init',
  summary: `Create ./${DEFAULT_POLICY} from a shipped policy`,
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { from: { type: 'string', default: 'standard' }, policy: { type: 'string' } } });
    if (positionals.length) throw new UserError(`init: unexpected argument "${positionals[0]}" (see --help)`);
    const from = values.from as ShippedPolicyName;
    if (!SHIPPED.includes(from)) throw new UserError(`init: --from expects one of ${SHIPPED.join(', ')}, got "${values.from}"`);
    const file = values.policy ?? DEFAULT_POLICY;
    const exists = (): UserError => new UserError(`init: ${file} already exists; it is left as it is`);
    if (existsSync(file)) throw exists();
    try {
      // EXCL: no race with a file created meanwhile, and a dangling link is not followed to create its target.
      copyFileSync(shippedPolicyPath(from), file, constants.COPYFILE_EXCL);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw exists();
      throw new UserError(`init: cannot write ${file}: ${fsReason(err)}`);
    }
    process.stdout.write(`Created ${file} from the ${from} policy. Check it with: rampart-learn lint ${shellWord(file)} && rampart-learn test ${shellWord(file)}\n`);
    return 0;
  },
};
