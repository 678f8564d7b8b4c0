// `lint`: everything the loader rejects, plus warnings about policies that
// load but probably do not do what their author meant. Also the source of the
// VS Code diagnostics.
import { compileNameGlob } from './compile';
import { SourceText } from './diagnostics';
import { assemble, policyFiles, readPolicyFile, readPolicyText, type ParsedPolicyFile } from './loader';
import { CONDITION_KEYS, KNOWN_TOOLS, type RawPolicy, type RawRule } from './schema';
import type { ConditionKey, PolicyDiagnostic, SourcePattern, Span } from './types';

/** The tools whose calls carry what a condition looks at. */
const CONDITION_TOOLS: Record<'command' | 'path' | 'domain' | 'url', string[]> = {
  command: ['exec'],
  path: ['read', 'write', 'edit', 'search'],
  domain: ['fetch'],
  url: ['fetch'],
};

class Linter {
  readonly out: PolicyDiagnostic[] = [];
  constructor(readonly src: SourceText) {}

  warn(span: Span, code: string, message: string, hint?: string): void {
    this.out.push(this.src.diagnostic(span.start, span.end, 'warning', code, message, hint));
  }

  policy(p: RawPolicy): void {
    let catchAll: RawRule | undefined;
    for (const rule of p.rules) {
      if (catchAll) {
        this.warn(rule.span, 'shadowed-rule', `rule ${rule.index} of "${p.name}" never runs: rule ${catchAll.index} above it matches every call`);
      }
      const conditions = CONDITION_KEYS.filter((k) => rule.when[k]);
      if (!conditions.length && rule.when.default !== true) {
        this.warn(rule.whenSpan, 'empty-when', `rule ${rule.index} of "${p.name}" has an empty "when" and matches every call in scope`, 'write "default: true" if that is meant');
        if (rule.when.default === false) this.warn(rule.whenSpan, 'default-false', '"default: false" has no effect');
      }
      if (!catchAll && (!conditions.length || rule.when.default === true)) catchAll = rule;
      this.rule(p, rule);
    }
    this.conflicts(p);
  }

  private rule(p: RawPolicy, rule: RawRule): void {
    const w = rule.when;
    const orphan = (neg: ConditionKey, pos: ConditionKey[]) => {
      if (w[neg] && !pos.some((k) => w[k])) {
        this.warn(w[neg]![0]!.span, 'orphan-not-matches', `${neg} only narrows ${pos.join(' or ')}; alone it never matches`, `add ${pos[0]}`);
      }
    };
    orphan('command_not_matches', ['command_matches', 'command_contains']);
    orphan('path_not_matches', ['path_matches']);
    const granting = rule.action === 'allow' || rule.action === 'watch';
    for (const key of CONDITION_KEYS) for (const pat of w[key] ?? []) this.pattern(key, pat, granting);

    const kinds = (['command', 'path', 'domain', 'url'] as const).filter((k) => CONDITION_KEYS.some((c) => c.startsWith(`${k}_`) && w[c]));
    const fetchOnly = kinds.every((k) => k === 'domain' || k === 'url');
    if (kinds.length > 1 && !fetchOnly) {
      this.warn(rule.whenSpan, 'never-matches', `rule ${rule.index} of "${p.name}" combines ${kinds.join(' and ')} conditions, which no single call carries`);
    }
    const tools = p.match.tool?.map((t) => t.value);
    if (tools && tools.every((t) => (KNOWN_TOOLS as readonly string[]).includes(t))) {
      for (const k of kinds) {
        if (!CONDITION_TOOLS[k].some((t) => tools.some((pat) => compileNameGlob(pat)(t)))) {
          this.warn(rule.whenSpan, 'never-matches', `${k} conditions never match in "${p.name}", which applies only to ${tools.join(', ')}`);
        }
      }
    }
  }

