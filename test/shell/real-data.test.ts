// Every exec command of the real agent sessions in ../shared/data must parse
// cleanly, and plain commands must come out exactly as typed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalText, parseCommand } from '../../src/core/shell/index';
import { loadSessionCalls } from '../policies/corpus';

function execCommands(): string[] {
  return loadSessionCalls()
    .filter((c) => c.call.tool === 'exec')
    .map((c) => c.call.params.command as string);
}

describe('real agent commands', () => {
  const commands = execCommands();

  it('loads a substantial corpus', () => {
    assert.ok(commands.length > 2000, `only ${commands.length} commands`);
  });

  it('parses every command with almost no errors and nothing truncated', () => {
    let withErrors = 0;
    for (const cmd of commands) {
      const p = parseCommand(cmd);
      if (p.errors.length) withErrors++;
      assert.equal(p.truncated, false, cmd);
      assert.ok(p.components.length > 0 || cmd.trim() === '' || cmd.trim().startsWith('#'), cmd);
      for (const c of p.components) assert.ok(c.text.length > 0, `empty component in ${cmd}`);
    }
    assert.ok(withErrors / commands.length < 0.005, `${withErrors} of ${commands.length} had errors`);
  });

  it('keeps plain commands exactly as typed (single-spaced)', () => {
    const plain = /^[A-Za-z0-9_./:,=@%+-]+( +[A-Za-z0-9_./:,=@%+-]+)*$/;
    let checked = 0;
    for (const cmd of commands) {
      const line = cmd.trim();
      if (!plain.test(line)) continue;
      const p = parseCommand(line);
      const words = line.split(/ +/);
      const c = p.components[0]!;
      if (c.wrappers.length || Object.keys(c.env).length) continue;
      checked++;
      assert.equal(p.components.length, 1, line);
      assert.deepEqual(c.argv, words, line);
      assert.equal(c.text, canonicalText(c.binary, words), line);
    }
    assert.ok(checked > 300, `only ${checked} plain commands`);
  });

  it('splits compound commands into one component per simple command', () => {
    const sample = commands.find((c) => c.startsWith('cd ') && c.includes(' && ') && !/["'`$\\(|;<>]/.test(c));
    assert.ok(sample, 'no simple cd && … command in the corpus');
    const parts = sample.split(' && ');
    assert.deepEqual(parseCommand(sample).components.map((c) => c.argv.join(' ')), parts.map((p) => p.trim().split(/\s+/).join(' ')));
  });
});
