// Paths the learner never suggests allowing: a built-in list of credential,
// history and start-up files, plus the path globs the active policy denies or
// asks for, plus any the user adds. A match turns a call into a warning.
import { compilePathGlob } from '../glob/index';
import type { PolicySet } from '../policy/index';

/** Built-in sensitive path globs (matched against normalised absolute paths). */
export const BUILTIN_SENSITIVE_PATHS: readonly string[] = [
  '**/.ssh/**', '**/id_rsa*', '**/id_ed25519*', '**/id_ecdsa*', '**/id_dsa*',
  '**/.aws/**', '**/.azure/**', '**/.config/gcloud/**', '**/.kube/config', '**/.kube/**',
  '**/.env', '**/.env.*', '**/.netrc', '**/.git-credentials', '**/.npmrc', '**/.pypirc', '**/.docker/config.json',
  '**/.gnupg/**', '**/.config/gh/hosts.yml', '**/.password-store/**', '**/*.pem', '**/*.p12', '**/*.pfx', '**/*.keystore',
  '/etc/shadow', '/etc/gshadow', '/etc/sudoers', '/etc/sudoers.d/**', '/proc/*/environ', '/proc/self/**',
  '**/.bash_history', '**/.zsh_history', '**/.sh_history', '**/.python_history', '**/.node_repl_history', '**/*_history',
  '**/.bashrc', '**/.bash_profile', '**/.bash_login', '**/.profile', '**/.zshrc', '**/.zshenv', '**/.zprofile',
  '**/.config/fish/config.fish', '**/Library/LaunchAgents/**', '/Library/LaunchDaemons/**', '/etc/cron*/**', '/etc/crontab',
  '/etc/systemd/**', '**/.config/systemd/**', '**/.config/autostart/**', '/etc/profile', '/etc/profile.d/**', '/etc/ld.so.preload',
  '**/.git/hooks/**', '**/.git/config',
  // agent, cloud and database credentials outside the usual folders
  '**/.claude/.credentials.json', '**/.codex/auth.json', '/var/run/secrets/**', '/run/secrets/**', '**/.vault-token', '**/.pgpass',
  '**/.my.cnf', '**/.boto', '**/.s3cfg', '**/.cargo/credentials', '**/.cargo/credentials.toml', '**/.gem/credentials',
  '**/.terraform.d/credentials.tfrc.json', '**/.config/hub',
  // MCP server lists carry their servers' tokens; Terraform variables and state, service-account keys, password databases
  '**/.mcp.json', '**/.cursor/mcp.json', '**/.claude.json', '**/*.tfvars', '**/*.tfvars.json', '**/*.tfstate', '**/*.tfstate.backup',
  '**/credentials.json', '**/credentials', '**/service-account*.json', '**/serviceAccountKey.json', '**/*-firebase-adminsdk-*.json',
  '**/client_secret*.json', '**/token.json', '**/*.kdbx',
  // private keys and key stores by extension, framework secrets, tool logins and per-project secret files
  '**/*.key', '**/*.p8', '**/*.jks', '**/*.ppk', '**/deploy_key*', '**/master.key', '**/.dev.vars', '**/.secrets.toml',
  '**/.streamlit/secrets.toml', '**/local.settings.json', '**/keystore.properties', '**/kubeconfig*', '**/_netrc', '**/.envrc',
  '**/.yarnrc.yml', '**/auth.json', '**/.git/modules/*/config', '**/.gitconfig', '**/.config/git/**', '**/.cache/huggingface/token',
  '**/.kaggle/kaggle.json', '**/.dbt/profiles.yml', '**/.gemini/oauth_creds.json', '**/.local/share/opencode/auth.json',
  '**/.m2/settings.xml', '**/.gradle/gradle.properties', '**/.terraformrc', '**/.databrickscfg', '**/.fly/config.yml',
  '**/.wrangler/config/**', '/etc/ssl/private/**', '**/rclone.conf',
  // the keys of sops/age and the logins of cloud CLIs and coding assistants kept in the user's config folder
  '**/.config/sops/age/**', '**/.config/doctl/**', '**/.config/hcloud/**', '**/.config/github-copilot/**', '**/.config/linode-cli', '**/.config/op/**',
  // shell start-up files of other shells and of PowerShell
  '**/.config/fish/**', '**/.config/environment.d/**', '**/.zlogin', '**/.zlogout', '**/*PowerShell_profile.ps1',
  '**/WindowsPowerShell/profile.ps1', '**/PowerShell/profile.ps1',
  // key stores and browsers' saved passwords and cookies (Linux, macOS and Windows folders), the editor's secret store
  '**/Library/Keychains/**', '**/.local/share/keyrings/**', '**/Library/Cookies/**', '**/.config/google-chrome/**', '**/.config/chromium/**',
  '**/.config/BraveSoftware/**', '**/.mozilla/**', '**/Library/Application Support/Google/Chrome/**', '**/Library/Application Support/Firefox/**',
  '**/Library/Safari/**', '**/Google/Chrome/User Data/**', '**/Microsoft/Edge/User Data/**', '**/Mozilla/Firefox/Profiles/**',
  '**/Login Data', '**/logins.json', '**/key4.db', '**/state.vscdb',
  // Windows: the registry's hives, the credentials and master keys of its data protection, and the CLIs' logins kept in AppData
  '**/System32/config/**', '**/AppData/*/Microsoft/Credentials/**', '**/AppData/*/Microsoft/Protect/**', '**/AppData/*/Microsoft/Vault/**',
  '**/AppData/Roaming/GitHub CLI/**', '**/AppData/Roaming/gcloud/**',
  // npm's global and built-in settings: a registry token is kept there as in ~/.npmrc
  '**/etc/npmrc',
];

