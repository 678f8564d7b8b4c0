// Secrets are removed from what the agent asked before it reaches the audit
// log, so the log (and everything learned from it) can be shared and kept.
// Each rule keeps enough context (the variable name, the token's prefix) for a
// reviewer and the learner to see what kind of value was there.
//
// Every pattern must run in time linear in the text's length, whatever the
// text (a 1 MB file of `eyJ` or `-----BEGIN` included): an unbounded run is
// only started where it cannot start one character later too (a lookbehind, or
// a literal that cannot repeat inside it), and is not followed by anything that
// could make it give characters back one by one and rescan.

export const REDACTED = 'REDACTED';

// Characters of a variable, flag or key name.
const NC = '[A-Za-z0-9_.-]';
// Words that make a name a secret's name (`DB_PASSWORD`, `--api-key`, `AccountKey`).
const SECRET_WORD = String.raw`PASSWORD|PASSWD|PASSPHRASE|TOKEN|SECRET|API[_-]?KEY|ACCESS[_-]?KEY|PRIVATE[_-]?KEY|CREDENTIALS?|ACCOUNT[_-]?KEY|SHARED[_-]?ACCESS[_-]?KEY|MYSQL_PWD|REDISCLI_AUTH`;
// A whole name holding a secret word. It starts only where a name starts, and the lookahead
// finds the word once, so a long name is read a bounded number of times.
const SECRET_NAME = String.raw`(?<!${NC})(?=${NC}*?(?:${SECRET_WORD}))${NC}+`;
// A flag or a dashed word with a secret word after a dash (`--api-key`, `-password`,
// `reset-admin-password`). The part before the first dash holds no dash, so it is read once.
const SECRET_FLAG = String.raw`(?<!${NC})(?=[A-Za-z0-9_.]*-${NC}*?(?:${SECRET_WORD}))${NC}+`;
// A shell-ish value: quoted, or up to whitespace / a shell operator / a URL query separator.
const VALUE = String.raw`(?:"[^"\n]*"|'[^'\n]*'|[^\s;&|'"\x60)]+)`;
// Not a secret: a reference to one (`$VAR`, `"$VAR"`, `"${VAR}"`), empty quotes, or a private key
// block (the key rule redacts its body and keeps its BEGIN line).
const NOT_A_SECRET = String.raw`(?!\$|"\$|""|''|["']?-----BEGIN )`;
// What starts code rather than a header value: `${…}`, a template literal, an object, a placeholder.
const CODE = String.raw`(?![$\x60{}(),;<])`;
// Blanks between .netrc words, line breaks included (also as `\n` escapes in a JSON string).
const NETRC_SEP = String.raw`(?:[ \t\r\n]|\\[nrt])+`;
// Separators between the lines of a key: real line breaks and spaces, or `\n` escapes inside a JSON string.
const KEY_SEP = String.raw`(?:\\[rn]|\s)`;

