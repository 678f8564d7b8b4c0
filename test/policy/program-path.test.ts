// A granting pattern that names its program by a path grants that program only
// when it is run by that path; deny and ask patterns keep catching the name anywhere.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { programDirOf } from '../../src/core/policy/index';
import { actOnCommand as act, policy } from './policy-helpers';


describe('program paths in command patterns', () => {
  const set = policy(`
default_action: ask
policies:
  - name: deny-by-path
    match: { tool: exec }
    rules:
      - action: deny
        when: { command_matches: ["/usr/bin/shred *"] }
  - name: project-scripts
    match: { tool: exec }
    rules:
      - action: allow
        when: { command_matches: ["./build.sh *", "scripts/test.sh *", "/usr/bin/git status", "./run*", "ls *"] }
`);

  it('grants a path-named program only when run by that path (with or without ./)', () => {
    for (const c of ['./build.sh --release', './scripts/test.sh unit', 'scripts/test.sh unit', '/usr/bin/git status', './run', './run fast', 'timeout 5 ./build.sh x', '"./build.sh" x'])
      assert.equal(act(set, c), 'allow', c);
  });

  it('does not grant a program of the same name elsewhere, or found on PATH', () => {
    for (const c of ['/tmp/build.sh --release', 'build.sh --release', '../other/build.sh x', '/tmp/scripts/test.sh unit', 'test.sh unit', 'git status', '/tmp/git status', 'run fast', '/tmp/x/build.sh x'])
      assert.equal(act(set, c), 'ask', c);
  });

  it('does not follow a cd: after one, a relative program path names an unknown place', () => {
    const moved = policy(`
default_action: ask
policies:
  - name: p
    match: { tool: exec }
    rules:
      - action: allow
        when: { command_matches: ["./build.sh *", "scripts/test.sh *", "/usr/bin/git status", "cd *"] }
`);
    for (const c of ['cd /tmp/x && ./build.sh x', 'cd sub && scripts/test.sh a', 'pushd /tmp && ./build.sh x']) assert.equal(act(moved, c), 'ask', c);
    for (const c of ['./build.sh x', 'cd /x && /usr/bin/git status']) assert.equal(act(moved, c), 'allow', c);
  });

  it('keeps matching a pattern without a path by the basename', () => {
    assert.equal(act(set, '/bin/ls -la'), 'allow');
    assert.equal(act(set, 'ls -la'), 'allow');
  });

  it('lets a deny pattern with a path catch the program by any path', () => {
    for (const c of ['/usr/bin/shred -u x', 'shred -u x', '/tmp/shred -u x']) assert.equal(act(set, c), 'deny', c);
  });

  it('normalises the directory a program runs from', () => {
    assert.equal(programDirOf('./build.sh'), './');
    assert.equal(programDirOf('././scripts/x'), 'scripts/');
    assert.equal(programDirOf('scripts/x'), 'scripts/');
    assert.equal(programDirOf('/usr/bin/git'), '/usr/bin/');
    assert.equal(programDirOf('git'), '');
  });
});
