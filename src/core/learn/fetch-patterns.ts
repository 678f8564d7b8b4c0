// Fetch generalisation: the host of every URL, grouped by registrable domain
// (`api.github.com` → `*.github.com`, by the Public Suffix List with its
// private section, so `user.github.io` is a domain of its own), with
// exfiltration services turned into warnings and well-known public registries
// noted. A host of this machine or its network is allowed by its origin
// instead (`url_matches: http://localhost:3000/*`): a domain rule has no port,
// and the dev server's host is also the Docker API's (2375) and every other
// local service's.
import { getDomain } from 'tldts';
import { compileDomainGlob, literalGlob } from '../glob/index';
import type { PatternAlternative, PatternEntry } from './types';

/** Paste, tunnel, request-capture and file-drop services: reported, never suggested. */
export const EXFIL_DOMAINS: readonly string[] = [
  'pastebin.com', '*.pastebin.com', 'paste.ee', 'hastebin.com', 'ghostbin.com', 'dpaste.org', 'dpaste.com', 'termbin.com', 'ix.io',
  'sprunge.us', '0x0.st', 'transfer.sh', 'file.io', 'tmpfiles.org', 'anonfiles.com', 'gofile.io', 'catbox.moe', '*.catbox.moe',
  'webhook.site', '*.webhook.site', 'requestbin.com', '*.requestbin.com', '*.pipedream.net', '*.m.pipedream.net', 'hookbin.com',
  '*.ngrok.io', '*.ngrok-free.app', '*.ngrok.app', '*.trycloudflare.com', '*.loca.lt', '*.serveo.net', '*.localhost.run',
  '*.burpcollaborator.net', '*.oastify.com', '*.interact.sh', '*.oast.fun', '*.oast.live', '*.oast.me', '*.oast.pro', '*.oast.site',
  '*.dnslog.cn', 'canarytokens.com', '*.canarytokens.com', 'canarytokens.org', 'discord.com', 'discordapp.com', 'api.telegram.org',
  'requestbin.net', '*.requestbin.net', '*.ngrok-free.dev', 'interact.sh', '*.interactsh.com', '*.oast.online', 'bashupload.com',
  '*.transfer.sh', '*.gofile.io', '*.devtunnels.ms', '*.lhr.life', '*.beeceptor.com', '*.requestcatcher.com', 'ntfy.sh', '*.ntfy.sh',
  // chat webhooks: a URL that posts into someone's channel
  'hooks.slack.com', '*.webhook.office.com',
];

/** Public package registries and code hosts (a standard allow-list may already cover them). */
const PUBLIC_REGISTRIES = [
  'pypi.org', 'files.pythonhosted.org', 'registry.npmjs.org', 'npmjs.com', 'www.npmjs.com', 'registry.yarnpkg.com', 'github.com',
  'githubusercontent.com', 'crates.io', 'static.crates.io', 'index.crates.io', 'proxy.golang.org', 'sum.golang.org', 'pkg.go.dev',
  'rubygems.org', 'registry-1.docker.io', 'docker.io', 'hub.docker.com', 'ghcr.io', 'repo.maven.apache.org', 'repo1.maven.org',
  'nuget.org', 'api.nuget.org', 'packagist.org', 'hex.pm', 'deno.land', 'jsr.io', 'cdn.jsdelivr.net', 'unpkg.com',
];

/**
 * Hosts where anyone can publish, beyond the Public Suffix List's private
 * section (which has github.io, vercel.app …): a host under one stays exact,
 * and a domain holding one is never widened (`*.google.com` would cover
 * script.google.com and sites.google.com, `*.googleapis.com` everyone's buckets).
 */
const SHARED_SUFFIXES = ['github.io', 'gitlab.io', 'netlify.app', 'vercel.app', 'herokuapp.com', 'pages.dev', 'workers.dev', 'web.app', 'firebaseapp.com', 's3.amazonaws.com', 'azurewebsites.net', 'blob.core.windows.net', 'cloudfront.net', 'appspot.com', 'fly.dev', 'onrender.com', 'glitch.me', 'replit.dev',
  'storage.googleapis.com', 'r2.dev', 'supabase.co', 'run.app', 'cloudfunctions.net', 'on.aws', 'readthedocs.io', 'gitbook.io', 'notion.site',
  'substack.com', 'hashnode.dev', 'medium.com', 'atlassian.net', 'hf.space', 'replit.app', 'railway.app', 'deno.dev', 'github.dev', 'eu.org',
  'cloudapp.azure.com', 'script.google.com', 'sites.google.com', 'docs.google.com', 'googleusercontent.com', 'blogspot.com', 'wordpress.com'];

/**
 * Domains the list marks private whose hosts are all run by one operator and
 * grouped anyway: GitHub serves raw files and avatars from githubusercontent.com
 * as it serves repositories from github.com (`*.githubusercontent.com`).
 */
const OPERATOR_DOMAINS = ['githubusercontent.com'];

export interface HostStat {
  /** The host, or for a local one the URL's origin as written (`http://localhost:3000`): see isLocalHost. */
  host: string;
  count: number;
  examples: string[];
  /** Of `count`, the URLs that were the bare origin (no path, query or fragment). */
  bare?: number;
}

