import './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { lintDiagnostics } from '../../src/extension/lintDiagnostics';
import { LineIndex } from '../../src/extension/ranges';
import { TypoFixes } from '../../src/extension/typoFixes';

const TEXT = `version: "1"
policies:
  - name: p
    match: { tool: exec }
    rules:
      - action: "alow"
        when: { comand_matches: ["ls"] }
      - action: deny
        when:
          command_matches: ["rm -rf *"]
        mesage: no
`;

test('each "did you mean" lint hint has a quick fix that writes the meant word, quotes kept; other diagnostics have none', () => {
  const index = new LineIndex(TEXT);
  const lines = TEXT.split('\n');
  const at = (p: vscode.Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const doc = { uri: vscode.Uri.file('/ws/rampart.yaml'), getText: (r?: vscode.Range) => (r ? TEXT.slice(at(r.start), at(r.end)) : TEXT) } as unknown as vscode.TextDocument;
  const diagnostics = lintDiagnostics(TEXT, '/ws/rampart.yaml', index);
  const actions = new TypoFixes().provideCodeActions(doc, diagnostics[0]!.range, { diagnostics, triggerKind: 1, only: undefined } as unknown as vscode.CodeActionContext);
  const applied = actions.map((a) => {
    const [r] = (a.edit as unknown as { replacements: { range: vscode.Range; newText: string }[] }).replacements;
    return [a.title, TEXT.slice(at(r!.range.start), at(r!.range.end)), r!.newText, a.isPreferred];
  });
  assert.deepEqual(applied, [
    ['Change to allow', '"alow"', '"allow"', true],
    ['Change to command_matches', 'comand_matches', 'command_matches', true],
    ['Change to message', 'mesage', 'message', true],
  ]);
  const other = diagnostics.filter((d) => !/did you mean/.test(d.message));
  assert.deepEqual(new TypoFixes().provideCodeActions(doc, other[0]?.range ?? diagnostics[0]!.range, { diagnostics: other } as unknown as vscode.CodeActionContext), []);
});
