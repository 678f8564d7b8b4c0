import './vscode-stub';
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commands, window, workspace } from './vscode-stub';
import { LineIndex } from '../../src/extension/ranges';
import { proposePolicyEdit, type BeforeSnapshots } from '../../src/extension/policyEdit';

const FILE = '/ws/rampart.yaml';
const TEXT = 'version: "1"\npolicies:\n  - name: a\n';
const EDITS = [{ offset: TEXT.length, length: 0, newText: '  - name: learned-exec\n' }];

/**
 * A policy document that counts its saves (its positions are those of the
 * edited text, which agree with the original's up to the insertion), a
 * snapshot store, and the diffs opened.
 */
function setup() {
  const index = new LineIndex(TEXT + EDITS[0].newText);
  const doc = { uri: vscode.Uri.file(FILE), saves: 0, getText: () => TEXT, positionAt: (o: number) => index.position(o), save: async () => void doc.saves++ };
  const snapshots = { add: () => vscode.Uri.file('/before') } as unknown as BeforeSnapshots;
  const diffs: unknown[][] = [];
  const sub = commands.registerCommand('vscode.diff', (...args: unknown[]) => void diffs.push(args));
  return { doc: doc as typeof doc & vscode.TextDocument, snapshots, diffs, sub };
}

afterEach(() => {
  workspace.applied.splice(0);
  workspace.applyResult = true;
  workspace.settings.clear();
  window.messages.splice(0);
  window.shownDocuments.splice(0);
});

test('without auto save the edit stays unsaved, the diff opens on the inserted rule, and the message says so', async () => {
  const { doc, snapshots, diffs, sub } = setup();
  try {
    assert.equal(await proposePolicyEdit(doc, EDITS, '`git *`', snapshots), 'unsaved');
    assert.equal(doc.saves, 0);
    assert.equal(workspace.applied[0].replacements[0].metadata, undefined, 'applied at once, no preview');
    assert.equal(diffs.length, 1);
    const [, right, title, options] = diffs[0] as [unknown, vscode.Uri, string, { selection: vscode.Range }];
    assert.equal(right.fsPath, FILE);
    assert.equal(title, 'rampart.yaml: `git *` added');
    assert.doesNotMatch(title, /unsaved/, 'a tab title outlives the save');
    // The inserted line is selected, in the diff and in the policy's own editor.
    assert.deepEqual([options.selection.start.line, options.selection.start.character, options.selection.end.line], [3, 2, 3]);
    assert.deepEqual((window.shownDocuments[0].options as { selection: vscode.Range }).selection, options.selection);
    assert.match(window.messages[0], /added `git \*` to rampart\.yaml, not saved: review the diff, then save/);
  } finally {
    sub.dispose();
  }
});

test('with files.autoSave on, the edit is previewed first and saved once applied, and the message says it is in force', async () => {
  const { doc, snapshots, diffs, sub } = setup();
  workspace.settings.set('files.autoSave', 'afterDelay');
  try {
    assert.equal(await proposePolicyEdit(doc, EDITS, '`git *`', snapshots), 'saved');
    assert.deepEqual(workspace.applied[0].replacements.map((r) => r.metadata), [{ label: 'Rampart: add `git *`', needsConfirmation: true }]);
    assert.equal(doc.saves, 1);
    assert.equal(diffs.length, 0, 'the refactor preview was the diff');
    assert.equal(window.shownDocuments.length, 1, 'the rule is revealed');
    assert.match(window.messages[0], /added `git \*` to rampart\.yaml and saved it \(files\.autoSave is on\), so it is in force now/);
  } finally {
    sub.dispose();
  }
});

test('in the preview, a pattern and its guards are one entry, so neither is applied alone', async () => {
  const { doc, snapshots, sub } = setup();
  workspace.settings.set('files.autoSave', 'afterDelay');
  const text = doc.getText();
  const split = [{ offset: 9, length: 0, newText: '[pattern]' }, { offset: text.length, length: 0, newText: '[guards]\n' }];
  try {
    await proposePolicyEdit(doc, split, '`git *`', snapshots);
    const [one] = workspace.applied[0].replacements;
    assert.equal(workspace.applied[0].replacements.length, 1);
    assert.equal(one.newText, `${text.slice(9, text.length).replace(/^/, '[pattern]')}[guards]\n`);
  } finally {
    sub.dispose();
  }
});

test('an edit discarded in the preview changes and says nothing', async () => {
  const { doc, snapshots, diffs, sub } = setup();
  workspace.settings.set('files.autoSave', 'onFocusChange');
  workspace.applyResult = false;
  try {
    assert.equal(await proposePolicyEdit(doc, EDITS, '`git *`', snapshots), 'discarded');
    assert.deepEqual([doc.saves, diffs.length, window.messages.length, window.shownDocuments.length], [0, 0, 0, 0]);
  } finally {
    sub.dispose();
  }
});
