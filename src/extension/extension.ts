// Entry point of the VS Code extension. Activation only registers views,
// commands and providers; the gate, the telemetry store (sql.js) and the model
// load on first use, so opening a workspace stays cheap.
import * as vscode from 'vscode';
import { ReviewerView, REVIEWER_VIEW_ID } from './reviewer';
import { RampartStatusBar } from './statusBar';
import { registerCommands } from './commands';
import { RampartContext } from './context';

let ctx: RampartContext | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Rampart Learn', { log: true });
  const statusBar = new RampartStatusBar();
  ctx = new RampartContext(context, output, statusBar);
  const reviewer = new ReviewerView(context.extensionUri, () => ctx!.reviewerBackend());
  ctx.reviewer = reviewer;
  context.subscriptions.push(
    output,
    statusBar,
    vscode.window.registerWebviewViewProvider(REVIEWER_VIEW_ID, reviewer, { webviewOptions: { retainContextWhenHidden: true } }),
    ...registerCommands(ctx),
  );
  ctx.start();
  output.info(`Rampart Learn activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export async function deactivate(): Promise<void> {
  await ctx?.dispose();
  ctx = undefined;
}
