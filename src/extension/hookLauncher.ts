// The command Claude Code's hook runs: a launcher script at a stable path in
// the extension's global storage, which runs the installed version's CLI. The
// extension folder's name carries its version, so a hook naming dist/cli.js
// there would break on the first update (and, failing closed, block every
// Claude Code call). Activation rewrites the launcher when it is stale.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { shellQuote } from '../core/shell/quote';

export function hookLauncherPath(storageDir: string): string {
  return join(storageDir, 'bin', 'rampart-learn');
}

export function hookLauncherScript(node: string, cli: string): string {
  return `#!/bin/sh\n# Written by the Rampart Learn extension when it activates: runs its CLI.\nexec ${shellQuote(node)} ${shellQuote(cli)} "$@"\n`;
}

/**
 * Writes the launcher if it is missing (only with `create`) or stale.
 * Returns its path, and whether it was (re)written; no path when it is absent and not created.
 */
export function writeHookLauncher(storageDir: string, node: string, cli: string, create: boolean): { path?: string; written: boolean } {
  const path = hookLauncherPath(storageDir);
  const exists = existsSync(path);
  if (!exists && !create) return { written: false };
  const script = hookLauncherScript(node, cli);
  if (exists && readFileSync(path, 'utf8') === script) return { path, written: false };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return { path, written: true };
}
