// Environment variables that make the program a component runs load or run
// other code (the dynamic loader, shell start-up, interpreter options, git's
// helper commands). A granting rule (allow, watch) never grants a component
// that sets one of them: `ls *` must not allow `LD_PRELOAD=/tmp/x.so ls`.
// The list is kept narrow so routine prefixes (`PYTHONPATH=src pytest`,
// `NODE_OPTIONS=--max-old-space-size=4096 npm run build`) still pass.
// See docs/policy-format.md ("Shell-aware command matching").
import type { CommandComponent } from '../shell/index';

/** Dangerous whatever their value. */
const ALWAYS = new Set([
  'LD_PRELOAD', 'LD_AUDIT', 'LD_ORIGIN_PATH', 'LD_PROFILE', 'GCONV_PATH', 'HOSTALIASES',
  'BASH_ENV', 'ENV', 'PROMPT_COMMAND', 'PS4', 'SHELLOPTS', 'BASHOPTS', 'IFS', 'ZDOTDIR',
  'PERL5OPT', 'PERL5DB', 'RUBYOPT', 'PYTHONSTARTUP', 'PYTHONHOME',
  'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_EXEC_PATH', 'GIT_EXTERNAL_DIFF', 'GIT_ASKPASS', 'SSH_ASKPASS', 'GIT_PROXY_COMMAND',
  'GIT_CONFIG', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM', 'GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT', 'GIT_TEMPLATE_DIR',
  'LESSOPEN', 'LESSCLOSE', 'NPM_CONFIG_SCRIPT_SHELL', 'npm_config_script_shell', 'DOTNET_STARTUP_HOOKS', 'PYTEST_PLUGINS', 'TOX_OVERRIDE',
]);

/**
 * Search paths for code, and the files and folders a tool takes its settings
 * or its repository from (a pip.conf, a wgetrc, a compose file, another
 * git work tree): dangerous unless every entry stays in the project.
 */
const SEARCH_PATHS = new Set(['LD_LIBRARY_PATH', 'PATH', 'PYTHONPATH', 'PERL5LIB', 'PERLLIB', 'RUBYLIB', 'NODE_PATH',
  'PIP_CONFIG_FILE', 'UV_CONFIG_FILE', 'NPM_CONFIG_USERCONFIG', 'npm_config_userconfig', 'NPM_CONFIG_GLOBALCONFIG', 'npm_config_globalconfig',
  'WGETRC', 'CURL_HOME', 'COMPOSE_FILE', 'GIT_DIR', 'GIT_WORK_TREE', 'KUBECONFIG', 'DOCKER_CONFIG', 'BUNDLE_GEMFILE', 'COMPOSER', 'TF_CLI_CONFIG_FILE',
  'ANSIBLE_CONFIG', 'OPENSSL_CONF', 'DEVELOPER_DIR', 'COMPILER_PATH', 'GCC_EXEC_PREFIX', 'CARGO_HOME', 'UVICORN_APP_DIR',
  // php.ini files, a Vagrantfile (Ruby) and its plugins, yarn's own program
  'PHPRC', 'VAGRANT_VAGRANTFILE', 'VAGRANT_CWD', 'VAGRANT_HOME', 'YARN_YARN_PATH']);

/** Where packages come from: dangerous unless the registry is on this machine (a local mirror such as Verdaccio or devpi). */
const PACKAGE_INDEXES = new Set(['PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_FIND_LINKS', 'PIP_TRUSTED_HOST', 'UV_INDEX_URL', 'UV_EXTRA_INDEX_URL',
  'UV_INDEX', 'UV_DEFAULT_INDEX', 'UV_FIND_LINKS', 'NPM_CONFIG_REGISTRY', 'npm_config_registry', 'YARN_REGISTRY', 'YARN_NPM_REGISTRY_SERVER',
  'BUN_CONFIG_REGISTRY', 'CARGO_REGISTRIES_CRATES_IO_INDEX', 'GOPROXY', 'GOSUMDB', 'GONOSUMDB', 'GOINSECURE', 'GOPRIVATE', 'GONOPROXY']);

/** JVM options that load an agent or run a program on a crash. */
const JVM_AGENT = /-javaagent|-agentpath|-agentlib|-XX:OnOutOfMemoryError|-XX:OnError/;
/** Rust flags that set a linker or link arguments, unstable options or a compiler plugin: programs the build runs. */
const RUST_LINKER = /linker|link-args?=|-Z|plugin/;
/** Make flags naming another makefile, directory or include path, inline make code or a shell (`--eval=…`); `-j8` is fine. */
const MAKE_ELSEWHERE = /--eval|--file|--makefile|--directory|--include-dir|SHELL|(^|\s)-?[A-Za-z]*[fCIE]/;

