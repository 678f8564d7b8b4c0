// "Install Claude Code Hooks": runs the bundled CLI's `setup claude-code`, so
// the extension and the CLI edit Claude Code's settings the same way (backup,
// other settings intact, idempotent). The hook calls this extension's CLI
// through a launcher at a stable path (see hookLauncher.ts).
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { shellQuote } from '../core/shell/quote';
import { requireFolder } from './folders';
import { writeHookLauncher } from './hookLauncher';

/** The node binary for the hook: in desktop VS Code the host runs on Electron, so use `node` from PATH. */
function nodeBinary(): string {
  return process.versions.electron ? 'node' : process.execPath;
}

const cliOf = (extensionPath: string) => join(extensionPath, 'dist', 'cli.js');

/** On activation: points an installed hook's launcher at this version's CLI. */
export function refreshHookLauncher(storageDir: string, extensionPath: string, log: vscode.LogOutputChannel): void {
  try {
    const { path, written } = writeHookLauncher(storageDir, nodeBinary(), cliOf(extensionPath), false);
    if (written) log.info(`Claude Code hook launcher ${path} now runs ${cliOf(extensionPath)}`);
  } catch (err) {
    log.warn(`could not update the Claude Code hook launcher: ${(err as Error).message}`);
  }
}

export async function installClaudeHooks(storageDir: string, extensionPath: string, log: vscode.LogOutputChannel): Promise<void> {
  const scope = await vscode.window.showQuickPick(
    [
      { label: 'This project', description: '.claude/settings.local.json', flag: '--project' },
      { label: 'All projects (user)', description: '~/.claude/settings.json', flag: '--user' },
    ],
    { title: 'Install the Rampart PreToolUse hook for Claude Code' },
  );
  if (!scope) return;
  const folder = scope.flag === '--project' ? await requireFolder('Install Claude Code Hooks for this project', "the folder's .claude/settings.local.json") : undefined;
  if (scope.flag === '--project' && !folder) return;
  const cli = cliOf(extensionPath);
  const { path: launcher } = writeHookLauncher(storageDir, nodeBinary(), cli, true);
  const hook = `${shellQuote(launcher!)} hook claude-code`;
  const out = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      [cli, 'setup', 'claude-code', scope.flag, '--command', hook],
      { cwd: folder?.uri.fsPath, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 30_000 },
      (err, stdout, stderr) => (err ? reject(new Error((stderr || err.message).trim())) : resolve(`${stdout}${stderr}`.trim())),
    ),
  );
  log.info(`setup claude-code ${scope.flag}: ${out}`);
  void vscode.window.showInformationMessage(`Rampart: ${out.split('\n')[0] || 'Claude Code hook installed.'}`);
}
