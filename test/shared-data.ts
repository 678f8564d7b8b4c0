// Where the workplace's real data lives: `../shared/data` beside the repository, read in place and
// never copied into it. RAMPART_SHARED_DATA overrides the place; a clone made elsewhere (a CI scratch
// directory) finds the data beside the local repository it was cloned from.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ObservedCall } from '../src/core/learn/types';
import { dirname, isAbsolute, join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..');

/** The local repository this one was cloned from (its `origin` is a path), or undefined. */
function cloneSource(): string | undefined {
  try {
    const url = execFileSync('git', ['-C', REPO, 'remote', 'get-url', 'origin'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const path = url.replace(/^file:\/\//, '');
    return isAbsolute(path) && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function locate(): string {
  if (process.env.RAMPART_SHARED_DATA) return resolve(process.env.RAMPART_SHARED_DATA);
  const beside = join(dirname(REPO), 'shared', 'data');
  if (existsSync(beside)) return beside;
  const source = cloneSource();
  const besideSource = source && join(dirname(resolve(source)), 'shared', 'data');
  // When neither exists, the tests that read it fail naming the expected place.
  return besideSource && existsSync(besideSource) ? besideSource : beside;
}

/** The shared data directory (`agent-sessions/`, `claude-code/`, `commands/`). */
export const SHARED_DATA = locate();

/** The real sessions of `agent-sessions/`, by file name, in order. */
export function agentSessionFiles(): string[] {
  return readdirSync(join(SHARED_DATA, 'agent-sessions')).filter((f) => f.endsWith('.jsonl')).sort();
}

/** One real session's calls, as the analyzer takes them. */
export function agentSessionCalls(file: string): ObservedCall[] {
  return readFileSync(join(SHARED_DATA, 'agent-sessions', file), 'utf8').split('\n').filter((l) => l.trim()).map((l) => {
    const r = JSON.parse(l) as { tool: string; command?: string; path?: string; url?: string };
    if (r.tool === 'exec') return { tool: 'exec', params: { command: r.command } };
    if (r.path !== undefined) return { tool: r.tool, params: { path: r.path } };
    if (r.url !== undefined) return { tool: r.tool, params: { url: r.url } };
    return { tool: r.tool, params: {} };
  });
}