  /** Patterns that can never match what they are compared with. */
  private pattern(key: ConditionKey, p: SourcePattern, granting: boolean): void {
    const v = p.value;
    if (!v.trim()) {
      this.warn(p.span, key === 'command_contains' ? 'empty-pattern' : 'never-matches', `empty ${key} pattern`);
      return;
    }
    if (key === 'domain_matches') {
      if (/[A-Z]/.test(v)) this.warn(p.span, 'never-matches', `domain pattern "${v}" has upper-case letters; hosts are compared lower-cased`, `write ${v.toLowerCase()}`);
      else if (/[/:@\s]/.test(v)) this.warn(p.span, 'never-matches', `domain pattern "${v}" is not a host name (no scheme, port or path)`, 'use url_matches for full URLs');
      else if (v.endsWith('.')) this.warn(p.span, 'never-matches', `domain pattern "${v}" ends with "."; hosts lose their trailing dot`);
      else if (v.startsWith('.')) this.warn(p.span, 'never-matches', `domain pattern "${v}" starts with "."; no host does`, `write *${v}`);
    }
    // Granting rules only see normalised paths, which have none of these. A backslash that escapes a glob
    // character (`app/\[id\]/page.tsx`, as the learner writes them) stands for that character, not for itself.
    const literal = v.replace(/\\[*?[\]{}()!+@,]/g, 'x');
    if (granting && key === 'path_matches' && (/(^|\/)\.\.?(\/|$)|\/\/|\\/.test(literal) || (v.length > 1 && v.endsWith('/')))) {
      this.warn(p.span, 'never-matches', `path pattern "${v}" can never match a normalised path`, 'paths are normalised: no ./, ../, //, backslash or trailing /');
    }
  }

  /** An allow rule and a deny rule of one policy over the same pattern. */
  private conflicts(p: RawPolicy): void {
    const denied = new Map<string, RawRule>();
    for (const r of p.rules) {
      if (r.action !== 'deny') continue;
      for (const key of CONDITION_KEYS) for (const pat of r.when[key] ?? []) denied.set(`${key}\0${pat.value}`, r);
    }
    for (const r of p.rules) {
      if (r.action !== 'allow') continue;
      for (const key of CONDITION_KEYS) {
        for (const pat of r.when[key] ?? []) {
          const d = denied.get(`${key}\0${pat.value}`);
          if (d) this.warn(pat.span, 'allow-deny-conflict', `"${pat.value}" is both allowed (rule ${r.index}) and denied (rule ${d.index}) in "${p.name}"`);
        }
      }
    }
  }
}

/** `alone`: the file is the whole policy (not one file of a directory, which may hold only settings). */
function lintParsed(parsed: ParsedPolicyFile, alone = true): PolicyDiagnostic[] {
  // Loading reports the parse and schema errors and adds the glob errors of compilation.
  const out = assemble([parsed], [parsed.src.file]).diagnostics;
  const raw = parsed.raw;
  if (!raw) return sortDiagnostics(out);
  const l = new Linter(parsed.src);
  for (const p of raw.policies) l.policy(p);
  if (raw.defaultAction?.action === 'allow' && !raw.policies.some((p) => p.rules.some((r) => r.action === 'deny'))) {
    l.warn(raw.defaultAction.span, 'allow-without-deny', 'default_action is allow and no rule denies anything: this policy blocks nothing');
  } else if (alone && !raw.policies.length && raw.defaultAction?.action !== 'allow' && !raw.suitePolicy && !/^policies\s*:/m.test(parsed.src.text)) {
    // An empty file is a valid policy, and the strictest: worth saying before an agent meets it. (Not a test
    // suite, nor a file that writes `policies: []`, such as a fragment that learned nothing.)
    l.warn(raw.defaultAction?.span ?? { file: parsed.src.file, start: 0, end: 0 }, 'no-policies', 'no policies: default_action deny refuses every call', 'add policies, or start from a shipped policy with rampart-learn init');
  }
  return sortDiagnostics(out.concat(l.out));
}

function sortDiagnostics(list: PolicyDiagnostic[]): PolicyDiagnostic[] {
  return list.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.offset - b.offset));
}

/** Errors and warnings for one policy file's text (used by `lint` and the editor). */
export function lintPolicyText(text: string, file: string): PolicyDiagnostic[] {
  return lintParsed(readPolicyText(text, file));
}

/** Lints a file, or every `*.yaml` and `*.yml` of a directory (including names duplicated across files). */
export function lintPolicyPath(fileOrDir: string): PolicyDiagnostic[] {
  const files = policyFiles(fileOrDir);
  const out: PolicyDiagnostic[] = [];
  const seen = new Map<string, string>();
  for (const f of files) {
    const parsed = readPolicyFile(f);
    out.push(...lintParsed(parsed, files.length === 1));
    for (const p of parsed.raw?.policies ?? []) {
      const prev = seen.get(p.name);
      if (prev && prev !== f) {
        out.push(parsed.src.diagnostic(p.nameSpan.start, p.nameSpan.end, 'error', 'duplicate-policy', `duplicate policy name "${p.name}" (first defined in ${prev})`));
      } else seen.set(p.name, f);
    }
  }
  return out;
}
