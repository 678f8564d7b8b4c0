// Fetch generalisation: the host of every URL, grouped by registrable domain
// (`api.github.com` → `*.github.com`), with exfiltration services turned into
// warnings and well-known public registries noted.
import { compileDomainGlob } from '../glob/index';
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
  '*.transfer.sh', '*.gofile.io',
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

/** Two-label public suffixes under which the registrable domain has three labels. */
const SECOND_LEVEL = /^(co|com|net|org|gov|edu|ac|or|ne|go)\.[a-z]{2}$/;
/** Shared hosting suffixes where every subdomain belongs to someone else. */
const SHARED_SUFFIXES = ['github.io', 'gitlab.io', 'netlify.app', 'vercel.app', 'herokuapp.com', 'pages.dev', 'workers.dev', 'web.app', 'firebaseapp.com', 's3.amazonaws.com', 'azurewebsites.net', 'blob.core.windows.net', 'cloudfront.net', 'appspot.com', 'fly.dev', 'onrender.com', 'glitch.me', 'replit.dev',
  'storage.googleapis.com', 'r2.dev', 'supabase.co'];

export interface HostStat {
  host: string;
  count: number;
  examples: string[];
}

export interface FetchWarning {
  raw: string;
  reason: string;
  count: number;
}

const IP = /^(\d{1,3}(\.\d{1,3}){3}|\[?[0-9a-f:]+\]?)$/i;

/** The domain a host's subdomains are grouped under, or null when the host stays exact. */
export function registrableDomain(host: string): string | null {
  if (IP.test(host) || !host.includes('.')) return null;
  for (const s of SHARED_SUFFIXES) if (host === s || host.endsWith(`.${s}`)) return null;
  const labels = host.split('.');
  const n = SECOND_LEVEL.test(labels.slice(-2).join('.')) ? 3 : 2;
  if (labels.length <= n) return null;
  const domain = labels.slice(-n).join('.');
  // `*.googleapis.com` would also cover everyone's buckets under storage.googleapis.com (`*.amazonaws.com`: S3)
  return SHARED_SUFFIXES.some((s) => s.endsWith(`.${domain}`)) ? null : domain;
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
  for (const h of hosts) {
    const hit = exfil(h.host);
    if (hit) {
      warnings.push({ raw: h.examples[0] ?? h.host, reason: `exfiltration domain (${h.host} matches ${hit})`, count: h.count });
      continue;
    }
    const domain = generalize ? registrableDomain(h.host) : null;
    const key = domain ? `*.${domain}` : h.host;
    groups.set(key, [...(groups.get(key) ?? []), h]);
  }
  const entries: PatternEntry[] = [];
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
