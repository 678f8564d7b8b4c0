import { chmodSync, existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { GateMode } from '../types';
import { isExecutable } from '../executable';

/** Names of the environment variables a session sets for the agent. */
export const ENV = {
  gate: 'RAMPART_GATE',
  tokenFile: 'RAMPART_TOKEN_FILE',
  session: 'RAMPART_SESSION',
  mode: 'RAMPART_MODE',
  agent: 'RAMPART_AGENT',
  realShell: 'RAMPART_REAL_SHELL',
  failBehaviour: 'RAMPART_GATE_FAIL',
} as const;

/**
 * What the shim (and the Claude Code hook) do when the gate cannot be reached
 * or refuses the request: `closed` blocks the call, `open` runs it with a
 * warning on stderr. Unset, enforce mode is closed and monitor mode open.
 */
export type FailBehaviour = 'closed' | 'open';

export interface ShimPaths {
  /** The `SHELL` replacement. */
  shell: string;
  /** The wrapper directory (bash, sh, zsh, dash) prepended to PATH. */
  binDir: string;
}

let cachedShim: ShimPaths | null = null;

/**
 * Finds `shim/` next to the running code: `dist/` in the bundle, `src/core/gate/`
 * under tsx. Makes sure the scripts are executable (archives may drop the bit).
 */
export function shimPaths(): ShimPaths {
  if (cachedShim) return cachedShim;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const shell = join(dir, 'shim', 'rampart-shell');
    if (existsSync(shell)) {
      const binDir = join(dir, 'shim', 'bin');
      for (const f of [shell, ...readdirSync(binDir).map((n) => join(binDir, n))]) {
        if ((statSync(f).mode & 0o111) !== 0o111) chmodSync(f, 0o755);
      }
      cachedShim = { shell, binDir };
      return cachedShim;
    }
    if (dirname(dir) === dir) throw new Error(`rampart-learn: shim/rampart-shell not found above ${__dirname}`);
  }
}

export interface SessionEnvOptions {
  /** `127.0.0.1:PORT` or `unix:/path/to/socket`. */
  gate: string;
  tokenFile: string;
  session: string;
  mode: GateMode;
  agent?: string;
  /** Set RAMPART_GATE_FAIL; left out, the shim uses the mode's default. */
  failBehaviour?: FailBehaviour;
  /** The environment the agent would otherwise get (SHELL and PATH are taken from it). */
  baseEnv?: NodeJS.ProcessEnv;
}

/** The user's real shell: their SHELL unless it is already our shim, else bash, else sh. */
function realShell(base: NodeJS.ProcessEnv, shim: ShimPaths): string {
  const candidates = [base[ENV.realShell], base.SHELL, '/bin/bash', '/bin/sh'];
  for (const c of candidates) {
    if (!c || !c.startsWith('/') || !isExecutable(c)) continue;
    const real = realpathSync(c);
    if (real !== realpathSync(shim.shell) && dirname(real) !== realpathSync(shim.binDir)) return c;
  }
  return '/bin/sh';
}

/**
 * The variables to add to an agent's environment so its shell commands reach
 * the gate: SHELL and CLAUDE_CODE_SHELL point at the shim, PATH starts with
 * the wrapper directory, and the gate address, token file path, session,
 * mode and (when given) the fail behaviour are set. Merge the result over the base environment.
 */
export function sessionEnv(opts: SessionEnvOptions): Record<string, string> {
  const base = opts.baseEnv ?? process.env;
  const shim = shimPaths();
  const path = (base.PATH ?? '/usr/local/bin:/usr/bin:/bin')
    .split(delimiter)
    .filter((p) => p && resolve(p) !== shim.binDir);
  const env: Record<string, string> = {
    SHELL: shim.shell,
    CLAUDE_CODE_SHELL: shim.shell,
    PATH: [shim.binDir, ...path].join(delimiter),
    [ENV.realShell]: realShell(base, shim),
    [ENV.gate]: opts.gate,
    [ENV.tokenFile]: opts.tokenFile,
    [ENV.session]: opts.session,
    [ENV.mode]: opts.mode,
  };
  if (opts.agent) env[ENV.agent] = opts.agent;
  if (opts.failBehaviour) env[ENV.failBehaviour] = opts.failBehaviour;
  return env;
}
