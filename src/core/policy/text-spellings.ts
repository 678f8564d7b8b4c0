// Other spellings of an exec call that restrictive rules also try, where the
// line names a file or host in a way the policy's patterns do not: Windows
// paths written with `\`, URLs whose host is in capitals or percent-escaped,
// and redirections into a file the line names through a variable.
import { canonicalText, type CommandComponent, type ParsedCommand } from '../shell/index';

/** A URL's scheme and host (user info and port included): what is the same whatever its letter case. */
const URL_ORIGIN = /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/?#'"]+/g;

/** A URL's origin as DNS reads it: lower case, percent-escapes decoded (kept as written when they are malformed). */
function plainOrigin(origin: string): string {
  const lower = origin.toLowerCase();
  if (!lower.includes('%')) return lower;
  try {
    return decodeURIComponent(lower);
  } catch {
    return lower;
  }
}

/**
 * A word that is a Windows path: `\` after a drive, a variable (`%USERPROFILE%`, `$env:HOME`), `~` or `.`.
 * Only those: elsewhere a backslash is more often a regular expression's (`grep "\.env"`) than a folder's.
 */
const WINDOWS_PATH = /^(?:[A-Za-z]:|%\w+%|\$env:\w+|~|\.{1,2})\\/;
/** The same as a token of a command line, where the shell has not yet removed unquoted backslashes. */
const WINDOWS_PATH_TOKEN = /(?<![^\s'"=])(?:[A-Za-z]:|%\w+%|\$env:\w+|~|\.{1,2})\\[^\s'"]*/g;

const slashes = (path: string): string => path.replace(/\\/g, '/');

/** The component's text with its Windows path words written with `/` (`cat C:/Users/me/.aws/credentials`), undefined when it has none. */
export function windowsSpelling(c: CommandComponent): string | undefined {
  if (!c.argv.some((w) => WINDOWS_PATH.test(w))) return undefined;
  return canonicalText(c.binary, c.argv.map((w) => (WINDOWS_PATH.test(w) ? slashes(w) : w)));
}

/**
 * The spellings of a parsed line, beyond its raw text and components:
 * - with Windows paths written with `/` (`cat "C:\Users\me\.aws\credentials"`, `type %USERPROFILE%\.ssh\id_rsa`);
 * - with URLs' scheme and host as DNS reads them (`curl https://WEBHOOK.SITE/x`, `https://webhook%2esite/x`: curl decodes it);
 * - each component with a redirection whose target the line does not spell out (`f=~/.bashrc; echo x >> $f`, the variable resolved).
 */
export function otherSpellings(p: ParsedCommand): string[] {
  const out: string[] = [];
  const add = (s: string | undefined): void => {
    if (s !== undefined && !out.includes(s)) out.push(s);
  };
  if (p.raw.includes('\\')) {
    const line = p.raw.replace(WINDOWS_PATH_TOKEN, slashes);
    if (line !== p.raw) add(line);
    for (const c of p.components) add(windowsSpelling(c));
  }
  if (p.raw.includes('://') && /[A-Z%]/.test(p.raw)) {
    for (const s of [p.raw, ...p.components.map((c) => c.text)]) {
      const plain = s.replace(URL_ORIGIN, plainOrigin);
      if (plain !== s) add(plain);
    }
  }
  for (const c of p.components) {
    for (const r of c.redirects) {
      if (r.op.startsWith('<<') || p.raw.includes(`${r.op}${r.target}`) || p.raw.includes(`${r.op} ${r.target}`)) continue;
      add(`${c.text} ${r.op} ${r.target}`);
    }
  }
  return out;
}
