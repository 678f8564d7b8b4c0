// Where the cursor is in a policy file: which mapping (top level, a policy,
// its match, a rule, its when, a test case…), whether a key or a value is
// being typed, and the keys the mapping already has. Used by completion and
// hover. No `vscode` here: it works on text and offsets.
//
// While typing, the line under the cursor is usually not valid YAML (`  - act`,
// `action: `). So the line is first completed with a marker (`actRAMPARTCURSOR:`)
// and the document parsed with the `yaml` library; the marker's node gives the
// path. When that parse cannot place the marker (a broken line elsewhere, a
// blank line at a list's dash column), the path is read from the indentation of
// the lines above instead.
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { POLICY_FILE_SHAPE, type PolicyMappingKind } from '../core/policy/schema';

/** A key of a mapping, or the index of a list item. */
export type PathSegment = string | number;

export interface CursorContext {
  /** A key is being typed (or the line is empty), or the value of `key`. */
  position: 'key' | 'value';
  /** Kind of the mapping the key is in (for a value: the mapping of its key); undefined outside the known shape. */
  mapping?: PolicyMappingKind;
  /** Keys and list indexes from the document's root to that mapping. */
  path: PathSegment[];
  /** Value position: the key whose value is typed. */
  key?: string;
  /** Value position: the value is an item of a list (`tool: [exec, |]`, `- |`). */
  listItem?: boolean;
  /** Value position right after the colon (`action:|`): a value needs a space before it. */
  needsSpace?: boolean;
  /** How the path was found: a parse of the completed line, or the indentation of the lines above. */
  via: 'parse' | 'indentation';
  /** What is typed of the key or value before the cursor. */
  prefix: string;
  /** Offset where the prefix starts (the completion replaces from there to the cursor's word end). */
  prefixStart: number;
  /** Offset where the word under the cursor ends. */
  wordEnd: number;
  /** Keys the mapping already has (other than the one being typed). */
  existing: string[];
  /** The cursor starts a list item of `policies`, `rules` or `tests`: the item is empty so far. */
  freshItem: boolean;
  /** That item still needs its `- ` (a blank line at the list's dash column). */
  needsDash: boolean;
  /** Column where the key starts, and the indentation of the line (a snippet's extra lines are indented from it). */
  keyColumn: number;
  lineIndent: number;
  /** The key is typed inside a flow mapping (`match: { tool: exec, | }`): what it inserts stays on the line. */
  flow?: boolean;
}

const MARKER = 'RAMPARTCURSOR';

/** Mapping kind reached by following a path from the root, or undefined outside the known shape. */
export function mappingAt(path: readonly PathSegment[], suite = false): PolicyMappingKind | undefined {
  let kind: PolicyMappingKind | 'policies' | 'rules' | 'tests' | undefined = suite ? 'suite' : 'top';
  for (const seg of path) {
    if (typeof seg === 'number') kind = kind === 'policies' ? 'policy' : kind === 'rules' ? 'rule' : kind === 'tests' ? 'test' : undefined;
    else if (kind === 'top' || kind === 'suite') kind = seg === 'policies' && kind === 'top' ? 'policies' : seg === 'tests' ? 'tests' : undefined;
    else if (kind === 'policy') kind = seg === 'match' ? 'match' : seg === 'rules' ? 'rules' : undefined;
    else if (kind === 'rule') kind = seg === 'when' ? 'when' : undefined;
    else if (kind === 'test') kind = seg === 'params' ? 'params' : undefined;
    else kind = undefined;
    if (kind === undefined) return undefined;
  }
  return kind === 'policies' || kind === 'rules' || kind === 'tests' ? undefined : kind;
}

/** The list a path ends in (`policies`, `rules`, `tests`), when the path names one. */
function listAt(path: readonly PathSegment[], suite: boolean): 'policies' | 'rules' | 'tests' | undefined {
  const last = path[path.length - 1];
  if (last !== 'policies' && last !== 'rules' && last !== 'tests') return undefined;
  const owner = mappingAt(path.slice(0, -1), suite);
  return (last === 'policies' && owner === 'top') || (last === 'tests' && (owner === 'top' || owner === 'suite')) || (last === 'rules' && owner === 'policy')
    ? last
    : undefined;
}

/** Whether a document is a test suite (`policy:` and no `policies:`), by a look at its top-level keys. */
export function isSuiteText(text: string): boolean {
  return /^policy\s*:/m.test(text) && !/^policies\s*:/m.test(text);
}

