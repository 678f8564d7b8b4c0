// A set-wide index of the deny/ask command and path patterns. A shipped policy
// holds over a thousand patterns; testing each against every spelling of every
// call is what made evaluation slow. The index narrows a call to the patterns
// it can possibly meet — those whose longest literal occurs in the call (found
// for all patterns at once with a LiteralSet) and, for a pattern that starts
// with a literal word, only on strings with that first word — and then runs
// the exact tests on those only. A rule is reported only after the same checks
// the direct path makes, so the result is identical (see rule-index.test.ts).
import { LiteralSet } from './literal-set';
import { requiredLiteral } from '../glob/index';
import { commandKey, pathLiteral } from './prefilter';
import { seamWindows } from './seam-windows';
import type { CommandPattern, CompiledPolicy, CompiledRule, PolicySet } from './types';

interface CommandEntry {
  rule: CompiledRule;
  /** undefined: a command_contains literal of a rule without command_matches. */
  pattern?: CommandPattern;
  /** The literal first word a matching string has, when the pattern fixes one. */
  key?: string;
}

interface PathEntry {
  rule: CompiledRule;
  test: (path: string) => boolean;
}

/** Entries reached by a literal they require, or always. */
class Buckets<E> {
  readonly literals: string[] = [];
  readonly byLiteral: E[][] = [];
  readonly always: E[] = [];
  private readonly literalIds = new Map<string, number>();
  private set?: LiteralSet;
  /** Length of the longest literal. */
  longest = 0;

  /** Builds the automaton once every literal is added. */
  seal(): void {
    if (this.literals.length) this.set = new LiteralSet(this.literals);
  }

  addLiteral(lit: string, e: E): void {
    let id = this.literalIds.get(lit);
    if (id === undefined) {
      id = this.literals.length;
      this.literalIds.set(lit, id);
      this.literals.push(lit);
      this.longest = Math.max(this.longest, lit.length);
      this.byLiteral.push([]);
    }
    this.byLiteral[id]!.push(e);
  }

  /**
   * Calls `visit` for each entry whose literal occurs in the texts, with the
   * mask of the texts it occurs in (LiteralSet.present and masks).
   */
  visitPresent(texts: readonly string[], visit: (e: E, mask: number) => void, bits?: readonly number[], spans?: readonly number[]): void {
    if (!this.set) return;
    const masks = this.set.masks;
    for (const id of this.set.present(texts, bits, spans)) for (const e of this.byLiteral[id]!) visit(e, masks[id]!);
  }
}

export class RestrictiveIndex {
  private readonly commands = new Buckets<CommandEntry>();
  private readonly paths = new Buckets<PathEntry>();

  constructor(policies: readonly CompiledPolicy[]) {
    for (const policy of policies) {
      for (const rule of policy.rules) {
        if (!rule.restrictive || rule.catchAll) continue;
        this.addCommandRule(rule);
        rule.pathMatches.forEach((test, i) => {
          const source = rule.when.path_matches![i]!.value;
          const lit = pathLiteral(source) ?? literalPathText(source);
          // Restrictive path patterns ignore case (compile.ts): so does their index.
          if (lit) this.paths.addLiteral(lit.toLowerCase(), { rule, test });
          else this.paths.always.push({ rule, test });
        });
      }
    }
    this.commands.seal();
    this.paths.seal();
  }

  private addCommandRule(rule: CompiledRule): void {
    for (const pattern of rule.commandMatches) {
      const e: CommandEntry = { rule, pattern, key: commandKey(pattern) };
      const lits = [requiredLiteral(pattern.source)];
      if (pattern.canonical !== undefined) lits.push(requiredLiteral(pattern.canonical));
      if (lits.some((l) => !l)) this.commands.always.push(e);
      else for (const l of new Set(lits)) this.commands.addLiteral(l, e);
    }
    // command_contains alone makes a rule match; with command_matches it only narrows.
    if (!rule.commandMatches.length) {
      for (const lit of rule.commandContains) {
        if (lit) this.commands.addLiteral(lit, { rule });
        else this.commands.always.push({ rule });
      }
    }
  }

