import './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commands, window, workspace } from './vscode-stub';
import type { BeforeSnapshots } from '../../src/extension/policyEdit';
import { learnedDiagnostics } from '../../src/extension/learnedDiagnostics';
import { emptySuggestions } from '../../src/core/learn/types';
import { LineIndex } from '../../src/extension/ranges';
import { pickText } from '../../src/extension/pickText';
import { ALLOW_COMMAND, DISMISS_COMMAND, DISMISS_ONE_COMMAND, FULL_MENU_MAX, LearnedQuickFixes, OTHER_ALTERNATIVE_COMMAND, registerQuickFixCommands, restoreDismissed, REVIEW_COMMAND } from '../../src/extension/quickFixes';
import { LearnState } from '../../src/extension/learnState';
import { registerCommands } from '../../src/extension/commands';
import type { RampartContext } from '../../src/extension/context';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PatternEntry, Suggestions } from '../../src/core/learn/types';

const FILE = '/ws/rampart.yaml';
const POLICY = `# team policy
version: "1"
policies:
  - name: block-danger
    match: { tool: ["exec"] }
    rules:
      - action: deny
        when: { command_matches: ["rm -rf *"] }
`;

/** An exec entry whose default is `<cmd> *`, with an exact alternative ranked first. */
function execEntry(cmd: string, count: number): PatternEntry {
  return {
    pattern: `${cmd} *`, count, examples: [`${cmd} --version`],
    alternatives: [
      { pattern: `${cmd} --version`, kind: 'exact', covers: 1 },
      { pattern: `${cmd} *`, kind: 'prefix', covers: count },
    ],
  };
}

function pathEntry(path: string): PatternEntry {
  return { pattern: path, count: 2, examples: [path], alternatives: [{ pattern: path, kind: 'exact', covers: 2 }] };
}

/** The provider over `suggestions` shown on POLICY (all on `policies:`), asked about a document holding `text`. */
function setup(suggestions: Suggestions, text = POLICY) {
  const { findings } = learnedDiagnostics({ text: POLICY, suggestions, dismissed: new Set() });
  const warnings: string[] = [];
  const provider = new LearnedQuickFixes(
    { findingsOf: () => findings },
    { get: () => ({ suggestions, examples: new Map(), origin: 'test', calls: [] }) },
    { warn: (m: string) => void warnings.push(m) },
  );
  const index = new LineIndex(text);
  const doc = { uri: vscode.Uri.file(FILE), getText: () => text, positionAt: (o: number) => index.position(o) } as unknown as vscode.TextDocument;
  const menu = (diagnostics = findings.map((f) => f.diagnostic)) =>
    provider.provideCodeActions(doc, diagnostics[0].range, { diagnostics, triggerKind: 1, only: undefined } as unknown as vscode.CodeActionContext);
  return { findings, menu, warnings, doc, learned: { suggestions, examples: new Map(), origin: 'test', calls: [] } };
}

const SNAPSHOTS = { add: () => vscode.Uri.file('/before') } as unknown as BeforeSnapshots;

function suggestionsOf(parts: Partial<Pick<Suggestions, 'exec' | 'read' | 'write' | 'fetch'>>): Suggestions {
  return { ...emptySuggestions(), ...parts };
}

const MANY = suggestionsOf({
  exec: ['git', 'npm', 'pnpm', 'echo', 'ls', 'cat'].map((c, i) => execEntry(c, i + 2)),
  read: [pathEntry('docs/tasks.md')],
  write: [pathEntry('docs/tasks.md')],
});

test('one suggestion under the cursor gets every alternative, the default preferred, and its own Dismiss', () => {
  const { findings, menu } = setup(MANY);
  const git = findings.find((f) => f.id === 'exec:git *')!;
  const actions = menu([git.diagnostic]);
  assert.deepEqual(actions.map((a) => a.title), [
    'Allow exactly `git --version`',
    'Allow `git *` (covers 2 observed calls)',
    'Apply all learned exec rules (6)',
    'Dismiss exec suggestion `git *`',
  ]);
  assert.deepEqual(actions.map((a) => !!a.isPreferred), [false, true, false, false]);
  // The alternatives are proposed by a command (diff, reveal, no auto save), not applied as a bare edit.
  assert.ok(actions.every((a) => !a.edit));
  assert.equal(actions[0].command?.command, ALLOW_COMMAND);
  assert.deepEqual(actions[0].command?.arguments, [FILE, [{ kind: 'exec', entry: { ...git.entry, pattern: 'git --version', notMatches: undefined, count: 1 } }]]);
  assert.deepEqual(actions[3].command?.arguments, [FILE, ['exec:git *']]);
});

