import './vscode-stub';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../src/extension/ranges';

const pos = (p: { line: number; character: number }) => [p.line, p.character];

test('offsets map to 0-based line/character, LF and CRLF', () => {
  for (const nl of ['\n', '\r\n']) {
    const text = ['version: "1"', 'policies:', '  - name: x'].join(nl);
    const idx = new LineIndex(text);
    assert.equal(idx.lineCount, 3);
    assert.deepEqual(pos(idx.position(0)), [0, 0]);
    const off = text.indexOf('name');
    assert.deepEqual(pos(idx.position(off)), [2, 4]);
    assert.deepEqual(pos(idx.position(text.indexOf('policies'))), [1, 0]);
  }
});

test('offsets outside the text are clamped, not thrown', () => {
  const idx = new LineIndex('ab\ncd');
  assert.deepEqual(pos(idx.position(-5)), [0, 0]);
  assert.deepEqual(pos(idx.position(999)), [1, 2]);
  assert.deepEqual(pos(idx.position(Number.NaN)), [0, 0]);
});

test('an empty range widens to the rest of its line (not past CR)', () => {
  const text = 'policies:\r\n  - name: x\r\n';
  const idx = new LineIndex(text);
  const at = text.indexOf('name');
  const r = idx.range(at, at);
  assert.deepEqual([pos(r.start), pos(r.end)], [[1, 4], [1, 11]]);
  const r2 = idx.range(2, 5);
  assert.deepEqual([pos(r2.start), pos(r2.end)], [[0, 2], [0, 5]]);
});

test('non-BMP characters count as two UTF-16 units, like VS Code', () => {
  const text = '# 🔒 lock\nkey: v';
  const idx = new LineIndex(text);
  assert.deepEqual(pos(idx.position(text.indexOf('lock'))), [0, 5]);
  assert.deepEqual(pos(idx.position(text.indexOf('key'))), [1, 0]);
});
