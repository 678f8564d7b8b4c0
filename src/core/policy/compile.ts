// Turns the checked document into matchers. Every glob is compiled once here,
// at load time, so evaluation only runs prepared tests.
import { compileCommandGlob, compileDomainGlob, compilePathGlob } from '../glob/index';
import { parseCommand } from '../shell/index';
import type { SourceText } from './diagnostics';
import { firstWord, normalProgramDir, PatternGroup, pathLiteral } from './prefilter';
import type { RawPolicy, RawRule } from './schema';
import type { CommandPattern, CompiledPolicy, CompiledRule, PolicyDiagnostic, SourcePattern } from './types';

/** Shell operators that make a pattern describe a whole compound command. */
const COMPOUND = /&&|\|\||[;|&\n]|\$\(|`|<\(|>\(/;

export function isCompoundPattern(pattern: string): boolean {
  return COMPOUND.test(pattern);
}

/**
 * The canonical spelling of a simple pattern (`rm -fr /*` → `rm -rf /*`), so a
 * pattern written in any flag order meets commands canonicalised the same way.
 * Only when the pattern parses as one plain command: wrapper stripping must not
 * turn `env *` into `*`.
 */
function canonicalPattern(pattern: string): string | undefined {
  const parsed = parseCommand(pattern);
  const c = parsed.components;
  if (parsed.errors.length || c.length !== 1) return undefined;
  const only = c[0]!;
  if (only.origin !== 'top' || only.wrappers.length || Object.keys(only.env).length || only.redirects.length) return undefined;
  if (pattern.trimStart().split(/\s/, 1)[0] !== only.argv[0]) return undefined;
  // A wildcard before a slash (`*/dev/tcp/*`) is not an executable path: its basename would be `*`.
  if (/[*?[]/.test(only.argv[0]!) && only.argv[0]!.includes('/')) return undefined;
  // Shell unquoting would drop a glob escape (`ls \*.ts` → `ls *.ts`) and widen the pattern.
  if (pattern.includes('\\')) return undefined;
  return only.text !== pattern ? only.text : undefined;
}

/** A literal glob test for tool, agent and session names and messages: `*` is any run, `?` one character. */
export function compileNameGlob(pattern: string): (value: string) => boolean {
  if (!/[*?[]/.test(pattern)) return (v) => v === pattern;
  return compileCommandGlob(pattern);
}

export class GlobErrors {
  readonly diagnostics: PolicyDiagnostic[] = [];
  constructor(readonly src: SourceText) {}

  /** Compiles a pattern, reporting a pattern the glob library rejects at its position. */
  compile<T>(p: SourcePattern, what: string, fn: (pattern: string) => T): T | undefined {
    try {
      return fn(p.value);
    } catch (err) {
      this.diagnostics.push(
        this.src.diagnostic(p.span.start, p.span.end, 'error', 'bad-glob', `invalid ${what} pattern "${p.value}": ${(err as Error).message}`),
      );
      return undefined;
    }
  }
}

/**
 * A granting pattern that names its program by a path (`./build.sh *`,
 * `scripts/test.sh *`, `/usr/bin/git status`) grants that program only when it
 * is run by that path: the pattern's body (`build.sh *`) is matched like any
 * other against the component's text, which starts with the basename, and the
 * directory must equal the one the command used. A deny or ask pattern keeps
 * matching the basename anywhere, the broader reading.
 */
function compileGrantingCommand(p: SourcePattern, g: GlobErrors): CommandPattern | undefined {
  const dir = isCompoundPattern(p.value) ? undefined : programDir(firstWord(p.value));
  if (dir === undefined) return compileCommand(p, g);
  const body = compileCommand({ ...p, value: p.value.slice(dir.length) }, g);
  if (!body) return undefined;
  return { ...body, source: p.value, canonical: body.canonical ?? body.source, program: normalProgramDir(dir) };
}

/** The directory part of a program path with no glob characters in it (`./`, `scripts/`), or undefined. */
function programDir(word: string): string | undefined {
  const slash = word.lastIndexOf('/');
  if (slash < 0 || slash === word.length - 1) return undefined;
  const dir = word.slice(0, slash + 1);
  return /[*?[\\]/.test(dir) ? undefined : dir;
}

function compileCommand(p: SourcePattern, g: GlobErrors): CommandPattern | undefined {
  const main = g.compile(p, 'command', compileCommandGlob);
  if (!main) return undefined;
  const compound = isCompoundPattern(p.value);
  const canon = compound ? undefined : canonicalPattern(p.value);
  const alt = canon === undefined ? undefined : g.compile({ ...p, value: canon }, 'command', compileCommandGlob);
  if (!alt) return { source: p.value, compound, test: main };
  return { source: p.value, compound, canonical: canon, test: (s) => main(s) || alt(s) };
}

function all<T>(list: SourcePattern[] | undefined, compile: (p: SourcePattern) => T | undefined): T[] {
  const out: T[] = [];
  for (const p of list ?? []) {
    const c = compile(p);
    if (c !== undefined) out.push(c);
  }
  return out;
}

/**
 * A path glob. `nocase` for the patterns that refuse (a deny or ask rule's
 * path_matches, every path_not_matches): on macOS and Windows `.ENV` and
 * `.Claude/Settings.json` open the same files, and ignoring case there can
 * only refuse more. A granting path_matches keeps its case.
 */
function compilePath(p: SourcePattern, g: GlobErrors, nocase: boolean): ((path: string) => boolean) | undefined {
  const test = g.compile(p, 'path', (v) => compilePathGlob(v, { nocase }));
  const lit = pathLiteral(p.value);
  if (!test || !lit) return test;
  if (!nocase) return (s) => s.includes(lit) && test(s);
  const low = lit.toLowerCase();
  return (s) => s.toLowerCase().includes(low) && test(s);
}

function compileRule(raw: RawRule, g: GlobErrors): CompiledRule {
  const w = raw.when;
  const conditions = Object.keys(w).filter((k) => k !== 'default');
  const restrictive = raw.action === 'deny' || raw.action === 'ask';
  const commandMatches = all(w.command_matches, (p) => (restrictive ? compileCommand(p, g) : compileGrantingCommand(p, g)));
  const commandNotMatches = all(w.command_not_matches, (p) => compileCommand(p, g));
  return {
    index: raw.index,
    action: raw.action,
    restrictive,
    message: raw.message,
    catchAll: w.default === true || conditions.length === 0,
    when: w,
    checks: {
      command: !!(w.command_matches || w.command_contains || w.command_not_matches),
      path: !!(w.path_matches || w.path_not_matches),
      domain: !!w.domain_matches,
      url: !!w.url_matches,
    },
    commandMatches,
    commandNotMatches,
    commandContains: (w.command_contains ?? []).map((p) => p.value),
    commandGroups: {
      all: new PatternGroup(commandMatches),
      simple: new PatternGroup(commandMatches.filter((c) => !c.compound)),
      compound: new PatternGroup(commandMatches.filter((c) => c.compound)),
      not: new PatternGroup(commandNotMatches),
    },
    pathMatches: all(w.path_matches, (p) => compilePath(p, g, restrictive)),
    pathNotMatches: all(w.path_not_matches, (p) => compilePath(p, g, true)),
    domainMatches: all(w.domain_matches, (p) => g.compile(p, 'domain', compileDomainGlob)),
    urlMatches: all(w.url_matches, (p) => g.compile(p, 'url', compileCommandGlob)),
    span: raw.span,
    actionSpan: raw.actionSpan,
    whenSpan: raw.whenSpan,
  };
}

function anyOf(list: SourcePattern[] | undefined, g: GlobErrors): ((v: string) => boolean) | undefined {
  if (!list) return undefined;
  const tests = all(list, (p) => g.compile(p, 'name', compileNameGlob));
  return (v) => tests.some((t) => t(v));
}

export function compilePolicy(raw: RawPolicy, order: number, g: GlobErrors): CompiledPolicy {
  const tool = anyOf(raw.match.tool, g);
  const agent = anyOf(raw.match.agent, g);
  const session = anyOf(raw.match.session, g);
  const names = (l?: SourcePattern[]) => l?.map((p) => p.value);
  return {
    name: raw.name,
    description: raw.description,
    priority: raw.priority,
    effectivePriority: raw.priority ? raw.priority : 100,
    enabled: raw.enabled,
    match: { tool: names(raw.match.tool), agent: names(raw.match.agent), session: names(raw.match.session) },
    rules: raw.rules.map((r) => compileRule(r, g)),
    file: raw.span.file,
    span: raw.span,
    nameSpan: raw.nameSpan,
    order,
    matchesTool: (t) => !tool || tool(t),
    inScope: (call) =>
      (!tool || tool(call.tool)) && (!agent || agent(call.agent ?? '')) && (!session || session(call.session ?? '')),
    matchesCaller:
      agent || session ? (call) => (!agent || agent(call.agent ?? '')) && (!session || session(call.session ?? '')) : undefined,
  };
}

/** Stable order of evaluation: priority ascending, then load order. */
export function byPriority(a: CompiledPolicy, b: CompiledPolicy): number {
  return a.effectivePriority - b.effectivePriority || a.order - b.order;
}
