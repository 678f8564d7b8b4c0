import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneLine, printable } from '../../src/core/printable';

test('printable spells out control characters; oneLine flattens, masks and cuts untrusted text', () => {
  assert.equal(printable('a\u001b[2Jb\nc\td'), 'a\\x1b[2Jb\\nc\\td');
  // A policy message or a command with an escape sequence cannot recolour or clear a terminal, nor forge a line.
  assert.equal(oneLine('deny:\u001b[2J  wiped\r\nrampart-verdict run x', Infinity), 'deny:?[2J wiped rampart-verdict run x');
  assert.equal(oneLine('abcdef', 4), 'abc…');
  assert.equal(oneLine('  spaced  ', 80), 'spaced');
  // Bidirectional overrides would show `echo b\u202egnp.exe` as something else than what runs.
  assert.equal(printable('b\u202egnp.exe'), 'b\\u202egnp.exe');
  assert.equal(oneLine('b\u2066x\u2069', 80), 'b?x?');
});
