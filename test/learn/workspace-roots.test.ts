import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../src/core/learn/analyzer';
import { fragmentPolicySet } from '../../src/core/learn/fragment-policies';
import { mapRecord } from '../../src/core/learn/importers';
import { SessionWorkspaces } from '../../src/core/learn/workspace-roots';
import type { ObservedCall } from '../../src/core/learn/types';
import { evaluate } from '../../src/core/policy/index';

const PROJECTS = 'C:/Users/ann/CLAUDE CODE';
const PROJECT = `${PROJECTS}/shop`;

/** An agent-sessions line of a Claude Code session, which records no working directory. */
function sessionLine(seq: number, rawTool: string, input: Record<string, unknown>): ObservedCall[] {
  const line: Record<string, unknown> = { session: 's', seq, agent: 'claude-code', tool: 'other', raw_tool: rawTool, input };
  if (rawTool === 'Read') Object.assign(line, { tool: 'read', path: input.file_path });
  return mapRecord('agent-sessions', line);
}

describe('session workspaces', () => {
  it('takes a folder the agent searched or listed for that folder, not for a file of its parent', () => {
    const w = new SessionWorkspaces();
    w.addPath('s', PROJECT);
    w.addPath('s', `${PROJECT}/api/index.ts`);
    w.addPath('s', `${PROJECT}/client/src/App.tsx`);
    assert.deepEqual(w.roots(), [PROJECT]);
  });

  it('counts a lone path by its folder, since it may name a file', () => {
    const w = new SessionWorkspaces();
    w.addPath('s', `${PROJECT}/src/index.ts`);
    w.addPath('s', `${PROJECT}/src/index.ts`);
    assert.deepEqual(w.roots(), [`${PROJECT}/src`]);
  });

  it('still finds the folder files of several folders share', () => {
    const w = new SessionWorkspaces();
    w.addPath('s', `${PROJECT}/api/index.ts`);
    w.addPath('s', `${PROJECT}/client/src/App.tsx`);
    assert.deepEqual(w.roots(), [PROJECT]);
  });

  it('keeps config names of a session that searched its project folder inside that project (no sibling projects)', () => {
    const calls = [
      ...sessionLine(0, 'Grep', { pattern: 'TODO', path: PROJECT }),
      ...sessionLine(1, 'Glob', { pattern: '**/*.ts', path: PROJECT }),
      ...sessionLine(2, 'LS', { path: PROJECT }),
      ...sessionLine(3, 'Read', { file_path: `${PROJECT}/api/index.ts` }),
      ...sessionLine(4, 'Read', { file_path: `${PROJECT}/client/package.json` }),
    ];
    const s = analyze(calls);
    assert.ok(s.read.some((e) => e.pattern === `${PROJECT}/**/package.json`), s.read.map((e) => e.pattern).join(', '));
    const allows = (path: string) => evaluate(fragmentPolicySet(s), { tool: 'read', params: { path } }).action === 'allow';
    assert.ok(allows(`${PROJECT}/server/package.json`));
    assert.ok(!allows(`${PROJECTS}/other-project/package.json`));
  });
});
