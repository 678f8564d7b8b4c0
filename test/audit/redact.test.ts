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
    ['curl -d token=xoxb-123456789012-abcdefghijkl', 'curl -d token=xoxb-REDACTED'],
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

// Fake secret bodies are built at run time, so this file holds no key-shaped literal.
const fill = (n: number, alphabet = 'Zq8xTqW3vLp0mN7cB5rK') => alphabet.repeat(Math.ceil(n / alphabet.length)).slice(0, n);
const hex = (n: number) => fill(n, 'a1b2c3d4e5f60789');
const JWT = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvZSJ9.${fill(43)}`;

// [shape, text with the secret, what it must become (the kept hint), a near miss that must stay as it is]
const SHAPES: [string, string, string, string][] = [
  ['JWT', `echo ${JWT} | jwt decode -`, 'echo eyJREDACTED | jwt decode -', 'echo eyJhbGciOiJIUzI1NiJ9 | base64 -d; echo eyJhbGciOi.x.y'],
  ['JWT as a bearer token', `curl -H "Authorization: Bearer ${JWT}" https://h`, 'curl -H "Authorization: Bearer eyJREDACTED" https://h', 'curl -H "Authorization: Bearer $TOKEN" https://h'],
  ['Google API key', `curl "https://maps.googleapis.com/api?address=x&key=AIza${fill(35)}"`, 'curl "https://maps.googleapis.com/api?address=x&key=AIzaREDACTED"', `grep -rn AIza src/ && echo AIza${fill(20)}`],
  ['Google OAuth client secret', `GOOGLE_CLIENT_SECRET=GOCSPX-${fill(28)} npm start`, 'GOOGLE_CLIENT_SECRET=GOCSPX-REDACTED npm start', 'echo GOCSPX-short'],
  ['Google OAuth access token', `gcloud auth print-access-token; echo ya29.${fill(60)}`, 'gcloud auth print-access-token; echo ya29.REDACTED', 'pip install ya29.1'],
  ['Google OAuth refresh token', `{"refresh_token": "1//0${fill(60)}"}`, '{"refresh_token": "1//0REDACTED"}', 'curl http://h//0abc'],
  ['Stripe live secret key', `curl https://api.stripe.com/v1/charges -u sk_live_${fill(24)}:`, 'curl https://api.stripe.com/v1/charges -u sk_live_REDACTED:', `echo pk_live_${fill(24)} disk_test_${fill(24)}`],
  ['Stripe restricted key', `STRIPE_KEY=rk_live_${fill(24)}`, 'STRIPE_KEY=rk_live_REDACTED', 'echo rk_live_short'],
  ['Stripe test key', `stripe login --api-key sk_test_${fill(24)}`, 'stripe login --api-key sk_test_REDACTED', 'grep sk_test_ .env.example'],
  ['Stripe webhook secret', `echo whsec_${fill(32)} > .env.local`, 'echo whsec_REDACTED > .env.local', 'grep -r whsec_ src'],
  ['npm token', `npm config set //registry.npmjs.org/:_authToken npm_${fill(36)}`, 'npm config set //registry.npmjs.org/:_authToken npm_REDACTED', `echo $npm_config_cache $npm_package_version npm_${fill(30)}`],
  ['PyPI token', `twine upload -u __token__ -p pypi-AgEIcHlwaS5vcmc${fill(60)} dist/*`, 'twine upload -u __token__ -p pypi-REDACTED dist/*', 'pip install pypi-simple pypi-AgEshort'],
  ['GitLab token in a URL', `git clone https://oauth2:glpat-${fill(20)}@gitlab.com/g/p.git`, 'git clone https://oauth2:glpat-REDACTED@gitlab.com/g/p.git', 'echo glpat-short glpatx-abcdefghijklmnopqrstu'],
  ['GitLab token header', `curl --header "PRIVATE-TOKEN: glpat-${fill(20)}" https://gitlab.com/api/v4/user`, 'curl --header "PRIVATE-TOKEN: glpat-REDACTED" https://gitlab.com/api/v4/user', 'curl --header "PRIVATE-TOKEN: $GITLAB_TOKEN" https://gitlab.com'],
  ['GitLab runner registration token', `gitlab-runner register --registration-token GR1348941${fill(20)}`, 'gitlab-runner register --registration-token GR1348941REDACTED', 'echo GR1348941 build'],
  ['Hugging Face token', `HF_TOKEN=hf_${fill(34)} python train.py`, 'HF_TOKEN=hf_REDACTED python train.py', `python -c "from huggingface_hub import hf_hub_download" hf_${fill(12)}`],
  ['SendGrid key', `echo SG.${fill(22)}.${fill(43)}`, 'echo SG.REDACTED', 'tar xzf SG.tar.gz && echo SG.example.com'],
  ['DigitalOcean token', `doctl auth init -t dop_v1_${hex(64)}`, 'doctl auth init -t dop_v1_REDACTED', `echo dop_v1_${hex(10)}`],
  ['Shopify token', `curl -H "X-Shopify-Access-Token: shpat_${hex(32)}" https://s.myshopify.com`, 'curl -H "X-Shopify-Access-Token: shpat_REDACTED" https://s.myshopify.com', `echo shpat_${hex(16)}`],
  ['HashiCorp Vault token', `VAULT_TOKEN=hvs.${fill(90)} vault kv get secret/x`, 'VAULT_TOKEN=hvs.REDACTED vault kv get secret/x', 'vault status; echo hvs.short'],
  ['Databricks token', `databricks configure --token dapi${hex(32)}`, 'databricks configure --token dapiREDACTED', `echo dapi${hex(10)} dapivot`],
  ['Sentry token', `SENTRY_AUTH_TOKEN=sntrys_${fill(60)}`, 'SENTRY_AUTH_TOKEN=sntrys_REDACTED', 'echo sntrys_x'],
  ['Postman key', `echo PMAK-${hex(24)}-${hex(34)}`, 'echo PMAK-REDACTED', `echo PMAK-${hex(10)}`],
  ['Linear key', `echo lin_api_${fill(40)}`, 'echo lin_api_REDACTED', 'echo lin_api_docs'],
  ['Notion tokens', `echo ntn_${fill(46)} secret_${fill(43)}`, 'echo ntn_REDACTED secret_REDACTED', 'echo secret_sauce secret_key_base'],
  ['Supabase tokens', `supabase login --token sbp_${hex(40)}; echo sb_secret_${fill(32)}`, 'supabase login --token sbp_REDACTED; echo sb_secret_REDACTED', 'echo sbp_x sb_secret_x'],
  ['Grafana tokens', `echo glsa_${fill(32)}_${hex(8)} glc_${fill(40)}==`, 'echo glsa_REDACTED glc_REDACTED', 'echo glsa_x glc_short'],
  ['New Relic key', `echo NRAK-${fill(27).toUpperCase()}`, 'echo NRAK-REDACTED', 'echo NRAK-SHORT'],
  ['Doppler token', `DOPPLER_TOKEN=dp.pt.${fill(43)} doppler run -- npm start`, 'DOPPLER_TOKEN=dp.pt.REDACTED doppler run -- npm start', 'echo dp.pt.x'],
  ['Pulumi token', `echo pul-${hex(40)}`, 'echo pul-REDACTED', 'echo pul-request'],
  ['Figma token', `echo figd_${fill(40)}`, 'echo figd_REDACTED', 'echo figd_x'],
  ['Square token', `echo sq0atp-${fill(22)}`, 'echo sq0atp-REDACTED', 'echo sq0atp-x'],
  ['Heroku key', `echo HRKU-${fill(36)}`, 'echo HRKU-REDACTED', 'echo HRKU-1'],
  ['Groq key', `echo gsk_${fill(52)}`, 'echo gsk_REDACTED', 'echo gsk_x'],
  ['Replicate token', `echo r8_${fill(37)}`, 'echo r8_REDACTED', 'echo r8_x'],
  ['xAI key', `echo xai-${fill(80)}`, 'echo xai-REDACTED', 'pip install xai-sdk'],
  ['Perplexity key', `echo pplx-${fill(48)}`, 'echo pplx-REDACTED', 'echo pplx-api'],
  ['LangSmith key', `echo lsv2_pt_${hex(32)}_${hex(10)}`, 'echo lsv2_pt_REDACTED', 'echo lsv2_pt_x'],
  ['Tavily key', `echo tvly-${fill(32)}`, 'echo tvly-REDACTED', 'pip install tvly-python'],
  ['Atlassian and Bitbucket tokens', `echo ATATT3${fill(60)} ATBB${fill(32)}`, 'echo ATATT3REDACTED ATBBREDACTED', 'echo ATATT3x ATBBx'],
  ['age secret key', `echo AGE-SECRET-KEY-1${fill(58).toUpperCase()}`, 'echo AGE-SECRET-KEY-1REDACTED', 'age-keygen -o key.txt && age -d -i key.txt f.age; echo AGE-SECRET-KEY-1SHORT'],
  ['Slack app token', `echo xapp-1-A0123456789-1234567890123-${hex(32)}`, 'echo xapp-REDACTED', 'echo xapp-1'],
  ['Discord webhook', `curl -X POST https://discord.com/api/webhooks/123456789/${fill(68)}`, 'curl -X POST https://discord.com/api/webhooks/REDACTED', 'curl https://discord.com/api/v10/users/@me'],
  ['Telegram bot token', `curl https://api.telegram.org/bot123456789:AA${fill(33)}/getMe`, 'curl https://api.telegram.org/bot123456789:REDACTED/getMe', 'date -d 12345678:30 && echo 1234567890:AAshort'],
  ['Azure storage connection string', `AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${fill(86)}==;EndpointSuffix=core.windows.net"`, 'AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=REDACTED;EndpointSuffix=core.windows.net"', 'az storage blob list --account-name acct --auth-mode login'],
  ['Azure storage account key flag', `az storage blob list --account-name acct --account-key ${fill(86)}==`, 'az storage blob list --account-name acct --account-key REDACTED', 'az storage account keys list --account-name acct'],
  ['Azure SAS signature', `curl "https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sp=r&sig=${fill(43)}%3D"`, 'curl "https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sp=r&sig=REDACTED"', 'curl "https://h/api?signal=strong&sig=abc"'],
  ['S3 presigned URL', `curl "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${hex(64)}"`, 'curl "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=REDACTED"', 'curl "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256"'],
  ['Cookie header', 'curl -H "Cookie: session=abc123; csrftoken=xyz" https://h', 'curl -H "Cookie: REDACTED" https://h', 'grep -n "Cookie: " app.log; const h = { Cookie: cookieHeader }'],
  ['Set-Cookie header', 'HTTP/1.1 200 OK\nSet-Cookie: id=a3fWa; Path=/; HttpOnly\n', 'HTTP/1.1 200 OK\nSet-Cookie: REDACTED\n', 'the Set-Cookie: header sets it'],
  ['curl cookie data', "curl -b 'session=abc123' https://h", "curl -b 'REDACTED' https://h", 'curl -b cookies.txt -c cookies.txt https://h'],
  ['Proxy-Authorization header', 'curl -H "Proxy-Authorization: Basic dXNlcjpwYXNz" https://h', 'curl -H "Proxy-Authorization: Basic REDACTED" https://h', 'curl -H "Proxy-Authorization: Basic $PROXY_AUTH" https://h'],
  ['.netrc line', 'echo "machine api.heroku.com login me@example.com password s3cret" >> ~/.netrc', 'echo "machine api.heroku.com login me@example.com password REDACTED" >> ~/.netrc', 'echo "machine learning password manager"; echo "the default password hashing"; git log --author=me --grep password'],
  ['.netrc entry on lines', 'machine github.com\n  login bob\n  password abc123\n', 'machine github.com\n  login bob\n  password REDACTED\n', 'login page\npassword field\n'],
  ['openssl pass:', 'openssl pkcs12 -export -in c.pem -passout pass:s3cret -out c.p12', 'openssl pkcs12 -export -in c.pem -passout pass:REDACTED -out c.p12', 'openssl enc -d -in f -passin env:PASS; openssl rsa -passin file:pw.txt'],
  ['keytool passwords', 'keytool -importkeystore -srcstorepass s3cret -deststorepass s3cret2 -srckeystore a.p12', 'keytool -importkeystore -srcstorepass REDACTED -deststorepass REDACTED -srckeystore a.p12', 'keytool -storepasswd -keystore ks.jks'],
  ['ssh-keygen passphrase', "ssh-keygen -t ed25519 -N 'my passphrase' -f key", "ssh-keygen -t ed25519 -N 'REDACTED' -f key", 'ssh-keygen -t ed25519 -N "" -f key'],
  ['redis-cli password', 'redis-cli -h cache -a s3cret ping', 'redis-cli -h cache -a REDACTED ping', 'redis-cli --askpass ping; REDISCLI_AUTH=$PW redis-cli ping'],
  ['REDISCLI_AUTH and MYSQL_PWD', 'REDISCLI_AUTH=s3cret MYSQL_PWD=hunter2 ./run', 'REDISCLI_AUTH=REDACTED MYSQL_PWD=REDACTED ./run', 'PWD=/work OLDPWD=/tmp make'],
  ['PGPASSWORD', 'PGPASSWORD=s3cret psql -h db -U app', 'PGPASSWORD=REDACTED psql -h db -U app', 'PGPASSFILE=~/.pgpass psql -h db'],
  ['sqlcmd password', "sqlcmd -S db -U sa -P 'S3cret!' -Q \"select 1\"", "sqlcmd -S db -U sa -P 'REDACTED' -Q \"select 1\"", 'sqlcmd -S db -E -Q "select 1"'],
  ['zip and 7z passwords', 'zip -P s3cret -r out.zip dir && 7z a -pS3cret x.7z dir', 'zip -P REDACTED -r out.zip dir && 7z a -pREDACTED x.7z dir', 'zip -r out.zip dir && 7z a -p x.7z dir'],
  ['ldapsearch bind password', 'ldapsearch -x -D cn=admin -w s3cret -b dc=x', 'ldapsearch -x -D cn=admin -w REDACTED -b dc=x', 'ldapsearch -x -W -D cn=admin -b dc=x'],
  ['smbclient user%password', "smbclient //h/share -U 'DOM\\bob%s3cret'", "smbclient //h/share -U 'DOM\\bob%REDACTED'", 'smbclient -L //h -U bob'],
  ['httpie auth', 'http -a bob:s3cret GET https://h/x', 'http -a bob:REDACTED GET https://h/x', 'http GET https://h/a:b'],
  ['mongo and az login -p', 'mongosh "mongodb://h" -u admin -p s3cret && az login -u bob -p hunter2', 'mongosh "mongodb://h" -u admin -p REDACTED && az login -u bob -p REDACTED', 'mongosh -u admin -p --authenticationDatabase admin'],
  ['JSON key', `{"api_key": "${fill(24)}", "url": "https://h"}`, '{"api_key": "REDACTED", "url": "https://h"}', '{"api_key": "${API_KEY}", "password": "Enter your password", "passwordHint": "x"}'],
  ['YAML key', 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: postgres\n      password: hunter2 # local only\n', 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: REDACTED\n      password: REDACTED # local only\n', 'token: ${{ secrets.GITHUB_TOKEN }}\npassword: !vault |\n'],
  ['object literal key', "const config = {\n  apiKey: 'k3y-v4lue',\n};", "const config = {\n  apiKey: 'REDACTED',\n};", 'interface A {\n  token: string\n  password: str\n}\nconst c = {\n  apiKey: process.env.API_KEY\n  token: authToken\n}'],
];

