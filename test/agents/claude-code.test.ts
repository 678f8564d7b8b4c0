import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ClaudeCodePayloadError,
  globRoot,
  isClaudeCodeHookPayload,
  mapClaudeCodeHookPayload,
  mapClaudeCodeTool,
  parseMcpToolName,
} from '../../src/core/agents/claude-code';
import { SHARED_DATA } from '../shared-data';

const HOOK_LOGS = join(SHARED_DATA, 'claude-code', 'hook-logs');

test('Bash maps to exec with the command only', () => {
  const call = mapClaudeCodeTool('Bash', { command: 'git status', description: 'x', timeout: 5 }, '/repo');
  assert.deepEqual(call, { tool: 'exec', params: { command: 'git status' }, cwd: '/repo' });
});

test('read-like tools map to read with their path', () => {
  assert.deepEqual(mapClaudeCodeTool('Read', { file_path: '/r/a.py', limit: 3 }).params, { path: '/r/a.py' });
  assert.deepEqual(mapClaudeCodeTool('LS', { path: '/r/src' }).params, { path: '/r/src' });
  assert.deepEqual(mapClaudeCodeTool('NotebookRead', { notebook_path: '/r/n.ipynb' }).params, { path: '/r/n.ipynb' });
  assert.deepEqual(mapClaudeCodeTool('Grep', { pattern: 'foo.*bar', path: '/r/src' }).params, {
    path: '/r/src',
    pattern: 'foo.*bar',
  });
  // Grep without a path searches the working directory; its regex is not a path
  assert.equal(mapClaudeCodeTool('Grep', { pattern: '/etc/passwd' }, '/r').params.path, '/r');
  assert.equal(mapClaudeCodeTool('Glob', { pattern: 'src/**/*.ts', path: '/r' }).params.path, '/r/src');
  assert.equal(mapClaudeCodeTool('Glob', { pattern: '**/*.ts' }, '/r').params.path, '/r');
  assert.equal(mapClaudeCodeTool('Glob', { pattern: '/etc/*.conf' }).params.path, '/etc');
});

test('globRoot keeps the literal directory prefix', () => {
  assert.equal(globRoot('src/**/*.ts'), 'src');
  assert.equal(globRoot('**/*.md'), '');
  assert.equal(globRoot('*.md'), '');
  assert.equal(globRoot('/**'), '/');
  assert.equal(globRoot('a/b/c.txt'), 'a/b/c.txt');
  assert.equal(globRoot('a/{b,c}/d'), 'a');
});

test('write, edit, fetch and search', () => {
  assert.deepEqual(mapClaudeCodeTool('Write', { file_path: '/r/a', content: 'x'.repeat(1000) }).params, { path: '/r/a' });
  for (const name of ['Edit', 'MultiEdit']) {
    const call = mapClaudeCodeTool(name, { file_path: '/r/b', old_string: 'a', new_string: 'b' });
    assert.deepEqual(call, { tool: 'edit', params: { path: '/r/b' } });
  }
  assert.deepEqual(mapClaudeCodeTool('NotebookEdit', { notebook_path: '/r/n.ipynb' }).params, { path: '/r/n.ipynb' });
  assert.deepEqual(mapClaudeCodeTool('WebFetch', { url: 'https://x.org/a', prompt: 'p' }).params, { url: 'https://x.org/a' });
  assert.deepEqual(mapClaudeCodeTool('WebSearch', { query: 'q' }), { tool: 'search', params: { query: 'q' } });
});

test('mcp tools carry server and tool; unknown tools pass through', () => {
  assert.deepEqual(mapClaudeCodeTool('mcp__github__get_issue', { owner: 'o', issue_number: 3 }), {
    tool: 'mcp',
    params: { owner: 'o', issue_number: 3, server: 'github', tool: 'get_issue' },
  });
  // the input cannot spoof the server or tool names
  assert.deepEqual(mapClaudeCodeTool('mcp__a__b', { server: 'evil', tool: 'x' }).params, { server: 'a', tool: 'b' });
  assert.deepEqual(parseMcpToolName('mcp__plugin_claude-mem_mcp-search__search'), {
    server: 'plugin_claude-mem_mcp-search',
    tool: 'search',
  });
  assert.equal(parseMcpToolName('mcp__broken'), null);
  assert.deepEqual(mapClaudeCodeTool('TodoWrite', { todos: [] }), { tool: 'TodoWrite', params: { todos: [] } });
});

