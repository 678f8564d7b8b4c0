import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface Step { id: string; description: string; media: { image?: string; markdown?: string }; completionEvents?: string[] }
interface Manifest {
  icon: string;
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    walkthroughs: { id: string; steps: Step[] }[];
  };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const steps = manifest.contributes.walkthroughs.flatMap((w) => w.steps);
const views = new Set(Object.values(manifest.contributes.views).flat().map((v) => v.id));
// A view's focus command is VS Code's own; the rest must be the extension's.
const commands = new Set([...manifest.contributes.commands.map((c) => c.command), ...[...views].map((v) => `${v}.focus`)]);

test('every command a walkthrough step links to or completes on is one the extension contributes', () => {
  assert.ok(steps.length >= 4);
  for (const step of steps) {
    const links = [...step.description.matchAll(/\]\(command:([\w.]+)\)/g)].map((m) => m[1]!);
    assert.ok(links.length, `${step.id} has no button`);
    for (const id of links) assert.ok(commands.has(id), `${step.id} links to ${id}`);
    for (const event of step.completionEvents ?? []) {
      const [kind, id] = event.split(':') as [string, string];
      assert.ok(kind === 'onCommand' ? commands.has(id) : kind === 'onView' && views.has(id), `${step.id}: ${event}`);
    }
  }
});

test('the icon and every walkthrough image or page exist and are packaged in the .vsix', () => {
  const media = [manifest.icon, ...steps.map((s) => s.media.image ?? s.media.markdown ?? '')];
  for (const file of media) assert.ok(existsSync(join(ROOT, file)), `${file} missing`);
  const ls = spawnSync(process.execPath, [join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(ls.status, 0, ls.stderr);
  const packaged = new Set(ls.stdout.split('\n'));
  for (const file of media) assert.ok(packaged.has(file), `${file} is left out of the .vsix (.vscodeignore)`);
  assert.match(manifest.icon, /\.png$/, 'the Marketplace takes a PNG icon');
});