/** A value already redacted by an earlier rule keeps that rule's hint (`TOKEN=ghp_REDACTED`, `"sk-REDACTED"`). */
const done = (value: string) => /^["']?(?:[^\s\\'"]{0,40}REDACTED["']?$|REDACTED\b)/.test(value);

function keepQuotes(value: string): string {
  if (done(value)) return value;
  const q = value[0];
  return q === '"' || q === "'" ? q + REDACTED + q : REDACTED;
}

interface Rule {
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

/**
 * Token shapes as [kept prefix, redacted body, what may precede (default: a word boundary)],
 * joined into one pattern: one pass over the text instead of one for each shape. Where two
 * shapes start at the same place the first listed wins (`sk-ant-` before `sk-`).
 */
type TokenShape = [prefix: string, body: string, before?: string];

function tokenShapes(shapes: TokenShape[]): Rule {
  const source = shapes.map(([prefix, body, before = String.raw`\b`]) => `${before}(${prefix})${body}`).join('|');
  return {
    pattern: new RegExp(source, 'g'),
    replace: (_m, ...groups) => `${groups.slice(0, shapes.length).find((g) => g !== undefined)}${REDACTED}`,
  };
}

/** `prefix` followed by a VALUE (quotes kept). */
function valueAfter(prefix: string, flags = 'g'): Rule {
  return { pattern: new RegExp(String.raw`(${prefix})${NOT_A_SECRET}${VALUE}`, flags), replace: (m, p) => p + keepQuotes(m.slice(p.length)) };
}

/** A tool's name as a command word (`mysql -u…`, `/usr/bin/mysql …`; not `https` in a URL). */
const command = (tools: string) => String.raw`\b(?:${tools})(?=\s)`;
/**
 * The words between a command and its flag: bounded, and ending where the command is
 * named again (a later attempt starts there), so text of many tool names is not
 * rescanned 512 characters at a time.
 */
const gapTo = (tools: string) => String.raw`(?:(?!${command(tools)})[^|;&\n]){0,512}?`;

/** `tool … flag VALUE` */
function toolFlag(tools: string, flag: string): Rule {
  return valueAfter(String.raw`${command(tools)}${gapTo(tools)}\s${flag}`);
}

/** `tool … flag user<sep>password`: the user is kept. */
function toolUserPassword(tools: string, flag: string, sep: string): Rule {
  return {
    pattern: new RegExp(
      String.raw`(${command(tools)}${gapTo(tools)}\s${flag})("[^"\n${sep}]*${sep}[^"\n]*"|'[^'\n${sep}]*${sep}[^'\n]*'|[^\s${sep}'"]*${sep}(?!\$)[^\s'"]+)`,
      'g',
    ),
    replace: (m, p, v) => (done(v) ? m : `${p}${v.slice(0, v.indexOf(sep) + 1)}${REDACTED}${/^['"]/.test(v) ? v[0] : ''}`),
  };
}

/** Keeps the separators around a redacted key body (`\n` escapes, line breaks). */
function keyBody(body: string): string {
  let end = body.length;
  for (;;) {
    if (end > 0 && /\s/.test(body[end - 1])) end--;
    else if (end > 1 && body[end - 2] === '\\' && /[rn]/.test(body[end - 1])) end -= 2;
    else break;
  }
  return REDACTED + body.slice(end);
}

// Names of JSON/YAML keys and object properties whose value is a secret: the name ends with the word.
const KEY_WORD = String.raw`password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|secret[_-]?key|credentials?`;
// Unquoted values that are code (`token: authToken`, `password: str`) or YAML syntax, not secrets.
const REFERENCE = /^(?:true|false|null|none|nil|undefined|~|str|string|int|number|bool|boolean|bytes|any|unknown|optional|secretstr)[?!]?$/i;
const DOTTED_NAME = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*[?!]?$/;
/** `process.env.KEY`, `authToken`: a name in code (a plain word with a digit is taken for a value). */
const isCode = (value: string) => DOTTED_NAME.test(value) && (value.includes('.') || !/\d/.test(value));

function redactKeyValue(m: string, prefix: string, name: string, value: string): string {
  if (!value || done(value) || /^["']?(?:\$|\{\{|-----BEGIN )/.test(value) || value === '""' || value === "''") return m;
  // A quoted value with spaces is a label or a message ("Invalid username or password.").
  if (value[0] === '"' || value[0] === "'") return /\s/.test(value) ? m : prefix + value[0] + REDACTED + value[0];
  // An unquoted value: a YAML scalar, or code. Upper-case names are environment maps
  // (`POSTGRES_PASSWORD: postgres`); elsewhere a plain identifier is taken for code.
  if (REFERENCE.test(value) || /^[!&*|>]/.test(value)) return m;
  if (isCode(value) && (value.includes('.') || name !== name.toUpperCase())) return m;
  return prefix + REDACTED;
}

const TOKENS: TokenShape[] = [
  // JWTs: base64url JSON header and payload (both `eyJ…`) and a signature.
  ['eyJ', String.raw`[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]*`, String.raw`(?<![\w.-])`],
  // GitHub, Anthropic, OpenAI, Slack.
  ['gh[pousr]_', '[A-Za-z0-9]{30,}'],
  ['github_pat_', '[A-Za-z0-9_]{22,}'],
  ['sk-ant-', '[A-Za-z0-9_-]{16,}'],
  ['sk-(?:proj-|svcacct-|admin-)?', '(?!ant-)[A-Za-z0-9_-]{20,}'],
  ['xox[abposre]-', '[A-Za-z0-9-]{10,}'],
  ['xapp-', '[A-Za-z0-9-]{20,}'],
  // Google: API keys, OAuth client secrets, access and refresh tokens.
  ['AIza', String.raw`[\w-]{35}(?![\w-])`],
  ['GOCSPX-', String.raw`[\w-]{20,}`],
  [String.raw`ya29\.`, String.raw`[\w-]{20,}`],
  ['1//0', String.raw`[\w-]{30,}`, String.raw`(?<![\w/])`],
  // Stripe secret and restricted keys, webhook signing secrets (publishable `pk_` keys are public).
  ['[sr]k_(?:live|test)_', '[A-Za-z0-9]{16,}'],
  ['whsec_', '[A-Za-z0-9+/=]{24,}'],
  // Package registries and code hosts.
  ['npm_', String.raw`[A-Za-z0-9]{36}\b`],
  ['pypi-', String.raw`AgE[\w-]{50,}`],
  ['gl(?:pat|dt|rt|ptt|cbt|oas|soat|ffct|imt|agent|ft)-', String.raw`[\w-]{20,}(?:\.[\w-]+)*`],
  ['GR1348941', String.raw`[\w-]{20,}`],
  ['hf_', '[A-Za-z0-9]{30,}'],
  ['ATATT3', '[A-Za-z0-9_=-]{50,}'],
  ['ATBB', '[A-Za-z0-9_=.-]{28,}'],
  // Hosting, SaaS and AI APIs.
  [String.raw`SG\.`, String.raw`[\w-]{22}\.[\w-]{43}\b`],
  ['do[por]_v1_', String.raw`[a-f0-9]{64}\b`],
  ['shp(?:at|ca|pa|ss|ua)_', String.raw`[a-fA-F0-9]{32}\b`],
  [String.raw`hv[sbr]\.`, String.raw`[\w-]{24,}`],
  ['dapi', String.raw`[a-f0-9]{32}(?:-\d+)?\b`],
  ['sntry[su]_', '[A-Za-z0-9_+/=]{20,}'],
  ['PMAK-', String.raw`[a-f0-9]{24}-[a-f0-9]{34}\b`],
  ['lin_api_', '[A-Za-z0-9]{32,}'],
  ['ntn_', '[A-Za-z0-9]{40,}'],
  ['secret_', String.raw`[A-Za-z0-9]{43}\b`],
  ['sbp_', String.raw`[a-f0-9]{40}\b`],
  ['sb_secret_', String.raw`[\w-]{20,}`],
  ['glsa_', String.raw`[A-Za-z0-9]{32}_[a-f0-9]{8}\b`],
  ['glc_', '[A-Za-z0-9+/]{32,}={0,2}'],
  ['NRAK-', String.raw`[A-Z0-9]{27}\b`],
  [String.raw`dp\.(?:pt|st|sa|ct|scim|audit)\.`, '[A-Za-z0-9]{40,}'],
  ['pul-', String.raw`[a-f0-9]{40}\b`],
  ['figd_', String.raw`[\w-]{40,}`],
  ['sq0(?:atp|csp)-', String.raw`[\w-]{22,}`],
  ['HRKU-', String.raw`[\w-]{20,}`],
  ['gsk_', '[A-Za-z0-9]{40,}'],
  ['r8_', '[A-Za-z0-9]{30,}'],
  ['xai-', '[A-Za-z0-9]{50,}'],
  ['pplx-', '[A-Za-z0-9]{40,}'],
  ['lsv2_(?:pt|sk)_', String.raw`[a-f0-9]{32}_[a-f0-9]{10}\b`],
  ['tvly-', '[A-Za-z0-9-]{24,}'],
  ['AGE-SECRET-KEY-1', String.raw`[0-9A-Z]{58}\b`],
  // Telegram bot tokens (also in API URLs, `/bot<token>/`): the bot's numeric id is kept.
  [String.raw`\d{8,10}:`, String.raw`AA[\w-]{33}(?![\w-])`, String.raw`(?<!\d)`],
  // Signed URLs: Azure SAS `sig=`, S3/GCS presigned signatures, CloudFront `Signature=`.
  ['[?&](?:sig|[Ss]ignature|X-Amz-Signature|X-Goog-Signature)=', '[A-Za-z0-9%+/=_-]{16,}', ''],
];

// Schemes of an Authorization header, kept before the redacted credentials.
const AUTH_SCHEME = 'Bearer|Basic|Token|Bot|Digest|Negotiate|NTLM|ApiKey|Api-Key|Key|OAuth|SSWS|GenieKey|Splunk';

const RULES: Rule[] = [
  // Private keys (PEM, OpenSSH, PGP armour), also inside JSON strings with `\n` escapes: the
  // BEGIN/END lines are kept. A block cut short (no END) is redacted to the end of the text.
  {
    pattern: new RegExp(
      String.raw`(-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY(?: BLOCK)?-----)(${KEY_SEP}+)(?=[A-Za-z0-9+/])([\s\S]*?)(-----END \2PRIVATE KEY(?: BLOCK)?-----|$)`,
      'g',
    ),
    replace: (_m, begin, _kind, sep, body, end) => begin + sep + keyBody(body) + end,
  },
  // PuTTY .ppk private lines.
  {
    pattern: new RegExp(String.raw`(Private-Lines:[ \t]*\d+)(${KEY_SEP}+)(?=[A-Za-z0-9+/])([\s\S]*?)(?=Private-MAC:|$)`, 'g'),
    replace: (_m, head, sep, body) => head + sep + keyBody(body),
  },
  // Token shapes first, so `FOO=ghp_…` keeps the `ghp_` hint.
  tokenShapes(TOKENS),
  { pattern: /\b((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16})\b/g, replace: () => `AKIA${REDACTED}` },
  { pattern: /((?:hooks\.slack\.com\/services|discord(?:app)?\.com\/api\/webhooks)\/)[A-Za-z0-9/_-]+/g, replace: (_m, p) => p + REDACTED },
  // Credentials inside URLs: scheme://user:password@host. The scheme starts where a word does
  // (not at every letter of a long dotted run).
  {
    pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*:)([^\s@/'"]+)@/gi,
    replace: (m, p, v) => (done(v) ? m : `${p}${REDACTED}@`),
  },
  // HTTP auth headers given on a command line or written in a file, the scheme kept. Not a
  // `$VAR` or code after the scheme; without a scheme, only what looks like a credential
  // (16 token characters or more), so `Bearer $TOKEN` and `Authorization: token }` stay.
  {
    pattern: new RegExp(
      String.raw`\b((?:Proxy-)?Authorization:[ \t]*(?:(?:${AUTH_SCHEME})[ \t]+${CODE}|${CODE}(?=[\w.~+/=:-]{16,})))([^\s'"]+)`,
      'gi',
    ),
    replace: (m, p, v) => (done(v) ? m : p + REDACTED),
  },
  // API key headers (X-Api-Key, Api-Key, X-Auth-Token, PRIVATE-TOKEN…): the header name says what its value is.
  {
    pattern:
      /\b(((?:X-)?(?:Api-?Key|Api-?Token|Auth-?Token|Access-?Token|Private-Token|Vault-Token|Security-Token|Session-Token|Subscription-Key|Api-Secret|Client-Secret)):\s*)(?![$\x60{}(),;<])([^\s'",;)]+)/gi,
    // A name without a dash is a property in code as well (`apiKey: key`): there a plain identifier is code.
    replace: (m, p, name, v) => (done(v) || (!name.includes('-') && isCode(v)) ? m : p + REDACTED),
  },
  // Cookie headers (curl -H, a saved request, a Set-Cookie response). Only a `name=value` list,
  // so prose and code about cookies stay. Cookie names cannot hold `:`, which bounds the lookahead.
  { pattern: /\b((?:Set-)?Cookie:[ \t]*)(?=[^\s()<>@,;:\\"/[\]?={}']+=)[^'"\r\n\\]+/gi, replace: (_m, p) => p + REDACTED },
  // curl -b / --cookie with cookie data (with `=`; without, it names a cookie file).
  {
    pattern: new RegExp(
      String.raw`(${command('curl')}${gapTo('curl')}\s(?:-b[ \t]*|--cookie[=\s][ \t]*))("[^"\n=]*=[^"\n]*"|'[^'\n=]*=[^'\n]*'|[^\s=;&|'"]+=[^\s;&|'"]*)`,
      'g',
    ),
    replace: (_m, p, v) => p + keepQuotes(v),
  },
  // mysql/mariadb -pSECRET, 7z -pSECRET (attached: `-p` alone prompts for it)
  toolFlag('mysql|mysqldump|mysqladmin|mariadb|mariadb-dump|7z|7za|7zr|7zz', String.raw`-p(?!\s)`),
  // docker/podman login -p SECRET, az login -p, mongo tools -p
  toolFlag(String.raw`(?:docker|podman|buildah|helm\s+registry|az)\s+login|mongo|mongosh|mongodump|mongorestore|mongoexport|mongoimport`, String.raw`-p\s*(?!-)`),
  // zip/unzip -P, sqlcmd/bcp -P, ldapsearch & co -w, redis-cli -a / --pass, ssh-keygen -N/-P (not the empty passphrase)
  toolFlag('zip|unzip|zipcloak', String.raw`-P[ \t]*`),
  toolFlag('sqlcmd|bcp', String.raw`-P[ \t]*`),
  toolFlag('ldapsearch|ldapadd|ldapmodify|ldapdelete|ldappasswd|ldapwhoami|ldapmodrdn|ldapcompare', String.raw`-w[ \t]*`),
  toolFlag('redis-cli', String.raw`(?:-a|--pass)[ \t]+`),
  toolFlag('ssh-keygen', String.raw`-[NP][ \t]*`),
  // keytool -storepass X -keypass Y (not -storepasswd, a command)
  valueAfter(String.raw`\s-(?:src|dest)?(?:store|key)pass[ \t]+(?!-)`),
  // openssl -passin pass:SECRET / -passout / -pass
  valueAfter(String.raw`\s-pass(?:in|out)?[ \t]+["']?pass:`),
  // curl -u user:password, httpie -a/--auth user:password, smbclient -U user%password
  toolUserPassword('curl', String.raw`(?:-u\s*|--user[=\s]\s*)`, ':'),
  toolUserPassword('http|https|xh|xhs', String.raw`(?:-a\s*|--auth[=\s]\s*)`, ':'),
  toolUserPassword('smbclient|rpcclient|smbcacls|smbget', String.raw`(?:-U\s*|--user[=\s]\s*)`, '%'),
  // aws configure set aws_secret_access_key SECRET (a name and a value as two words)
  valueAfter(String.raw`\bconfigure\s+set\s+${SECRET_NAME}\s+`, 'gi'),
  // sshpass -p SECRET / -pSECRET
  valueAfter(String.raw`\bsshpass\s+(?:-[a-oq-zA-Z]+\s+)*-p\s*`),
  // .netrc entries, on one line or several: `machine host.example [login user] [account a] password SECRET`,
  // `default login user password SECRET`. A machine is a host name (with a dot), so prose is left alone.
  valueAfter(
    String.raw`\b(?:machine[ \t]+(?:[^\s\\.]*\.[^\s\\]*|localhost)${NETRC_SEP}(?:login[ \t]+[^\s\\]+${NETRC_SEP})?|default${NETRC_SEP}login[ \t]+[^\s\\]+${NETRC_SEP})(?:account[ \t]+[^\s\\]+${NETRC_SEP})?password[ \t]+`,
  ),
  // --password SECRET, --token=SECRET and friends
  valueAfter(String.raw`${SECRET_FLAG}(?:=|\s+)(?!-)`, 'gi'),
  // FOO_PASSWORD=secret (env assignments, .env lines, query strings, connection strings' AccountKey=).
  valueAfter(String.raw`${SECRET_NAME}\s*=(?!=)\s*`, 'gi'),
  // JSON / YAML / object literals: "api_key": "…", password: hunter2. The name ends with the secret word.
  {
    pattern: new RegExp(
      String.raw`(?<![\w.-])((["']?)([\w.-]*?(?:${KEY_WORD}))\2[ \t]*:(?!:)[ \t]*)("(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*'|[^\s#,;'"(){}[\]<>|&]+(?=[ \t]*(?:#|\r|\n|\\[rn]|$)))`,
      'gi',
    ),
    replace: (m, p, _q, name, v) => redactKeyValue(m, p, name, v),
  },
];

/** Returns `text` with every recognised secret value replaced by `REDACTED`. */
export function redactText(text: string): string {
  let out = text;
  for (const rule of RULES) out = out.replace(rule.pattern, rule.replace as (m: string, ...g: string[]) => string);
  return out;
}

/** Redacts every string inside a JSON-like value (tool params), returning a copy. */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v)) as T;
  if (value && typeof value === 'object') {
    // fromEntries defines each key, so a param named `__proto__` is kept like any other.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v)])) as T;
  }
  return value;
}