export interface NodeHit {
  /** Keys and indexes from the root to the node (for a key: to its mapping, plus the key). */
  path: PathSegment[];
  /** The scalar hit, whether it is a mapping key, and the pair it belongs to. */
  node: Node;
  isKey: boolean;
  pair?: Pair<Node, Node | null>;
  /** The mappings and lists from the root down to the node (the last one holds it). */
  ancestors: Node[];
}

/** The scalar whose source range holds `offset` (end included), with its path. */
export function nodeAt(doc: Document, offset: number): NodeHit | undefined {
  const within = (n: Node | null | undefined): n is Node => !!n?.range && n.range[0] <= offset && offset <= n.range[1];
  const walk = (n: Node, path: PathSegment[], ancestors: Node[]): NodeHit | undefined => {
    if (isMap(n)) {
      for (const pair of n.items as Pair<Node, Node | null>[]) {
        const k = pair.key;
        const name = isScalar(k) ? String(k.value) : '';
        if (within(k) && isScalar(k)) return { path: [...path, name], node: k, isKey: true, pair, ancestors: [...ancestors, n] };
        if (within(pair.value)) return walk(pair.value, [...path, name], [...ancestors, n]);
      }
      return undefined;
    }
    if (isSeq(n)) {
      const items = n.items as (Node | null)[];
      for (let i = 0; i < items.length; i++) if (within(items[i])) return walk(items[i]!, [...path, i], [...ancestors, n]);
      return undefined;
    }
    if (isScalar(n)) return { path, node: n, isKey: false, ancestors };
    return undefined;
  };
  const root = doc.contents as Node | null;
  return root ? (within(root) ? walk(root, [], []) : undefined) : undefined;
}

/** Keys of a mapping node (strings only). */
function keysOf(n: Node | undefined): string[] {
  if (!isMap(n)) return [];
  return (n.items as Pair<Node, unknown>[]).filter((p) => isPair(p) && isScalar(p.key)).map((p) => String((p.key as { value: unknown }).value));
}

interface LineShape {
  indent: number;
  /** Column of the last `- ` on the line, if any. */
  dash?: number;
  /** Column where the line's content (after indentation and dashes) starts. */
  content: number;
  rest: string;
  /** The key the line's content starts with (`name:` → name), if any. */
  key?: string;
}

function lineShape(line: string): LineShape | undefined {
  // `s`: a line may hold a `\r` (CRLF files) or a U+2028, which `.` does not match.
  const m = /^( *)((?:-[ \t]+)*)(.*)$/s.exec(line.replace(/\r$/, ''))!;
  const rest = m[3];
  if (!rest.trim() && !m[2]) return undefined;
  if (/^#/.test(rest)) return undefined;
  const dashes = m[2];
  const dash = dashes ? m[1].length + dashes.lastIndexOf('-') : undefined;
  const key = /^(?:"([^"]*)"|'([^']*)'|([^\s:#'"{[][^:#]*?))\s*:(\s|$)/.exec(rest);
  return { indent: m[1].length, dash, content: m[1].length + dashes.length, rest, key: key ? (key[1] ?? key[2] ?? key[3]) : undefined };
}

/**
 * The path of a key at `column` on line `lineNo`, read from indentation alone:
 * the keys of the lines above it with less indentation, and `-` items. Also the
 * sibling keys at the same column (above and below) and whether the item is new.
 */
export function pathByIndentation(lines: readonly string[], lineNo: number, column: number, startsItem: boolean): { path: PathSegment[]; existing: string[]; needsDash: boolean } {
  const path: PathSegment[] = [];
  const existing: string[] = [];
  let col = column;
  let state: 'map' | 'seq' = 'map';
  let collecting = !startsItem;
  let needsDash = false;
  const own = lineShape(lines[lineNo] ?? '');
  if (startsItem && own?.dash !== undefined) {
    path.unshift(0);
    col = own.dash;
    state = 'seq';
  } else {
    // Siblings below, up to the end of the mapping.
    for (let i = lineNo + 1; i < lines.length; i++) {
      const s = lineShape(lines[i]!);
      if (!s) continue;
      const start = s.dash ?? s.content;
      if (start < col) break;
      if (s.content === col && s.dash === undefined && s.key !== undefined) existing.push(s.key);
    }
  }
  for (let i = lineNo - 1; i >= 0; i--) {
    const s = lineShape(lines[i]!);
    if (!s) continue;
    const start = s.dash ?? s.content;
    if (start > col) continue; // deeper: inside a sibling
    if (state === 'map') {
      if (s.content === col) {
        if (collecting && s.key !== undefined) existing.push(s.key);
        if (s.dash !== undefined) {
          path.unshift(0);
          col = s.dash;
          state = 'seq';
          collecting = false;
        }
        continue;
      }
      if (s.content > col) {
        // A `- ` at this column with its content further right: the cursor is at a new item's dash column.
        if (!path.length && collecting) {
          needsDash = true;
          existing.length = 0;
        }
        path.unshift(0);
        state = 'seq';
        collecting = false;
        continue;
      }
    } else if (s.dash === col) continue; // another item of the same list
    // An owner: a key with less indentation (or, for a list, a key at its column).
    if (s.key === undefined) break;
    path.unshift(s.key);
    collecting = false;
    col = s.content;
    state = 'map';
    if (s.dash !== undefined) {
      path.unshift(0);
      col = s.dash;
      state = 'seq';
    }
  }
  return { path, existing, needsDash };
}

/** The mapping holding the marker in a parse of the completed text, if the parse placed it. */
function byParse(text: string, markerOffset: number, wantKey: boolean): { path: PathSegment[]; existing: string[]; fresh: boolean } | undefined {
  let doc: Document;
  try {
    doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false });
  } catch {
    return undefined;
  }
  // An error on the marker's own line (a key at a list's dash column) means the parse misread it.
  const lineStart = text.lastIndexOf('\n', markerOffset - 1) + 1;
  const lineEnd = text.indexOf('\n', markerOffset) < 0 ? text.length : text.indexOf('\n', markerOffset);
  if (doc.errors.some((e) => e.pos[0] <= lineEnd && e.pos[1] >= lineStart)) return undefined;
  const hit = nodeAt(doc, markerOffset);
  if (!hit || !isScalar(hit.node) || typeof hit.node.value !== 'string' || !hit.node.value.includes(MARKER)) return undefined;
  // A key typed on a line the parse reads as part of a value (an unclosed quote above): not placed.
  if (hit.isKey !== wantKey) return undefined;
  const holder = hit.ancestors[hit.ancestors.length - 1];
  if (hit.isKey) {
    const existing = keysOf(holder).filter((k) => !k.includes(MARKER));
    return { path: hit.path.slice(0, -1), existing, fresh: existing.length === 0 && isSeq(hit.ancestors[hit.ancestors.length - 2]) };
  }
  // A value, or an item of a list value: the path ends with its key.
  return { path: isSeq(holder) ? hit.path.slice(0, -1) : hit.path, existing: [], fresh: false };
}

