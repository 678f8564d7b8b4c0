// Registers every `rampartLearn.*` command. Each one is a thin call into the
// context; errors surface as one notification and a line in the output channel.
import * as vscode from 'vscode';
import type { RampartContext } from './context';

type Handler = (...args: unknown[]) => unknown;

export function registerCommands(ctx: RampartContext): vscode.Disposable[] {
  const commands: Record<string, Handler> = {
    runAgent: () => ctx.runAgent(),
    stopAgent: (item) => ctx.stopAgent(item),
    learnFromSession: (item) => ctx.learnFromSession(item),
    analyzeClaudeHistory: () => ctx.analyzeClaudeHistory(),
    applyLearnedRules: () => ctx.applyLearnedRules(),
    restoreDismissed: () => ctx.restoreDismissed(),
    openPolicy: () => ctx.openPolicy(),
    exportCsv: () => ctx.exportCsv(),
    trainModel: () => ctx.trainModel(),
    verifyAudit: () => ctx.verifyAudit(),
    installClaudeHooks: () => ctx.installClaudeHooks(),
    showOutput: () => ctx.output.show(),
    openAudit: (item) => ctx.openAudit(item),
    refreshReviewer: () => ctx.reviewer?.refresh(),
  };
  return Object.entries(commands).map(([name, handler]) =>
    vscode.commands.registerCommand(`rampartLearn.${name}`, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (err) {
        ctx.output.error(`${name}: ${(err as Error).stack ?? err}`);
        void vscode.window.showErrorMessage(`Rampart: ${(err as Error).message}`);
      }
    }),
  );
}
