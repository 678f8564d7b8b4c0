// Host extraction and domain globs. Hosts are compared lower-cased, without a
// trailing dot, port or userinfo, internationalised names in their ASCII
// (punycode) form, IPv4 in dotted decimal (as the WHATWG URL parser gives).
import { domainToASCII } from 'node:url';
import { compileWildcard } from './wildcard';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** A plain lower-case host name: letters, digits, `-`, `.`, not ending in a dot. */
function isPlainHost(s: string): boolean {
  if (s.length === 0 || s.charCodeAt(s.length - 1) === 46) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46)) return false;
  }
  // All-numeric names may be IPv4 in another notation: let the URL parser canonicalise them.
  return /[a-z]/.test(s);
}

function stripDots(h: string): string {
  let end = h.length;
  while (end > 0 && h.charCodeAt(end - 1) === 46) end--;
  return end === h.length ? h : h.slice(0, end);
}

/** The host of a URL or bare host (`Example.COM.:443` → `example.com`), or null when there is none. */
export function hostOf(url: string): string | null {
  if (typeof url !== 'string') return null;
  const s = url.trim();
  if (s === '') return null;
  if (isPlainHost(s)) return s;
  const withScheme = SCHEME.test(s) ? s : s.startsWith('//') ? `http:${s}` : `http://${s}`;
  try {
    const h = stripDots(new URL(withScheme).hostname.toLowerCase());
    if (h) return h;
    if (SCHEME.test(s)) return null; // e.g. file:///etc/passwd has no host
  } catch {
    // Not a WHATWG URL (e.g. scp-style `git@host:org/repo`): fall through.
  }
  const authority = s.replace(SCHEME, '').replace(/^\/\//, '').split(/[/?#]/, 1)[0]!;
  const host = stripDots(authority.slice(authority.lastIndexOf('@') + 1).split(':', 1)[0]!.toLowerCase());
  return /^[a-z0-9.-]+$/.test(host) && /[a-z0-9]/.test(host) ? host : null;
}

/** The host part of a pattern written as a URL or host:port, wildcards kept (`https://*.x.com:443/` → `*.x.com`). */
function patternHost(p: string): string {
  let h = p.replace(SCHEME, '').replace(/^\/\//, '');
  h = h.split(/[/#]/, 1)[0]!; // not at `?`: in a pattern it is a wildcard
  h = h.slice(h.lastIndexOf('@') + 1);
  if (!h.startsWith('[')) h = h.split(':', 1)[0]!;
  return stripDots(h);
}

/** A pattern's labels in ASCII form (wildcard labels kept as written). */
function asciiPattern(p: string): string {
  if (/^[\x00-\x7f]*$/.test(p)) return p;
  return p
    .split('.')
    .map((label) => (/[*?[]/.test(label) ? label : domainToASCII(label) || label))
    .join('.');
}

// A policy tests one host against dozens of domain globs in a row: the last
// normalisation is remembered so that it is done once, not once per glob.
let lastHost: string | undefined;
let lastNormalized = '';

/** The host of `h` (a host or a URL) as the globs compare it; '' when there is none. */
function normalizedHost(h: string): string {
  if (h !== lastHost) {
    lastNormalized = isPlainHost(h) ? h : (hostOf(h) ?? '');
    lastHost = h;
  }
  return lastNormalized;
}

/**
 * Compiles a domain glob. `*.x.com` matches subdomains of x.com at any depth
 * but not x.com itself; `*` alone matches every host; other wildcards follow
 * the command-glob syntax (`*` may cross dots). The predicate accepts a host
 * or a URL.
 */
export function compileDomainGlob(pattern: string): (host: string) => boolean {
  const p = asciiPattern(patternHost(pattern.trim().toLowerCase()));
  const norm = normalizedHost;
  if (p === '*' || p === '**') return (h) => norm(h) !== '';
  const wild = p.startsWith('**.') ? 2 : p.startsWith('*.') ? 1 : 0;
  if (wild && !/[*?[]/.test(p.slice(wild))) {
    const suffix = p.slice(wild);
    return (h) => {
      const x = norm(h);
      return x.length > suffix.length && x.endsWith(suffix);
    };
  }
  // An IPv6 literal's brackets are not a character class.
  if (!/[*?[\\]/.test(p) || /^\[[0-9a-f:.]+\]$/.test(p)) return (h) => norm(h) === p;
  const isMatch = compileWildcard(p);
  return (h) => isMatch(norm(h));
}