/**
 * Files that are harmless to read but, once written, make a tool run code or
 * widen a coding agent's permissions, mostly outside the gate (the agent's
 * host, the editor, git or the user's shell runs them, not the agent's shell):
 * agents' settings and hooks, MCP server lists, the editor's tasks and
 * settings, dev containers, direnv, mise and git hook managers, and the
 * Rampart policy itself. (MCP server lists are in the built-in list: they
 * hold tokens too.)
 */
const CODE_RUNNING_FILES: readonly string[] = [
  // coding agents' settings, hooks and MCP server lists (the other MCP lists are in the built-in list)
  '**/.claude/settings*.json', '**/.claude/hooks/**', '**/.cursor/hooks.json', '**/.cursor/environment.json',
  '**/.codex/config.toml', '**/.gemini/settings.json', '**/.aider.conf.yml', '**/opencode.json*', '**/.continue/**',
  '**/.vscode/mcp.json', '**/.roo/mcp.json', '**/.kiro/settings/**', '**/.amazonq/**',
  // editors and cloud dev environments
  '**/.vscode/settings.json', '**/.vscode/tasks.json', '**/*.code-workspace', '**/.zed/**', '**/.devcontainer/**',
  '**/.devcontainer.json', '**/.gitpod.yml',
  // git itself (also a bare repository's HEAD, which makes its folder a repository git reads the config of) and git hook managers
  '**/.git', '**/.git/**', '**/HEAD', '**/.husky/**', '**/.githooks/**', '**/.pre-commit-config.yaml', '**/lefthook*', '**/.lefthook*',
  '**/.simple-git-hooks*',
  // continuous integration: runs with the repository's secrets once pushed
  '**/.github/workflows/**', '**/.gitlab-ci.yml', '**/.circleci/**', '**/bitbucket-pipelines.yml', '**/azure-pipelines.y*ml',
  '**/cloudbuild.y*ml', '**/netlify.toml', '**/vercel.json',
  // mise runs the hooks and sources the files of a project's config when you enter it
  '**/mise*.toml', '**/.mise*.toml', '**/.mise/**', '**/.config/mise/**',
  // package managers' and runtimes' code hooks: preloads, yarn's own binary, pnpm's hook file, cargo's runners, Python start-up
  '**/.cargo/config*', '**/bunfig.toml', '**/.pnpmfile.cjs', '**/.yarn/releases/**', '**/.yarn/plugins/**', '**/site-packages/**',
  '**/.ipython/profile_*/startup/**', '**/pip.conf', '**/.local/bin/**', '**/.tmux.conf', '**/.gradle/init.d/**', '**/.gradle/init.gradle*',
  // start-up files of editors, debuggers and database shells: they run commands when the tool starts
  '**/.vimrc', '**/.exrc', '**/.gvimrc', '**/.config/nvim/**', '**/.lldbinit', '**/.gdbinit', '**/.psqlrc', '**/.sqliterc', '**/.myclirc', '**/.inputrc',
  '**/rampart.yaml', '**/rampart.yml',
];