/** The innermost bracket (`{` or `[`) left open in a line's text, quotes skipped; undefined when all are closed. */
function innermostOpen(line: string): string | undefined {
  const open: string[] = [];
  let quote = '';
  for (const c of line) {
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') open.push(c);
    else if (c === '}' || c === ']') open.pop();
  }
  return open.at(-1);
}

/** Whether a line (up to the cursor) is inside a comment. */
function inComment(before: string): boolean {
  let quote = '';
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(before[i - 1]!))) return true;
  }
  return false;
}

/** Where the cursor at `offset` is in a policy file's text; undefined in a comment or somewhere nothing is offered. */
export function cursorContext(text: string, offset: number): CursorContext | undefined {
  offset = Math.max(0, Math.min(offset, text.length));
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const before = text.slice(lineStart, offset);
  const after = text.slice(offset, lineEnd).replace(/\r$/, '');
  if (/\t/.test(before) || inComment(before)) return undefined;
  const suite = isSuiteText(text);
  const lines = text.split(/\r?\n/);
  const lineNo = text.slice(0, lineStart).split('\n').length - 1;
  const m = /^( *)((?:-[ \t]+)*)(.*)$/s.exec(before)!;
  const indent = m[1].length;
  const dashes = m[2];
  const rest = m[3];
  const keyColumn = indent + dashes.length;
  const wordEnd = offset + (/^[\w-]*/.exec(after)?.[0].length ?? 0);

  const keyMatch = /^([\w-]*)$/.exec(rest);
  if (keyMatch) {
    const prefix = keyMatch[1];
    const tail = after.replace(/^[\w-]*/, '');
    // A completed key (`name: x`) under the cursor: completing it would only offer it again.
    const completed = /^\s*:/.test(tail);
    const completedText = text.slice(0, lineStart) + before.slice(0, keyColumn) + prefix + MARKER + ':' + (completed ? tail.replace(/^\s*:/, '') : '') + text.slice(lineEnd);
    const parsed = byParse(completedText, lineStart + keyColumn + prefix.length, true);
    let path: PathSegment[];
    let existing: string[];
    let needsDash = false;
    let fresh: boolean;
    const via = parsed ? 'parse' : 'indentation';
    if (parsed) {
      ({ path, existing, fresh } = parsed);
    } else {
      ({ path, existing, needsDash } = pathByIndentation(lines, lineNo, keyColumn, !!dashes));
      fresh = !!dashes || needsDash;
    }
    // `- ex` under a key whose value is a list of scalars (`tool:`, `command_matches:`): read as a mapping, but it is a value.
    const listKey = path[path.length - 2];
    if (dashes && typeof listKey === 'string' && typeof path[path.length - 1] === 'number' && mappingAt(path, suite) === undefined && mappingAt(path.slice(0, -2), suite) !== undefined) {
      return { ...valueContext(path.slice(0, -1), suite, prefix, offset - prefix.length, wordEnd, true, keyColumn, indent)!, via };
    }
    const freshItem = fresh && listAt(path.slice(0, -1), suite) !== undefined && typeof path[path.length - 1] === 'number';
    return {
      position: 'key',
      mapping: mappingAt(path, suite),
      path,
      prefix,
      prefixStart: offset - prefix.length,
      wordEnd,
      existing: [...new Set(existing)],
      freshItem,
      needsDash,
      keyColumn,
      lineIndent: indent,
      via,
    };
  }

  const flowKey = /[{,]\s*([\w-]*)$/.exec(rest);
  if (flowKey && innermostOpen(rest) === '{') {
    // A key of a flow mapping on this line (`match: { tool: exec, | }`): the parse places it.
    const prefix = flowKey[1]!;
    const completed = /^[\w-]*\s*:/.test(after);
    const parsed = byParse(text.slice(0, offset) + MARKER + (completed ? '' : ': ') + text.slice(offset), offset, true);
    if (!parsed) return undefined;
    const { path, existing } = parsed;
    const mapping = mappingAt(path, suite);
    return { position: 'key', mapping, path, prefix, prefixStart: offset - prefix.length, wordEnd, existing, freshItem: false, needsDash: false, keyColumn, lineIndent: indent, flow: true, via: 'parse' };
  }

  const valueMatch = /^("[^"]*"|'[^']*'|[\w-]+)\s*:(\s+(.*))?$/.exec(rest);
  const flowValue = /[{,]\s*([\w-]+)\s*:\s*(\[(?:[^\]]*,)?\s*)?["']?([\w*.-]*)$/.exec(rest);
  if (flowValue && rest.includes('{')) {
    // The value of a key of a flow mapping (`match: { tool: | }`, `{ tool: [exec, |] }`): the parse places it.
    const prefix = flowValue[3]!;
    const parsed = byParse(text.slice(0, offset) + MARKER + text.slice(offset), offset, false);
    if (!parsed || parsed.path[parsed.path.length - 1] !== flowValue[1]) return undefined;
    const ctx = valueContext(parsed.path, suite, prefix, offset - prefix.length, wordEnd, !!flowValue[2], keyColumn, indent);
    return ctx && { ...ctx, via: 'parse' };
  }
  if (!valueMatch) return undefined;
  const key = valueMatch[1]!.replace(/^["']|["']$/g, '');
  const value = valueMatch[3] ?? '';
  let prefix = value;
  let listItem = false;
  const flow = /^\[(?:[^\]]*,)?\s*["']?([\w*.-]*)$/.exec(value);
  if (flow) {
    prefix = flow[1]!;
    listItem = true;
  } else if (/^["']/.test(value)) prefix = value.slice(1);
  if (!/^[\w*.-]*$/.test(prefix)) return undefined;
  const parsed = byParse(text.slice(0, offset) + MARKER + text.slice(offset), offset, false);
  const placed = !!parsed && parsed.path[parsed.path.length - 1] === key;
  const path = placed ? parsed.path : [...pathByIndentation(lines, lineNo, keyColumn, !!dashes).path, key];
  const ctx = valueContext(path, suite, prefix, offset - prefix.length, wordEnd, listItem, keyColumn, indent);
  return ctx && { ...ctx, needsSpace: valueMatch[2] === undefined, via: placed ? 'parse' : 'indentation' };
}

function valueContext(path: PathSegment[], suite: boolean, prefix: string, prefixStart: number, wordEnd: number, listItem: boolean, keyColumn: number, lineIndent: number): Omit<CursorContext, 'via'> | undefined {
  const key = path[path.length - 1];
  if (typeof key !== 'string') return undefined;
  const mappingPath = path.slice(0, -1);
  return {
    position: 'value',
    mapping: mappingAt(mappingPath, suite),
    path: mappingPath,
    key,
    listItem,
    prefix,
    prefixStart,
    wordEnd,
    existing: [],
    freshItem: false,
    needsDash: false,
    keyColumn,
    lineIndent,
  };
}

/** The keys the loader accepts in a kind of mapping (from the core's schema). */
export function keysOfMapping(kind: PolicyMappingKind): readonly string[] {
  return POLICY_FILE_SHAPE[kind];
}