/** Option variables: dangerous when they load code (`--require`, `-javaagent`). */
const OPTIONS: Record<string, RegExp> = {
  NODE_OPTIONS: /(^|\s)(-r|--require|--import|--loader|--experimental-loader|--experimental-policy)(?=[\s=]|$)|(^|\s)-r\S/,
  JAVA_TOOL_OPTIONS: JVM_AGENT,
  _JAVA_OPTIONS: JVM_AGENT,
  JDK_JAVA_OPTIONS: JVM_AGENT,
  MAVEN_OPTS: new RegExp(`${JVM_AGENT.source}|maven\\.ext\\.class\\.path`),
  GRADLE_OPTS: JVM_AGENT,
  // a plugin loaded (`-p x`, not `-p no:x`), a config, root or temporary folder chosen, output uploaded
  PYTEST_ADDOPTS: /(^|\s)-p\s*(?!no:)\S|(^|\s)-c(\s|=|$)|--rootdir|--confcutdir|--basetemp|--pastebin|(^|\s)(-o|--override-ini)/,
  // a config file is Python gunicorn runs
  GUNICORN_CMD_ARGS: /(^|\s)(-c|--config)(?=[\s=]|$)|(^|\s)-c\S/,
  RUSTFLAGS: RUST_LINKER,
  CARGO_ENCODED_RUSTFLAGS: RUST_LINKER,
  GOFLAGS: /-toolexec|-exec|-overlay|-modfile|ldflags/,
  MAKEFLAGS: MAKE_ELSEWHERE,
  MFLAGS: MAKE_ELSEWHERE,
};

/** Programs run through a shell: fine when the value is a bare program name (with flags) that is not a shell. */
const COMMANDS = new Set(['PAGER', 'MANPAGER', 'EDITOR', 'VISUAL', 'BROWSER',
  // the compilers and linkers build tools run
  'CC', 'CXX', 'CPP', 'LD', 'AR', 'AS', 'FC', 'RUSTC', 'RUSTDOC']);

/**
 * Names that by convention hold a command line the program runs (`RESTIC_PASSWORD_COMMAND`,
 * `BORG_PASSCOMMAND`, `SUDO_ASKPASS`, `FOO_CMD`, `RUSTC_WRAPPER`, `CARGO_TARGET_<triple>_RUNNER`, `GIT_PAGER`,
 * `GIT_SEQUENCE_EDITOR`, `GH_BROWSER`): judged like COMMANDS.
 */
const COMMAND_NAME = /(_COMMAND|_PASSCOMMAND|_CMD|_ASKPASS|_RUNNER|_LINKER|_WRAPPER|_PAGER|_EDITOR|_BROWSER)$/i;

/**
 * Names that by convention hold where a tool reads its settings, plugins or its
 * own program from, or writes a file (`JUPYTER_CONFIG_DIR`,
 * `CYPRESS_RUN_BINARY`, `RUFF_OUTPUT_FILE`, Ansible's `ANSIBLE_*_PLUGINS`
 * folders): dangerous unless they stay in the project, like the search paths.
 */
const SETTINGS_NAME = /(_CONFIG|_CONFIG_DIR|_CONFIG_FILE|_CONFIG_PATHS?|_CONFIG_HOME|_BINARY|_OUTPUT_FILE|_PLUGINS?_DIR|_INI_SCAN_DIR)$/i;
const ANSIBLE_PLUGINS = /^ANSIBLE_[A-Z_]*PLUGINS$/;
/** git's trace variables take a file to append to (`GIT_TRACE=/home/u/.bashrc`); `1` or `2` writes to the terminal. */
const GIT_TRACE = /^GIT_TRACE/;

/**
 * Endpoints a cloud CLI sends its signed requests and tokens to: dangerous
 * unless they point at this machine (a local emulator such as LocalStack).
 */
const ENDPOINTS = /^(AWS_ENDPOINT_URL(_[A-Z0-9_]+)?|AWS_CA_BUNDLE|CLOUDSDK_API_ENDPOINT_OVERRIDES_[A-Z0-9_]+|CLOUDSDK_CORE_API_HOST|DIGITALOCEAN_API_URL|AZURE_AUTHORITY_HOST)$/;
const LOCAL_ENDPOINT = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/;
const PLAIN_PROGRAM = /^[A-Za-z0-9_.+-]*( +-{1,2}[A-Za-z0-9_=.-]+)*$/;
const SHELL_NAMES = /^(sh|bash|zsh|dash|ksh|mksh|fish|csh|tcsh|ash|busybox|python[0-9.]*|perl|ruby|node|php|lua|env|xargs|eval|exec)( |$)/;

