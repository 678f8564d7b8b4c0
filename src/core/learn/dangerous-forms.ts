// What the learner knows about individual binaries: which ones are never
// generalised, which are interpreters or package-manager style tools with
// subcommands, and the dangerous forms each can take. The dangerous forms are
// written as command globs (matched against a component's `text`, `$0` stands
// for the binary) so that one list serves three purposes: spotting a dangerous
// observed call, guarding a widened pattern with `command_not_matches`, and
// (through probes.ts) testing that the guard holds.
import { CLOUD_CLIS, trackSpellings } from './cloud-clis';
import { WRITE_SENSITIVE_NAMES } from './sensitive-paths';

/** A file name as a whole word of a command: after a folder, a space or `=`, at the end or before a space. */
function fileNameGuards(names: readonly string[]): string[] {
  return names.flatMap((n) => ['/', ' ', '='].flatMap((before) => [`*${before}${n}`, `*${before}${n} *`]));
}

/**
 * Guards for the write-sensitive files as the target of a write spelled after
 * `prefix`: a folder or a glob anywhere in the target, a file name at its end
 * (`> .git` is refused, `> .gitignore` is not).
 */
function writeTargetGuards(prefix: string): string[] {
  return WRITE_SENSITIVE_NAMES.flatMap((n) => (n.endsWith('/') || n.includes('*') ? [`${prefix}${n}*`] : [`${prefix}${n}`, `${prefix}${n} *`]));
}

/**
 * Longer than any real program's name (file systems allow 255 bytes per name). A longer one comes from hostile
 * text, and its guards would each carry the whole name: thousands of copies of a word of megabytes.
 */
export const MAX_PROGRAM_NAME = 255;

export type BinaryClass =
  /** Never generalised: every suggestion is the exact observed command. */
  | 'exact-only'
  /** Runs code given as a script path, a module, or inline (`-c`/`-e`). */
  | 'interpreter'
  /** `tool <subcommand> …` with read-only and mutating subcommands. */
  | 'subcommand'
  /** Runs another command given as its arguments (`npx tsc`, `uv run pytest`). */
  | 'wrapper'
  | 'plain';

export interface SubcommandSpec {
  readOnly: readonly string[];
  mutating: readonly string[];
  /**
   * Mutations confined to the working tree (stage, commit, switch branches,
   * build): allowed with the tool-wide pattern once the agent has shown it edits
   * the project. The other mutating subcommands (remote, destructive, global)
   * stay excluded unless the agent ran them.
   */
  local?: readonly string[];
  /** Subcommands whose next word names a project script: `npm run build` → `npm run *`. */
  scripts?: readonly string[];
  /** The shortcut that runs the project's test script (`npm test` is `npm run test`). */
  testScript?: string;
  /** Subcommands that run another command: `uv run pytest` → `uv run pytest *`. */
  wrapping?: readonly string[];
  /**
   * Subcommands that fetch and run new code when given a package name: an
   * agent seen only installing what the project declares (`npm install`,
   * `npm ci`) is not thereby allowed to install anything else (`npm install x`).
   */
  installs?: readonly string[];
  /**
   * Options of an install whose value names a file of declared requirements or the project itself
   * (`pip install -r requirements.txt`, `-e .`): their value is not a package name.
   */
  installFiles?: readonly string[];
  /** Two-word subcommands (`gh pr view`): the noun is followed by a verb. */
  twoWord?: boolean;
  /** The first operand is a host (`ssh build-01 uptime`): patterns keep it (`ssh build-01 *`), never tool-wide. */
  host?: boolean;
  /** Global options that take a value and may precede the subcommand (`git -C dir`). */
  optionsWithValue?: readonly string[];
  /**
   * Tools whose subcommand is a path ending in an operation, with too many
   * operations to list (`aws ec2 describe-instances`, `gcloud compute
   * instances list`): reads are known by their verb, everything else mutates.
   */
  verbs?: VerbSpec;
  /**
   * Reads of secrets and credentials, as subcommands or options
   * (`secretsmanager get-secret-value`, `--with-decryption`): excluded from
   * every widened pattern of the tool unless the agent ran them.
   */
  sensitive?: readonly string[];
  /** Dangerous forms of the tool, as in BINARY_GUARDS ($0 = the binary). */
  guards?: readonly string[];
}

export interface VerbSpec {
  /** Words naming the service before the operation (aws: 1); unset, the groups run up to the first read verb. */
  groups?: number;
  /** Read verbs: a word (`list`), or a family ending in `-` (`describe-`) that one pattern covers (`aws ec2 describe-*`). */
  read: readonly string[];
  /** Verbs (as in `read`) of operations that stay exact even once run: what they remove cannot be brought back (`delete-*`, `s3 rm`). */
  destructive?: readonly string[];
  /** Release tracks that may precede the path and select another version of the same command (`gcloud beta …`). */
  tracks?: readonly string[];
}

export interface InterpreterSpec {
  /** Flags that run inline code or an interactive session: always a dangerous form. */
  inline: readonly string[];
  /** Flags that take a value (skipped when looking for the script). */
  withValue?: readonly string[];
  /** Flag naming a module to run (`python -m pytest`). */
  module?: string;
  /** Modules that are dangerous forms (`python -m pty`). */
  badModules?: readonly string[];
  /** Flags with which the interpreter only checks its script's syntax and runs none of it (`node --check`). */
  check?: readonly string[];
}

/**
 * Destructive, privileged, persistence, process-control and raw-network commands:
 * never suggested at all (the seed's "skip rm, sudo …"), only reported.
 */
const NEVER_SUGGESTED = new Set([
  'rm', 'rmdir', 'unlink', 'shred', 'dd', 'mkfs', 'wipefs', 'fdisk', 'sfdisk', 'parted', 'sgdisk', 'mkswap',
  'chmod', 'chown', 'chgrp', 'chattr', 'setfacl', 'truncate', 'kill', 'pkill', 'killall', 'sudo', 'su', 'doas',
  'pkexec', 'runuser', 'sg', 'newgrp', 'reboot', 'shutdown', 'halt', 'poweroff', 'init', 'mount', 'umount',
  'crontab', 'at', 'batch', 'systemctl', 'launchctl', 'service', 'useradd', 'userdel', 'usermod', 'passwd',
  'chpasswd', 'visudo', 'iptables', 'nft', 'ufw', 'nc', 'ncat', 'netcat', 'socat', 'telnet', 'websocat', 'wscat', 'dropdb', 'dropuser',
]);

/** Never generalised: suggested only as the exact command (everything above, plus commands that run others or spawn shells). */
const EXACT_ONLY = new Set([
  ...NEVER_SUGGESTED,
  'gdb', 'strace', 'ltrace', 'chroot', 'nsenter', 'unshare', 'capsh', 'setarch', 'busybox', 'script', 'expect', 'screen', 'tmux',
  'watch', 'flock', 'ionice', 'taskset', 'chrt', 'time', 'systemd-run', 'start-stop-daemon', 'eval', 'exec',
  'source', '.', 'xdg-open', 'open',
  // a copy to or from another machine: its remote side can be any host, in any operand
  'scp',
  // release automation (every lane may ship), and the controls of system web servers, certificates, tunnels and VPNs
  'fastlane', 'certbot', 'nginx', 'supervisorctl', 'tailscale', 'cloudflared', 'ngrok', 'bore', 'lt', 'localtunnel', 'frpc', 'zrok', 'pinggy',
  // commands that run the command in their arguments (often as a string the shell never parses): the command
  // they run would be allowed with them, whatever it is (`caffeinate -i python3 -c …`, `hyperfine 'curl … | sh'`)
  'caffeinate', 'hyperfine', 'parallel', 'entr', 'watchexec', 'concurrently', 'cross-env', 'dotenv', 'dotenvx', 'env-cmd', 'proxychains',
  'proxychains4', 'torsocks', 'faketime', 'xvfb-run', 'ccache', 'sccache', 'distcc', 'perf', 'rr', 'chronic', 'unbuffer', 'firejail', 'bwrap',
  'nodemon', 'forever', 'lldb', 'nix-shell', 'op', 'aws-vault', 'doppler', 'sops', 'age', 'semantic-release',
  // tunnels and intercepting proxies, packet captures, and the Mac's security, network and power settings
  'autossh', 'sshuttle', 'mitmdump', 'mitmproxy', 'mitmweb', 'tshark', 'codesign', 'spctl', 'xattr', 'scutil', 'networksetup', 'pmset', 'softwareupdate', 'screencapture',
  // coding agents: a prompt hands another agent its own tools and permissions
  'claude', 'codex', 'gemini', 'aider', 'opencode', 'goose', 'amp', 'cursor-agent', 'qwen', 'crush',
  // editors and pagers can spawn a shell from inside
  'vi', 'vim', 'nvim', 'view', 'ex', 'ed', 'nano', 'pico', 'emacs', 'less', 'more', 'most', 'pg', 'man', 'info',
  'mc', 'joe', 'mg', 'zless', 'zmore', 'bzless', 'bzmore', 'xzless', 'xzmore', 'lzless', 'zstdless', 'vifm', 'ranger', 'nnn', 'lf',
]);

const MKFS_LIKE = /^(mkfs|mke2fs|mkfs\..+)$/;