export interface FetchWarning {
  raw: string;
  reason: string;
  count: number;
}

const IP = /^(\d{1,3}(\.\d{1,3}){3}|\[?[0-9a-f:]+\]?)$/i;
/** Loopback and private-network hosts. */
const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|[^.]+\.local)$/i;

/** Whether a host is this machine or on its network: such hosts are learned by origin (scheme, host and port), not by domain. */
export function isLocalHost(host: string): boolean {
  return LOCAL_HOST.test(host);
}

/** A URL's origin as written (scheme, optional user, host, port), or null when the URL has no `scheme://`. */
export function urlOrigin(url: string): string | null {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\\]*/.exec(url)?.[0] ?? null;
}

/** Whether a fetch pattern is a url_matches glob (an origin) rather than a domain glob. */
export function isUrlPattern(pattern: string): boolean {
  return pattern.includes('://');
}

/**
 * The entries for one local origin: everything under it (`http://localhost:3000/*`), and the bare origin when
 * it was fetched as such. The wider domain rule is offered as an alternative, with what it would also allow.
 */
function originEntries(o: HostStat, hostname: string): PatternEntry[] {
  const prefix = literalGlob(o.host);
  const under = o.count - (o.bare ?? 0);
  const domain: PatternAlternative = { pattern: hostname, kind: 'glob', covers: o.count };
  const entry = (pattern: string, count: number, examples: string[]): PatternEntry => ({
    pattern, count, examples, alternatives: [{ pattern, kind: 'prefix', covers: count }, domain],
  });
  const out: PatternEntry[] = [];
  if (under) out.push(entry(`${prefix}/*`, under, o.examples.filter((e) => e !== o.host)));
  if (o.bare) out.push(entry(prefix, o.bare, [o.host]));
  return out;
}

/** The domain a host's subdomains are grouped under, or null when the host stays exact. */
export function registrableDomain(host: string): string | null {
  if (IP.test(host) || !host.includes('.')) return null;
  if (SHARED_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`))) return null;
  const domain = OPERATOR_DOMAINS.find((d) => host.endsWith(`.${d}`)) ?? getDomain(host, { allowPrivateDomains: true });
  if (!domain || domain === host) return null;
  // Never a wildcard over someone else's hosts, or over a listed exfiltration service (`*.telegram.org`: api.telegram.org).
  const covers = (name: string) => name === domain || name.endsWith(`.${domain}`);
  if (SHARED_SUFFIXES.some(covers) || EXFIL_DOMAINS.some((e) => covers(e.replace(/^\*\./, '')))) return null;
  return domain;
}

export function isPublicRegistry(host: string): boolean {
  return PUBLIC_REGISTRIES.some((r) => host === r || host.endsWith(`.${r}`));
}

export function exfilMatcher(extra: readonly string[] = []): (host: string) => string | null {
  const compiled = [...EXFIL_DOMAINS, ...extra].map((g) => ({ g, test: compileDomainGlob(g) }));
  return (host) => compiled.find((c) => c.test(host))?.g ?? null;
}

export function generaliseFetch(hosts: Iterable<HostStat>, opts: { generalize?: boolean; minFrequency?: number; exfil?: (host: string) => string | null } = {}): { entries: PatternEntry[]; warnings: FetchWarning[] } {
  const generalize = opts.generalize ?? true;
  const exfil = opts.exfil ?? exfilMatcher();
  const warnings: FetchWarning[] = [];
  const groups = new Map<string, HostStat[]>();
  const entries: PatternEntry[] = [];
  for (const h of hosts) {
    const origin = isUrlPattern(h.host) ? h.host : null;
    if (origin) {
      if (h.count >= (opts.minFrequency ?? 1)) entries.push(...originEntries(h, new URL(origin).hostname.replace(/^\[|\]$/g, '')));
      continue;
    }
    const hit = exfil(h.host);
    if (hit) {
      warnings.push({ raw: h.examples[0] ?? h.host, reason: `exfiltration domain (${h.host} matches ${hit})`, count: h.count });
      continue;
    }
    const domain = generalize ? registrableDomain(h.host) : null;
    const key = domain ? `*.${domain}` : h.host;
    groups.set(key, [...(groups.get(key) ?? []), h]);
  }
  for (const [pattern, members] of groups) {
    const count = members.reduce((n, m) => n + m.count, 0);
    if (count < (opts.minFrequency ?? 1)) continue;
    members.sort((a, b) => b.count - a.count);
    const examples = members.flatMap((m) => m.examples).slice(0, 3);
    const alternatives: PatternAlternative[] = members.slice(0, 3).map((m) => ({ pattern: m.host, kind: 'exact', covers: m.count }));
    if (pattern.startsWith('*.')) alternatives.push({ pattern, kind: 'glob', covers: count });
    const entry: PatternEntry = { pattern, count, examples, alternatives };
    if (members.some((m) => isPublicRegistry(m.host))) entry.note = 'public registry: a standard allow-list rule may already cover this';
    entries.push(entry);
  }
  entries.sort((a, b) => b.count - a.count || a.pattern.localeCompare(b.pattern));
  return { entries, warnings };
}