test('many suggestions on one range get a short menu: one default each, bulk actions first', () => {
  const { findings, menu } = setup(MANY);
  assert.ok(findings.length > FULL_MENU_MAX);
  const actions = menu();
  const titles = actions.map((a) => a.title);
  assert.deepEqual(titles.slice(0, 7), [
    'Review all 8 learned rules…',
    'Apply all learned exec rules (6)',
    'Dismiss all 8 suggestions here',
    'Dismiss one of these 8 suggestions…',
    'Allow another alternative (6)…',
    'Allow `git *` (covers 2 observed calls)',
    'Allow `npm *` (covers 3 observed calls)',
  ]);
  // One row per suggestion plus five bulk actions, instead of every alternative and every Dismiss.
  assert.equal(actions.length, findings.length + 5);
  assert.ok(!titles.some((t) => t.startsWith('Allow exactly')), `non-default alternatives offered: ${titles}`);
  // VS Code lists preferred fixes first: none is, so "Review all…" stays on top as documented.
  assert.ok(actions.every((a) => !a.isPreferred));
  assert.ok(actions.slice(5).every((a) => a.command?.command === ALLOW_COMMAND));
  assert.equal(actions[4].command?.command, OTHER_ALTERNATIVE_COMMAND);
  assert.deepEqual(actions[0].command, { title: titles[0], command: REVIEW_COMMAND, arguments: [] });
  assert.deepEqual(actions[2].command?.arguments, [FILE, findings.map((f) => f.id)]);
  assert.equal(actions[3].command?.command, DISMISS_ONE_COMMAND);
  // A single-row tool gets no "apply all" of its own.
  assert.ok(!titles.some((t) => /learned (read|write) rules/.test(t)));
});

test('a read and a write of the same path have distinct labels', () => {
  const s = suggestionsOf({ read: [pathEntry('docs/tasks.md')], write: [pathEntry('docs/tasks.md')] });
  const titles = setup(s).menu().map((a) => a.title);
  assert.deepEqual(titles, [
    'Allow reading exactly `docs/tasks.md`',
    'Allow writing exactly `docs/tasks.md`',
    'Dismiss read suggestion `docs/tasks.md`',
    'Dismiss write suggestion `docs/tasks.md`',
  ]);
  const manyTitles = setup(MANY).menu().map((a) => a.title);
  assert.equal(new Set(manyTitles).size, manyTitles.length, `duplicate labels: ${manyTitles}`);
});

test('a policy the merge cannot read drops the edits, logs why, and still offers the dismissals', () => {
  const { findings, menu, warnings } = setup(MANY, 'policies: [unclosed\n');
  assert.deepEqual(menu([findings[0].diagnostic]).map((a) => a.title), ['Dismiss exec suggestion `git *`']);
  assert.ok(warnings.length > 0 && warnings.every((w) => w.includes(FILE)));
});

test('the dismiss commands remember one, all, or the picked suggestion', async () => {
  const calls: [string, readonly string[]][] = [];
  const subs = registerQuickFixCommands({ dismiss: async (file, ids) => void calls.push([file, ids]), undismiss: async () => assert.fail('undone'), get: () => undefined }, SNAPSHOTS);
  try {
    const { menu } = setup(MANY);
    const actions = menu();
    const run = (a: vscode.CodeAction) => vscode.commands.executeCommand(a.command!.command, ...(a.command!.arguments ?? []));
    await run(actions.find((a) => a.title.startsWith('Dismiss all'))!);
    window.quickPickAnswer = (items) => items.find((i) => (i as { label: string }).label === 'write: docs/tasks.md');
    await run(actions.find((a) => a.title.startsWith('Dismiss one'))!);
    window.quickPickAnswer = () => undefined; // Escape dismisses nothing
    await run(actions.find((a) => a.title.startsWith('Dismiss one'))!);
    assert.equal(calls.length, 2);
    assert.equal(calls[0][1].length, 8);
    assert.deepEqual(calls[1], [FILE, ['write:docs/tasks.md']]);
    await vscode.commands.executeCommand(DISMISS_COMMAND, FILE, ['exec:ls *']);
    assert.deepEqual(calls[2], [FILE, ['exec:ls *']]);
  } finally {
    window.quickPickAnswer = undefined;
    subs.forEach((s) => s.dispose());
  }
});

