// Tools that accept shortened spellings: npm resolves any unambiguous prefix or
// alias of a command (and camelCase), GNU tar any unambiguous prefix of a long
// option, and short options may carry their value attached or sit in a cluster.
// A widened pattern must refuse every spelling of a dangerous form.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../src/core/learn/analyzer';
import { canonicalSubcommand, subcommandSpellings } from '../../src/core/learn/dangerous-forms';
import { binaryProbes } from '../../src/core/learn/probes';
import { assertDecisions, execs, patterns } from './exec-helpers';

describe('npm spellings', () => {
  it('spells a command by its shortest unambiguous prefix, and exactly when it begins another command', () => {
    assert.deepEqual(subcommandSpellings('npm', 'publish'), ['pu*']);
    assert.deepEqual(subcommandSpellings('npm', 'explore'), ['explo*']);
    assert.ok(subcommandSpellings('npm', 'install').includes('install'), 'install begins install-test: exact');
    assert.ok(subcommandSpellings('npm', 'install').includes('i'));
    assert.ok(subcommandSpellings('npm', 'dist-tag').includes('distTag'), 'camelCase form');
    assert.deepEqual(subcommandSpellings('pnpm', 'publish'), ['publish'], 'only npm abbreviates');
  });

  it('resolves a spelling to the command npm runs', () => {
    assert.equal(canonicalSubcommand('npm', 'pub'), 'publish');
    assert.equal(canonicalSubcommand('npm', 'i'), 'install');
    assert.equal(canonicalSubcommand('npm', 'installTest'), 'install-test');
    assert.equal(canonicalSubcommand('npm', 'log'), 'log', 'ambiguous (login, logout): npm refuses it');
    assert.equal(canonicalSubcommand('git', 'st'), 'st');
  });

  it('refuses every spelling of an unobserved mutation or a dangerous command under npm *', () => {
    const s = analyze(execs('npm run build', 'npm ls', 'npm test'));
    assert.deepEqual(patterns(s), ['npm *']);
    assertDecisions(s, ['npm run lint', 'npm outdated', 'npm view react version'], [
      'npm pub', 'npm publ --tag next', 'npm unpub left-pad', 'npm explo left-pad', 'npm ed left-pad', 'npm tok create',
      'npm distTag add left-pad@1 latest', 'npm dep left-pad msg', 'npm acc public', 'npm ow add eve left-pad', 'npm --prefix . pub',
      'npm conf set ignore-scripts false', 'npm add left-pad', 'npm un left-pad', 'npm docs', 'npm installTest',
    ]);
  });

  it('keeps the spelling the agent used for a command allowed, and its other spellings too', () => {
    const s = analyze(execs('npm i', 'npm run build'));
    assertDecisions(s, ['npm i', 'npm install', 'npm i --legacy-peer-deps'], ['npm i left-pad', 'npm install left-pad', 'npm add left-pad']);
    const named = analyze(execs('npm i zod', 'npm install', 'npm run build'));
    assertDecisions(named, ['npm i zod', 'npm install', 'npm install react'], ['npm pub']);
  });
});

describe('abbreviated long options and clustered short options', () => {
  it('refuses tar option prefixes and -I/-F in every position, but not ordinary archives', () => {
    const s = analyze(execs('tar czf out.tgz src', 'tar -tvf out.tgz'));
    assert.deepEqual(patterns(s), ['tar *']);
    assertDecisions(s, ['tar xzf out.tgz', 'tar -xzf Images.tgz -C Imports', 'tar -cf a.tar --exclude=node_modules .'], [
      "tar -xf a.tar --to-c='sh -c id'", 'tar -cf a.tar . --use=/tmp/x', 'tar -cf a.tar -I/tmp/x .', 'tar -I /tmp/x -cf a.tar .',
      'tar -cIf /tmp/x a.tar .', 'tar cIf /tmp/x a.tar .', 'tar -cf a.tar -M --inf=/tmp/x .', 'tar -cf a.tar -M -F/tmp/x .',
      'tar -cf h:/x . --rsh=/tmp/x', 'tar -cf h:/x . --rmt=/tmp/x', 'tar -cMf a.tar --new-v=/tmp/x .',
    ]);
  });

  it('refuses the programs text filters can run, and yq in-place edits and environment reads', () => {
    const s = analyze(execs('sort -u names.txt', 'rg TODO src', 'yq .version chart.yaml'));
    assert.deepEqual(patterns(s).sort(), ['rg*', 'sort*', 'yq*']);
    assertDecisions(s, ['sort -n -k2 data.txt', 'rg -n foo src/', "yq '.a.b' values.yaml"], [
      'sort --compress-program=/tmp/x -S 1 big.txt', 'sort --co=/tmp/x big.txt', 'rg --pre /tmp/x foo', 'rg --pre=/tmp/x foo .',
      "yq -i '.a = 1' package.json", "yq -Pi '.a = 1' package.json", "yq -n 'env(AWS_SECRET_ACCESS_KEY)'", "yq -n 'load(\"/etc/hosts\")'",
    ]);
  });

  it('probes the abbreviated forms, so the quality bench counts a leak', () => {
    assert.ok(binaryProbes('npm').includes('npm pub'));
    assert.ok(binaryProbes('pnpm').includes('pnpm pub'));
    assert.ok(binaryProbes('tar').some((p) => p.includes('--to-c=')));
    assert.ok(binaryProbes('sort').some((p) => p.includes('--co=')));
    assert.ok(binaryProbes('rg').some((p) => p.includes('--pre')));
  });
});

describe('two-word subcommands', () => {
  it('npm audit reads, npm audit fix installs: a tool-wide pattern refuses the fix unless the agent ran it', () => {
    const read = analyze(execs('npm run build', 'npm ls', 'npm audit'));
    assert.deepEqual(patterns(read), ['npm *']);
    assertDecisions(read, ['npm audit', 'npm audit --json'], ['npm audit fix', 'npm audit fix --force', 'npm audit --json fix']);
    const fixed = analyze(execs('npm run build', 'npm ls', 'npm audit fix'));
    assertDecisions(fixed, ['npm audit fix', 'npm audit'], []);
  });

  it('options between the two words do not hide an unobserved mutation', () => {
    const s = analyze(execs('gh pr view 1', 'gh pr list', 'gh issue list'));
    assert.deepEqual(patterns(s), ['gh *']);
    assertDecisions(s, ['gh pr view 2'], ['gh pr create', 'gh pr -R o/r create', 'gh pr --repo o/r merge 3']);
  });
});