for (const [shape, text, want, nearMiss] of SHAPES) {
  test(`${shape}: redacted, keeping its hint; a near miss is left alone`, () => {
    assert.equal(redactText(text), want);
    assert.equal(redactText(nearMiss), nearMiss);
  });
}

test('a name rule keeps the hint of a token shape already redacted', () => {
  assert.equal(redactText(`export OPENAI_API_KEY=sk-proj-${fill(40)}`), 'export OPENAI_API_KEY=sk-proj-REDACTED');
  assert.equal(redactText(`GITHUB_TOKEN="ghp_${fill(36)}" gh pr list`), 'GITHUB_TOKEN="ghp_REDACTED" gh pr list');
  assert.equal(redactText(`curl -u bob:ghp_${fill(36)} https://h`), 'curl -u bob:ghp_REDACTED https://h');
  // A value only starting like a redacted one is still redacted.
  assert.equal(redactText('A_TOKEN=REDACTEDx9 B_TOKEN=abcREDACTEDxyz'), 'A_TOKEN=REDACTED B_TOKEN=REDACTED');
});

const PEM_BODY = `MIIEowIBAAKCAQEA${fill(48)}\n${fill(64)}\n${fill(40)}==`;

test('private key blocks keep their BEGIN and END lines and lose their body', () => {
  const cases: [string, string][] = [
    [`-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----\n`, '-----BEGIN RSA PRIVATE KEY-----\nREDACTED\n-----END RSA PRIVATE KEY-----\n'],
    [
      `cat > ~/.ssh/id_ed25519 <<'EOF'\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA${fill(60)}\n-----END OPENSSH PRIVATE KEY-----\nEOF\nchmod 600 ~/.ssh/id_ed25519`,
      "cat > ~/.ssh/id_ed25519 <<'EOF'\n-----BEGIN OPENSSH PRIVATE KEY-----\nREDACTED\n-----END OPENSSH PRIVATE KEY-----\nEOF\nchmod 600 ~/.ssh/id_ed25519",
    ],
    [`-----BEGIN ENCRYPTED PRIVATE KEY-----\r\n${fill(64)}\r\n${fill(20)}\r\n-----END ENCRYPTED PRIVATE KEY-----`, '-----BEGIN ENCRYPTED PRIVATE KEY-----\r\nREDACTED\r\n-----END ENCRYPTED PRIVATE KEY-----'],
    [
      `-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${hex(32)}\n\nMHcCAQEEI${fill(60)}\n-----END EC PRIVATE KEY-----`,
      '-----BEGIN EC PRIVATE KEY-----\nREDACTED\n-----END EC PRIVATE KEY-----',
    ],
    [`-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF${fill(60)}\n=${fill(4)}\n-----END PGP PRIVATE KEY BLOCK-----`, '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nREDACTED\n-----END PGP PRIVATE KEY BLOCK-----'],
    // A Google service account key file written as JSON: the line breaks are `\n` escapes.
    [
      `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg${fill(60)}\\n${fill(30)}=\\n-----END PRIVATE KEY-----\\n", "client_email": "a@b.iam.gserviceaccount.com"}`,
      '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nREDACTED\\n-----END PRIVATE KEY-----\\n", "client_email": "a@b.iam.gserviceaccount.com"}',
    ],
    // On one line, spaces for line breaks, as in an environment variable.
    [`PRIVATE_KEY="-----BEGIN PRIVATE KEY----- ${fill(64)} -----END PRIVATE KEY-----" node app.js`, 'PRIVATE_KEY="-----BEGIN PRIVATE KEY----- REDACTED -----END PRIVATE KEY-----" node app.js'],
    // Two keys: each body alone.
    [`-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\nx\n-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----`, '-----BEGIN PRIVATE KEY-----\nREDACTED\n-----END PRIVATE KEY-----\nx\n-----BEGIN PRIVATE KEY-----\nREDACTED\n-----END PRIVATE KEY-----'],
    // Cut short (no END line): redacted to the end of the text.
    [`echo "-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}" > key.pem`, 'echo "-----BEGIN RSA PRIVATE KEY-----\nREDACTED'],
    [`{"key": "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXkt${fill(40)}`, '{"key": "-----BEGIN OPENSSH PRIVATE KEY-----\\nREDACTED'],
    // PuTTY keys: the private lines only.
    [
      `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: me\nPublic-Lines: 2\nAAAAC3Nza${fill(20)}\n${fill(20)}\nPrivate-Lines: 1\nAAAAIB${fill(40)}\nPrivate-MAC: ${hex(64)}\n`,
      `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: me\nPublic-Lines: 2\nAAAAC3Nza${fill(20)}\n${fill(20)}\nPrivate-Lines: 1\nREDACTED\nPrivate-MAC: ${hex(64)}\n`,
    ],
  ];
  for (const [input, want] of cases) assert.equal(redactText(input), want, input.slice(0, 60));
});

