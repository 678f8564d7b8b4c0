import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { makeDirs } from '../../core/make-dirs';
import type { CliCommand } from '../command';
import { UserError } from '../errors';
import { parseJsonLocated } from '../claude-hook';
import { backupFile, writeFileAtomic } from '../policy-files';
import { shellWord } from '../../core/shell/quote';

// Our hook is recognised by this suffix, whatever path the CLI had when it was installed.
const HOOK_SUFFIX = ' hook claude-code';

interface HookEntry {
  type?: string;
  command?: string;
  [k: string]: unknown;
}
interface MatcherGroup {
  matcher?: string;
  hooks?: HookEntry[];
  [k: string]: unknown;
}


/**
 * The CLI file itself, links resolved: `node_modules/.bin/rampart-learn` (and,
 * under npx, the npx cache's) is a link that a reinstall or cache clean-up can
 * move or remove, and a hook that fails to start does not block.
 */
function cliRealPath(): string {
  return realpathSync(process.argv[1]!);
}

/** How Claude Code should call us: this node and this CLI, by absolute path. */
function defaultHookCommand(cli: string): string {
  return `${shellWord(process.execPath)} ${shellWord(cli)}${HOOK_SUFFIX}`;
}

/** npm may evict its npx cache at any time: a hook pointing into it stops working unannounced. */
const isNpxCache = (path: string): boolean => path.split(sep).includes('_npx');

const isOurs = (h: HookEntry): boolean => typeof h.command === 'string' && h.command.trimEnd().endsWith(HOOK_SUFFIX);

/**
 * Seconds Claude Code lets the hook run (its `timeout`). A hook that runs out
 * is cancelled and the call goes ahead, so it must outlast everything the
 * hook waits for (a gate's answer, a human's approval: at most 10 minutes),
 * letting the hook itself decide, and fail closed in enforce mode, first.
 * Older Claude Code versions cancelled after 60 s by default.
 */
export const HOOK_TIMEOUT_S = 900;

function readSettings(file: string): unknown {
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  return text.trim() ? parseJsonLocated(text, file, 'JSON') : {};
}

/** Returns the new settings, or null when nothing changes. */
export function withHook(settings: Record<string, unknown>, command: string | null, file: string): Record<string, unknown> | null {
  if (settings.hooks !== undefined && (typeof settings.hooks !== 'object' || settings.hooks === null || Array.isArray(settings.hooks))) {
    throw new UserError(`${file}: "hooks" is not an object; fix it by hand first`);
  }
  const hooks = { ...((settings.hooks as Record<string, unknown>) ?? {}) };
  const pre = hooks.PreToolUse ?? [];
  if (!Array.isArray(pre)) throw new UserError(`${file}: "hooks.PreToolUse" is not an array; fix it by hand first`);
  const groups = pre as MatcherGroup[];
  // Ours as this install writes it (an older one without its timeout is replaced).
  const current = (h: HookEntry) => isOurs(h) && h.command === command && h.timeout === HOOK_TIMEOUT_S;
  const present = groups.some((g) => (g.hooks ?? []).some((h) => isOurs(h) && (command === null || current(h))));
  const othersOfOurs = groups.some((g) => (g.hooks ?? []).some((h) => isOurs(h) && !current(h)));
  if (command !== null && present && !othersOfOurs) return null;
  if (command === null && !present) return null;
  // Drop our entries (an older install included), keep everything else as it was.
  const kept = groups
    .map((g) => (Array.isArray(g.hooks) && g.hooks.some(isOurs) ? { ...g, hooks: g.hooks.filter((h) => !isOurs(h)) } : g))
    .filter((g) => !Array.isArray(g.hooks) || g.hooks.length > 0);
  if (command !== null) kept.push({ matcher: '*', hooks: [{ type: 'command', command, timeout: HOOK_TIMEOUT_S }] });
  if (kept.length) hooks.PreToolUse = kept;
  else delete hooks.PreToolUse;
  const next = { ...settings, hooks };
  if (!Object.keys(hooks).length) delete (next as Record<string, unknown>).hooks;
  return next;
}

export const command: CliCommand = {
  name: 'setup',
  summary: 'Install or remove the Claude Code hook in its settings',
  help: `rampart-learn setup claude-code [--project|--user] [--remove] [--command CMD]

Adds a PreToolUse hook (matcher "*") that runs \`rampart-learn hook claude-code\`
for every Claude Code tool call, so Read/Write/Edit/WebFetch/… are checked
and recorded, not only shell commands.

  --project      .claude/settings.local.json in the current directory (default)
  --user         ~/.claude/settings.json
  --remove       remove the hook again
  --command CMD  the hook command (default: this node and this CLI by
                 absolute path, symlinks resolved, "… hook claude-code")

Every other setting is left as it was. The file is backed up (FILE.bak, or a
timestamped .bak) before it is changed. Running it twice changes nothing.
`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { project: { type: 'boolean' }, user: { type: 'boolean' }, remove: { type: 'boolean' }, command: { type: 'string' } },
    });
    if (positionals[0] !== 'claude-code' || positionals.length > 1) throw new UserError('usage: rampart-learn setup claude-code [--project|--user] [--remove]');
    if (values.project && values.user) throw new UserError('--project and --user are exclusive');
    const file = values.user ? join(homedir(), '.claude', 'settings.json') : resolve('.claude', 'settings.local.json');
    const cli = cliRealPath();
    const hookCommand = values.remove ? null : (values.command ?? defaultHookCommand(cli));
    if (hookCommand !== null && !hookCommand.trimEnd().endsWith(HOOK_SUFFIX)) throw new UserError(`--command must end with "${HOOK_SUFFIX.trim()}"`);
    if (hookCommand !== null && !values.command && isNpxCache(cli)) {
      process.stderr.write(
        `rampart-learn: warning: the hook runs ${cli}, inside npm's npx cache, which npm may clear at any time; ` +
          'install rampart-learn (npm install -g rampart-learn) and run setup again, or pass --command\n',
      );
    }
    const settings = readSettings(file);
    if (!settings || typeof settings !== 'object' || Array.isArray(settings)) throw new UserError(`${file}:1:1: settings must be a JSON object`);
    const next = withHook(settings as Record<string, unknown>, hookCommand, file);
    if (!next) {
      process.stdout.write(values.remove ? `No Rampart hook in ${file}; nothing to remove.\n` : `The Rampart hook is already installed in ${file}.\n`);
      return 0;
    }
    const backup = existsSync(file) ? backupFile(file) : null;
    makeDirs(dirname(file));
    writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
    process.stdout.write(`${values.remove ? 'Removed the Rampart hook from' : 'Installed the Rampart hook in'} ${file}${backup ? ` (backup: ${backup})` : ''}\n`);
    return 0;
  },
};