/**
 * Folders whose files run in place of a command or at log-in: the folders on
 * PATH (the user-writable ones too: Homebrew's, `~/bin`, the language tools'),
 * the Windows Startup folder, and the system's configuration. A pattern that
 * matches a file name in any folder (a bare name from a log without a cwd)
 * must not reach them.
 */
const RUN_FROM_FOLDERS: readonly string[] = [
  '/usr/local/bin/**', '/usr/local/sbin/**', '/opt/homebrew/bin/**', '/opt/homebrew/sbin/**', '/opt/local/bin/**',
  '/usr/bin/**', '/usr/sbin/**', '/bin/**', '/sbin/**', '/etc/**',
  '~/bin/**', '/home/*/bin/**', '/var/home/*/bin/**', '/root/bin/**', '**/Users/*/bin/**',
  '**/.cargo/bin/**', '**/.bun/bin/**', '**/.deno/bin/**', '**/.npm-global/bin/**', '**/AppData/Local/Microsoft/WindowsApps/**',
  '**/Start Menu/Programs/Startup/**',
];

/** Never suggested as writes, and kept out of every write pattern. */
export const WRITE_SENSITIVE_PATHS: readonly string[] = [...CODE_RUNNING_FILES, ...RUN_FROM_FOLDERS];

/**
 * The code-running files as they appear in a command's text (`.claude/hooks/`, `.mcp.json`), for the exec guards.
 * Not the folders: as text, `/bin/` would also be found in a project's `src/bin/`; the exec guards name those
 * folders their own way (dangerous-forms.ts).
 */
export const WRITE_SENSITIVE_NAMES: readonly string[] = CODE_RUNNING_FILES.map((p) => p.replace(/^\*\*\//, '').replace(/\*\*$/, ''));

/** The guards of a write pattern. */
export const WRITE_GUARDS: readonly string[] = [...BUILTIN_SENSITIVE_PATHS, ...WRITE_SENSITIVE_PATHS];

export interface SensitiveMatcher {
  /** The first sensitive glob the path matches, or null. */
  match(path: string): string | null;
}

/** The path globs of the active policy's deny and ask rules. */
export function policySensitivePaths(policy: PolicySet | undefined): string[] {
  if (!policy) return [];
  const out: string[] = [];
  for (const p of policy.policies) {
    if (!p.enabled) continue;
    for (const rule of p.rules) {
      if (rule.action !== 'deny' && rule.action !== 'ask') continue;
      for (const sp of rule.when.path_matches ?? []) out.push(sp.value);
    }
  }
  return out;
}

export function sensitiveMatcher(extra: readonly string[] = [], policy?: PolicySet): SensitiveMatcher {
  const globs = [...new Set([...BUILTIN_SENSITIVE_PATHS, ...policySensitivePaths(policy), ...extra])];
  // Case ignored: on macOS and Windows `.ENV` and `.SSH/id_rsa` are the same files.
  const compiled = globs.map((g) => ({ glob: g, test: compilePathGlob(g, { nocase: true }) }));
  return {
    match(path: string): string | null {
      for (const c of compiled) if (c.test(path)) return c.glob;
      return null;
    },
  };
}