  /**
   * The restrictive rules whose command conditions hold for at least one of
   * `strings` (raw, clean, components), as the direct test would find them.
   */
  commandHits(strings: readonly string[], words: readonly string[]): Set<CompiledRule> {
    const hits = new Set<CompiledRule>();
    for (const e of this.commands.always) tryCommand(hits, e, strings, words, ALL);
    // A string inside the first one (most components are slices of the command
    // line) holds no literal the first lacks: it is not searched again, and is
    // a candidate for every literal of the first (the bits in `inherits`).
    // Looking for a short string in a long line costs more than searching the
    // string itself, so only strings of some length are looked for. A long
    // string made of a few pieces of the line (quotes taken out) is a
    // candidate for the line's literals too, and only its seams are searched.
    const raw = strings[0]!;
    const texts = [raw];
    const bits = [1];
    const spans = [0, raw.length];
    let inherits = 0;
    for (let i = 1; i < strings.length; i++) {
      const s = strings[i]!;
      const bit = 1 << Math.min(i, 31);
      if (s.length * 8 >= raw.length && raw.includes(s)) {
        inherits |= bit;
        continue;
      }
      const windows = s.length >= SEAM_MIN_LENGTH ? seamWindows(s, raw, this.commands.longest - 1) : undefined;
      if (windows) inherits |= bit;
      else {
        texts.push(s);
        bits.push(bit);
        spans.push(0, s.length);
        continue;
      }
      for (let w = 0; w < windows.length; w += 2) {
        texts.push(s);
        bits.push(bit);
        spans.push(windows[w]!, windows[w + 1]!);
      }
    }
    this.commands.visitPresent(texts, (e, mask) => tryCommand(hits, e, strings, words, mask & 1 ? mask | inherits : mask), bits, spans);
    return hits;
  }

  /** The restrictive rules whose path conditions hold for one of the spellings. */
  pathHits(spellings: readonly string[]): Set<CompiledRule> {
    const hits = new Set<CompiledRule>();
    for (const e of this.paths.always) tryPath(hits, e, spellings, ALL);
    this.paths.visitPresent(spellings.map((s) => s.toLowerCase()), (e, mask) => tryPath(hits, e, spellings, mask));
    return hits;
  }
}

const ALL = 0xffffffff;
/** Below this length a string is searched whole: cutting it into pieces of the line costs more. */
const SEAM_MIN_LENGTH = 256;

/** Whether text i is in a LiteralSet mask (bit 31 covers every text from the 32nd on). */
function inMask(mask: number, i: number): boolean {
  return (mask & (1 << Math.min(i, 31))) !== 0;
}

function tryCommand(hits: Set<CompiledRule>, e: CommandEntry, strings: readonly string[], words: readonly string[], mask: number): void {
  for (let i = 0; i < strings.length && !hits.has(e.rule); i++) {
    if (!inMask(mask, i) || (e.key !== undefined && e.key !== words[i])) continue;
    const s = strings[i]!;
    const met = e.pattern ? e.pattern.test(s) : e.rule.commandContains.some((c) => s.includes(c));
    if (met && narrowed(e.rule, s, words[i]!)) hits.add(e.rule);
  }
}

function tryPath(hits: Set<CompiledRule>, e: PathEntry, spellings: readonly string[], mask: number): void {
  for (let i = 0; i < spellings.length && !hits.has(e.rule); i++) {
    if (!inMask(mask, i)) continue;
    const s = spellings[i]!;
    if (e.test(s) && !e.rule.pathNotMatches.some((m) => m(s))) hits.add(e.rule);
  }
}

/** The rest of a rule's command test once one positive condition matched `s`. */
function narrowed(rule: CompiledRule, s: string, word: string): boolean {
  if (rule.commandMatches.length && rule.commandContains.length && !rule.commandContains.some((c) => s.includes(c))) return false;
  return !(rule.commandGroups.not.size && rule.commandGroups.not.test(s, word));
}

/**
 * For a path pattern without wildcards: text every matching (normalised) path
 * contains — the pattern without its home prefix and trailing slash — or
 * undefined when normalisation could rewrite it.
 */
function literalPathText(pattern: string): string | undefined {
  if (/[*?[\]{}()!\\]|\/\/|(^|\/)\.\.?(\/|$)/.test(pattern)) return undefined;
  const lit = pattern.replace(/^(~|\$\{?HOME\}?)(?=\/|$)/, '').replace(/\/+$/, '');
  return lit.length ? lit : undefined;
}

/** What evaluation needs per tool: the policies that apply to it, and their index. */
export interface ToolView {
  policies: CompiledPolicy[];
  index: RestrictiveIndex;
}

const cache = new WeakMap<PolicySet, Map<string, ToolView>>();
/** Distinct tool names remembered per set; beyond it (odd MCP names) views are built per call. */
const MAX_TOOLS = 256;

/** The enabled policies of a set whose `match.tool` fits `tool`, with their index, built on first use. */
export function toolView(set: PolicySet, tool: string): ToolView {
  let byTool = cache.get(set);
  if (!byTool) {
    byTool = new Map();
    cache.set(set, byTool);
  }
  let view = byTool.get(tool);
  if (!view) {
    const policies = set.policies.filter((p) => p.enabled && p.matchesTool(tool));
    view = { policies, index: new RestrictiveIndex(policies) };
    if (byTool.size < MAX_TOOLS) byTool.set(tool, view);
  }
  return view;
}
