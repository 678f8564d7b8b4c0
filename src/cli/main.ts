import { AuditFileError } from '../core/audit/files';
import { printable } from '../core/printable';
import { forStream } from './plain-text';
import { commands } from './commands/index';
import { UserError } from './errors';
import { hint, optionError } from './option-errors';

const USAGE = `Usage: rampart-learn <command> [options]

Run AI coding agents under a local policy gate and learn a reviewed policy
from what they did. Run \`rampart-learn <command> --help\` for a command's options.

Commands:`;

async function printHelp(out: NodeJS.WriteStream): Promise<void> {
  const lines: string[] = [];
  for (const [name, load] of Object.entries(commands)) {
    const cmd = await load();
    lines.push(`  ${name.padEnd(16)} ${cmd.summary}`);
  }
  out.write(`${USAGE}\n${lines.join('\n')}\n`);
}

/** Output piped into `head` and the like: once the reader is gone, the rest is dropped, not a crash. */
function ignoreClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
}

async function main(argv: string[]): Promise<number> {
  ignoreClosedPipe(process.stdout);
  const [name, ...rest] = argv;
  if (!name) {
    await printHelp(process.stderr);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    await printHelp(process.stdout);
    return 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${process.env.RAMPART_LEARN_VERSION ?? '0.1.0'}\n`);
    return 0;
  }
  const load = commands[name];
  if (!load) throw new UserError(`unknown command "${name}"${hint(name, Object.keys(commands))}; run \`rampart-learn --help\` for the list`);
  const cmd = await load();
  // `--help` anywhere before `--`, so `audit verify --help` and `hook claude-code --help` work too.
  const end = rest.indexOf('--');
  if ((end < 0 ? rest : rest.slice(0, end)).some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(cmd.help.endsWith('\n') ? cmd.help : `${cmd.help}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    // util.parseArgs rejects unknown or malformed options: that is the user's input, not a crash.
    if (typeof (err as NodeJS.ErrnoException)?.code === 'string' && (err as NodeJS.ErrnoException).code!.startsWith('ERR_PARSE_ARGS_')) {
      throw optionError(name, cmd.help, err as NodeJS.ErrnoException, rest);
    }
    // An audit directory holding something the writer never makes (verify, import-audit, wrap).
    if (err instanceof AuditFileError) throw new UserError(err.message);
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UserError) {
      // Messages quote paths and values the user did not type (a file found in a directory): spelled out, not obeyed.
      process.stderr.write(forStream(process.stderr, `rampart-learn: ${printable(err.message)}\n`));
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`rampart-learn: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 70;
    }
  },
);
