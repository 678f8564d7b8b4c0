// Hostile input: huge, deeply nested and operator-heavy commands must parse in
// bounded time without overflowing the stack, and what is left unparsed must
// stay visible (as opaque components) so policies can still deny it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_COMPONENTS, MAX_DEPTH, parseCommand } from '../../src/core/shell/index';

describe('hostile input', () => {
  it('parses a 1 MB command', () => {
    const big = `echo ${'A'.repeat(1 << 20)} && rm -rf /`;
    const p = parseCommand(big);
    assert.equal(p.components.length, 2);
    assert.equal(p.components[1]!.text, 'rm -rf /');
    assert.equal(p.components[0]!.argv[1]!.length, 1 << 20);
  });

  it('parses a 1 MB command of short words', () => {
    const p = parseCommand('a '.repeat(512 * 1024));
    assert.equal(p.components.length, 1);
    assert.equal(p.components[0]!.argv.length, 512 * 1024);
  });

  it('caps $( … ) nesting and keeps the deep text as an opaque component', () => {
    const depth = 10_000;
    const cmd = `${'echo $('.repeat(depth)}rm -rf /${')'.repeat(depth)}`;
    const p = parseCommand(cmd);
    assert.equal(p.truncated, true);
    assert.match(p.errors.join('\n'), new RegExp(`deeper than ${MAX_DEPTH}`));
    const opaque = p.components.filter((c) => c.opaque);
    assert.equal(opaque.length, 1);
    assert.ok(opaque[0]!.text.includes('rm -rf /'));
    assert.ok(p.components.length <= MAX_DEPTH + 2);
  });

  it('caps nesting of bash -c wrappers, backticks, ${ } and $(( ))', () => {
    let cmd = 'rm -rf /';
    for (let k = 0; k < MAX_DEPTH + 2; k++) cmd = `bash -c ${JSON.stringify(cmd)}`;
    let p = parseCommand(cmd);
    assert.equal(p.truncated, true);
    assert.ok(p.components.some((c) => c.text.includes('rm -rf /')));

    p = parseCommand(`${'${x:-'.repeat(50_000)}$(id)${'}'.repeat(50_000)}`);
    assert.equal(p.truncated, true);
    p = parseCommand(`echo ${'$(('.repeat(20_000)}1${'))'.repeat(20_000)}`);
    assert.equal(p.truncated, true);
    p = parseCommand(`${'eval '.repeat(1000)}rm -rf /`);
    assert.ok(p.components.length > 0);
  });

  it('survives unbalanced nesting without a stack overflow', () => {
    for (const cmd of ['$('.repeat(100_000), '<('.repeat(100_000), '('.repeat(100_000), ')'.repeat(100_000), '`'.repeat(100_001), '"$('.repeat(50_000), '${'.repeat(100_000)]) {
      const p = parseCommand(cmd);
      assert.ok(p.errors.length > 0, cmd.slice(0, 6));
    }
  });

  it('caps the number of components and keeps the rest as opaque text', () => {
    const cmd = `${'true && '.repeat(100_000)}rm -rf /`;
    const p = parseCommand(cmd);
    assert.equal(p.truncated, true);
    assert.ok(p.components.length <= MAX_COMPONENTS + 1);
    const last = p.components[p.components.length - 1]!;
    assert.equal(last.opaque, true);
    assert.ok(last.text.endsWith('rm -rf /'));
  });

  it('keeps the error list short on repetitive junk', () => {
    const p = parseCommand(') '.repeat(100_000));
    assert.ok(p.errors.length <= 50);
  });

  it('handles thousands of heredocs and redirects', () => {
    const p = parseCommand(`${'cat <<E\nx\nE\n'.repeat(3000)}rm -rf /`);
    assert.equal(p.components[p.components.length - 1]!.text, 'rm -rf /');
    const q = parseCommand(`cat ${'> f '.repeat(10_000)}`);
    assert.equal(q.components[0]!.redirects.length, 10_000);
  });

  it('handles commands with hundreds of thousands of words in every special path', () => {
    const many = 'a '.repeat(300_000);
    for (const cmd of [`rm -rf ${many}`, `git push ${many}`, `sudo ${many}`, `/???/r? ${many}`, `xargs ${many}`, `env ${many}`, `echo ${many}| sh`, `chmod -R ${many}`]) {
      const p = parseCommand(cmd);
      assert.ok(p.components.length >= 1, cmd.slice(0, 10));
    }
  });

  it('decodes hostile printf formats in linear time', () => {
    const p = parseCommand(`printf '%${'0'.repeat(200_000)}!' | sh`);
    assert.equal(p.components.length >= 2, true);
  });
});