test('a dismissal says so, and its Undo brings the suggestions back', async () => {
  const undone: [string, readonly string[]][] = [];
  const subs = registerQuickFixCommands({ dismiss: async () => {}, undismiss: async (file, ids) => void undone.push([file, ids]), get: () => undefined }, SNAPSHOTS);
  window.messages.length = 0;
  try {
    window.messageAnswer = () => undefined; // the notification closed: nothing undone
    await vscode.commands.executeCommand(DISMISS_COMMAND, FILE, ['exec:ls *']);
    window.messageAnswer = (_, buttons) => (buttons.includes('Undo') ? 'Undo' : undefined);
    await vscode.commands.executeCommand(DISMISS_COMMAND, FILE, ['exec:git *', 'exec:npm *']);
    await new Promise((r) => setImmediate(r));
    assert.match(window.messages[0], /^Rampart: dismissed 1 learned suggestion on .*\(a new analysis keeps it dismissed; "Rampart: Restore Dismissed Suggestions…" brings it back\)\.$/);
    assert.match(window.messages[1], /dismissed 2 learned suggestions/);
    assert.deepEqual(undone, [[FILE, ['exec:git *', 'exec:npm *']]]);
  } finally {
    window.messageAnswer = undefined;
    subs.forEach((s) => s.dispose());
  }
});

test('the short menu still reaches every non-default alternative, through its picker', async () => {
  const { menu, doc, learned } = setup(MANY);
  const subs = [...registerQuickFixCommands({ dismiss: async () => {}, undismiss: async () => {}, get: () => learned }, SNAPSHOTS), commands.registerCommand('vscode.diff', () => {})];
  workspace.documents.set(FILE, doc);
  try {
    const other = menu().find((a) => a.command?.command === OTHER_ALTERNATIVE_COMMAND)!;
    let offered: string[] = [];
    window.quickPickAnswer = (items) => {
      offered = (items as { label: string }[]).map((i) => i.label);
      return items.find((i) => (i as { label: string }).label === 'Allow exactly `npm --version`');
    };
    await vscode.commands.executeCommand(other.command!.command, ...other.command!.arguments!);
    assert.equal(offered.length, 6);
    assert.ok(offered.every((l) => l.startsWith('Allow exactly')), `${offered}`);
    const [edit] = workspace.applied.splice(0) as unknown as vscode.WorkspaceEdit[];
    const inserted = (edit as unknown as { replacements: { newText: string }[] }).replacements.map((r) => r.newText).join('');
    assert.match(inserted, /learned-exec[\s\S]*npm --version/);
    assert.doesNotMatch(inserted, /npm \*/);
  } finally {
    window.quickPickAnswer = undefined;
    window.messages.splice(0);
    workspace.documents.clear();
    subs.forEach((s) => s.dispose());
  }
});

test('"Apply all" adds each rule with its own guards; a fix proposes its edit and names the guards that come with it', async () => {
  const guards = { git: ['git push*'], npm: ['npm publish*'] };
  const entry = (cmd: 'git' | 'npm', count: number): PatternEntry => ({
    pattern: `${cmd} *`, count, examples: [`${cmd} x`], notMatches: [...guards.git, ...guards.npm, 'ls -R*'],
    alternatives: [{ pattern: `${cmd} *`, kind: 'prefix', covers: count, notMatches: guards[cmd] }],
  });
  const s = suggestionsOf({ exec: [entry('git', 2), entry('npm', 3)] });
  const { menu, doc, learned } = setup(s);
  const subs = [...registerQuickFixCommands({ dismiss: async () => {}, undismiss: async () => {}, get: () => learned }, SNAPSHOTS), commands.registerCommand('vscode.diff', () => {})];
  workspace.documents.set(FILE, doc);
  try {
    const all = menu().find((a) => a.title === 'Apply all learned exec rules (2)')!;
    await vscode.commands.executeCommand(all.command!.command, ...all.command!.arguments!);
    const [edit] = workspace.applied.splice(0) as unknown as vscode.WorkspaceEdit[];
    const inserted = (edit as unknown as { replacements: { newText: string }[] }).replacements.map((r) => r.newText).join('');
    assert.match(inserted, /git push\*[\s\S]*npm publish\*/);
    assert.doesNotMatch(inserted, /ls -R/, 'a guard of a tool that was not applied came along');
    assert.match(window.messages[0], /^Rampart: added 2 patterns with 2 guards against dangerous forms to rampart\.yaml, not saved/);
  } finally {
    window.messages.splice(0);
    workspace.documents.clear();
    subs.forEach((d) => d.dispose());
  }
});

