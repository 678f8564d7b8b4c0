// The extension checks that need a real VS Code (not the unit stub): run
// inside a downloaded VS Code by `npm run test:electron` (see run.mjs). The
// extension host loads this bundle and calls `run()`; a rejection fails the run.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { join } from 'node:path';

const EXTENSION_ID = 'rampart-learn.rampart-learn';

/** Polls until `check` returns a value (VS Code updates diagnostics and views asynchronously). */
async function eventually<T>(what: string, check: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

const checks: [string, () => Promise<void>][] = [
  ['activates in a workspace with a rampart.yaml', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed in the test host`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  }],
  ['registers every contributed command', async () => {
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
  }],
  ['declares the gate fail behaviour setting, closed by default', async () => {
    assert.equal(vscode.workspace.getConfiguration('rampartLearn').get('gate.failBehaviour'), 'closed');
  }],
  ['lints a broken rampart.yaml on the exact range', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test host opens the fixture workspace');
    const uri = vscode.Uri.file(join(folder.uri.fsPath, 'broken', 'rampart.yaml'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diagnostic = await eventually('a diagnostic on broken/rampart.yaml', () =>
      vscode.languages.getDiagnostics(uri).find((d) => /defualt_action/.test(doc.getText(d.range))),
    );
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
  }],
  ['opens the Reviewer view', async () => {
    await vscode.commands.executeCommand('rampartLearn.reviewer.focus');
  }],
];

export async function run(): Promise<void> {
  const failures: string[] = [];
  for (const [name, check] of checks) {
    try {
      await check();
      console.log(`ok - ${name}`);
    } catch (err) {
      failures.push(name);
      console.error(`not ok - ${name}\n  ${(err as Error).stack ?? err}`);
    }
  }
  console.log(`${checks.length - failures.length}/${checks.length} passed`);
  if (failures.length) throw new Error(`${failures.length} check(s) failed: ${failures.join('; ')}`);
}
