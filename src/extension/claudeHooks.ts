// "Install Claude Code Hooks": runs the bundled CLI's `setup claude-code`, so
// the extension and the CLI edit Claude Code's settings the same way (backup,
// other settings intact, idempotent). The hook calls this extension's CLI.
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { shellQuote } from './agentCommand';
import { requireFolder } from './folders';

/** The node binary for the hook: in desktop VS Code the host runs on Electron, so use `node` from PATH. */
function nodeBinary(): string {
  return process.versions.electron ? 'node' : process.execPath;
}

export async function installClaudeHooks(extensionPath: string, log: vscode.LogOutputChannel): Promise<void> {
  const scope = await vscode.window.showQuickPick(
    [
      { label: 'This project', description: '.claude/settings.local.json', flag: '--project' },
      { label: 'All projects (user)', description: '~/.claude/settings.json', flag: '--user' },
    ],
    { title: 'Install the Rampart PreToolUse hook for Claude Code' },
  );
  if (!scope) return;
  const folder = scope.flag === '--project' ? await requireFolder('Install Claude Code Hooks for this project') : undefined;
  if (scope.flag === '--project' && !folder) return;
  const cli = join(extensionPath, 'dist', 'cli.js');
  const hook = `${shellQuote(nodeBinary())} ${shellQuote(cli)} hook claude-code`;
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
