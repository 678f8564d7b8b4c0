// One-line meanings of the keys, actions and tools of a policy file, as
// docs/policy-format.md gives them, for completion items and hovers. The key
// lists themselves are the core's (POLICY_FILE_SHAPE); a test checks that each
// of them has a line here.
import type { PolicyMappingKind } from '../core/policy/schema';

export const KEY_DOCS: Record<PolicyMappingKind, Record<string, string>> = {
  top: {
    version: 'Format version: `"1"` (`1` is accepted too).',
    default_action: 'The decision when no rule fires; **absent means `deny`**.',
    policies: 'The policies: each has a name, an optional `match` and its `rules`.',
    tests: 'Inline test cases, run by `rampart-learn test`.',
  },
  suite: {
    policy: 'The policy file these tests run against, relative to this file.',
    tests: 'The test cases.',
  },
  policy: {
    name: 'Required. Unique across every file loaded together.',
    description: 'Free text.',
    priority: 'Evaluation order, ascending (a whole number ≥ 0); omitted or `0` means `100`.',
    enabled: '`false` skips the policy; default `true`.',
    match: 'Which calls the policy applies to: `tool`, `agent`, `session` (every key given must match).',
    rules: 'The rules, evaluated top to bottom.',
  },
  match: {
    tool: 'A tool name or a list of globs (`exec`, `read`, `write`, `edit`, `fetch`, …); omitted means every tool.',
    agent: 'Agent names (globs). A call without an agent is out of scope unless the glob matches the empty string (`*`).',
    session: 'Session ids (globs). A call without a session is out of scope unless the glob matches the empty string (`*`).',
  },
  rule: {
    action: 'Required: `allow`, `deny`, `ask` or `watch`.',
    when: 'The conditions. Absent or empty matches every call in scope.',
    message: 'Reported with the decision (default: `<policy> rule <n> (<action>)`).',
  },
  when: {
    command_matches: 'Command globs over the command, shell-aware: tried on the line and each of its parts.',
    command_not_matches: 'Narrows `command_matches` / `command_contains`: a command it matches (in the same spelling) is excluded.',
    command_contains: 'A plain substring of the command, **case-sensitive**.',
    path_matches: 'Path globs over `params.path`.',
    path_not_matches: 'Narrows `path_matches`: a path it matches is excluded.',
    domain_matches: 'Domain globs over the host of `params.url` (lower-cased, trailing dot removed).',
    url_matches: 'Globs over `params.url` as given: `*` matches any run, including `/`.',
    default: '`true` matches every call in scope (an explicit catch-all).',
  },
  test: {
    name: 'The test\'s name (default: its line).',
    tool: 'The call\'s tool; default `exec`.',
    agent: 'The calling agent (optional).',
    session: 'The session id (optional).',
    cwd: 'The working directory; relative paths resolve against it.',
    params: 'The call: `command`, `path`, `url` or `query`.',
    expect: 'Required: the action the policy must decide.',
    expect_message: 'Optional glob over the decision\'s message.',
  },
  params: {
    command: 'The shell command (`exec`).',
    path: 'The file path (`read`, `write`, `edit`).',
    url: 'The URL (`fetch`).',
    query: 'The search query (`search`).',
  },
};

export const ACTION_DOCS: Record<string, string> = {
  allow: 'The call runs.',
  deny: 'The call is refused. Across policies a deny wins over ask, watch and allow.',
  ask: 'A human approves or refuses the call.',
  watch: 'The call runs and is highlighted in the audit log.',
  log: 'Deprecated alias of `watch` (accepted, with a lint warning): write `watch`.',
};

export const TOOL_DOCS: Record<string, string> = {
  exec: 'A shell command (`params.command`).',
  read: 'A file read (`params.path`); Claude Code\'s Read, Glob, Grep, LS.',
  write: 'A file write (`params.path`).',
  edit: 'A file edit (`params.path`).',
  fetch: 'A web fetch (`params.url`).',
  search: 'A web search (`params.query`).',
  mcp: 'An MCP tool call.',
};

/** The keys whose value is one of the actions. */
export function isActionKey(mapping: PolicyMappingKind | undefined, key: string): boolean {
  return (mapping === 'rule' && key === 'action') || (mapping === 'test' && key === 'expect') || (mapping === 'top' && key === 'default_action');
}
