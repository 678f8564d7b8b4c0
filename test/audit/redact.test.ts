import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AuditWriter, readAuditEvents, redactText, redactValue } from '../../src/core/audit';
import { execEvent, tempDir } from './helpers';
import { SHARED_DATA } from '../shared-data';

const SESSIONS = join(SHARED_DATA, 'agent-sessions');
const FAKE = 'Zq8xTqW3vLp0mN7c';

test('known secret shapes are redacted, keeping a hint of their kind', () => {
  const cases: [string, string][] = [
    ['DB_PASSWORD=hunter2 ./run', 'DB_PASSWORD=REDACTED ./run'],
    ['export GITHUB_TOKEN="abc def"; gh pr list', 'export GITHUB_TOKEN="REDACTED"; gh pr list'],
    ["MY_SECRET='x' cmd", "MY_SECRET='REDACTED' cmd"],
    ['sshpass -p s3cret ssh root@host', 'sshpass -p REDACTED ssh root@host'],
    ['sshpass -e -pS3cret scp a b:', 'sshpass -e -pREDACTED scp a b:'],
    ['git clone https://bob:pa55w0rd@github.com/o/r.git', 'git clone https://bob:REDACTED@github.com/o/r.git'],
    ['psql postgres://app:pw@db:5432/x', 'psql postgres://app:REDACTED@db:5432/x'],
    ['curl "https://h/v1?api_key=abc123&user=5"', 'curl "https://h/v1?api_key=REDACTED&user=5"'],
    ['curl -H "Authorization: Bearer eyJhbGciOi.x.y" https://h', 'curl -H "Authorization: Bearer REDACTED" https://h'],
    ['echo ghp_0123456789abcdefghijABCDEFGHIJ0123456789', 'echo ghp_REDACTED'],
    ['echo github_pat_11ABCDEFG0123456789_abcdefghijklmnop', 'echo github_pat_REDACTED'],
    ['aws configure set x AKIAIOSFODNN7EXAMPLE', 'aws configure set x AKIAREDACTED'],
    ['echo sk-proj-abcdefghijklmnopqrstuvwxyz0123', 'echo sk-proj-REDACTED'],
    ['echo sk-ant-api03-abcdefghijklmnopqrstuvwx', 'echo sk-ant-REDACTED'],
    ['curl -d token=xoxb-123456789012-abcdefghijkl', 'curl -d token=REDACTED'],
    ['echo xoxp-123456789012-abcdefghijkl', 'echo xoxp-REDACTED'],
    ['mysql --password=foo -u root', 'mysql --password=REDACTED -u root'],
    ['tool --api-key abc123 run', 'tool --api-key REDACTED run'],
    ['curl -u admin:hunter2 https://h', 'curl -u admin:REDACTED https://h'],
    ["curl -sS --user 'bob:pw 1' https://h", "curl -sS --user 'bob:REDACTED' https://h"],
    ['aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG', 'aws configure set aws_secret_access_key REDACTED'],
    ['curl -H "X-Api-Key: 9f8e7d6c" https://h', 'curl -H "X-Api-Key: REDACTED" https://h'],
    ["curl -H 'X-Auth-Token: abc' https://h", "curl -H 'X-Auth-Token: REDACTED' https://h"],
    ['mysql -u root -phunter2 app < dump.sql', 'mysql -u root -pREDACTED app < dump.sql'],
    ['mysqldump -h db -u app -ps3cr3t app', 'mysqldump -h db -u app -pREDACTED app'],
    ['docker login -u bob -p hunter2 registry.example', 'docker login -u bob -p REDACTED registry.example'],
  ];
  for (const [input, want] of cases) assert.equal(redactText(input), want, input);
});

test('ordinary commands and variable references are left alone', () => {
  for (const s of ['docker run -u 1000:1000 img', 'mysql -u root -p app', 'docker run -p 8080:80 img', 'aws configure set region eu-west-1', 'git status', 'TOKEN=$GITHUB_TOKEN gh api', 'npm test -- --grep password', 'cat ~/.ssh/config', 'https://github.com/o/r']) {
    assert.equal(redactText(s), s);
  }
});

test('redactValue walks nested params without touching the original', () => {
  const params = { command: 'A_TOKEN=x y', nested: [{ url: 'https://u:p@h/' }], n: 3 };
  const out = redactValue(params);
  assert.deepEqual(out, { command: 'A_TOKEN=REDACTED y', nested: [{ url: 'https://u:REDACTED@h/' }], n: 3 });
  assert.equal(params.command, 'A_TOKEN=x y');
});

test('redactValue keeps a param named __proto__ as a param', () => {
  const params = JSON.parse('{"__proto__": {"token": "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"}, "command": "ls"}') as Record<string, unknown>;
  const out = redactValue(params);
  assert.deepEqual(Object.keys(out), ['__proto__', 'command']);
  assert.doesNotMatch(JSON.stringify(out), /ghp_0123/);
});

// The real sessions had their secrets replaced by REDACTED: put a secret back
// at each such place and check that our redaction finds it again.
test('every secret position in the real agent sessions is redacted', () => {
  const files = readdirSync(SESSIONS).filter((f) => f.endsWith('.jsonl'));
  assert.ok(files.length > 100);
  let checked = 0;
  for (const f of files) {
    readFileSync(join(SESSIONS, f), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!line.includes('REDACTED')) return;
        const call = JSON.parse(line) as { input: unknown };
        const strings: string[] = [];
        const walk = (v: unknown): void => {
          if (typeof v === 'string') strings.push(v);
          else if (v && typeof v === 'object') Object.values(v).forEach(walk);
        };
        walk(call.input);
        for (const s of strings) {
          // Only positions where a value was cut out (after `=` or a URL's `user:`), not literal "[PATH_REDACTED]" text.
          const restored = s.replace(/(=|:\/\/[^\s:/@]+:)REDACTED/g, `$1${FAKE}`);
          if (restored === s) continue;
          checked++;
          assert.ok(!redactText(restored).includes(FAKE), `${f}:${i + 1}: secret survived in ${redactText(restored).slice(0, 200)}`);
        }
      });
  }
  assert.ok(checked >= 40, `checked ${checked} secret positions`);
});

test('the writer redacts requests before they reach the disk', async () => {
  const dir = join(tempDir(), 'audit');
  const w = AuditWriter.open(dir);
  w.append(execEvent(`IES_NEO4J_PASSWORD=${FAKE} uv run app`));
  w.close();
  const text = readFileSync(join(dir, 'audit.jsonl'), 'utf8');
  assert.ok(!text.includes(FAKE));
  for await (const e of readAuditEvents(dir)) assert.equal(e.request.command, 'IES_NEO4J_PASSWORD=REDACTED uv run app');
});
