// Secrets are removed from what the agent asked before it reaches the audit
// log, so the log (and everything learned from it) can be shared and kept.
// Each rule keeps enough context (the variable name, the token's prefix) for a
// reviewer and the learner to see what kind of value was there.

export const REDACTED = 'REDACTED';

// Names of env assignments / key=value pairs whose value is a secret.
const SECRET_NAME = String.raw`[A-Za-z0-9_.-]*(?:PASSWORD|PASSWD|PASSPHRASE|TOKEN|SECRET|API[_-]?KEY|ACCESS[_-]?KEY|PRIVATE[_-]?KEY|CREDENTIALS?)[A-Za-z0-9_.-]*`;
// A shell-ish value: quoted, or up to whitespace / a shell operator / a URL query separator.
const VALUE = String.raw`(?:"[^"\n]*"|'[^'\n]*'|[^\s;&|'"\x60)]+)`;

function keepQuotes(value: string): string {
  const q = value[0];
  return q === '"' || q === "'" ? q + REDACTED + q : REDACTED;
}

interface Rule {
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const RULES: Rule[] = [
  // Token shapes first, so `FOO=ghp_…` keeps the `ghp_` hint.
  { pattern: /\b(gh[pousr]_)[A-Za-z0-9]{30,}/g, replace: (_m, p) => p + REDACTED },
  { pattern: /\b(github_pat_)[A-Za-z0-9_]{22,}/g, replace: (_m, p) => p + REDACTED },
  { pattern: /\b(sk-ant-)[A-Za-z0-9_-]{16,}/g, replace: (_m, p) => p + REDACTED },
  { pattern: /\b(sk-(?:proj-|svcacct-|admin-)?)(?!ant-)[A-Za-z0-9_-]{20,}/g, replace: (_m, p) => p + REDACTED },
  { pattern: /\b((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16})\b/g, replace: () => `AKIA${REDACTED}` },
  { pattern: /\b(xox[abposre]-)[A-Za-z0-9-]{10,}/g, replace: (_m, p) => p + REDACTED },
  { pattern: /(hooks\.slack\.com\/services\/)[A-Za-z0-9/_-]+/g, replace: (_m, p) => p + REDACTED },
  // Credentials inside URLs: scheme://user:password@host
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*:)[^\s@/'"]+@/gi, replace: (_m, p) => `${p}${REDACTED}@` },
  // HTTP auth headers given on a command line.
  { pattern: /\b(Authorization:\s*(?:Bearer|Basic|token)\s+)[^\s'"]+/gi, replace: (_m, p) => p + REDACTED },
  // API key headers (X-Api-Key, Api-Key, X-Auth-Token…): the header name says what its value is.
  { pattern: /\b((?:X-)?(?:Api-?Key|Auth-?Token|Access-?Token):\s*)[^\s'"]+/gi, replace: (_m, p) => p + REDACTED },
  // mysql/mariadb -pSECRET (attached: `-p` alone prompts for it)
  { pattern: /\b((?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^|;&\n]{0,512}?\s-p)(?!\s)([^\s;&|]+)/g, replace: (_m, p) => p + REDACTED },
  // docker/podman login -p SECRET
  { pattern: /\b((?:docker|podman|buildah|helm\s+registry)\s+login\b[^|;&\n]{0,512}?\s-p\s*)([^\s;&|]+)/g, replace: (_m, p) => p + REDACTED },
  // curl -u user:password (not other tools' -u, such as docker's uid:gid). The gap is bounded:
  // unbounded, a command of many `curl` words took time quadratic in its length.
  {
    pattern: /\b(curl\b[^|;&\n]{0,512}?\s(?:-u\s*|--user[=\s]\s*))("[^"\n:]*:[^"\n]*"|'[^'\n:]*:[^'\n]*'|[^\s:'"]*:[^\s'"]+)/g,
    replace: (_m, p, v) => `${p}${v.slice(0, v.indexOf(':') + 1)}${REDACTED}${/^['"]/.test(v) ? v[0] : ''}`,
  },
  // aws configure set aws_secret_access_key SECRET (a name and a value as two words)
  { pattern: new RegExp(String.raw`(\bconfigure\s+set\s+${SECRET_NAME}\s+)(?!\$)${VALUE}`, 'gi'), replace: (m, p) => p + keepQuotes(m.slice(p.length)) },
  // sshpass -p SECRET / -pSECRET
  { pattern: /\b(sshpass\s+(?:-[a-oq-zA-Z]+\s+)*-p\s*)([^\s;&|]+)/g, replace: (_m, p) => p + REDACTED },
  // --password SECRET, --token=SECRET and friends
  {
    pattern: new RegExp(String.raw`(--?${SECRET_NAME}(?:=|\s+))(?!\$)${VALUE}`, 'gi'),
    replace: (m, p) => p + keepQuotes(m.slice(p.length)),
  },
  // FOO_PASSWORD=secret (env assignments, .env lines, query strings). `$VAR` references are not secrets.
  {
    pattern: new RegExp(String.raw`(\b${SECRET_NAME}\s*=\s*)(?!\$)(?!${REDACTED}\b)${VALUE}`, 'gi'),
    replace: (m, p) => p + keepQuotes(m.slice(p.length)),
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