/** Workspace state in memory. */
function memento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return { get: (key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback), update: async (key: string, value: unknown) => void values.set(key, value), keys: () => [...values.keys()] } as vscode.Memento;
}

test('Restore Dismissed Suggestions lists this policy\'s dismissals, all ticked, and brings back the ticked ones', async () => {
  const learn = new LearnState(memento());
  const suggestions = suggestionsOf({ exec: [execEntry('git', 6), execEntry('npm', 2)], write: [pathEntry('docs/tasks.md')] });
  learn.set(FILE, { suggestions, examples: new Map(), origin: 'test', calls: [] });
  window.messages.length = 0;
  let offered: { label: string; description: string; picked: boolean }[] = [];
  let options: { canPickMany?: boolean } | undefined;
  try {
    await restoreDismissed(learn, FILE);
    assert.equal(window.messages.pop(), 'Rampart: no learned suggestion is dismissed on rampart.yaml.');

    await learn.dismiss(FILE, ['exec:git *', 'exec:npm *', 'write:docs/tasks.md', 'exec:gone *']);
    await learn.dismiss('/other/rampart.yaml', ['exec:ls *']);
    window.quickPickAnswer = (items, opts) => {
      offered = items as typeof offered;
      options = opts;
      return offered.filter((i) => i.label !== 'exec: npm *'); // the user unticks one
    };
    await restoreDismissed(learn, FILE);
    assert.equal(options?.canPickMany, true);
    assert.deepEqual(offered.map((i) => [i.label, i.picked]), [['exec: git *', true], ['exec: gone *', true], ['exec: npm *', true], ['write: docs/tasks.md', true]]);
    assert.equal(offered[0].description, 'Agent ran 6 `git …` commands that this policy does not allow');
    assert.equal(offered[1].description, 'not in the latest analysis');
    assert.deepEqual([...learn.dismissed(FILE)], ['exec:npm *']);
    assert.deepEqual([...learn.dismissed('/other/rampart.yaml')], ['exec:ls *'], 'another policy keeps its dismissals');
    assert.match(window.messages.pop()!, /^Rampart: restored 3 dismissed suggestions on rampart\.yaml\. They show as problems again/);

    window.quickPickAnswer = () => undefined; // Escape restores nothing
    await restoreDismissed(learn, FILE);
    assert.deepEqual([...learn.dismissed(FILE)], ['exec:npm *']);
  } finally {
    window.quickPickAnswer = undefined;
    learn.dispose();
  }
});

test('every command package.json contributes is registered, Restore Dismissed Suggestions included', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { contributes: { commands: { command: string; title: string }[] } };
  const contributed = manifest.contributes.commands;
  assert.ok(contributed.some((c) => c.command === 'rampartLearn.restoreDismissed' && c.title === 'Restore Dismissed Suggestions…'));
  const subs = registerCommands({} as RampartContext);
  try {
    for (const { command } of contributed) assert.ok(registered(command), `${command} is contributed but not registered`);
  } finally {
    subs.forEach((s) => s.dispose());
  }
});

/** Whether `id` is registered already (the stub, as VS Code, refuses a second registration). */
function registered(id: string): boolean {
  try {
    vscode.commands.registerCommand(id, () => {}).dispose();
    return false;
  } catch {
    return true;
  }
}

test('a pattern holding $(…) is shown as text in the pickers, not drawn as an icon', async () => {
  assert.equal(pickText('exec: echo $(date)* $(x)'), 'exec: echo \\$(date)* \\$(x)');
  const learn = new LearnState(memento());
  await learn.dismiss(FILE, ['exec:echo $(date)*']);
  let offered: { label: string }[] = [];
  try {
    window.quickPickAnswer = (items) => void (offered = items as typeof offered);
    await restoreDismissed(learn, FILE);
    assert.deepEqual(offered.map((i) => i.label), ['exec: echo \\$(date)*']);
  } finally {
    window.quickPickAnswer = undefined;
    learn.dispose();
  }
});