test('code and certificates that only name private keys are left alone', () => {
  for (const s of [
    "if (pem.startsWith('-----BEGIN RSA PRIVATE KEY-----')) return parse(pem);",
    'const header = "-----BEGIN PRIVATE KEY-----\\n";',
    'const pem = `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`;',
    '```\n-----BEGIN OPENSSH PRIVATE KEY-----\n...\n-----END OPENSSH PRIVATE KEY-----\n```',
    `-----BEGIN CERTIFICATE-----\nMIID${fill(60)}\n-----END CERTIFICATE-----`,
    `-----BEGIN PUBLIC KEY-----\nMIIB${fill(60)}\n-----END PUBLIC KEY-----`,
    `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${fill(43)} me@host`,
  ]) {
    assert.equal(redactText(s), s);
  }
});

test('ordinary commands with secret-looking words are left alone', () => {
  for (const s of [
    'git log --author=alice --grep token',
    'npm run task-runner-abcdefghijklmnopqrstuvwxyz',
    'ls risk-assessment-report-2024-final-version.pdf',
    'echo $npm_config_user_agent $npm_lifecycle_event',
    `echo ${fill(200, 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=')} | base64 -d`,
    'systemd-ask-password --no-tty "prompt"',
    'kubectl create secret generic app-secret --from-file=./cfg',
    'az account get-access-token --resource-type ms-graph',
    'elasticsearch-create-enrollment-token --scope kibana',
    'const same = typeof requirements.minMaxOutputTokens === "number"',
    'curl -H "Authorization: Token $(cat ~/.token)" https://h',
    'self.airQualityService = AirQualityService(apiKey: key)',
    'headers: { Authorization: `Bearer ${token}` },',
  ]) {
    assert.equal(redactText(s), s);
  }
});

test('Write and Edit params are redacted with the same rules', () => {
  const params = {
    file_path: '/app/.env',
    content: `STRIPE_SECRET_KEY=sk_live_${fill(24)}\nDATABASE_URL=postgres://app:pw@db/app\nDEBUG=1\n`,
    old_string: `token: ${JWT}`,
    new_string: `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\n-----END PRIVATE KEY-----`,
  };
  assert.deepEqual(redactValue(params), {
    file_path: '/app/.env',
    content: 'STRIPE_SECRET_KEY=sk_live_REDACTED\nDATABASE_URL=postgres://app:REDACTED@db/app\nDEBUG=1\n',
    old_string: 'token: eyJREDACTED',
    new_string: '-----BEGIN PRIVATE KEY-----\nREDACTED\n-----END PRIVATE KEY-----',
  });
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