/**
 * Root-owned system directories (not /usr/local, often the user's own),
 * Homebrew's prefix (whose programs are on PATH anyway) and Xcode's toolchain
 * (`$(xcode-select --print-path)/…`): a library found there was not planted
 * by the agent.
 */
const SYSTEM_DIR = /^(\/(usr\/(?!local(\/|$))|usr$|lib(64)?(\/|$)|bin(\/|$)|sbin(\/|$)|System\/|Library\/Developer\/|Applications\/Xcode[^/]*\.app\/|opt\/homebrew\/|home\/linuxbrew\/\.linuxbrew\/)|\$\(xcode-select (--print-path|-p)\)(\/|$))/;

/**
 * A search-path entry that stays in the project or the system: `$PATH` /
 * `${PATH}` (the variable's own earlier value), `$PWD`, `$(pwd)`, a relative
 * path, a system directory; never `..`.
 */
function localEntry(name: string, entry: string): boolean {
  if (entry === `$${name}` || entry === `\${${name}}`) return true;
  if (/(^|\/)\.\.(\/|$)/.test(entry)) return false;
  if (SYSTEM_DIR.test(entry)) return true;
  const rest = entry.replace(/^(\$PWD|\$\{PWD\}|\$\(pwd\)|`pwd`)(?=\/|$)/, '.');
  return !/^[/~$`\\]/.test(rest) && !/^[A-Za-z]:/.test(rest);
}

/** Whether every entry of a `:`-separated value stays in the project or the system. */
function allLocal(name: string, value: string): boolean {
  return value.split(':').every((e) => localEntry(name, e));
}

/** Whether setting `name=value` for a command can make it load or run code outside the command line. */
export function isInjectionVariable(name: string, value: string): boolean {
  if (ALWAYS.has(name)) return true;
  if (name.startsWith('LD_')) return name !== 'LD_LIBRARY_PATH' || !allLocal(name, value);
  if (name.startsWith('DYLD_')) return !name.endsWith('_PATH') || !allLocal(name, value);
  if (name.startsWith('GIT_CONFIG_KEY_') || name.startsWith('GIT_CONFIG_VALUE_')) return true;
  // Lua runs LUA_INIT (or the file it names with @) before the script
  if (/^LUA_INIT(_\d+_\d+)?$/.test(name)) return true;
  // a Docker daemon elsewhere runs the containers (and sees the mounts): only this machine's socket or port
  if (name === 'DOCKER_HOST') return !/^(unix:\/\/|npipe:\/\/|tcp:\/\/(localhost|127\.0\.0\.1)(:\d+)?$)/.test(value.trim());
  if (SEARCH_PATHS.has(name) || SETTINGS_NAME.test(name) || ANSIBLE_PLUGINS.test(name) || GIT_TRACE.test(name)) return !allLocal(name, value);
  const opt = OPTIONS[name];
  if (opt) return opt.test(value);
  if (COMMANDS.has(name) || COMMAND_NAME.test(name)) return !PLAIN_PROGRAM.test(value.trim()) || SHELL_NAMES.test(value.trim());
  if (ENDPOINTS.test(name)) return !LOCAL_ENDPOINT.test(value.trim());
  // GOPROXY=direct fetches from the source repositories, still checked against the checksum database
  if (PACKAGE_INDEXES.has(name)) return !LOCAL_ENDPOINT.test(value.trim()) && !(name === 'GOPROXY' && value.trim() === 'direct');
  return false;
}

/** Builtins whose NAME=value arguments set (and may export) variables for later commands. */
const DECLARERS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)\+?=/;

/**
 * Whether a component sets a variable that injects code into what it runs:
 * as a prefix (`LD_PRELOAD=x ls`, `env LD_PRELOAD=x ls`), as a statement of
 * its own (`LD_PRELOAD=x`), or through `export`/`declare` (`export BASH_ENV=x`).
 */
export function injectsCode(c: CommandComponent): boolean {
  for (const name in c.env) if (isInjectionVariable(name, c.env[name]!)) return true;
  if (DECLARERS.has(c.binary)) {
    for (let k = 1; k < c.argv.length; k++) {
      const m = ASSIGNMENT.exec(c.argv[k]!);
      if (m && isInjectionVariable(m[1]!, c.argv[k]!.slice(m[0].length))) return true;
    }
  }
  return false;
}