const SHELLS = ['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'csh', 'tcsh', 'fish', 'ash', 'elvish', 'pwsh', 'powershell', 'posh', 'yash', 'rbash', 'oksh', 'loksh', 'sash', 'xonsh'];

const PYTHON: InterpreterSpec = {
  inline: ['-c', '-i'], withValue: ['-W', '-X', '--check-hash-based-pycs'], module: '-m',
  badModules: ['pty', 'http.server', 'SimpleHTTPServer', 'code', 'pdb', 'smtpd', 'ftplib', 'telnetlib', 'base64'],
};
const NODE: InterpreterSpec = {
  inline: ['-e', '--eval', '-p', '--print', '-i', '--interactive', '-r', '--require', '--import', '--loader', '--experimental-loader', '--inspect', '--inspect-brk'],
  withValue: ['--max-old-space-size', '--conditions', '-C', '--env-file'],
  check: ['-c', '--check'],
};
const INTERPRETERS: Record<string, InterpreterSpec> = {
  python: PYTHON, python2: PYTHON, python3: PYTHON, pypy: PYTHON, pypy3: PYTHON, ipython: PYTHON, ipython3: PYTHON,
  // AppleScript's `do shell script` runs anything, with a password prompt it drew itself
  osascript: { inline: ['-e', '-i'] },
  node: NODE, nodejs: NODE, tsx: NODE, 'ts-node': NODE,
  deno: { inline: ['eval', 'repl', '-e'] },
  ruby: { inline: ['-e', '-r', '-n', '-p'], withValue: ['-I'], check: ['-c'] },
  perl: { inline: ['-e', '-E', '-n', '-p', '-M', '-d'], withValue: ['-I'] },
  php: { inline: ['-r', '-a', '-B', '-R', '-F', '-E', '-S'], withValue: ['-c', '-d'], check: ['-l'] },
  lua: { inline: ['-e', '-i', '-l'] }, luajit: { inline: ['-e', '-i', '-l'] },
  Rscript: { inline: ['-e', '--expr'] }, R: { inline: ['-e', '--interactive'] },
  julia: { inline: ['-e', '-E', '--eval', '-i', '-L'] },
  tclsh: { inline: [] }, wish: { inline: [] }, jrunscript: { inline: ['-e'] }, jjs: { inline: [] },
  // REPLs and other language runners: bare, they read code from the terminal; with these flags, from the command line
  irb: { inline: ['-e', '-r'] }, pry: { inline: ['-e', '-r'] }, jshell: { inline: ['-R', '-J'] }, ghci: { inline: ['-e'] },
  runghc: { inline: ['-e'] }, guile: { inline: ['-c', '-e', '-l'] }, racket: { inline: ['-e', '-i', '-l'] }, sbcl: { inline: ['--eval', '--load'] },
  clisp: { inline: ['-x', '-i'] }, erl: { inline: ['-eval', '-s', '-run'] }, elixir: { inline: ['-e', '-r'] }, iex: { inline: ['-e', '-r'] },
  groovy: { inline: ['-e'] }, scala: { inline: ['-e'] }, ocaml: { inline: [] },
  ...Object.fromEntries(SHELLS.map((s) => [s, { inline: ['-c', '-i', '-s', '-l', '--login', '-ic', '-lc', '-ci', '-cl', '-p', '-Command', '-EncodedCommand', '-e'] }])),
};

const GIT_READONLY = ['status', 'diff', 'log', 'show', 'branch', 'blame', 'rev-parse', 'ls-files', 'ls-tree', 'remote',
  'describe', 'tag', 'shortlog', 'grep', 'reflog', 'rev-list', 'cat-file', 'whatchanged', 'fetch', 'worktree', 'stash list', 'version', 'name-rev', 'merge-base', 'check-ignore', 'count-objects'];
const GIT_MUTATING = ['add', 'commit', 'push', 'pull', 'checkout', 'switch', 'restore', 'reset', 'rebase', 'merge',
  'cherry-pick', 'revert', 'stash', 'clean', 'rm', 'mv', 'init', 'clone', 'am', 'apply', 'submodule', 'config', 'gc', 'prune', 'update-index', 'notes',
  // `git remote` lists; these change where fetch and push go
  'remote add', 'remote set-url', 'remote remove', 'remote rm', 'remote rename', 'remote set-head', 'remote set-branches', 'remote prune', 'remote update'];
const NODE_PM: SubcommandSpec = {
  readOnly: ['ls', 'list', 'view', 'info', 'outdated', 'audit', 'why', 'explain', 'help', 'version', '--version', '-v', 'test', 't', 'run', 'pack', 'doctor', 'bin', 'root', 'prefix', 'search', 'show', 'check', 'typecheck', 'lint', 'build', 'dev', 'start', 'tsc', 'format'],
  mutating: ['install', 'i', 'ci', 'add', 'remove', 'rm', 'uninstall', 'un', 'update', 'up', 'upgrade', 'link', 'unlink', 'init', 'create', 'dedupe', 'prune', 'rebuild', 'exec', 'dlx', 'x', 'publish', 'version',
    // npm's spellings of install/ci/update/link/rebuild, and the commands that change settings, the store or the toolchain
    'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'it', 'install-test', 'cit', 'install-ci-test', 'clean-install',
    'ic', 'install-clean', 'udpate', 'ln', 'rb', 'innit', 'pkg', 'set', 'cache', 'shrinkwrap', 'patch', 'import', 'env', 'setup', 'self-update',
    'store', 'deploy', 'workspace', 'workspaces', 'plugin',
    // `audit` only reads; `audit fix` installs
    'audit fix',
    // registry accounts and metadata, and the commands that open a browser
    'unpublish', 'deprecate', 'undeprecate', 'dist-tag', 'adduser', 'login', 'logout', 'token', 'owner', 'access', 'team', 'org', 'profile',
    'star', 'unstar', 'trust', 'stage', 'hook', 'docs', 'home', 'bugs', 'issues', 'repo', 'approve-scripts', 'deny-scripts', 'install-scripts', 'approve-builds'],
  scripts: ['run', 'run-script'], testScript: 'test', wrapping: ['exec', 'dlx', 'x'], installs: ['install', 'i', 'add', 'update', 'up', 'upgrade'],
  optionsWithValue: ['--prefix', '-C', '--dir', '--cwd', '-w', '--workspace', '--filter', '-F'],
};

/** npm's commands and aliases (npm 10/11). npm also runs any unambiguous prefix of them: `npm pub` publishes. */
const NPM_COMMANDS = ['access', 'adduser', 'approve-scripts', 'audit', 'bugs', 'cache', 'ci', 'completion', 'config', 'dedupe', 'deny-scripts',
  'deprecate', 'diff', 'dist-tag', 'docs', 'doctor', 'edit', 'exec', 'explain', 'explore', 'find-dupes', 'fund', 'get', 'help', 'help-search',
  'hook', 'init', 'install', 'install-ci-test', 'install-scripts', 'install-test', 'link', 'll', 'login', 'logout', 'ls', 'org', 'outdated',
  'owner', 'pack', 'ping', 'pkg', 'prefix', 'profile', 'prune', 'publish', 'query', 'rebuild', 'repo', 'restart', 'root', 'run', 'sbom',
  'search', 'set', 'shrinkwrap', 'stage', 'star', 'stars', 'start', 'stop', 'team', 'test', 'token', 'trust', 'undeprecate', 'uninstall',
  'unpublish', 'unstar', 'update', 'version', 'view', 'whoami'];
const NPM_ALIASES: Record<string, string> = {
  author: 'owner', home: 'docs', issues: 'bugs', info: 'view', show: 'view', find: 'search', add: 'install', unlink: 'uninstall',
  remove: 'uninstall', rm: 'uninstall', r: 'uninstall', un: 'uninstall', rb: 'rebuild', list: 'ls', ln: 'link', create: 'init',
  i: 'install', it: 'install-test', cit: 'install-ci-test', u: 'update', up: 'update', c: 'config', s: 'search', se: 'search', tst: 'test',
  t: 'test', ddp: 'dedupe', v: 'view', 'run-script': 'run', 'clean-install': 'ci', 'clean-install-test': 'install-ci-test', x: 'exec',
  why: 'explain', la: 'll', verison: 'version', ic: 'ci', innit: 'init', in: 'install', ins: 'install', inst: 'install', insta: 'install',
  instal: 'install', isnt: 'install', isnta: 'install', isntal: 'install', isntall: 'install', 'install-clean': 'ci', 'isntall-clean': 'ci',
  hlep: 'help', 'dist-tags': 'dist-tag', upgrade: 'update', udpate: 'update', rum: 'run', sit: 'install-ci-test', urn: 'run', ogr: 'org',
  'add-user': 'adduser',
};
const NPM_NAMES = [...NPM_COMMANDS, ...Object.keys(NPM_ALIASES)];
const npmCommandOf = (name: string) => NPM_ALIASES[name] ?? name;

/**
 * Word globs for every spelling npm resolves to the command `sub` names: its
 * own name and aliases, each as its shortest unambiguous prefix (`pu*` for
 * publish) unless the name begins another one (`install`, `install-test`),
 * and the camelCase form npm turns back into a hyphenated name (`distTag`).
 */
function npmSpellings(sub: string): string[] {
  let out = npmSpellingCache.get(sub);
  if (!out) npmSpellingCache.set(sub, (out = spellNpmCommand(sub)));
  return out;
}
const npmSpellingCache = new Map<string, string[]>();

function spellNpmCommand(sub: string): string[] {
  const target = npmCommandOf(sub);
  if (!NPM_COMMANDS.includes(target)) return [escapeGlob(sub)];
  const out = new Set<string>();
  for (const name of NPM_NAMES.filter((n) => npmCommandOf(n) === target)) {
    let shortest = name.length;
    while (shortest > 1 && NPM_NAMES.every((n) => n === name || !n.startsWith(name.slice(0, shortest - 1)))) shortest--;
    const unique = NPM_NAMES.every((n) => n === name || !n.startsWith(name));
    // A prefix ending in a hyphen has no camelCase spelling: take the next letter too.
    const prefix = unique ? name.slice(0, name[shortest - 1] === '-' ? shortest + 1 : shortest) : name;
    for (const spelling of name.includes('-') ? [prefix, prefix.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] : [prefix]) {
      out.add(unique ? `${escapeGlob(spelling)}*` : escapeGlob(spelling));
    }
  }
  return [...out];
}

const NPM_DANGEROUS = ['explore', 'edit', 'exec', 'config', 'publish', 'unpublish', 'stage', 'deprecate', 'undeprecate', 'dist-tag', 'adduser', 'login',
  'token', 'owner', 'access', 'team', 'org', 'profile', 'trust', 'hook'];

/** The npm command a word runs (`pub` → publish, `distTag` → dist-tag, `i` → install), or the word when npm would refuse it. */
function npmCommand(word: string): string {
  const w = word.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  if (NPM_NAMES.includes(w)) return npmCommandOf(w);
  const named = NPM_NAMES.filter((n) => n.startsWith(w));
  return named.length === 1 ? npmCommandOf(named[0]) : word;
}

/** The subcommand a spelling stands for: for npm the command it resolves to, for other tools the spelling itself. */
export function canonicalSubcommand(binary: string, sub: string): string {
  return knownName(binary) === 'npm' && !sub.includes(' ') ? npmCommand(sub) : sub;
}

/**
 * The word globs a subcommand can be spelled with: for npm, every alias and
 * abbreviation npm accepts; for the other tools, the subcommand itself. A
 * glob ending in `*` already covers what may follow it.
 */
export function subcommandSpellings(binary: string, sub: string): string[] {
  const known = knownName(binary);
  if (known === 'npm' && !sub.includes(' ')) return npmSpellings(sub);
  return has(SUBCOMMAND_TOOLS, known) ? trackSpellings(SUBCOMMAND_TOOLS[known], sub).map(escapeGlob) : [escapeGlob(sub)];
}

/** docker and the engines with its command line (podman, nerdctl, finch). */
const CONTAINER_ENGINE: SubcommandSpec = {
  readOnly: ['ps', 'images', 'logs', 'inspect', 'version', 'info', 'stats', 'top', 'history', 'port', 'diff', 'events', 'search', 'image ls', 'container ls', 'compose ps', 'compose logs', 'volume ls', 'network ls'],
  mutating: ['run', 'build', 'exec', 'rm', 'rmi', 'stop', 'kill', 'pull', 'push', 'compose', 'start', 'restart', 'create', 'cp', 'tag', 'login', 'system', 'volume', 'network', 'image', 'container', 'buildx', 'save', 'load', 'commit',
    // secrets, clusters and plugins; podman's pods, Kubernetes manifests, machines and user namespace
    'secret', 'swarm', 'service', 'stack', 'node', 'config', 'plugin', 'context', 'trust', 'update', 'import', 'export', 'pod', 'kube', 'play', 'generate', 'machine', 'unshare', 'mount', 'checkpoint', 'restore'],
  local: ['build', 'compose', 'start', 'stop', 'restart', 'tag'],
  optionsWithValue: ['--context', '-c', '--log-level', '-l', '--url', '--connection'],
};

const KUBECTL: SubcommandSpec = {
  readOnly: ['get', 'describe', 'logs', 'top', 'explain', 'version', 'api-resources', 'api-versions', 'cluster-info', 'auth', 'diff',
    'config current-context', 'config view', 'config get-contexts', 'config get-clusters', 'config get-users'],
  mutating: ['apply', 'delete', 'create', 'edit', 'exec', 'run', 'patch', 'scale', 'rollout', 'port-forward', 'cp', 'label', 'annotate', 'expose', 'set', 'replace', 'drain', 'cordon', 'uncordon', 'taint', 'debug', 'attach', 'proxy', 'config',
    // the cluster and credentials every later command uses
    'config use-context', 'config use', 'config set-context', 'config set-credentials', 'config set-cluster', 'config set', 'config unset', 'config delete-context', 'config rename-context'],
  optionsWithValue: ['-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user'],
};

/** pip's options naming the project's requirement files or the project itself (`-r requirements.txt`, `-e .`). */
const PIP_INSTALL_FILES = ['-r', '--requirement', '-c', '--constraint', '-e', '--editable'];

const SUBCOMMAND_TOOLS: Record<string, SubcommandSpec> = {
  git: { readOnly: GIT_READONLY, mutating: GIT_MUTATING, local: ['add', 'commit', 'checkout', 'switch', 'restore', 'stash', 'merge', 'rebase', 'cherry-pick', 'revert', 'mv', 'pull', 'am', 'apply', 'notes'], optionsWithValue: ['-C', '--git-dir', '--work-tree', '--namespace'] },
  npm: NODE_PM, pnpm: NODE_PM, yarn: NODE_PM, bun: NODE_PM,
  cargo: {
    readOnly: ['check', 'build', 'b', 'test', 't', 'clippy', 'fmt', 'doc', 'tree', 'metadata', 'search', 'bench', 'version', 'verify-project', 'locate-project', 'pkgid', 'nextest'],
    mutating: ['add', 'remove', 'install', 'uninstall', 'publish', 'update', 'new', 'init', 'clean', 'run', 'r', 'fix', 'login', 'owner', 'yank', 'vendor'],
    // `add` fetches a new crate (whose build script runs at the next build): like `npm install x`, only once the agent ran it
    local: ['remove', 'update', 'new', 'init', 'clean', 'run', 'r', 'fix', 'vendor'],
  },
  go: {
    readOnly: ['build', 'vet', 'list', 'doc', 'version', 'env', 'test', 'fmt', 'help'],
    mutating: ['get', 'install', 'mod', 'generate', 'run', 'clean', 'work', 'fix'],
    local: ['get', 'mod', 'generate', 'run', 'clean', 'work', 'fix'],
  },
  pip: {
    readOnly: ['list', 'show', 'freeze', 'check', 'search', 'index', 'inspect', 'debug', '--version', 'help'], mutating: ['install', 'uninstall', 'download', 'wheel', 'config', 'cache'],
    installs: ['install'], installFiles: PIP_INSTALL_FILES,
  },
  uv: {
    readOnly: ['tree', 'version', '--version', 'help', 'lock'],
    mutating: ['add', 'remove', 'sync', 'pip', 'venv', 'init', 'python', 'tool', 'tool run', 'run', 'build', 'publish', 'cache', 'self', 'pip install', 'pip uninstall', 'pip sync'],
    local: ['remove', 'sync', 'venv', 'init', 'build'],
    // `uv tool run` is `uvx`: it runs a package's command, fetched when not installed
    wrapping: ['run', 'tool run'], optionsWithValue: ['--directory', '--project', '--python', '-p', '--with', '--from', '--group', '--extra'],
    // uv's pip interface installs like pip: from the project's files, or a package named
    installs: ['pip install'], installFiles: PIP_INSTALL_FILES,
  },
  poetry: { readOnly: ['show', 'check', 'version', 'env', 'config', 'lock'], mutating: ['add', 'remove', 'install', 'update', 'build', 'publish', 'run', 'init', 'new', 'shell'], local: ['remove', 'install', 'update', 'build', 'run', 'init', 'new'], wrapping: ['run'] },
  docker: CONTAINER_ENGINE, podman: CONTAINER_ENGINE, nerdctl: CONTAINER_ENGINE, finch: CONTAINER_ENGINE,
  'docker-compose': { readOnly: ['ps', 'logs', 'config', 'top', 'images', 'version', 'ls'], mutating: ['up', 'down', 'build', 'run', 'exec', 'restart', 'stop', 'start', 'rm', 'pull', 'push', 'kill', 'create'], local: ['up', 'down', 'build', 'restart', 'stop', 'start'], optionsWithValue: ['-f', '--file', '-p', '--project-name'] },
  kubectl: KUBECTL,
  // OpenShift's client: kubectl's commands, its own logins, builds, projects and remote shells
  oc: { ...KUBECTL, readOnly: [...KUBECTL.readOnly, 'whoami', 'status', 'projects'], mutating: [...KUBECTL.mutating, 'login', 'logout', 'new-app', 'new-project', 'new-build',
    'start-build', 'rsh', 'rsync', 'adm', 'policy', 'process', 'import-image', 'tag', 'secrets', 'extract', 'project', 'image', 'registry', 'idle'] },
  gh: {
    twoWord: true,
    readOnly: ['pr view', 'pr list', 'pr diff', 'pr checks', 'pr status', 'issue view', 'issue list', 'issue status', 'repo view', 'run view', 'run list', 'run watch', 'workflow list', 'workflow view', 'release list', 'release view', 'search', 'status', 'browse', 'label list', 'api', 'cache list'],
    mutating: ['pr create', 'pr merge', 'pr close', 'pr edit', 'pr comment', 'pr review', 'pr checkout', 'pr ready', 'pr reopen', 'issue create', 'issue close', 'issue edit', 'issue comment', 'repo create', 'repo clone', 'repo fork', 'repo delete', 'repo edit', 'release create', 'release delete', 'run rerun', 'run cancel', 'workflow run', 'secret', 'variable', 'auth', 'extension', 'alias', 'gist', 'label create',
      // more writes to the remote, and downloads into a folder named
      'label edit', 'label delete', 'label clone', 'project', 'workflow enable', 'workflow disable', 'release edit', 'release upload', 'release download', 'run download',
      'issue lock', 'issue unlock', 'issue pin', 'issue unpin', 'issue develop', 'issue reopen', 'pr lock', 'pr unlock', 'pr update-branch', 'repo set-default', 'repo unarchive', 'repo autolink', 'ruleset'],
    optionsWithValue: ['-R', '--repo'],
  },
  make: { readOnly: [], mutating: [], optionsWithValue: ['-C', '-f', '--file', '-j', '--directory'] },
  conda: {
    readOnly: ['list', 'info', 'search', 'env list', 'config --show', '--version', 'doctor'],
    mutating: ['install', 'remove', 'uninstall', 'update', 'upgrade', 'create', 'run', 'env', 'env remove', 'env create', 'env update', 'env config', 'clean', 'config', 'activate', 'init'],
    wrapping: ['run'], installs: ['install'], twoWord: false, optionsWithValue: ['-n', '--name', '-p', '--prefix'],
  },
  pipenv: {
    readOnly: ['graph', 'check', '--venv', '--where', '--py', 'requirements', 'scripts', 'verify'],
    mutating: ['install', 'uninstall', 'update', 'upgrade', 'lock', 'sync', 'clean', 'shell', 'run', 'open'],
    local: ['sync', 'lock'], wrapping: ['run'], installs: ['install'],
  },
  ssh: { host: true, readOnly: [], mutating: [], optionsWithValue: ['-p', '-i', '-l', '-o', '-F', '-J', '-L', '-R', '-D', '-W', '-b', '-c', '-E', '-e', '-m', '-O', '-Q', '-S', '-w', '-B', '-I'] },
  sftp: { host: true, readOnly: [], mutating: [], optionsWithValue: ['-P', '-i', '-o', '-F', '-J', '-b', '-c', '-B', '-D', '-l', '-R', '-S', '-s'] },
  mosh: { host: true, readOnly: [], mutating: [], optionsWithValue: ['-p', '--ssh', '--port', '--server'] },
  terraform: { readOnly: ['plan', 'validate', 'fmt', 'show', 'output', 'version', 'providers', 'state list', 'graph'], mutating: ['apply', 'destroy', 'import', 'init', 'taint', 'untaint', 'state', 'workspace', 'console'], optionsWithValue: ['-chdir'] },
  ...CLOUD_CLIS,
};
SUBCOMMAND_TOOLS.pip3 = SUBCOMMAND_TOOLS.pip;

/** Commands that run their first non-option argument (after `verb`, when they have one: `pipx run black`) as a command. */
export interface WrapperSpec { withValue: readonly string[]; verb?: string }
const WRAPPERS: Record<string, WrapperSpec> = {
  npx: { withValue: ['-p', '--package', '-c', '--call'] },
  bunx: { withValue: ['-p', '--package'] },
  pnpx: { withValue: [] },
  uvx: { withValue: ['--from', '--with', '--python', '-p'] },
  pipx: { withValue: ['--spec', '--python', '--pip-args'], verb: 'run' },
  bundle: { withValue: ['--gemfile'], verb: 'exec' },
  xargs: { withValue: ['-I', '-i', '-n', '-P', '-L', '-l', '-d', '-s', '-E', '-e', '-a', '--arg-file', '--delimiter', '--max-args', '--max-procs', '--replace'] },
};

/** Words in a variable name that say it holds a secret. */
const SECRET_NAMES = ['TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'API_KEY', 'ACCESS_KEY', 'PRIVATE_KEY', 'CREDENTIAL'];

/** Globs every widened pattern is guarded with: shells, sockets, credential and start-up files. */
export const GENERIC_GUARDS: readonly string[] = [
  ...SHELLS.flatMap((s) => [`* ${s}`, `* ${s} *`, `*/${s}`, `*/${s} *`, `*/bin/${s}*`, `*"${s}"*`, `*'${s}'*`]),
  // a variable or option set to a shell command, or a quoted argument piping into one (`make CC='sh -c id'`, `X="curl …|sh"`)
  ...SHELLS.flatMap((s) => [`*=${s}`, `*=${s} *`, `*|${s}`, `*|${s} *`]),
  // eval subcommands and options, command hooks, raw block devices
  '* eval', '* eval *', '*--eval*', '*_command=*', '*-interpreter*', '*/dev/sd*', '*/dev/nvme*', '*/dev/disk*', '*/dev/mem*',
  '*/dev/tcp/*', '*/dev/udp/*', '*mkfifo*',
  // cloud instance metadata: the credentials of the machine's role
  '*169.254.169.254*', '*169.254.170.2*', '*::ffff:169.254.*', '*metadata.google.internal*', '*fd00:ec2::254*', '*100.100.100.200*',
  // daemons that obey any local caller without a login: the Docker Engine API (root on the machine), the kubelet, etcd
  ...[2375, 2376, 10250, 10255, 2379].flatMap((port) => [`*:${port}`, `*:${port}/*`, `*:${port} *`, `*:${port}?*`]),
  '*system(*', '*exec(*', '*popen*', '*pty.spawn*', '*child_process*', '*execSync*', '*spawnSync*', '*os.execute*',
  '*Runtime.getRuntime*', '*ProcessBuilder*', '*fsockopen*', '*TCPSocket*', '*socket.socket*',
  '*ProxyCommand*', '*LocalCommand*', '*--checkpoint-action*', '*--to-command*', '*--use-compress-program*',
  '* -exec *', '* -execdir *', '* -ok *', '* -okdir *',
  '*LD_PRELOAD*', '*LD_LIBRARY_PATH*', '*DYLD_INSERT*', '*BASH_ENV*', '*PROMPT_COMMAND*',
  '*--upload-file*', '*--post-file*', '*--body-file*', '*--data*@*', '* -d @*', '* -d@*',
  '*.ssh/*', '*/.ssh*', '* .ssh*', '*id_rsa*', '*id_ed25519*', '*id_ecdsa*', '*id_dsa*',
  '*.netrc*', '*.git-credentials*', '*.npmrc*', '*.pypirc*', '*.gnupg*',
  '*/etc/shadow*', '*/etc/gshadow*', '*/etc/sudoers*', '*/etc/passwd*', '*/environ*',
  // shells' and REPLs' histories by name (a file that merely has `_history` later in its path is not one)
  ...['bash', 'zsh', 'sh', 'python', 'node_repl', 'psql', 'mysql', 'sqlite', 'irb', 'pry', 'Rhistory'].flatMap((h) => {
    const name = h === 'Rhistory' ? '.Rhistory' : `.${h}_history`;
    return [`*/${name}*`, `* ${name}*`];
  }),
  '*/.env', '*/.env *', '* .env', '* .env *', '*/.env.*', '* .env.*', '*=.env', '*=.env *', '*=.env.*',
  // a .env file in a commit (`git show HEAD~5:.env`)
  '*:.env', '*:.env *', '*:.env.*',
  // every .env file at once, by a shell glob or a search filter (`grep KEY .env*`, `--include=*.env`)
  '* .env[*]*', '*/.env[*]*', '*[*].env', '*[*].env *',
  // the same files spelled with a wildcard for a letter (`./.e?v`, `~/.s?h/id_*`), and wildcards in the home folder's hidden folders
  '*.[?*]nv*', '*.e[?*]v*', '*.en[?*]*', '*.[?*]sh*', '*.s[?*]h*', '*.ss[?*]*', '*id_[?*]*', '*~/.*[?*]*', '*$HOME/.*[?*]*', '*${HOME}/.*[?*]*',
  '*.bashrc*', '*.bash_profile*', '*.bash_login*', '*.zshrc*', '*.zshenv*', '*.zprofile*', '*/.profile*', '* .profile*', '*authorized_keys*',
  '*/etc/cron*', '*/etc/profile*', '*/etc/ld.so*', '*LaunchAgents*', '*LaunchDaemons*', '*/etc/systemd/*', '*.config/autostart*',
  '*!/bin/*', '*!sh*', '*chmod +s*', '*chmod u+s*',
  // the rest of the built-in sensitive paths (sensitive-paths.ts), so a widened command cannot reach what a read cannot
  '*/run/secrets*', '*.claude/.credentials*', '*.codex/auth.json*', '*.vault-token*', '*.pgpass*', '*.my.cnf*', '*/.boto', '*/.boto *',
  '*.s3cfg*', '*.cargo/credentials*', '*.gem/credentials*', '*credentials.tfrc.json*', '*.config/hub*', '*.password-store*',
  '*.pem', '*.pem *', '*.p12', '*.p12 *', '*.pfx', '*.pfx *', '*.keystore', '*.keystore *', '*/proc/self/*', '*/proc/self', '*/proc/self *', '*_history', '*_history *',
  '*.config/fish/config.fish*', '*.git/hooks*', '*.git/config*', '*.config/systemd/*',
  // key stores and framework master keys, browsers' saved passwords and cookies, login logs
  '*Keychains*', '*master.key*', '*Login Data*', '*/Cookies', '*/Cookies *', '*cookies.sqlite*', '*logins.json*', '*key4.db*',
  '*/var/log/auth*', '*/var/log/secure*', '*.gitconfig*', '*google-chrome*', '*Google/Chrome*', '*BraveSoftware*', '*.mozilla*', '*Firefox/Profiles*',
  // macOS apps' data: messages, mail, app containers and every app's support folder (editors' and browsers' stores)
  '*Library/Application*Support*', '*Library/Messages*', '*Library/Mail*', '*Library/Containers*', '*Library/Group*Containers*', '*Library/Safari*',
  // coding agents' own settings, where their permissions live, and this policy
  '*.claude/settings*', '*.claude.json*', '*.codex/config*', '*.gemini/settings*', '*rampart.yaml*',
  // MCP server lists (their servers' tokens), Terraform variables, service-account keys, password databases
  '*.mcp.json*', '*.cursor/mcp.json*', '*.tfvars*', '*credentials.json*', '*service-account*.json*', '*.kdbx*',
  // private keys and key stores by extension; framework, cloud and tool secrets; other shells' start-up files
  ...['.key', '.p8', '.jks', '.ppk'].flatMap((e) => [`*${e}`, `*${e} *`]),
  ...fileNameGuards(['credentials', 'serviceAccountKey.json', 'token.json', 'auth.json', '.dev.vars', '.secrets.toml', 'local.settings.json',
    'keystore.properties', '_netrc', '.envrc', '.yarnrc.yml', 'rclone.conf', '.zlogin', '.zlogout', '.terraformrc', '.databrickscfg', 'kaggle.json',
    'oauth_creds.json']),
  '*-firebase-adminsdk-*', '*client_secret*.json*', '*deploy_key*', '*.streamlit/secrets*', '*kubeconfig*', '*.git/modules/*', '*.config/git/*', '*huggingface/token*',
  '*.dbt/profiles*', '*opencode/auth.json*', '*.m2/settings.xml*', '*.gradle/gradle.properties*', '*.fly/config*', '*.wrangler/config*',
  '*/etc/ssl/private*', '*.config/fish/*', '*.config/environment.d*', '*PowerShell_profile.ps1*', '*PowerShell/profile.ps1*',
  // redirected into a file that runs code or grants permissions once written (`echo … > .vscode/tasks.json`)
  ...writeTargetGuards('*>*'),
  // wallets, and Terraform state (it holds every secret of the resources it manages)
  '*.config/solana*', '*.tfstate*', '*keyrings*',
  // uploads spelled `@file` (httpie, xh, curlie) of secrets or of anything in a home folder or the system's settings
  '*@.env*', '*@*/.env*', '*@.dev.vars*', '*@~/*', '*@$HOME*', '*@${HOME}*', '*@/home/*', '*@/Users/*', '*@/root/*', '*@/etc/*',
  // other spellings of the same folder: `.git/./hooks`, `.git//config`, `${HOME%/}`
  '*.git/./*', '*.git//*', '*${HOME[!}]*',
  // start-up files of editors, debuggers and database shells, Python's .pth files (run at every start), Gradle init scripts
  ...fileNameGuards(['.vimrc', '.exrc', '.gvimrc', '.lldbinit', '.gdbinit', '.psqlrc', '.sqliterc', '.myclirc', '.inputrc']), '*site-packages/*.pth*', '*.gradle/init.d*', '*.gradle/init.gradle*',
  // secrets of the CLIs of encryption keys, clouds and coding assistants kept in the user's config folder
  '*sops/age*', '*.config/doctl*', '*.config/hcloud*', '*github-copilot/*', '*.config/linode-cli*', '*.config/op/*', '*.config/op',
  // a home folder's config folder by its absolute path (`grep -r AKIA /home/dev/.config`)
  ...['/home/*/.config', '/Users/*/.config'].flatMap((p) => [`* ${p}`, `* ${p}/`, `* ${p} *`, `* ${p}/ *`]),
  // written through an output option, a file that runs code or grants permissions once written (`-o .vscode/tasks.json`)
  ...['* -o ', '* -o', '*--output ', '*--output=', '* -O ', '*--out ', '*--out='].flatMap(writeTargetGuards),
  // two folders up or more is out of the project (one may be a monorepo's root): a search or listing there reaches sibling repositories
  '* ../..*', '*=../..*', '* "../..*', "* '../..*",
  // the user's PATH folders as an argument or option value: a program written there shadows a real one
  '* */.local/bin*', '*=*/.local/bin*', '* */.cargo/bin*', '*=*/.cargo/bin*',
  // credential folders themselves, entered or listed (`cd ~/.aws && cat credentials`)
  ...['.aws', '.azure', '.kube', '.docker', '.config/gcloud', '.config/gh'].flatMap((d) => [`*${d}`, `*${d} *`, `*${d}/*`]),
  // a whole home folder or the root as an argument: a recursive search or copy of it reaches every secret (`grep -r KEY ~`)
  // (the root only last or before an option: ` / ` is also division in expressions)
  ...['~', '~/', '$HOME', '$HOME/', '${HOME}', '"$HOME"', '"$HOME/"', '/home', '/home/', '/Users', '/Users/', '/root', '/root/', '~/.config', '~/.config/', '/etc', '/etc/']
    .flatMap((p) => [`* ${p}`, `* ${p} *`]), '* /', '* / -*',
  // the same on Windows and WSL: a drive's root or its Users folder (`grep -r KEY C:/`, `cp -r /mnt/c/Users out`)
  ...['[A-Za-z]:', '[A-Za-z]:/', '[A-Za-z]:/Users', '[A-Za-z]:/Users/', '/mnt/[a-z]', '/mnt/[a-z]/', '/mnt/[a-z]/Users', '/mnt/[a-z]/Users/']
    .flatMap((p) => [`* ${p}`, `* ${p} *`]),
  // Windows: the registry's hives, the credentials and master keys of its data protection, the CLIs' logins in AppData;
  // Edge's and Chromium's profiles, the editor's secret store, npm's global settings (a registry token is kept there too)
  `*${anyCase('system32/config/')}*`, '*Microsoft/Credentials*', '*Microsoft/Protect*', '*Microsoft/Vault*', '*GitHub CLI/*', '*Roaming/gcloud*',
  '*Edge/User Data*', '*.config/chromium*', '*Library/Cookies*', '*state.vscdb*', '*etc/npmrc*',
  // secrets held in variables and expanded into a command (`curl -d "$GITHUB_TOKEN" https://…`)
  ...SECRET_NAMES.map((w) => `*$*${w}*`),
];

/** A short option that runs a program, given alone, with its value attached or inside a cluster (`-I x`, `-Ix`, `-cIf`, `cIf`). */
function shortOptionForms(letter: string): string[] {
  const words = [`${letter}*`, `[A-Za-z]${letter}*`, `[A-Za-z][A-Za-z]${letter}*`];
  return [...words.flatMap((w) => [`$0 -${w}`, `$0 * -${w}`]), ...words.map((w) => `$0 ${w}`)];
}

/** A word matched whatever its letter case (SQL keywords, tsc's option names): `into` → `[iI][nN][tT][oO]`. */
function anyCase(word: string): string {
  return word.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

/** A long option and the abbreviations GNU getopt accepts for it, down to `shortest` (`--output` from `--o`). */
function longPrefixes(option: string, shortest: string): string[] {
  const out: string[] = [];
  for (let n = shortest.length; n <= option.length; n++) out.push(option.slice(0, n));
  return out;
}

/**
 * How a path outside the project begins: absolute (but not /dev, so that
 * `-o /dev/null` stays allowed: the devices that matter are generic guards),
 * in the home directory, a variable (`$HOME`, `$TMPDIR`), a parent.
 */
const OUTSIDE = ['/[!d]', '/d[!e]', '/de[!v]', '/dev/shm', '~', '$', '..'];

/**
 * Options that write to the file they name, pointed outside the project:
 * each short letter with its value apart or attached, also last in a cluster
 * of up to `cluster` letters (`-o /x`, `-o/x`, `-sSLo /x`); each long option
 * with a space or `=`.
 */
function writesOutside(shorts: string, longs: readonly string[], cluster = 2): string[] {
  const out: string[] = [];
  for (const o of OUTSIDE) {
    for (const letter of shorts) {
      out.push(`$0* -${letter}${o}*`);
      for (let n = 0; n <= cluster; n++) out.push(`$0* -${'[A-Za-z]'.repeat(n)}${letter} ${o}*`);
    }
    for (const long of longs) out.push(`$0* ${long}[ =]${o}*`);
  }
  return out;
}

/**
 * Files a build, a test run or a package manager runs as code (`akefile`: Makefile, makefile, GNUmakefile,
 * Rakefile; `.gradle`: build.gradle, settings.gradle.kts): a download into one runs at the next build.
 */
const BUILD_FILES = ['package.json', 'build.rs', 'akefile', 'setup.py', 'conftest.py', 'pyproject.toml', 'Cargo.toml', 'CMakeLists.txt', '.gradle', 'pom.xml', 'Gemfile'];

/** Like writesOutside, for a file whose name holds one of `names`, in any folder, and the same through a redirection. */
function writesInto(names: readonly string[], shorts: string, longs: readonly string[], cluster: number): string[] {
  return names.flatMap((n) => [
    ...[...shorts].flatMap((letter) => [`$0* -${letter}*${n}*`, ...Array.from({ length: cluster + 1 }, (_, k) => `$0* -${'[A-Za-z]'.repeat(k)}${letter} *${n}*`)]),
    ...longs.map((long) => `$0* ${long}[ =]*${n}*`),
    `$0 *>*${n}*`,
  ]);
}

/** A command substitution in a download tool's arguments sends what it prints (`-d "$(cat src/secret.py)"`). */
const SENT_BY_SUBSTITUTION = ['$0 *$(*', '$0 *`*'];

/** Temporary directories and the home directory: where a file the agent did not write in the project would come from. */
const TEMP_AND_HOME = ['/tmp', '/var/tmp', '/dev/shm', '/private/tmp', '/private/var', '/var/folders', '~', '$HOME', '${HOME}', '$TMPDIR', '${TMPDIR}'];

/**
 * A path in a temporary or home directory, or climbing out through `..`: any
 * operand or option value (after a space, `=`, `@`, `:`, `,`, a quote or `[`),
 * or with `options` only the value of those options. Other absolute paths
 * stay allowed: agents often spell a project file by its absolute path, and
 * the project's root is not known here.
 */
function pathsElsewhere(options?: readonly string[]): string[] {
  // Not after `>`: the engine also sees a redirection as `text > target`, and `> /tmp/x.log` is not a dangerous form.
  const leads = options ? options.flatMap((o) => [`$0* ${o} `, `$0* ${o}=`]) : ['$0 ', '$0*[!>] ', `$0*[=@:,"'[]`];
  const places = [...TEMP_AND_HOME.flatMap((d) => (d.startsWith('/') ? [d, `${d}/*`, `${d} *`] : [`${d}*`])), '..', '../*'];
  return [...leads.flatMap((l) => places.map((p) => `${l}${p}`)), ...(options ? [] : ['$0 *../*'])];
}

/**
 * GNU sed's `e` command runs the pattern space (or its argument) as a shell
 * command. It follows the start of a script, a separator (`;`, newline, `{`,
 * `}`) or an address (`1`, `$`, `/re/`, `1,3`, `0~2`, `1!`), never a letter,
 * `.` or `-`; and it ends the word or is followed by a space, a separator or
 * a comment. `-ee` is the expression `e` attached to `-e`.
 */
function sedExecCommand(): string[] {
  const ends = ['', '[ ;}#]*', '[! -~]*'];
  const before = ['[!A-Za-z_.-]', ...['', '[A-Za-z]', '[A-Za-z][A-Za-z]'].map((c) => ` -${c}e`)];
  return before.flatMap((b) => ends.map((e) => `$0*${b}e${e}`));
}

/** TeX engines: inline TeX (any backslash) can write and read files, and shell escape runs commands. */
const TEX = ['$0 *\\\\*', '$0 *-shell-escape*', '$0 *-enable-write18*', '$0 *write18*', '$0 *-cnf-line*', '$0 *--lua*', ...pathsElsewhere()];

/** Docker-like runtimes: host namespaces, privileges, and host directories mounted into the container. */
const HOST_DIRS = ['/etc', '/root', '/home', '/Users', '/var/run', '/run', '/proc', '/sys', '/dev', '/boot', '/usr', '/lib', '/var/lib', '~', '$HOME', '${HOME}', '..', '$PWD/..', '${PWD}/..', '"$PWD/..', '"${PWD}/..'];
const MOUNTS = ['-v ', '-v=', '--volume ', '--volume=', '--mount*src=', '--mount*source='];

/** System directories as the target (or any argument) of a writing tool, first or later. */
const SYSTEM_DIRS = ['/etc', '/usr', '/bin', '/sbin', '/lib', '/boot', '/opt', '/Library', '/System', '/var/www', '/var/lib', '/var/log', '/var/spool', '/var/mail', '/var/run'];
const SYSTEM_TARGETS = SYSTEM_DIRS.flatMap((d) => [`$0 ${d}`, `$0 ${d}/*`, `$0 * ${d}`, `$0 * ${d}/*`, `$0 *=${d}`, `$0 *=${d}/*`, `$0 *:${d}`, `$0 *:${d}/*`]);
/** App servers given a standard-library module as the app: `code:interact` is a Python prompt, `os:system` a command. */
const STDLIB_APPS = ['code', 'pdb', 'os', 'subprocess', 'pty', 'runpy', 'builtins', 'importlib', 'ctypes', 'shutil'].flatMap((m) => [`$0 ${m}:*`, `$0 * ${m}:*`, `$0 *=${m}:*`, `$0 *'${m}:*`]);
/** Python web apps and app servers: an app, config or path from elsewhere, a standard-library app, running as root or as a daemon. */
const PY_APP_SERVER = [...STDLIB_APPS, ...pathsElsewhere(), ...SYSTEM_TARGETS, '$0 *python:*', '$0 *-u root*', '$0 *--user*root*', '$0* -D', '$0* -D *', '$0 *--daemon*'];

/** Test runners load whatever file they are given: never one from a temporary or home directory or a parent, nor open a debugger port or write into a system folder. */
const TEST_RUNNER = [...pathsElsewhere(), '$0 *--inspect*', ...SYSTEM_TARGETS];

const MAKE_PROGRAM_VARIABLES = ['CC', 'CXX', 'CPP', 'LD', 'AR', 'AS', 'FC', 'RM', 'INSTALL', 'MAKE', 'PYTHON', 'PYTHON3', 'NODE', 'NPM', 'GO', 'CARGO', 'PERL', 'RUBY', 'BASH', 'ECHO', 'SED', 'AWK', 'MKDIR', 'CP'];

/** Operands that leave the project upwards. */
const PARENT_TARGETS = ['$0 ..', '$0 ../*', '$0 * ..', '$0 * ../*', '$0 *=../*'];
/**
 * What a file-writing tool must not touch beyond the system: the home
 * directory (start-up files, PATH directories, global settings), the
 * repository's own history, and names that a later `*` turns into options
 * (`touch ./--checkpoint=1`).
 */
const HOME_AND_HISTORY = ['$0 ~*', '$0 *[ =]~*', '$0 *$HOME*', '$0 *${HOME}*', '$0 .git', '$0 .git *', '$0 * .git', '$0 * .git *', '$0 *./-*', '$0 *-- -*'];
/** The same, and parents of the project (a link may point there: monorepos share folders that way). */
const WRITES_ELSEWHERE = [...SYSTEM_TARGETS, ...HOME_AND_HISTORY, ...PARENT_TARGETS];
/** Copying and moving tools also keep out of temporary folders and the standard streams (GTFOBins' file reads and writes). */
const COPIES_ELSEWHERE = [...WRITES_ELSEWHERE, ...TEMP_AND_HOME.filter((d) => d.startsWith('/') || d.includes('TMPDIR')).flatMap((d) => [`$0 ${d}*`, `$0 * ${d}*`]), '$0 */dev/std*',
  // nor into the files that run code or grant permissions once written (`cp x .mcp.json`)
  ...writeTargetGuards('$0 *')];
/** Rails tasks that drop, empty or roll back the database. */
const RAILS_DB_WIPES = ['db:drop', 'db:reset', 'db:schema:load', 'db:purge', 'db:truncate_all', 'db:rollback', 'db:seed:replant'].map((t) => `$0 *${t}*`);
/** Django management commands that empty or drop the database, open a shell, print the settings or take over accounts. */
const DJANGO_COMMANDS = ['flush', 'sqlflush', 'reset_db', 'dbshell', 'shell', 'diffsettings', 'createsuperuser', 'changepassword', 'loaddata', 'migrate * zero'];
const DJANGO = DJANGO_COMMANDS.map((c) => `$0 *manage.py ${c}*`);
/** Python's script forms: Django's database wipes and shells, a virtual environment made in a system folder. */
const PYTHON_FORMS = [...DJANGO, ...SYSTEM_DIRS.map((d) => `$0 *venv* ${d}*`)];
/** Hosting and infrastructure CLIs: a preview or a status is routine, production, teardown and secrets are not. */
const DEPLOY_CLIS = ['vercel', 'netlify', 'fly', 'flyctl', 'wrangler', 'firebase', 'heroku', 'railway', 'serverless', 'sls', 'cdk', 'pulumi', 'amplify', 'surge'];
/** A word anywhere after the binary; one that starts with a space also right after it (` proxy`: `fly proxy 5432`). */
function anywhere(word: string): string[] {
  return word.startsWith(' ') ? [`$0 *${word}*`, `$0 ${word.slice(1)}*`] : [`$0 *${word}*`];
}

/**
 * A tool nothing is known of (learned per subcommand, see isUnknownTool) still
 * must not, whatever the subcommand: take a config, script or package from a
 * temporary or home folder or a parent, write into the system, ship or tear
 * down (deploy, publish, --prod, destroy, delete), handle credentials, open a
 * tunnel or a debugger to the network, install into the system or the user's
 * hooks, or skip its own confirmations. Words an unknown CLI rarely uses for
 * anything else.
 */
const UNKNOWN_TOOL_GUARDS = [
  ...pathsElsewhere(), ...SYSTEM_TARGETS,
  // (a release, not the list of releases)
  '$0 *release', '$0 *release *', '$0 *release[=:]*',
  ...['deploy', 'publish', '--prod', 'destroy', 'delete', 'purge', 'wipe', 'rollback', 'promote', 'upload', '--record', 'secret', 'token', 'password', 'passwd', 'credential',
    'login', 'logout', ' auth', '--key', 'tunnel', '--share', 'share=', '--expose', '--public', 'install-deps', '--with-deps', '--install', ' -install', 'service install',
    'kernelspec install', 'extension install', 'labextension install', 'init-templatedir', '--yes', '--force', 'uninstall', 'unregister', 'reset', ' drop',
    // live (not test) mode, agents' permission bypasses, plugins and servers added to another tool, self-upgrades, remote data and devices wiped
    '--live', '--dangerously', 'bypassPermissions', 'yolo', 'mcp add', 'plugin', 'extensions install', 'marketplace', '--upgrade', 'trunk', '--remote', 'nuke', 'erase',
    ' push',
    // a server, job, app, cluster or connection changed, stopped or rebuilt; a merge or approval; a global install
    // (not stop, sync, patch or restore: local services stop, and dependencies sync and restore)
    ' rebuild', ' poweroff', ' shutdown', ' reboot', ' stopall', ' scale', ' revert', ' terminate', ' terminate-op', ' resize', ' modify', ' merge',
    ' approve', ' pause', ' enable-rescue', ' change-type', ' activate', ' global', ' set-url', ' private-key', ' showconf',
    '--volume', '--mount', '--privileged', '--allow-privileged', ' github:', ' gitlab:', 'github.com/', 'gitlab.com/', ' -g', '--global'].flatMap(anywhere),
  '$0 * rm', '$0 * rm *', '$0 rm*', '$0* -y', '$0* -y *', '$0 *--inspect*0.0.0.0*',
  // a command run somewhere else (a container, a VM, a deployed app), or a tool downloaded and run
  '$0 exec *', '$0 * exec *', ...anywhere(' ssh'), '$0 x *', '$0 dlx *',
  // settings changed (`lxc config set box security.privileged true`)
  ...['config set', 'config unset', 'config device'].flatMap(anywhere),
];
/**
 * Hosting and platform CLIs: besides what an unknown tool must not do (deploys, production, teardown,
 * secrets), bringing the app up or removing parts of it, its environment pulled or changed, and the
 * deployed app itself: a shell, a command or a database console on it, its settings and variables, its
 * scale, addresses, domains and collaborators.
 */
const PLATFORM_GUARDS = [...UNKNOWN_TOOL_GUARDS, '$0 up*', '$0 *remove*', '$0 *env pull*', '$0 *env add*', '$0 *env rm*', ...['sftp', ' shell', ' console', ' connect', ' run', 'variables', ' env', 'env:', 'config', ':get', ':set',
  ':unset', 'pg:', 'access', 'addons', 'scale', ' ips', ' proxy', 'alias set', 'domain', 'dump', ' export'].flatMap(anywhere)];
/** An interpreter's inline code or shell module behind a `run` subcommand (`pipenv run python -c …`). */
const INLINE_BEHIND_RUN = ['$0 run* -c *', '$0 run* -c', '$0 run* -e *', '$0 run* -m pty*', '$0 run* <<*'];
/** SQL that destroys data or changes who may do what, in any letter case: a client learned from queries must not run it. */
const SQL_DESTRUCTIVE = [`$0 *${anyCase('drop')} *`, `$0 *${anyCase('truncate')}*`, `$0 *${anyCase('delete')} *`, `$0 *${anyCase('update')} *${anyCase('set')} *`,
  ...['alter user', 'alter role', 'alter system', 'create user', 'create role', 'grant ', 'revoke '].map((w) => `$0 *${anyCase(w)}*`)];
/** A keyword of a query language as a whole word, in any letter case (`LOAD httpfs`, not `downloads`). */
function queryWord(word: string): string[] {
  const w = anyCase(word);
  return [`$0 *[!A-Za-z_]${w}`, `$0 *[!A-Za-z_]${w}[!A-Za-z_]*`];
}

/** Make targets and package scripts that ship: they reach beyond the project. */
const RELEASE_TARGETS = ['$0 *deploy*', '$0 *release*', '$0 *publish*', '$0 *upload*'];

/** Dangerous forms per binary ($0 = the binary). */
const BINARY_GUARDS: Record<string, readonly string[]> = {
  find: ['$0 *-exec*', '$0 *-ok *', '$0 *-okdir*', '$0 *-delete*', '$0 *-fprint*', '$0 *-fls *'],
  // GNU tar takes any unambiguous prefix of a long option (`--to-c` is --to-command), and -I/-F with an attached value or in a
  // cluster; -P/--absolute-names extracts over absolute paths; --remove-files and --recursive-unlink delete; an archive
  // named `host:file` is on another machine; -C into a system or home folder
  tar: ['$0 *--checkpoint*', '$0 *--to-c*', '$0 *--use*', '$0 *--inf*', '$0 *--new-v*', '$0 *--rs*', '$0 *--rm*', '$0 *--abs*', ...shortOptionForms('I'), ...shortOptionForms('F'), ...shortOptionForms('P'),
    '$0 *--rem*', '$0 *--recu*', '$0 *@*:*', '$0 * [A-Za-z0-9._-]*:/*',
    ...[...SYSTEM_DIRS, '~', '$HOME', '${HOME}'].flatMap((d) => [`$0 *-C ${d}*`, `$0 *--directory ${d}*`, `$0 *--directory=${d}*`, `$0 *-C${d}*`])],
  git: [
    '$0 -c*', '$0* -c *=*', '$0 config*core.*', '$0 *--exec-path*', '$0 *.git/hooks*', '$0 *hooksPath*', '$0 -p*', '$0 *--paginate*', '$0 help*',
    '$0 *--help*', '$0 *--upload-pack*', '$0 *--receive-pack*', '$0 *ext::*', '$0 *--config*', '$0 config*alias.*', '$0 *filter-branch*',
    '$0 *submodule foreach*', '$0 *bisect run*', '$0 *rebase*--exec*', '$0 *rebase* -x *', '$0 difftool*', '$0 mergetool*',
    '$0 *--ext-diff*', '$0 *--output*', '$0 *--open-files-in-pager*', '$0 grep* -O*', '$0 push*--for*', '$0 push* -f*',
    // a repository from a temporary or home folder brings its own config and hooks (`git -C /tmp/x status`)
    ...pathsElsewhere(['-C']),
    // another repository or work tree than the project's (`--work-tree=$HOME checkout -f`); `--git-dir` only as an
    // option before the subcommand (`git rev-parse --git-dir` only prints it)
    '$0 *--work-tree*', '$0 *--git-dir=*', '$0 --git-dir *', '$0 -* --git-dir *',
    // a push to a URL rather than a configured remote sends the repository anywhere; --mirror rewrites every remote ref
    ...['http://', 'https://', 'ssh://', 'git://', 'file://', 'ext::'].map((u) => `$0 push* ${u}*`), '$0 push* *@*:*', '$0 push*--mirror*',
    '$0 push*+*', '$0 push*--no-verify*', '$0 credential*', '$0 config*credential.*', '$0 *sshCommand*', '$0 *--template*', '$0 daemon*', '$0 *instaweb*',
    // a clone into a temporary or home folder (a shell plugin folder runs it at start-up)
    ...TEMP_AND_HOME.map((d) => `$0 clone * ${d}*`),
    '$0 * /dev/null *', '$0 *--no-index*', '$0 *--unsafe-paths*',
    // settings for every repository of the user or the machine; a URL rewrite sends clones and pushes elsewhere
    '$0 config*--global*', '$0 config*--system*', '$0 *insteadOf*', '$0 *pushInsteadOf*',
    // work lost for good, whatever the agent ran before: uncommitted changes of the whole tree, stashes,
    // unmerged branches, tags, the reflog that could bring them back, worktrees, remote branches
    '$0 reset*--hard*', '$0 clean*-*f*', '$0 clean*--force*', '$0 checkout* .', '$0 checkout* -f*', '$0 checkout* --force*',
    '$0 restore* .', '$0 switch* -f*', '$0 switch* --force*', '$0 switch* --discard-changes*', '$0 stash drop*', '$0 stash clear*',
    '$0 branch* -D*', '$0 branch* -*D *', '$0 branch* --delete*--force*', '$0 branch* --force*--delete*', '$0 tag* -d*', '$0 tag* --delete*',
    '$0 reflog* expire*', '$0 reflog* delete*', '$0 worktree* remove*', '$0 worktree* prune*', '$0 push*--delete*', '$0 push* -d *', '$0 push* :*',
    // subcommands that mail, serve or schedule, run hooks or foreign tools, or rewrite refs
    '$0 send-email*', '$0 imap-send*', '$0 request-pull*', '$0 maintenance*', '$0 hook *', '$0 http-backend*', '$0 shell*', '$0 upload-archive*',
    '$0 archive*--remote*', '$0 svn*', '$0 p4*', '$0 cvs*', '$0 web--browse*', '$0 fsmonitor*', '$0 update-ref*', '$0 replace*', '$0 fast-import*',
    '$0 remote-*',
    // a new remote or URL is where the next plain `git push` sends the repository
    '$0 remote add*', '$0 remote set-url*', '$0 remote* add *', '$0 remote* set-url *',
    // --exec names the program run on the other side (on this machine, for a remote on disk); --prune deletes the
    // remote branches missing here; a forced branch move drops commits as reset --hard does
    '$0 push*--exec*', '$0 push*--prune*', '$0 branch* -f', '$0 branch* -f *', '$0 branch* --force*',
    // an archive or patches written outside the project (`archive -o /usr/local/bin/x`, `format-patch -o ~/out`)
    ...writesOutside('o', []),
  ],
  // -n/--netrc sends the user's saved logins; DELETE requests destroy remote data
  curl: ['$0* -T*', '$0 *--engine*', '$0 *--netrc*', ...['n*', '[A-Za-z]n*', '[A-Za-z][A-Za-z]n*'].map((w) => `$0* -${w}`),
    ...['-X', '-X ', '--request ', '--request='].map((o) => `$0 *${o}${anyCase('delete')}*`), '$0 *gopher://*', '$0 *dict://*', '$0 *-F *', '$0 *--form*', '$0 *-K *', '$0 *--config*', '$0 *file://*', '$0 *-x *', '$0 *--proxy *', '$0 *--json @*', '$0 *--json=@*',
    // files read into the request, the docker socket, and every option that writes a file (`-sSLo /usr/local/bin/x`)
    '$0 *--url-query*@*', '$0 *--variable*@*', '$0 *-H @*', '$0 *--header @*', '$0 *--header=@*', '$0 *--unix-socket*', '$0 *--abstract-unix-socket*',
    ...writesOutside('ocD', ['--output', '--output-dir', '--cookie-jar', '--dump-header', '--trace', '--trace-ascii', '--libcurl', '--stderr', '--etag-save', '--hsts', '--alt-svc'], 4),
    ...SENT_BY_SUBSTITUTION, ...writesInto(BUILD_FILES, 'oO', ['--output', '--remote-name'], 4)],
  // (wget takes unambiguous abbreviations: `--post-f`, `--use-askp`)
  wget: ['$0 *--post*', '$0 *--use-a*', '$0 *--load-c*', '$0 *-i *', '$0 *--input-file*', '$0 *-e *', '$0 *--execute*', '$0 *--config*',
    ...writesOutside('OoaP', ['--output-document', '--output-file', '--append-output', '--directory-prefix', '--save-cookies', '--warc-file']),
    ...SENT_BY_SUBSTITUTION, ...writesInto(BUILD_FILES, 'O', ['--output-document'], 2)],
  ssh: ['$0 *-o *', '$0 *-F *', '$0 *-R *', '$0 *-D *', '$0 *-L *', '$0 *-w *'],
  scp: ['$0 *-o *', '$0 *-S *', '$0 *-F *'],
  sftp: ['$0 *-o *', '$0 *-S *', '$0 *-F *', '$0 *-b *'],
  // deleting at the destination or the source, and a remote host on either side (a copy out of the machine)
  rsync: ['$0 *-e *', '$0 *--rsh*', '$0 *--rsync-path*', '$0 *-e?*', '$0 *--del*', '$0 *--remove-source-files*', '$0 *:*', '$0 *--daemon*', '$0 *--chmod*s*',
    ...SYSTEM_TARGETS],
  'redis-cli': ['$0 *--rdb*', ...['flushall', 'flushdb', 'config', 'shutdown', 'module load', 'debug', 'eval', 'script', 'replicaof', 'slaveof', 'migrate', 'function']
    .map((c) => `$0 *${anyCase(c)}*`), ...['del', 'unlink'].flatMap((c) => [`$0 ${anyCase(c)} *`, `$0 * ${anyCase(c)} *`])],
  // a reset drops the database; a forced push may drop data to match the schema; raw SQL, migrations applied or marked
  // by hand, a schema (with its generators) or database from elsewhere
  prisma: ['$0 *reset*', '$0 *--force-reset*', '$0 *--accept-data-loss*', '$0 db execute*', '$0 migrate deploy*', '$0 migrate resolve*', '$0 *--url*', ...pathsElsewhere(['--schema'])],
  // dropping, resetting or reverting the database, migrations from elsewhere, another database
  sqlx: ['$0 *drop*', '$0 *reset*', '$0 migrate revert*', '$0 * -D *', '$0 *--database-url*', ...pathsElsewhere(['--source'])],
  awk: ['$0 *system*', '$0 *|*', '$0 *getline*', '$0 *ENVIRON*',
    // print into a file outside the project or one a variable names; gawk's extensions and source files
    ...OUTSIDE.flatMap((o) => [`$0 *>*"${o}*`]), '$0 *print*> [A-Za-z_]*', '$0 *print*>[A-Za-z_]*', '$0 *@load*', '$0 *@include*',
    ...['l', 'i', 'E'].map((f) => `$0* -${f}*`), '$0 *--load*', '$0 *--include*', '$0 *--exec*', ...writesOutside('f', ['--file'])],
  sed: [...sedExecCommand(), '$0 *-i*/etc/*', '$0 *-i* ../*', '$0 *-i* /usr/*', ...writeTargetGuards('$0 *-i*'),
    // the e flag of s/// combined with others (`s/x/id/ge`, `s/x/id/eg`)
    ...['[gpIiMm0-9]e', '[gpIiMm0-9][gpIiMm0-9]e', 'e[gpIiMm0-9]', 'e[gpIiMm0-9][gpIiMm0-9]'].flatMap((f) => [`$0 */${f}`, `$0 */${f} *`]),
    // `w`/`W` (and the w flag of s///) write a file; a script read from a file (`-f`, `--file`, `-nf`) may hold an `e`
    ...OUTSIDE.flatMap((o) => [`$0 *w ${o}*`, `$0 *W ${o}*`]), '$0* -f*', '$0* -[A-Za-z]f*', '$0 *--fi*',
    // the w flag of s/// writes whatever file it names (`s/.*/x/w Makefile`); in-place edits are -i
    '$0 */w *', '$0 */[gpIiMm0-9]w *'],
  docker: [
    '$0 *--privileged*', '$0 *-v /:*', '$0 *-v=/:*', '$0 *--volume /:*', '$0 *--volume=/:*', '$0 *--mount*source=/[, ]*', '$0 *--mount*source=/', '$0 *--mount*src=/[, ]*', '$0 *--mount*src=/',
    ...HOST_DIRS.flatMap((d) => MOUNTS.map((m) => `$0 *${m}${d}*`)), '$0 *docker.sock*', '$0 *containerd.sock*',
    ...['pid', 'ipc', 'uts', 'cgroupns', 'net', 'network', 'userns'].flatMap((ns) => [`$0 *--${ns}=host*`, `$0 *--${ns} host*`]), '$0 *--cap-add*', '$0 *--security-opt*', '$0 *--device*', '$0 *-H *', '$0 *--host *',
    '$0 *--host=*', '$0 *chroot*', '$0 *nsenter*',
    // a command run in a container, whatever the agent ran there before
    '$0 exec *', '$0 * exec *',
    // another engine than the local one: a context or a remote connection
    '$0 --context*', '$0 -c *', '$0 *--url*', '$0 *--connection*', '$0 *--remote*',
    '$0 login*', '$0 push*', '$0 *--entrypoint*', '$0 context*', '$0 *.Env*', '$0 plugin*', '$0 *--renew-anon*', '$0 up* -V*',
    // the host's secrets handed to a container (`-e AWS_SECRET_ACCESS_KEY` passes its value)
    ...SECRET_NAMES.flatMap((w) => [`$0 * -e *${w}*`, `$0 * --env *${w}*`, `$0 * --env=*${w}*`]),
    // volumes and images removed with the containers
    '$0 *down* -v*', '$0 *down*--volumes*', '$0 *down*--rmi*',
    // a compose file from a temporary or home directory defines its own mounts and privileges
    ...pathsElsewhere(['-f', '--file', '--project-directory', '--env-file']),
    // ctr's spellings of host namespaces and of a root filesystem taken from the host
    '$0 *--net-host*', '$0 *--with-ns*', '$0 *--rootfs*',
    // a build context from the network: its Dockerfile's RUN steps are someone else's code
    ...['http://', 'https://', 'git@', 'github.com/', 'gitlab.com/'].flatMap((u) => [`$0 *build* ${u}*`, `$0 *build*=${u}*`]),
  ],
  kubectl: ['$0 *--privileged*', '$0 *hostPath*', '$0 *--overrides*', '$0 *secret*', '$0 *--raw*', '$0 *--token*', '$0 exec*', '$0 debug*', '$0 attach*', '$0 cp*', '$0 proxy*', '$0 delete*', '$0* -- *', '$0 *--kubeconfig*',
    // a manifest from the network, a signing request approved
    '$0 *-f http*', '$0 *--filename http*', '$0 *--filename=http*', '$0 *-k http*', '$0 certificate*'],
  // (`gh api -XDELETE`, `-ftitle=x`: a flag's value may be attached; `cs` is codespace's alias)
  gh: ['$0 issue delete*', '$0 issue transfer*', '$0 api* -f*', '$0 api* -F*', '$0 api* --field*', '$0 api* --raw-field*', '$0 api* -X*', '$0 api* --method*', '$0 cs', '$0 cs *', '$0 * cs *', '$0 api*graphql*', '$0 auth*', '$0 *--show-token*', '$0 secret*', '$0 variable*', '$0 repo delete*', '$0 *-X DELETE*', '$0 *--method DELETE*', '$0 extension*', '$0 alias*', '$0 *-F *=@*', '$0 *--field *=@*', '$0 *--input*', '$0 gist create*', '$0 codespace*', '$0 ssh-key*', '$0 gpg-key*', '$0 ext *', '$0 config set*', '$0 repo sync*--force*',
    '$0 repo archive*', '$0 repo deploy-key*', '$0 repo rename*', '$0 repo edit*', '$0 cache delete*', '$0 release delete*', '$0 run delete*'],
  // global installs reach every project of the user; a package from a URL, git or a path skips the registry
  npm: [...RELEASE_TARGETS, '$0* -g', '$0* -g *', '$0 *--global*', '$0 *--location*global*', '$0 global *', '$0 *://*', '$0 *git+*', '$0 *git@*', '$0 explore', '$0 explore *', '$0 edit', '$0 edit *', '$0 repl*', '$0 node *', '$0 publish*', '$0 unpublish*', '$0 *--registry*', '$0 config*', '$0 *set-script*', '$0 *--script-shell*', '$0* -c *', '$0 *--call*', '$0 adduser*', '$0 login*', '$0 token*', '$0 owner*', '$0 access*', '$0 dist-tag*', '$0 deprecate*', '$0 exec*', '$0 x *', '$0 dlx*', '$0 -e*', '$0 --eval*', '$0 -p *', '$0 --print*', '$0 *--cwd /*', '$0 *--prefix /*',
    '$0 *--gl*', ...['--prefix', '--dir', '--cwd', '--global-folder', '--modules-folder'].flatMap((o) => [`$0 *${o}=/*`, `$0 *${o}=~*`, `$0 *${o} ~*`, `$0 *${o}=$*`, `$0 *${o} $*`]),
    '$0 *-C /*', '$0 *-C ~*', '$0 *--dir /*',
    // hosted-git shorthands (`github:user/repo`) skip the registry; a parent folder as a package runs its scripts
    '$0 *github:*', '$0 *gitlab:*', '$0 *bitbucket:*', '$0 *gist:*', '$0 *./..*',
    // yarn 2+: `yarn npm login`, `yarn npm publish`; plugins and releases fetched from anywhere
    '$0 npm login*', '$0 npm logout*', '$0 npm publish*', '$0 npm tag*', '$0 plugin import*', '$0 set version http*'],
  // install/uninstall change ~/.cargo/bin (and run the crate's build script); a target directory elsewhere is emptied by clean
  cargo: ['$0 *linker*', '$0 *link-arg*', '$0 publish*', '$0 login*', '$0 logout*', '$0 owner*', '$0 yank*', '$0 *--config*', '$0* -Z*', '$0 install*', '$0 uninstall*', '$0 *--root*',
    ...pathsElsewhere(['--manifest-path', '-C', '--target-dir']), ...writesOutside('', ['--target-dir'])],
  go: ['$0 run *@*', ...pathsElsewhere(['run', '-C', '-modfile']), '$0 *-toolexec*', '$0 *-exec *', '$0 *-exec=*', '$0 env -w*', '$0 *-ldflags*-extldflags*', '$0 *-overlay*',
    // a vet tool is a program; settings of every project of the user; the shared caches; a binary written outside the project
    '$0 *-vettool*', '$0 env* -w*', '$0 env* -u*', '$0 telemetry*', '$0 clean*cache*', ...writesOutside('o', [])],
  // (pip takes abbreviations: `--break-sys`, `--ind`)
  pip: ['$0 *--user*', '$0 *--br*', '$0 *--ind*', '$0 *--extra*', '$0 install* ..*', '$0 install* ../*', '$0 install* ./..*', ...writesOutside('t', ['--target', '--prefix', '--root', '--src']), ...pathsElsewhere(['-e', '--editable', '-r', '--requirement', '-c', '--constraint']), '$0 *-i http*', '$0 *--trusted-host*', '$0 *git+*', '$0 install *://*', '$0 install /tmp*', '$0 config*', '$0 *--target /*', '$0 *--prefix /*', '$0 *--root /*'],
  // `uv run`, `uvx`: nothing from a temporary or home directory or a parent
  uv: [...pathsElsewhere(), '$0 *--index-url*', '$0 *--extra-index-url*', '$0 *git+*', '$0 publish*', '$0 pip install *://*', '$0 self*',
    // a script from a URL, packages added to a run, tools installed for the user, the system's interpreter
    '$0 run *://*', '$0 run*--with*', '$0 tool install*', '$0 tool uninstall*', '$0 tool upgrade*', '$0 tool update-shell*', '$0 pip*--system*', '$0 pip*--python*', '$0 pip* -p *', '$0 *--br*', '$0 *--index *', '$0 *--index=*', '$0 *--default-index*'],
  poetry: [...pathsElsewhere(), '$0 publish*', '$0 config*', '$0 source*', '$0 shell*', '$0 self*', '$0 *git+*', '$0 *://*'],
  // a console or a kernel is a Python prompt; server lists show access tokens; extensions and kernels are code
  jupyter: [...pathsElsewhere(), '$0 console*', '$0 qtconsole*', '$0 *server list*', '$0 *notebook list*', '$0 *extension*', '$0 kernelspec*', '$0 execute*',
    '$0 *password*', '$0 *token*', '$0 *--post serve*'],
  // media and images: devices captured, streams sent out, coders' scripts (ImageMagick's msl:, mvg:, text: and @file read or write files)
  ffmpeg: [...SYSTEM_TARGETS, '$0 *://*', '$0 *-listen*', '$0 *avfoundation*', '$0 *x11grab*', '$0 *gdigrab*', '$0 *dshow*', '$0 *-f tee*', '$0 *textfile=*'],
  convert: [...SYSTEM_TARGETS, ...pathsElsewhere(), '$0 *msl:*', '$0 *mvg:*', '$0 *ephemeral:*', '$0 *text:*', '$0 *://*', "$0 *'|*", '$0 *"|*', '$0 * @*', '$0 *[!a-z]|*'],
  // HTTPie writes a download anywhere with -o
  // (httpie and xh send a file's contents for `@file`, `field=@file` and `field:=@file`; the docker socket is the machine's root)
  http: [...writesOutside('o', ['--output']), '$0 * @*', '$0 *=@*', '$0 *:=@*', '$0 *--unix-socket*', '$0 *--session*', '$0 *--auth*', '$0 -a *', '$0 * -a *'],
  make: [...RELEASE_TARGETS, '$0* install *', '$0* install', '$0* uninstall*', '$0 *--eval*', ...writesOutside('fCI', ['--file', '--makefile', '--directory', '--include-dir']), '$0 *SHELL=*', '$0 *.SHELLFLAGS*', '$0 *-f /*', '$0 *--file=/*', '$0 *-E *', ...pathsElsewhere(['-C', '--directory', '-f', '--file', '--makefile', '-I', '--include-dir']),
    // variables naming the programs a recipe runs (`make CC='sh -c id'`): the value cannot be told apart once unquoted
    ...MAKE_PROGRAM_VARIABLES.flatMap((v) => [`$0 ${v}=*`, `$0 * ${v}=*`])],
  sqlite3: [...SQL_DESTRUCTIVE, '$0 *.shell*', '$0 *.import*|*', `$0 *'|*`, '$0 *"|*', '$0 *.system*', '$0 *.load*', '$0 *load_extension*', '$0 *.output /*', '$0 *.once*', '$0 *-cmd *',
    // dot commands that run a file's commands, write files or open other programs; SQL that writes a database file anywhere
    '$0 *.read *', '$0 *.backup *', '$0 *.save *', '$0 *.log *', '$0 *.excel*', '$0 *.cd *', '$0 *-init *', '$0 *.output ~*', '$0 *.output ..*',
    `$0 *${anyCase('attach')}*`, `$0 *${anyCase('vacuum')} *${anyCase('into')}*`, '$0 *writefile(*', '$0 *readfile(*', '$0 *edit(*', '$0 *fts3_tokenizer*'],
  mysql: [...SQL_DESTRUCTIVE, '$0 *--print-defaults*', `$0 *${anyCase('source')} *`, '$0 *\\. *', '$0 *\\!*', '$0 *system *', '$0 *-e *system*', '$0 *--pager*', `$0 *${anyCase('outfile')}*`, `$0 *${anyCase('dumpfile')}*`, `$0 *${anyCase('load_file')}*`,
    // client plugins and option files load code or set a pager; local files read into the server
    '$0 *--default-auth*', '$0 *--plugin*', '$0 *--defaults-file*', '$0 *--defaults-extra-file*', '$0 *--tee*', '$0 *--local-infile*', `$0 *${anyCase('local infile')}*`, '$0 *--load-data-local-dir*'],
  psql: [...SQL_DESTRUCTIVE, '$0 *\\!*', `$0 *${anyCase('program')}*`, '$0 *\\o *', '$0 *\\o|*', '$0 *\\g*|*', '$0 *\\w *', '$0 *\\i *', '$0 *\\ir *', '$0 *\\setenv*', '$0 *lo_import*', '$0 *lo_export*',
    '$0 *pg_read_file*', '$0 *pg_read_binary_file*', '$0 *pg_ls_dir*', ...writesOutside('fo', ['--file', '--output', '--log-file'])],
  // -m/--move deletes the files it archived
  zip: ['$0 *-T*', '$0 *--unzip-command*', '$0 *-TT*', '$0 *--mo*', ...['m*', '[A-Za-z]m*', '[A-Za-z][A-Za-z]m*'].flatMap((w) => [`$0 -${w}`, `$0 * -${w}`])],
  // -: keeps `../` in member names (extracting out of the folder); -K keeps setuid bits
  unzip: ['$0* -d /*', '$0 *-d /etc*', '$0* -d ~*', '$0* -d ..*', '$0* -d $*', '$0 *-:*', '$0 *-[A-Za-z]:*', '$0 *-K*', '$0 *-[A-Za-z]K*'],
  tcpdump: ['$0 *-z *', '$0 *-Z *'],
  gcc: [...writesOutside('o', []), '$0 *-wrapper*', '$0 *@/*', '$0 *@~*', '$0 *-fplugin*', '$0* -B*', '$0 *-specs*', '$0 *-fuse-ld=/*', '$0 *-fuse-ld=.*', '$0 *--ld-path*', '$0 *-plugin*'],
  openssl: ['$0 s_client*', '$0 s_server*', '$0 enc *-in /*', '$0 *-engine*', '$0 *-provider-path*', '$0 *-provider *', ...writesOutside('', ['-out'])],
  // secrets printed from the state, providers and configurations from elsewhere
  terraform: ['$0 apply*-auto-approve*', '$0 destroy*', '$0 console*', '$0 output*-raw*', '$0 output*-json*', '$0 show*-json*', '$0 state pull*', '$0 *-plugin-dir*', '$0 *apply*-destroy*',
    ...pathsElsewhere(['-chdir'])],
  // values and manifests of a release hold its secrets
  helm: ['$0 get *'],
  base64: ['$0 * /etc/*', '$0 * /root/*', ...writesOutside('o', ['--output'])],
  // writing tools: no system directory as a target, whatever comes before it
  touch: WRITES_ELSEWHERE, mkdir: WRITES_ELSEWHERE, truncate: WRITES_ELSEWHERE, tee: COPIES_ELSEWHERE, cp: COPIES_ELSEWHERE,
  // (`[!>]`: not a redirection, which the engine also sees as `text > target`: `mv a b 2>/dev/null` is fine)
  mv: [...COPIES_ELSEWHERE, '$0 / *', '$0 *[!>] /dev/null'],
  // a list of files to read, taken from a file; ss's filter file
  wc: ['$0 *--files0*'], du: ['$0 *--files0*'], ss: ['$0 *-F*', '$0 *--filter*'],
  // a link to a home or absolute path makes the project a way into it (`ln -s ~/.ssh keys`, then `cat keys/id_rsa`)
  ln: [...SYSTEM_TARGETS, ...HOME_AND_HISTORY, '$0 *~*', '$0 *$*', '$0 *[!>] /*'],
  install: [...COPIES_ELSEWHERE, '$0 *-m *s*'],
  export: ['$0 PATH=*', '$0 *SHELL*', '$0 *PAGER*', '$0 *EDITOR*', '$0 *PYTHONSTARTUP*', '$0 *NODE_OPTIONS*', '$0 *GIT_*', '$0 *PERL5OPT*', '$0 *RUBYOPT*'],
  cat: ['$0 * /etc/*', '$0 /etc/*', '$0 /proc/*'],
  // programs these filters run: sort's --compress-program (any prefix down to --co), ripgrep's --pre
  sort: ['$0 *--co*', '$0 *--files0-from*', ...writesOutside('o', longPrefixes('--output', '--o'))],
  rg: ['$0 *--pre*', '$0 *--hostname-bin*'],
  // fd runs a command per result (-x/--exec) or on all of them (-X/--exec-batch)
  fd: ['$0 *--exec*', ...['x', 'X'].flatMap((l) => [`$0 -${l}*`, `$0 * -${l}*`, `$0 -[A-Za-z]${l}*`, `$0 * -[A-Za-z]${l}*`])],
  // yq reads the environment and other files, and edits in place
  yq: ['$0 *env*', '$0 *load*', '$0 *--inplace*', ...['-i*', '-[A-Za-z]i*'].flatMap((w) => [`$0 ${w}`, `$0 * ${w}`])],
  jq: ['$0 *env*', '$0 *$ENV*', '$0 *input_filename*'],
  // Homebrew changes the user's system-wide tools: only its queries are learned
  brew: ['$0 install*', '$0 tap*', '$0 uninstall*', '$0 services*', ...['upgrade', 'reinstall', 'untap', 'link', 'unlink', 'cleanup', 'autoremove', 'update', 'bundle', 'irb', 'ruby',
    'sh', 'edit', 'create', 'pin', 'unpin', 'developer', 'analytics', 'postinstall', 'migrate'].map((c) => `$0 ${c}*`)],
  // (apt's configuration options run hooks: `-o APT::Update::Pre-Invoke::=…`, also attached; its changelog opens a pager)
  apt: ['$0 *-o*', '$0 *--option*', '$0 *-c *', '$0 *--config-file*', ...['install', 'reinstall', 'remove', 'purge', 'autoremove', 'autopurge', 'upgrade', 'dist-upgrade',
    'full-upgrade', 'build-dep', 'source', 'changelog', 'edit-sources', 'satisfy'].map((c) => `$0 ${c}*`), '$0 *--allow-*', '$0 *--force-*'],
  // dpkg's actions that install, remove or reconfigure packages, also in a cluster (`-iR`), and its other roots
  dpkg: [...['i', 'r', 'P', 'A'].flatMap((a) => [`$0 -${a}*`, `$0 * -${a}*`, `$0 -[A-Za-z]${a}*`, `$0 * -[A-Za-z]${a}*`]),
    ...['--install', '--remove', '--purge', '--unpack', '--configure', '--triggers-only', '--record-avail', '--set-selections', '--clear-selections', '--update-avail',
      '--merge-avail', '--clear-avail', '--forget-old-unavail', '--add-architecture', '--remove-architecture', '--force', '--root', '--instdir', '--admindir']
      .map((o) => `$0 *${o}*`)],
  // journalctl's maintenance options delete or move the system's logs
  journalctl: ['$0 *--vacuum*', '$0 *--rotate*', '$0 *--flush*', '$0 *--sync*', '$0 *relinquish-var*', '$0 *--setup-keys*', '$0 *--update-catalog*'],
  // system package managers install (and run the scripts of) packages; snap's --dangerous/--devmode skip its sandbox
  dnf: ['$0 *install *', '$0 *install', '$0 remove*', '$0 erase*', '$0 *--setopt*', '$0 *-c *', '$0 *--config*', '$0 shell*', '$0 *--nogpgcheck*'],
  snap: ['$0 install*', '$0 remove*', '$0 *--dangerous*', '$0 *--devmode*', '$0 *--classic*', '$0 run*', '$0 set *'],
  nmap: ['$0 *--script*', '$0 *-iL*', '$0 *-oN /*', '$0 *--interactive*'],
  restic: ['$0 *-r *', '$0 *--repo*', '$0 *--password-command*'],
  aria2c: ['$0 *--on-download*', '$0 *-i *', '$0 *--input-file*'],
  exiftool: ['$0 *-filename*', '$0 *-o /*', '$0 *-@*'],
  // ip's reads are show, list and get: every verb that changes an address, link, route or rule is refused, and commands read from a file
  ip: ['$0 netns*', '$0 *exec*', ...['add', 'del', 'delete', 'set', 'change', 'chg', 'replace', 'flush', 'append', 'prepend', 'restore', 'up', 'down']
    .flatMap((v) => [`$0 * ${v}`, `$0 * ${v} *`]), '$0 -b *', '$0 * -b *', '$0 *-ba*', '$0 *-force*'],
  shuf: writesOutside('o', longPrefixes('--output', '--o')),
  iconv: writesOutside('o', ['--output']),
  // a second operand is the output file
  uniq: OUTSIDE.map((o) => `$0 * * ${o}*`),
  xxd: OUTSIDE.map((o) => `$0 * * ${o}*`),
  // (tsc's option names are case-insensitive: `--OUTDIR`)
  tsc: [...pathsElsewhere(), ...SYSTEM_TARGETS],
  // configs, rules, formatters and plugins are code: none from elsewhere; no report written outside the project
  eslint: [...pathsElsewhere(), ...SYSTEM_TARGETS, '$0 *--rulesdir*', '$0 *--resolve-plugins-relative-to*', ...writesOutside('o', ['--output-file'])],
  prettier: [...pathsElsewhere(), ...SYSTEM_TARGETS, '$0 *"/*', "$0 *'/*"],
  // remote access to the machine, and extensions or MCP servers that run code in the editor
  code: ['$0 tunnel*', '$0 serve-web*', '$0 *--install-extension*', '$0 *--extensions-dir*', '$0 *--add-mcp*', '$0 *--inspect*'],
  gem: ['$0 open*', '$0 exec*', '$0 push*', '$0 signin*', '$0 owner*', '$0 yank*', '$0 server*', '$0 sources*', '$0 *--source*', '$0 *-s http*',
    '$0 *--file*', '$0* -g*', '$0 *--gemdeps*', '$0 *--build-root*', '$0 *--install-dir /*', ...pathsElsewhere()],
  bundle: ['$0 open*', '$0 console*', '$0 *--gemfile*', ...pathsElsewhere(), '$0 config*', '$0 plugin*', '$0 clean*', '$0 *--git*', '$0 *--source*', ...SYSTEM_TARGETS],
  // Ruby given inline, a Rakefile or library from elsewhere, and the system-wide rakefiles of ~/.rake
  rake: [...['e', 'E', 'p', 'g'].map((f) => `$0* -${f}*`), '$0 *--exec*', '$0 *--system*', ...pathsElsewhere(), ...RAILS_DB_WIPES],
  rails: ['$0 runner*', '$0 r', '$0 r *', '$0 console*', '$0 c', '$0 c *', '$0 dbconsole*', '$0 db', '$0 db *', ...RAILS_DB_WIPES,
    // decrypted secrets, a template from anywhere
    '$0 *credentials:*', '$0 *encrypted:*', '$0 *app:template*', '$0 *secret*', '$0 *db:migrate:reset*'],
  // framework and migration commands that empty or drop the database, or open a shell in the app
  python: PYTHON_FORMS, python3: PYTHON_FORMS,
  php: ['$0 *artisan*migrate:fresh*', '$0 *artisan*migrate:reset*', '$0 *artisan*migrate:rollback*', '$0 *artisan*db:wipe*', '$0 *artisan*tinker*', '$0 *artisan*db:seed*--force*',
    // artisan's --force skips the production prompt; decrypted or regenerated secrets; another environment's settings
    '$0 *artisan*--force*', '$0 *artisan*env:*', '$0 *artisan*key:*', '$0 *artisan*--env*', ...pathsElsewhere()],
  alembic: ['$0 downgrade*', '$0 stamp*', '$0 * -x *', '$0 -x *', '$0 * -n *', '$0 -n *', ...pathsElsewhere()],
  // the app servers and frameworks that import an app by name
  gunicorn: PY_APP_SERVER, flask: [...PY_APP_SERVER, '$0 shell*', '$0 db downgrade*'], 'django-admin': [...DJANGO_COMMANDS.map((c) => `$0 ${c}*`), ...PY_APP_SERVER,
    '$0 *--pythonpath*', '$0 *collectstatic*--clear*', '$0 *--template*://*'],
  // inline code behind an environment runner (`pipenv run python -c …`), and its shell
  pipenv: [...INLINE_BEHIND_RUN, '$0 shell*', ...pathsElsewhere()],
  conda: [...INLINE_BEHIND_RUN, ...pathsElsewhere()],
  // macOS preferences are settings of the whole user account
  defaults: ['$0 write*', '$0 delete*', '$0 import*', '$0 rename*'],
  // deno fetches and runs a module given by URL; `install` puts a program on the PATH
  deno: ['$0 *://*', '$0 install*', '$0 compile*', '$0 upgrade*',
    // packages from the registries rather than the project, permissions over the whole disk or home, files from elsewhere
    '$0 *npm:*', '$0 *jsr:*', '$0 *--allow-*=/*', '$0 *--allow-*=~*', '$0 *--allow-*=$*', ...pathsElsewhere()],
  // BSD-style `e` shows every process's environment (`ps eww`, `ps auxe`), as does macOS's -E
  ps: ['$0 e*', '$0 [a-z]*e', '$0 [a-z]*e *', '$0 [a-z]*e[a-z]*', '$0 [a-z]*e[a-z]* *', '$0 *-E*', '$0 *-[A-Za-z]E*', '$0 *-[A-Za-z][A-Za-z]E*', '$0 *-[A-Za-z][A-Za-z][A-Za-z]E*',
    '$0 * e', '$0 * e *'],
  // a wait that never ends in practice holds the agent's session: infinity, days, hours, 10,000 s and more, exponents and hex
  sleep: ['$0 *inf*', '$0 *[0-9][0-9][0-9][0-9][0-9]*', '$0 *[0-9]d*', '$0 *[0-9]h*', '$0 *[0-9][eE]*', '$0 *0[xX]*'],
  // the machine's developer tools: only printing the path is routine
  'xcode-select': ['$0 *-s*', '$0 *--switch*', '$0 *-r*', '$0 *--reset*', '$0 *--install*'],
  // secrets read out of the environment, a keychain or a key ring
  printenv: SECRET_NAMES.map((w) => `$0 *${w}*`),
  security: ['$0 find-*-password*', '$0 dump-keychain*', '$0 export*', '$0 unlock-keychain*', '$0 delete-*', '$0 add-*', '$0 set-*'],
  gpg: ['$0 *--export-secret*', '$0* -d', '$0* -d *', '$0 *--decrypt*', '$0 *--delete*'],
  knex: ['$0 *rollback*'],
  sequelize: ['$0 *db:drop*', '$0 *:undo*'],
  supabase: ['$0 db reset*', '$0 db push*', '$0 secrets*', ...PLATFORM_GUARDS],
  ...Object.fromEntries(DEPLOY_CLIS.map((cli) => [cli, PLATFORM_GUARDS])),
  latexmk: ['$0 *-e *', '$0* -r *', '$0 *latex=*', '$0 *-usepretex*', '$0 *-pretex*', ...TEX],
  latex: TEX,
  puppet: ['$0* -e*', '$0 *--execute*', '$0 filebucket*', '$0 resource * *=*', ...pathsElsewhere()],
  // loads a PKCS#11 library
  'ssh-keygen': ['$0* -D*'],
  java: ['$0 *-javaagent*', '$0 *-agentpath*', '$0 *-agentlib*', '$0 *-XX:OnError*', '$0 *-XX:OnOutOfMemoryError*', '$0 *@/*', '$0 *@~*', ...pathsElsewhere()],
  javac: ['$0 *-javaagent*', '$0 *-Xplugin*', '$0 *@/*', '$0 *@~*', ...pathsElsewhere()],
  // a cow file is Perl: only the built-in cows (a bare name) are harmless
  cowsay: ['$0 *-f*/*', '$0 *-f*.*', '$0 *-f *~*', '$0 *-f $*', '$0 *-f~*', '$0 *-f$*'],
  // pytest empties --basetemp before a run; -p loads a plugin module (`-p no:x` only turns one off); --pastebin uploads the
  // output, --pdb/--trace/--pdbcls open a debugger (or load its class), -o/--override-ini can add options such as a
  // plugin, --pyargs imports installed packages by name, conftest.py files load from --rootdir/--confcutdir
  pytest: [...TEST_RUNNER, '$0 *--tx*', '$0 *--rsyncdir*', '$0 *--confcutdir*', '$0 *--rootdir=/*', '$0 *--rootdir /*', '$0 *--basetemp*', '$0* -p [!n]*', '$0* -p n[!o]*', '$0* -p[!n ]*', '$0 *--pastebin*', '$0 *--pdb*', '$0 *--trace*',
    '$0 *--override-ini*', '$0* -o [A-Za-z_]*=*', '$0* -o[A-Za-z_]*=*', '$0 *--pyargs*'],
  uvicorn: [...pathsElsewhere(['--app-dir', '--env-file', '--log-config']), ...STDLIB_APPS, '$0 *--loop *:*', '$0 *--loop=*:*', '$0 *--http *:*', '$0 *--http=*:*', ...SYSTEM_TARGETS],
  // rustc runs the linker it is given; unstable options load code
  rustc: [...writesOutside('o', ['--out-dir']), '$0 *linker=*', '$0 *-Clinker*', '$0* -Z*', '$0 *-Zunstable*', '$0 *link-arg*', ...pathsElsewhere()],
  cmake: [...SYSTEM_TARGETS, '$0 *LAUNCHER*', '$0 *-E env*', '$0 *-E time*', '$0 *-E chdir*', '$0 *-E rm*', '$0 *-E remove*', ...pathsElsewhere()],
  // also: package sources, user secrets, the database dropped or all migrations reverted, a certificate trusted by the system
  dotnet: ['$0 nuget add*', '$0 nuget update source*', '$0 user-secrets*', '$0 ef database drop*', '$0 ef database update 0*', '$0 dev-certs*--trust*', '$0 fsi*', '$0 script*', '$0 exec *', '$0 * exec *', '$0 nuget push*',
    // the production environment or launch profile; packages or templates from another feed, and builds written into the system
    '$0 *[Pp]roduction*', '$0 *--source*', '$0 *-s http*', '$0 *RestoreSources*', '$0 *--add-source*', '$0 new install*', '$0 new -i *', '$0 new --install*', ...SYSTEM_TARGETS, '$0 tool install*-g*', '$0 tool install*--global*', '$0 *--tool-path*', ...pathsElsewhere()],
  // an init script or a settings file runs build code from wherever it is; publishing ships the project
  // also: properties (secrets from ~/.gradle), build scans sent out, database wipes, agents, another wrapper distribution
  gradle: ['$0 properties*', '$0 *--scan*', '$0 *flywayClean*', '$0 *dropAll*', '$0 *-javaagent*', '$0 *--gradle-distribution-url*', ...SYSTEM_TARGETS, '$0 *publish*', '$0 *upload*', '$0 *-I *', '$0 *-I/*', '$0 *--init-script*', ...pathsElsewhere(['-p', '--project-dir', '-b', '--build-file', '-c', '--settings-file', '-g', '--gradle-user-home'])],
  // also: settings with passwords, database wipes, files installed into or fetched for the shared repository, extensions
  mvn: ['$0 *effective-settings*', '$0 *showPasswords*', '$0 *flyway:clean*', '$0 *liquibase:drop*', '$0 *install:install-file*', '$0 *dependency:get*', '$0 *maven.ext.class.path*',
    '$0 *-javaagent*', ...SYSTEM_TARGETS, '$0 *deploy*', '$0 *release:*', '$0 *exec:*', '$0 *antrun:*', '$0 *-Dexec.*', ...pathsElsewhere(['-s', '--settings', '-gs', '--global-settings', '-f', '--file'])],
  // plugins and manifests outside the sandbox, registries, SDKs and mirrors for every package of the user
  swift: ['$0 repl*', ...pathsElsewhere(), '$0 *--disable-sandbox*', '$0 *--allow-network-connections*', '$0 *--allow-writing-to*', '$0 package-registry*', '$0 sdk *', '$0 *set-mirror*', '$0 *--global*'],
  // products installed into the system, a toolchain or settings from elsewhere, plugins and macros unchecked, uploads
  xcodebuild: [...pathsElsewhere(), ...SYSTEM_TARGETS, '$0 *-runFirstLaunch*', '$0 *-downloadPlatform*', '$0 *-downloadAllPlatforms*', '$0 install*', '$0 * install*', '$0 *DSTROOT=*',
    '$0 *-skipPackagePluginValidation*', '$0 *-skipMacroValidation*', '$0 *-exportArchive*', '$0 *-allowProvisioningUpdates*', ...MAKE_PROGRAM_VARIABLES.flatMap((v) => [`$0 ${v}=*`, `$0 * ${v}=*`])],
  // the SDK and its global packages, settings and licences are the user's, not the project's
  flutter: [...pathsElsewhere(), '$0 pub global*', '$0 config*', '$0 channel*', '$0 upgrade*', '$0 downgrade*', '$0 *publish*', '$0 *--android-licenses*', '$0 pub cache*'],
  composer: ['$0 exec*', '$0 global*', '$0 config*', ...pathsElsewhere(), '$0 self-update*', '$0 selfupdate*'],
  ansible: ['$0* -m *', '$0* -a *', '$0 *--module-name*', '$0 *--args*', '$0 *-m=*', '$0 *--module-path*'],
  // also: privileges on the hosts (become), asked for or set as a variable
  'ansible-playbook': ['$0 *-e @*', '$0 *--extra-vars*@*', '$0 *--module-path*', ...pathsElsewhere(), '$0 *become*', '$0 *-K*', '$0* -b', '$0* -b *', '$0* -[A-Za-z]b*'],
  // build tools and task runners: options that run a command of their own, settings and targets that install or upload
  just: [...pathsElsewhere(), '$0 *--shell*', '$0 *--command*', '$0 -c *', '$0 * -c *', '$0 *--justfile*', '$0 -f *', '$0 * -f *'],
  bazel: [...pathsElsewhere(), '$0 *--run_under*', '$0 *--bes_backend*', '$0 *--bes_results_url*', '$0 *--remote_executor*', '$0 *--remote_cache*', '$0 *--script_path*',
    '$0 *--override_repository*', '$0 *--bazelrc*', '$0 *--action_env=LD_*'],
  meson: [...pathsElsewhere(), '$0 *--wrapper*', '$0 *--gdb*', '$0 devenv*', '$0 install*', '$0 * install*'],
  ninja: [...pathsElsewhere(), '$0 *install*'],
  scons: [...pathsElsewhere(), '$0 *--interactive*', '$0 install*', '$0 * install*', '$0 *--site-dir*'],
  stack: [...pathsElsewhere(), '$0 *--exec*', '$0 exec*', '$0 *--with-gcc*', '$0 *--with-ghc*', '$0 ghci*', '$0 repl*', '$0 runghc*', '$0 runhaskell*', '$0 eval*', '$0 script*',
    '$0 install*', '$0 upload*', '$0 *-pgm*'],
  cabal: [...pathsElsewhere(), '$0 *--test-wrapper*', '$0 *--with-*', '$0 *-w *', '$0 *repl*', '$0 exec*', '$0 install*', '$0 upload*', '$0 *-pgm*'],
  ghc: [...pathsElsewhere(), '$0 -e*', '$0 * -e*', '$0 *--interactive*', '$0 *--run*', '$0 *-pgm*', '$0 *-fplugin*', '$0 *-F *'],
  sbt: [...pathsElsewhere(), '$0 *console*', '$0 *eval*', '$0 *publish*', '$0 *--client*'],
  // (mix runs project tasks; inline code, dropped databases and global installs are not)
  mix: [...pathsElsewhere(), '$0 run* -e*', '$0 run* --eval*', '$0 *ecto.drop*', '$0 *ecto.reset*', '$0 *ecto.rollback*', '$0 *hex.publish*', '$0 archive.install*',
    '$0 escript.install*', '$0 hex.user*', '$0 hex.organization*'],
  swipl: [...pathsElsewhere(), '$0 *-g *', '$0 *-t *', '$0 *--goal*', '$0 *shell(*'],
  clj: [...pathsElsewhere(), '$0 *-Sdeps*', '$0 *-e *', '$0 *--eval*', '$0 *-Sforce*'],
  gnuplot: [...pathsElsewhere(), '$0 *!*', '$0 *system*', '$0 *set print*', '$0 *set output*', '$0 *load *', '$0 *call *'],
  // pipes spelled as file names, and ghostscript's unsafe mode
  gs: [...pathsElsewhere(), ...SYSTEM_TARGETS, '$0 *%pipe%*', '$0 *-dNOSAFER*', '$0 *DELAYSAFER*', '$0 *-dSAFER=false*', '$0 *|*'],
  gm: [...pathsElsewhere(), ...SYSTEM_TARGETS, '$0 *|*', '$0 *msl:*', '$0 *mvg:*', '$0 *ephemeral:*', '$0 *text:*', '$0 *://*', '$0 * @*'],
  sox: [...pathsElsewhere(), ...SYSTEM_TARGETS, '$0 *|*', '$0 *://*'],
  kustomize: [...pathsElsewhere(), '$0 *--enable-exec*', '$0 *--enable-alpha-plugins*', '$0 *--load-restrictor*', '$0 *--enable-helm*', '$0 *://*', '$0 *github.com/*'],
  'yt-dlp': ['$0 *--exec*', '$0 *--cookies*', '$0 *--netrc*', '$0 *--batch-file*', '$0 *-a *', '$0 *--config-location*', '$0 *--plugin-dirs*', '$0 *--username*', '$0 *--password*',
    ...writesOutside('oP', ['--output', '--paths'])],
  'gallery-dl': ['$0 *--cookies*', '$0 *--exec*', '$0 *--postprocessor*', '$0 *-c *', '$0 *--config*', '$0 *--netrc*', '$0 *--password*', ...writesOutside('dD', ['--directory', '--destination'])],
  fzf: ['$0 *--bind*', '$0 *--listen*', '$0 *--preview*', '$0 *--with-shell*', '$0 *execute*', '$0 *become*'],
  hurl: ['$0 *--file-root*', '$0 *--netrc*', '$0 *--cookie-jar*', ...pathsElsewhere(), ...SYSTEM_TARGETS],
  // documentation builders: filters and extensions are programs, unsafe modes read any file
  pandoc: [...pathsElsewhere(), ...SYSTEM_TARGETS, '$0 *--filter*', '$0 *-F *', '$0 *--lua-filter*'],
  'sphinx-build': [...pathsElsewhere(), ...SYSTEM_TARGETS, '$0 *-D *extensions*', '$0 *-Dextensions*'],
  asciidoctor: [...pathsElsewhere(), ...SYSTEM_TARGETS, '$0 *unsafe*', '$0 *-r *', '$0 *--require*', '$0 *allow-uri-read*'],
  // version and package managers of other languages: global installs and packages by name or from a URL
  volta: ['$0 install*', '$0 * install*', '$0 uninstall*', '$0 setup*', '$0 run*'],
  opam: ['$0 install*', '$0 * install*', '$0 remove*', '$0 uninstall*', '$0 switch remove*', '$0 switch create*', '$0 pin*', '$0 repo*', '$0 *://*', '$0 init*', '$0 exec*'],
  dart: [...pathsElsewhere(), '$0 pub add*', '$0 pub global*', '$0 pub publish*', '$0 pub remove*', '$0 pub token*', '$0 *://*', '$0 run /*'],
  nix: ['$0 *-c *', '$0 *--command*', '$0 *github:*', '$0 *gitlab:*', '$0 *sourcehut:*', '$0 *git+*', '$0 *://*', '$0 profile*', '$0 *--option*', '$0 run*', '$0 shell*', '$0 registry*',
    '$0 store delete*', '$0 *--extra-substituters*', '$0 *--accept-flake-config*', '$0 *-I *', ...pathsElsewhere()],
  // schedulers, GitOps and backups of a cluster, and the network manager: jobs run or stopped, apps changed, backups taken out
  nomad: ['$0 * run*', '$0 *stop*', '$0 *dispatch*', '$0 *exec*', '$0 *var *', '$0 *acl*', '$0 *purge*', '$0 *promote*', '$0 *revert*', '$0 *scale*', '$0 *drain*', '$0 *eligibility*'],
  limactl: ['$0 *--set*', '$0 *--mount*', '$0 shell*', '$0 delete*', '$0 create*', '$0 edit*', '$0 copy*', '$0 cp*'],
  argocd: ['$0 *app set*', '$0 *app create*', '$0 *app sync*', '$0 *app delete*', '$0 *app rollback*', '$0 *app patch*', '$0 *app terminate-op*', '$0 *account*', '$0 *login*',
    '$0 *cluster add*', '$0 *repo add*', '$0 *proj*', '$0 *admin*'],
  velero: ['$0 *download*', '$0 *restore*', '$0 *delete*', '$0 *create*', '$0 *install*', '$0 *pause*', '$0 *uninstall*'],
  nmcli: ['$0 *show-password*', '$0 * up*', '$0 * down*', '$0 *modify*', '$0 * add*', '$0 *delete*', '$0 *connect*', '$0 *-s *', '$0 *--show-secrets*', '$0 radio*', '$0 networking*', '$0 general hostname *', '$0 *reload*'],
  // rclone: a remote defined on the command line (`:sftp,host=…:`) sends files to any host; deletes, mirrors that delete, servers, mounts, its config
  rclone: ['$0 * :*', '$0 *,host=*', '$0 *config*', '$0 *delete*', '$0 *purge*', '$0 *rmdir*', '$0 sync*', '$0 * sync*', '$0 *serve*', '$0 *mount*', '$0 *rcd*',
    '$0 *--password-command*', '$0 *--rc*', ...pathsElsewhere()],
  // GitLab's CLI: merges, approvals, pipelines run, closes and deletes, tokens and variables
  glab: ['$0 *merge*', '$0 *approve*', '$0 ci run*', '$0 ci retry*', '$0 ci delete*', '$0 ci cancel*', '$0 *close*', '$0 *delete*', '$0 variable*', '$0 auth*', '$0 *token*',
    '$0 release*', '$0 api *', '$0 repo fork*', '$0 *schedule run*', '$0 ssh-key*', '$0 deploy-key*'],
  // database clients: destroyed data, shell escapes, and data sent to another host by the server itself
  'clickhouse-client': [...SQL_DESTRUCTIVE, ...pathsElsewhere(), ...SYSTEM_TARGETS, ...['executable', 'url(', 's3(', 'file(', 'remote(', 'remoteSecure(', 'into outfile', 'system '].map((w) => `$0 *${anyCase(w)}*`), '$0 *--queries-file*'],
  duckdb: [...SQL_DESTRUCTIVE, ...pathsElsewhere(), ...SYSTEM_TARGETS, '$0 *.sh*', '$0 *.shell*', '$0 *.system*', '$0 *.output*', '$0 *.once*', '$0 *.read *', '$0 *://*',
    ...['copy', 'install', 'load', 'attach', 'httpfs', 'read_text', 'read_blob'].flatMap(queryWord)],
  cqlsh: [...SQL_DESTRUCTIVE, ...pathsElsewhere(), ...['copy', 'source', 'capture', 'login'].flatMap(queryWord), '$0 *-f *', '$0 *--file*'],
  sqlcmd: [...SQL_DESTRUCTIVE, ...pathsElsewhere(), ...SYSTEM_TARGETS, `$0 *${anyCase('xp_cmdshell')}*`, `$0 *${anyCase('sp_configure')}*`, `$0 *${anyCase('openrowset')}*`, '$0 *:!!*', '$0 *:r *', '$0 *:out*', '$0 *-i *'],
  mongosh: ['$0 *drop*', '$0 *deleteMany*', '$0 *deleteOne*', '$0 *remove(*', '$0 *updateMany*', '$0 *runCommand*', '$0 *shutdownServer*', '$0 *createUser*', '$0 *dropUser*',
    '$0 *grantRoles*', '$0 *copydb*', '$0 *-f *', '$0 *--file*', ...pathsElsewhere()],
  mongorestore: ['$0 *--drop*', ...pathsElsewhere()],
  pg_restore: ['$0 *--clean*', '$0 -c*', '$0 * -c*', '$0 -[A-Za-z]c*', '$0 * -[A-Za-z]c*', ...pathsElsewhere()],
  // name servers asked for each line of a file (a file's contents sent out as DNS names), and signing keys
  dig: ['$0 *-f *', '$0 -f*', '$0 * -f*', '$0 *-k *', '$0 *-y *'],
  ab: ['$0 *-p *', '$0 *-u *', '$0 *-C *', '$0 *-H *'],
  hey: ['$0 *-D *', '$0 *-d *', '$0 *-H *'],
  tree: ['$0 *-o*', '$0 *--fromfile*', '$0 *--output*'],
  // containers and workflow runners: privileges, host mounts, images and modules from elsewhere
  earthly: ['$0 *--allow-privileged*', '$0 -P*', '$0 * -P*', '$0 *github.com/*', '$0 *gitlab.com/*', '$0 *--push*', '$0 *--secret*', ...pathsElsewhere()],
  act: ['$0 *--privileged*', '$0 *-P *', '$0 *--platform*', '$0 *--secret*', '$0 -s *', '$0 * -s *', '$0 *--container-options*', '$0 *--bind*', '$0 *--env-file*', ...pathsElsewhere()],
  dagger: ['$0 *github.com/*', '$0 *gitlab.com/*', '$0 *://*', '$0 *--secret*', '$0 *env:*', '$0 *file:*', '$0 *publish*', ...pathsElsewhere()],
};
// npm runs any unambiguous prefix or alias of a command (`npm pub`, `npm explo x`, `npm distTag`): every spelling of
// the ones that publish, change credentials or settings, or open a shell or an editor, also after global options.
BINARY_GUARDS.npm = [...BINARY_GUARDS.npm, ...NPM_DANGEROUS.flatMap((sub) => npmSpellings(sub)).flatMap((w) => (w.endsWith('*') ? [w] : [w, `${w} *`]).flatMap((t) => [`$0 ${t}`, `$0 -* ${t}`]))];
// What npm, npx and the others run (a package's binary, a script, a test runner) never takes a file from a temporary
// or home directory or a parent, nor opens a debugger port.
BINARY_GUARDS.npm = [...BINARY_GUARDS.npm, ...pathsElsewhere(), '$0 *--inspect*', '$0 *--dangerously*'];
// bun also runs files (`bun x.ts`, `bun run x.ts`): never one outside the project.
BINARY_GUARDS.bun = [...BINARY_GUARDS.npm, '$0 /*', '$0 ~*', '$0 run /*', '$0 run ~*', '$0 *../*', '$0 *--trust*', '$0 pm trust*'];
// pnpm's and yarn's exec run only what the project installed (npm's downloads): learned as the command they run
for (const pm of ['pnpm', 'yarn']) BINARY_GUARDS[pm] = BINARY_GUARDS.npm.filter((g) => g !== '$0 exec*' && g !== '$0 exe*');
// CLIs whose own dangerous forms are listed above keep, beyond them, what every tool nothing is known of must not do
// (deploy, publish, destroy, credentials, global installs, forced confirmations …): their guards replaced those.
// (Not the database clients: those words name tables and columns in their queries.)
for (const cli of ['just', 'bazel', 'meson', 'ninja', 'scons', 'stack', 'cabal', 'sbt', 'mix', 'kustomize', 'nix', 'nomad', 'limactl', 'argocd', 'velero', 'nmcli', 'glab',
  'dart', 'opam', 'volta', 'earthly', 'act', 'dagger', 'hurl', 'yt-dlp', 'gallery-dl', 'rclone']) {
  BINARY_GUARDS[cli] = [...new Set([...BINARY_GUARDS[cli], ...UNKNOWN_TOOL_GUARDS])];
}
// mycli also takes its settings from a file of the user's choice
BINARY_GUARDS.mycli = [...BINARY_GUARDS.mysql, ...pathsElsewhere(), '$0 *--myclirc*'];
// oc prints its session token (`oc whoami -t`)
BINARY_GUARDS.oc = [...BINARY_GUARDS.kubectl, '$0 whoami* -t*', '$0 whoami*--show-token*'];
/** Binaries that share another's dangerous forms (and probes): other builds, forks and front ends of one tool. Guards set above are kept. */
export const GUARD_ALIASES: readonly (readonly [string, string])[] = [
  ['mamba', 'conda'], ['micromamba', 'conda'],
  ['gradlew', 'gradle'], ['mvnw', 'mvn'],
  ['pip3', 'pip'], ['pnpm', 'npm'], ['pnpx', 'npm'], ['uvx', 'uv'], ['yarn', 'npm'], ['bun', 'npm'], ['npx', 'npm'], ['bunx', 'npm'],
  ['gawk', 'awk'], ['mawk', 'awk'], ['nawk', 'awk'], ['busybox-awk', 'awk'], ['gsed', 'sed'],
  ['oc', 'kubectl'], ['docker-compose', 'docker'], ['podman', 'docker'], ['podman-compose', 'docker'], ['nerdctl', 'docker'], ['ctr', 'docker'], ['finch', 'docker'],
  ['cc', 'gcc'], ['g++', 'gcc'], ['clang', 'gcc'], ['clang++', 'gcc'], ['mariadb', 'mysql'], ['apt-get', 'apt'], ['gtar', 'tar'], ['bsdtar', 'tar'],
  ['gsort', 'sort'], ['gshuf', 'shuf'], ['guniq', 'uniq'], ['yum', 'dnf'], ['microdnf', 'dnf'], ['zypper', 'dnf'],
  ['codium', 'code'], ['code-insiders', 'code'], ['code-oss', 'code'], ['vscodium', 'code'], ['cursor', 'code'], ['windsurf', 'code'],
  ...['pdflatex', 'xelatex', 'lualatex', 'tex', 'etex', 'pdftex', 'xetex', 'luatex', 'lualatex-dev', 'pdflatex-dev', 'context', 'mtxrun', 'dvilualatex', 'uplatex', 'platex']
    .map((t) => [t, 'latex'] as const),
  ['cowthink', 'cowsay'], ['py.test', 'pytest'], ['jest', 'pytest'], ['vitest', 'pytest'], ['mocha', 'pytest'], ['ava', 'pytest'], ['jasmine', 'pytest'],
  ['rspec', 'pytest'], ['phpunit', 'pytest'], ['pest', 'pytest'], ['tap', 'pytest'], ['karma', 'pytest'], ['playwright', 'pytest'], ['cypress', 'pytest'],
  ['gotestsum', 'pytest'], ['ctest', 'pytest'], ['jshell', 'java'], ['kotlin', 'java'], ['scala', 'java'], ['mysqldump', 'mysql'],
  ['magick', 'convert'], ['https', 'http'], ['hypercorn', 'uvicorn'], ['daphne', 'uvicorn'],
  ['pgcli', 'psql'], ['usql', 'psql'], ['mycli', 'mysql'], ['litecli', 'sqlite3'], ['clickhouse', 'clickhouse-client'], ['mongo', 'mongosh'], ['bazelisk', 'bazel'],
  ['runghc', 'ghc'], ['clojure', 'clj'], ['drill', 'dig'], ['host', 'dig'], ['nslookup', 'dig'], ['xh', 'http'], ['xhs', 'http'], ['curlie', 'http'],
];
for (const [alias, of] of GUARD_ALIASES) BINARY_GUARDS[alias] = BINARY_GUARDS[alias] ?? BINARY_GUARDS[of];

const has = (table: object, key: string) => Object.prototype.hasOwnProperty.call(table, key);

/** Known to the tables as a tool whose name may carry a version (`python3.12`, `node20`, `pip3.11`). */
const runsCode = (b: string) => has(INTERPRETERS, b) || has(SUBCOMMAND_TOOLS, b) || has(WRAPPERS, b);
const NON_SHELL_INTERPRETERS = Object.keys(INTERPRETERS).filter((k) => !SHELLS.includes(k) && k.length >= 3).sort((a, b) => b.length - a.length);

/**
 * The name the tables know a binary by, so that a spelling variant does not
 * escape its interpreter or tool rules: a minor or major version dropped
 * (`python3.12` → python3, `node20` → node), a Windows `.exe`/`.cmd` suffix
 * dropped and lower-cased (`Python.exe` → python), and a Windows path whose
 * backslashes the shell removed (`.\venv\Scripts\python.exe` reaches us as
 * `.venvScriptspython.exe`) recognised by its interpreter suffix.
 */
export function knownName(binary: string): string {
  let b = binary;
  const windows = /\.(exe|cmd|bat)$/i.test(b);
  if (windows) b = b.slice(0, -4).toLowerCase();
  if (runsCode(b) || has(BINARY_GUARDS, b) || EXACT_ONLY.has(b)) return b;
  for (const shorter of [b.replace(/(\.\d+)+$/, ''), b.replace(/\d+(\.\d+)*$/, '')]) if (shorter !== b && runsCode(shorter)) return shorter;
  if (windows) for (const name of NON_SHELL_INTERPRETERS) if (b.endsWith(name)) return name;
  return b;
}

export function isNeverSuggested(binary: string): boolean {
  const b = knownName(binary);
  return NEVER_SUGGESTED.has(b) || MKFS_LIKE.test(b);
}

export function isExactOnly(binary: string): boolean {
  const b = knownName(binary);
  return EXACT_ONLY.has(b) || MKFS_LIKE.test(b);
}

export function interpreterSpec(binary: string): InterpreterSpec | undefined {
  const b = knownName(binary);
  return has(INTERPRETERS, b) ? INTERPRETERS[b] : undefined;
}

export function subcommandSpec(binary: string): SubcommandSpec | undefined {
  const b = knownName(binary);
  return has(SUBCOMMAND_TOOLS, b) ? SUBCOMMAND_TOOLS[b] : undefined;
}

export function wrapperSpec(binary: string): WrapperSpec | undefined {
  const b = knownName(binary);
  return has(WRAPPERS, b) ? WRAPPERS[b] : undefined;
}

/**
 * Text filters: run without arguments they only transform standard input into
 * standard output (never read commands from it, unlike sqlite3, bc or an
 * interpreter), so a pattern learned from `cat FILE` may also cover the bare
 * `cat` at the end of a pipe.
 */
const STDIN_FILTERS = new Set([
  'cat', 'tac', 'head', 'tail', 'wc', 'sort', 'uniq', 'cut', 'tr', 'grep', 'egrep', 'fgrep', 'rg', 'jq', 'yq', 'column', 'nl',
  'rev', 'fold', 'fmt', 'paste', 'expand', 'unexpand', 'md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'shasum', 'cksum', 'strings', 'od', 'hexdump',
]);

export function isStdinFilter(binary: string): boolean {
  return STDIN_FILTERS.has(binary);
}

/** Common tools whose operands are files, text, hosts or processes, never subcommands. */
const OPERAND_TOOLS = new Set([
  'ls', 'echo', 'printf', 'sleep', 'pwd', 'which', 'whereis', 'type', 'diff', 'cmp', 'stat', 'file', 'basename', 'dirname', 'realpath', 'readlink',
  'date', 'seq', 'id', 'whoami', 'hostname', 'uname', 'uptime', 'free', 'lsof', 'pgrep', 'tree', 'cd', 'true', 'false', 'test', '[', 'df', 'nproc',
  'ping', 'dig', 'host', 'nslookup', 'tput', 'clear', 'locale', 'groups', 'printenv', 'sum', 'comm', 'join', 'split', 'truncate', 'rmdir', 'chmod',
]);

/**
 * Whether nothing is known of a binary: no interpreter, subcommand, wrapper or
 * guard entry, and not a tool of files and text. Its first word may be a
 * subcommand that does anything (`pm2 startup`, `ngrok http`), so it is
 * learned per subcommand.
 */
export function isUnknownTool(binary: string): boolean {
  const b = knownName(binary);
  return !runsCode(b) && !has(BINARY_GUARDS, b) && !EXACT_ONLY.has(b) && !STDIN_FILTERS.has(b) && !OPERAND_TOOLS.has(b);
}

export function isShell(binary: string): boolean {
  return SHELLS.includes(knownName(binary));
}

export function classify(binary: string): BinaryClass {
  if (isExactOnly(binary)) return 'exact-only';
  if (interpreterSpec(binary)) return 'interpreter';
  if (wrapperSpec(binary)) return 'wrapper';
  if (subcommandSpec(binary)) return 'subcommand';
  return 'plain';
}

/**
 * A command glob matching a literal: glob metacharacters escaped, and shell
 * operator characters (`|`, `;`, `&`, backquote, newline, `$(`) replaced by `?`,
 * because the engine treats a pattern containing an operator as describing a
 * whole compound command, which would never match a single component.
 */
export function escapeGlob(literal: string): string {
  return literal.replace(/[\\*?[\]]/g, (c) => `\\${c}`).replace(/[|;&`\n\r]|[$<>](?=\()/g, '?');
}

/**
 * A home folder written out as an argument (`grep -r AKIA /home/alice`, `cp -r /Users/bob/ out`): what `~`
 * is guarded as among the generic guards, spelled as the session's own home, which a generic glob cannot
 * name (`/home/*` would also refuse the projects in it).
 */
export function homeFolderGuards(home: string): string[] {
  const h = escapeGlob(home);
  return [h, `${h}/`].flatMap((p) => [`* ${p}`, `* ${p} *`, `*=${p}`, `*=${p} *`]);
}

/**
 * Dangerous forms of every binary with subcommands of its own: a help page opens a pager, and pagers run
 * `!sh`. Anchored at the binary, so a commit message or a PR title that says "help" is not one. A filter
 * or a shell builtin takes `help` as a file or a word (`cat help`, `cd help`): not guarded, as the
 * guard would only puzzle a reviewer.
 */
const EVERY_BINARY = ['$0 help', '$0 help *'];

/** The dangerous-form globs of one binary (without the generic guards). */
export function binaryGuards(binary: string): string[] {
  const known = knownName(binary);
  const helpPage = STDIN_FILTERS.has(known) || OPERAND_TOOLS.has(known) ? [] : EVERY_BINARY;
  const own = [...(has(BINARY_GUARDS, known) ? BINARY_GUARDS[known] : isUnknownTool(known) ? UNKNOWN_TOOL_GUARDS : []), ...(subcommandSpec(known)?.guards ?? []), ...helpPage];
  const b = escapeGlob(binary);
  return own.map((g) => g.replace(/\$0/g, b));
}

/**
 * Whether the subcommands a session ran of a tool are one of its script runners only
 * (`npm run build`, `npm run lint`): the tool is then learned as `npm run *`, not tool-wide.
 */
export function onlyRunsScripts(spec: SubcommandSpec, subcommands: Iterable<string>): boolean {
  const firsts = new Set([...subcommands].map((x) => x.split(' ')[0]));
  return firsts.size === 1 && (spec.scripts?.includes([...firsts][0]) ?? false);
}

export function isReadOnlySubcommand(spec: SubcommandSpec, sub: string): boolean {
  return spec.readOnly.includes(sub) || (spec.scripts?.includes(sub.split(' ')[0]) ?? false);
}
