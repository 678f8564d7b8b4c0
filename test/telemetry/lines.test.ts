import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileLines } from '../../src/core/telemetry/lines';
import { tempDir } from './helpers';

function linesOf(path: string): { text: string; offset: number; terminated: boolean }[] {
  const out = [];
  // (decoded as they come: a line's buffer is reused for the next)
  for (const l of fileLines(path)) out.push({ text: l.buf.toString('utf8', l.start, l.end), offset: l.offset, terminated: l.terminated });
  return out;
}

test('file lines: across read chunks, longer than a chunk, multi-byte text, with byte offsets', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'lines.txt');
  const lines = [
    'first',
    '',
    'ü✓🚀'.repeat(100_000), // 900 KB of multi-byte characters, read across chunks
    'x'.repeat(3 * 1024 * 1024), // longer than the read buffer
    ...Array.from({ length: 20_000 }, (_, i) => `line ${i}`),
    'last, unterminated',
  ];
  writeFileSync(file, lines.join('\n'));
  const got = linesOf(file);
  assert.deepEqual(got.map((l) => l.text), lines);
  assert.deepEqual(got.map((l) => l.terminated), lines.map((_, i) => i < lines.length - 1));
  let offset = 0;
  for (const [i, line] of lines.entries()) {
    assert.equal(got[i].offset, offset, `offset of line ${i + 1}`);
    offset += Buffer.byteLength(line) + 1;
  }
});

test('file lines: an empty file has none; a final newline ends the last line', (t) => {
  const dir = tempDir(t);
  const empty = join(dir, 'empty.txt');
  writeFileSync(empty, '');
  assert.deepEqual(linesOf(empty), []);
  const ended = join(dir, 'ended.txt');
  writeFileSync(ended, 'a\nb\n');
  assert.deepEqual(linesOf(ended), [
    { text: 'a', offset: 0, terminated: true },
    { text: 'b', offset: 2, terminated: true },
  ]);
});