test('hook payload mapper sets agent, session and cwd; rejects malformed payloads', () => {
  const call = mapClaudeCodeHookPayload({
    session_id: 's1',
    cwd: '/repo',
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command: 'ls' },
  });
  assert.deepEqual(call, { tool: 'exec', params: { command: 'ls' }, cwd: '/repo', agent: 'claude-code', session: 's1' });
  assert.throws(() => mapClaudeCodeHookPayload([]), /not a JSON object/);
  assert.throws(() => mapClaudeCodeHookPayload({ tool_input: {} }), /tool_name/);
  assert.throws(() => mapClaudeCodeHookPayload({ tool_name: 'Bash', tool_input: 'ls' }), /tool_input/);
});

test('a subject of the wrong type is malformed, a missing one stays missing (never the working directory)', () => {
  assert.throws(() => mapClaudeCodeTool('Read', { file_path: ['/etc/shadow'] }, '/r'), /Read "file_path" must be a string, not a list/);
  assert.throws(() => mapClaudeCodeTool('Bash', { command: 7 }), /Bash "command" must be a string, not a number/);
  assert.throws(() => mapClaudeCodeTool('Glob', { pattern: '*.md', path: { x: 1 } }), /Glob "path" must be a string, not an object/);
  assert.deepEqual(mapClaudeCodeTool('Read', {}, '/r'), { tool: 'read', params: {}, cwd: '/r' });
  assert.deepEqual(mapClaudeCodeTool('MultiEdit', {}), { tool: 'edit', params: {} });
  assert.deepEqual(mapClaudeCodeTool('Bash', { command: '' }), { tool: 'exec', params: {} });
});

test('the hook refuses a payload whose call has no subject, or a subject of the wrong type', () => {
  const payload = (tool_name: string, tool_input: Record<string, unknown>) => ({ session_id: 's', cwd: '/r', hook_event_name: 'PreToolUse', tool_name, tool_input });
  assert.throws(() => mapClaudeCodeHookPayload(payload('Read', { file_path: ['/etc/shadow'] })), ClaudeCodePayloadError);
  assert.throws(() => mapClaudeCodeHookPayload(payload('Read', {})), /Read call has no path/);
  assert.throws(() => mapClaudeCodeHookPayload(payload('Bash', {})), /Bash call has no command/);
  assert.throws(() => mapClaudeCodeHookPayload(payload('WebFetch', { url: 5 })), /must be a string/);
  // Tools without a subject, and searches of the working directory, still map.
  assert.equal(mapClaudeCodeHookPayload(payload('Grep', { pattern: 'x' })).params.path, '/r');
  assert.equal(mapClaudeCodeHookPayload(payload('TodoWrite', { todos: [] })).tool, 'TodoWrite');
});

test('every real PreToolUse payload in shared data maps', () => {
  const files = readdirSync(HOOK_LOGS).filter((f) => f.endsWith('.json'));
  assert.ok(files.length > 0);
  let total = 0;
  const tools = new Set<string>();
  for (const file of files) {
    const payloads = JSON.parse(readFileSync(join(HOOK_LOGS, file), 'utf8')) as unknown[];
    for (const payload of payloads) {
      assert.ok(isClaudeCodeHookPayload(payload), `${file}: not a hook payload`);
      const call = mapClaudeCodeHookPayload(payload);
      tools.add(String(call.tool));
      if (call.tool === 'exec') assert.equal(typeof call.params.command, 'string', file);
      if (call.tool === 'read' || call.tool === 'write' || call.tool === 'edit') {
        assert.ok(typeof call.params.path === 'string' && call.params.path.length > 0, `${file}: empty path`);
      }
      total++;
    }
  }
  assert.ok(total > 4000, `only ${total} payloads`);
  for (const t of ['exec', 'read', 'write', 'edit', 'fetch', 'search', 'mcp']) assert.ok(tools.has(t), t);
});
