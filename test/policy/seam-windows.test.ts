// seamWindows lets the index skip searching most of a long spelling that is the
// command line with a few characters taken out; it must never hide a literal.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { loadPolicy } from '../../src/core/policy/index';
import { toolView } from '../../src/core/policy/rule-index';
import { seamWindows } from '../../src/core/policy/seam-windows';
import { parseCommand } from '../../src/core/shell/index';
import { SHARED_DATA } from '../shared-data';

/** The windows as strings. */
function windowTexts(text: string, line: string, reach: number): string[] | undefined {
  const spans = seamWindows(text, line, reach);
  return spans && spans.flatMap((from, i) => (i % 2 ? [] : [text.slice(from, spans[i + 1])]));
}

const ROOT = resolve(__dirname, '../..');
const SESSIONS = join(SHARED_DATA, 'agent-sessions');

/** Every literal in `text` occurs in `line` or in one of the windows. */
function assertCovered(text: string, line: string, literals: readonly string[], reach: number): void {
  const windows = windowTexts(text, line, reach);
  if (!windows) return; // searched whole
  for (const lit of literals) {
    if (!text.includes(lit)) continue;
    assert.ok(line.includes(lit) || windows.some((w) => w.includes(lit)), `${JSON.stringify(lit)} hidden in ${JSON.stringify(text.slice(0, 120))}`);
  }
}

describe('seamWindows', () => {
  it('keeps only the seams of a line with its quotes taken out', () => {
    const body = 'x'.repeat(500);
    const line = `git commit -m "${body}"`;
    const windows = windowTexts(`git commit -m ${body}`, line, 9);
    assert.deepEqual(windows, [`ommit -m ${'x'.repeat(9)}`]);
    // a literal made only by taking the quotes out is in a window
    const split = `echo "${body}"'r'"m -rf /"`;
    const text = `echo ${body}rm -rf /`;
    assert.ok(!split.includes('rm -rf /'));
    assert.ok(windowTexts(text, split, 7)!.some((w) => w.includes('rm -rf /')));
  });

  it('gives up on text that is not made of a few pieces of the line', () => {
    assert.equal(seamWindows('abcdefghij'.repeat(40), 'zzzz', 5), undefined);
    let text = '';
    let line = '';
    for (let i = 0; i < 40; i++) {
      text += `piece${i}-${'y'.repeat(20)}`;
      line += `piece${i}-${'y'.repeat(20)}'`;
    }
    assert.equal(seamWindows(text, line, 5), undefined);
  });

  it('hides no literal of the standard policy in real long commands', () => {
    const set = loadPolicy(join(ROOT, 'policies', 'standard.yaml'));
    const buckets = (toolView(set, 'exec').index as unknown as { commands: { literals: string[]; longest: number } }).commands;
    const lines: string[] = [];
    for (const f of readdirSync(SESSIONS).filter((n) => n.endsWith('.jsonl'))) {
      for (const l of readFileSync(join(SESSIONS, f), 'utf8').split('\n')) {
        const command = l.trim() ? (JSON.parse(l) as { command?: string }).command : undefined;
        if (command && command.length >= 256) lines.push(command);
      }
    }
    assert.ok(lines.length > 50);
    for (const line of lines) {
      for (const c of parseCommand(line).components) {
        if (c.text.length >= 256 && !line.includes(c.text)) assertCovered(c.text, line, buckets.literals, buckets.longest - 1);
      }
    }
  });
});
