import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyImportStats, expandInputs, importCalls, readJsonRecords } from '../../src/core/learn/importers';
import type { ObservedCall } from '../../src/core/learn/types';
import { SHARED_DATA } from '../shared-data';

const DATA = SHARED_DATA;

async function collect(paths: string[], filter = {}) {
  const stats = emptyImportStats();
  const calls: ObservedCall[] = [];
  for await (const call of importCalls(paths, filter, stats)) calls.push(call);
  return { calls, stats };
}

function tmp(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rl-import-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

test('every real Claude Code hook log imports without a bad line', async () => {
  const dir = join(DATA, 'claude-code', 'hook-logs');
  const { calls, stats } = await collect([dir]);
  assert.equal(stats.badLines.count, 0, stats.badLines.samples.join('\n'));
  assert.equal(stats.files, readdirSync(dir).length);
  assert.deepEqual(Object.keys(stats.byFormat), ['claude-code-hook']);
  assert.ok(calls.some((c) => c.tool === 'exec' && c.agent === 'claude-code' && c.session && c.cwd));
  assert.ok(calls.every((c) => /pre_tool_use.*\.json:\d+$/.test(c.source ?? '')));
});

test('every real Claude Code transcript imports, sidechain tool_use blocks included', async () => {
  const dir = join(DATA, 'claude-code', 'transcripts');
  const { calls, stats } = await collect([dir]);
  assert.equal(stats.badLines.count, 0, stats.badLines.samples.join('\n'));
  assert.equal(stats.unrecognised.length, 0);
  assert.equal(stats.files, readdirSync(dir).length);
  assert.ok(stats.calls > 1000);
  const tools = new Set(calls.map((c) => c.tool));
  for (const t of ['exec', 'read', 'write', 'edit', 'fetch', 'search', 'mcp']) assert.ok(tools.has(t), t);
  assert.ok(calls.every((c) => c.timestamp && c.session));
  // every assistant tool_use block, sidechain or not, becomes exactly one call
  let blocks = 0;
  let sidechain = 0;
  for (const f of readdirSync(dir)) {
    for (const rec of JSON.parse(readFileSync(join(dir, f), 'utf8'))) {
      if (rec.type !== 'assistant' || !Array.isArray(rec.message?.content)) continue;
      const n = rec.message.content.filter((b: { type: string }) => b.type === 'tool_use').length;
      blocks += n;
      if (rec.isSidechain) sidechain += n;
    }
  }
  assert.ok(sidechain > 0);
  assert.equal(calls.length, blocks);
});

test('every agent-sessions file imports; "other" tools keep the agent tool name or map like Claude Code', async () => {
  const dir = join(DATA, 'agent-sessions');
  const { calls, stats } = await collect([dir]);
  assert.equal(stats.badLines.count, 0, stats.badLines.samples.join('\n'));
  assert.equal(stats.calls, 10085); // the README's count of calls
  const grep = calls.find((c) => c.agent === 'claude-code' && c.tool === 'read' && 'pattern' in c.params);
  assert.ok(grep, 'Claude Code Grep mapped to read');
  assert.ok(calls.some((c) => c.agent === 'cursor' && c.tool === 'list_dir'));
  assert.ok(calls.filter((c) => c.tool === 'exec').every((c) => typeof c.params.command === 'string'));
});

test('our audit log, Rampart audit log and check JSONL are detected and mapped', async () => {
  const ours = tmp('audit.jsonl', jsonl([
    {
      schema_version: 'rampart-learn.audit.v1', id: '01', timestamp: '2026-01-01T00:00:00Z', agent: 'claude', session: 's',
      tool: 'exec', cwd: '/w', request: { command: 'ls' },
      decision: { action: 'deny', policy: 'p', rule: 0, message: '', eval_us: 1, enforced: true, mode: 'enforce' },
      prev_hash: '', hash: 'h',
    },
  ]));
  const rampart = tmp('rampart.jsonl', jsonl([
    { schema_version: 'rampart.audit.v1', id: '1', timestamp: '2026-01-01T00:00:00Z', agent: 'a', session: 's', tool: 'read',
      request: { path: '/x' }, decision: { action: 'log' }, prev_hash: '', hash: 'h' },
    { id: '2', tool: 'exec', request: { command: 'git status' }, decision: { action: 'require_approval' } },
  ]));
  const check = tmp('calls.jsonl', jsonl([{ tool: 'fetch', params: { url: 'https://pypi.org/x' }, agent: 'aider' }]));
  const { calls, stats } = await collect([ours, rampart, check]);
  assert.equal(stats.badLines.count, 0);
  assert.deepEqual(stats.byFormat, { 'rampart-learn-audit': 1, 'rampart-audit': 2, check: 1 });
  assert.deepEqual(calls.map((c) => [c.tool, c.recordedAction, c.agent]), [
    ['exec', 'deny', 'claude'],
    ['read', 'watch', 'a'],
    ['exec', 'ask', undefined],
    ['fetch', undefined, 'aider'],
  ]);
  assert.equal(calls[0].cwd, '/w');
  assert.equal(calls[2].source, `${rampart}:2`);
});

test('hook logs as JSONL; PostToolUse payloads are not counted twice', async () => {
  const payload = { session_id: 's', cwd: '/w', tool_name: 'Read', tool_input: { file_path: '/w/a.ts' } };
  const file = tmp('hooks.jsonl', jsonl([
    { ...payload, hook_event_name: 'PreToolUse' },
    { ...payload, hook_event_name: 'PostToolUse', tool_response: {} },
  ]));
  const { calls } = await collect([file]);
  assert.deepEqual(calls.map((c) => [c.tool, c.params.path]), [['read', '/w/a.ts']]);
});

test('bad lines are counted with file:line and never stop the import', async () => {
  const file = tmp('mixed.jsonl', [
    JSON.stringify({ tool: 'exec', params: { command: 'ls' } }),
    '{"tool": "exec", "params": {',
    '',
    JSON.stringify({ tool: 'exec' }),
    '[1,2]',
    JSON.stringify({ tool: 'exec', params: { command: 'pwd' } }),
  ].join('\n'));
  const { calls, stats } = await collect([file]);
  assert.deepEqual(calls.map((c) => c.params.command), ['ls', 'pwd']);
  assert.equal(stats.badLines.count, 3);
  assert.match(stats.badLines.samples[0], new RegExp(`mixed\\.jsonl:2: invalid JSON`));
  assert.match(stats.badLines.samples[1], /mixed\.jsonl:4: call has no "params" object/);
  assert.match(stats.badLines.samples[2], /mixed\.jsonl:5: record is not a JSON object/);
});

test('a truncated JSON array yields its complete elements and reports the cut one', async () => {
  const whole = JSON.stringify([
    { tool_name: 'Bash', tool_input: { command: 'echo "a, ] }"' } },
    { tool_name: 'Bash', tool_input: { command: 'ls' } },
  ], null, 2);
  const file = tmp('cut.json', whole.slice(0, whole.length - 30));
  const { calls, stats } = await collect([file]);
  assert.deepEqual(calls.map((c) => c.params.command), ['echo "a, ] }"']);
  assert.equal(stats.badLines.count, 1);
  assert.match(stats.badLines.samples[0], /cut\.json:\d+: truncated/);
});

test('JSON array elements spanning read chunks (strings cut mid-way) parse intact', async () => {
  const big = 'x\\"y'.repeat(200_000); // 800 KB strings with escapes, > 1 MB chunks apart
  const rows = [0, 1, 2].map((i) => ({ tool: 'exec', params: { command: `echo ${i} ${big}` } }));
  const file = tmp('big.json', JSON.stringify(rows, null, 1));
  const records = [];
  for await (const r of readJsonRecords(file)) records.push(r);
  assert.equal(records.length, 3);
  assert.deepEqual(records.map((r) => (r.value as { params: { command: string } }).params.command), rows.map((r) => r.params.command));
  assert.deepEqual(records.map((r) => r.line), [2, 8, 14]);
});

test('filters by agent, session and since; files in no known format are reported', async () => {
  const file = tmp('f.jsonl', jsonl([
    { tool: 'exec', params: { command: 'a' }, agent: 'x', session: '1', timestamp: '2026-01-01T00:00:00Z' },
    { tool: 'exec', params: { command: 'b' }, agent: 'x', session: '2', timestamp: '2026-03-01T00:00:00Z' },
    { tool: 'exec', params: { command: 'c' }, agent: 'y', session: '2' },
  ]));
  assert.deepEqual((await collect([file], { agent: 'x' })).calls.map((c) => c.params.command), ['a', 'b']);
  assert.deepEqual((await collect([file], { session: '2' })).calls.map((c) => c.params.command), ['b', 'c']);
  const since = await collect([file], { since: new Date('2026-02-01T00:00:00Z') });
  assert.deepEqual(since.calls.map((c) => c.params.command), ['b', 'c']);
  assert.equal(since.stats.filtered, 1);

  const other = tmp('other.json', JSON.stringify({ hello: 'world' }));
  const { stats } = await collect([other]);
  assert.deepEqual(stats.unrecognised, [other]);
  assert.equal(stats.calls, 0);
});

test('an over-long record is reported, not buffered, and the records around it still import', async () => {
  const huge = 'a'.repeat(17 * 1024 * 1024);
  const good = (c: string) => JSON.stringify({ tool: 'exec', params: { command: c } });
  const lines = tmp('huge.jsonl', `${good('one')}\n{"tool":"exec","params":{"command":"${huge}"}}\n${good('two')}\n`);
  const array = tmp('huge.json', `[${good('one')},\n{"tool":"exec","params":{"command":"${huge}"}},\n${good('two')}]`);
  for (const file of [lines, array]) {
    const { calls, stats } = await collect([file]);
    assert.deepEqual(calls.map((c) => c.params.command), ['one', 'two'], file);
    assert.equal(stats.badLines.count, 1);
    assert.match(stats.badLines.samples[0], /huge\.jsonl?:2: record of \d+ characters is too long/);
  }
});

test('an agent-sessions line missing a required field is a bad line, not a call of tool "unknown"', async () => {
  const good = { session: 's1', seq: 0, agent: 'claude-code', tool: 'exec', command: 'ls' };
  const file = tmp('mixed.jsonl', jsonl([good, { session: 'x', seq: 9 }, { ...good, seq: 2, tool: '' }]));
  const { calls, stats } = await collect([file]);
  assert.deepEqual(calls.map((c) => c.tool), ['exec']);
  assert.equal(stats.badLines.count, 2);
  assert.equal(stats.badLines.samples[0], `${file}:2: agent-sessions record has no "agent", "tool"`);
  assert.equal(stats.badLines.samples[1], `${file}:3: agent-sessions record has no "tool"`);
});

test('an empty file is told apart from an unrecognised one', async () => {
  const empty = tmp('empty.jsonl', '\n\n');
  const { stats } = await collect([empty]);
  assert.deepEqual(stats.empty, [empty]);
  assert.deepEqual(stats.unrecognised, []);
});

test('a directory scan follows links to files and folders (transcripts linked in), and reads a folder reached twice once', () => {
  const root = mkdtempSync(join(tmpdir(), 'rl-links-'));
  const elsewhere = mkdtempSync(join(tmpdir(), 'rl-elsewhere-'));
  writeFileSync(join(elsewhere, 'session.jsonl'), '{}\n');
  mkdirSync(join(elsewhere, 'project'));
  writeFileSync(join(elsewhere, 'project', 'transcript.jsonl'), '{}\n');
  symlinkSync(join(elsewhere, 'session.jsonl'), join(root, 'linked.jsonl'));
  symlinkSync(join(elsewhere, 'project'), join(root, 'projects'));
  symlinkSync(root, join(root, 'loop')); // a link back to the scan's own root
  symlinkSync(join(elsewhere, 'gone.jsonl'), join(root, 'dangling.jsonl'));
  assert.deepEqual(expandInputs([root]), [join(root, 'linked.jsonl'), join(root, 'projects', 'transcript.jsonl')]);
});
