// Multi-literal search (Aho–Corasick as a dense automaton): which of many
// literals occur anywhere in a few strings, in one pass over their characters.
// The policy index uses it so that a call is only tested against the few
// patterns whose required literal it actually contains.

export class LiteralSet {
  /** Symbol of each UTF-16 code unit; 0 stands for every character no literal uses. */
  private readonly symbols = new Uint16Array(65536);
  private readonly width: number;
  /**
   * Transitions: next[row(s) + symbol] is the row of the next state, where a
   * state's row is its index × width, negated (~row) when the state reports a
   * literal, so the scan loop needs no multiplication and one test per character.
   */
  private readonly next: Int32Array;
  /** Literal ids reported in each state, flattened: outputs[outStart[s]…outStart[s+1]). */
  private readonly outStart: Int32Array;
  private readonly outputs: Int32Array;
  private readonly seen: Uint32Array;
  /**
   * After `present`, masks[id] is the OR of the bits of the texts literal id
   * occurs in: bits[t], or by default bit t for texts[t] (bit 31 standing for
   * every text from the 32nd on).
   */
  readonly masks: Uint32Array;
  private stamp = 0;

  constructor(literals: readonly string[]) {
    let width = 1;
    for (const lit of literals) {
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        if (this.symbols[c] === 0) this.symbols[c] = width++;
      }
    }
    this.width = width;
    // Trie, directly in the transition table (-1: no child yet).
    let capacity = 1;
    for (const lit of literals) capacity += lit.length;
    let next = new Int32Array(capacity * width).fill(-1);
    const terminal: number[][] = [[]];
    literals.forEach((lit, id) => {
      let s = 0;
      for (let i = 0; i < lit.length; i++) {
        const slot = s * width + this.symbols[lit.charCodeAt(i)]!;
        if (next[slot] === -1) {
          next[slot] = terminal.length;
          terminal.push([]);
        }
        s = next[slot]!;
      }
      terminal[s]!.push(id);
    });
    const n = terminal.length;
    next = next.slice(0, n * width);
    // Failure links breadth-first; missing transitions follow the failure state's.
    const fail = new Int32Array(n);
    const out: number[][] = terminal;
    const queue: number[] = [];
    for (let a = 0; a < width; a++) {
      const t = next[a]!;
      if (t === -1) next[a] = 0;
      else queue.push(t);
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      const inherited = out[fail[s]!]!;
      if (inherited.length) out[s] = out[s]!.concat(inherited);
      for (let a = 0; a < width; a++) {
        const slot = s * width + a;
        const t = next[slot]!;
        const viaFail = next[fail[s]! * width + a]!;
        if (t === -1) next[slot] = viaFail;
        else {
          fail[t] = viaFail;
          queue.push(t);
        }
      }
    }
    for (let i = 0; i < next.length; i++) {
      const t = next[i]!;
      next[i] = out[t]!.length ? ~(t * width) : t * width;
    }
    this.next = next;
    this.outStart = new Int32Array(n + 1);
    const flat: number[] = [];
    for (let s = 0; s < n; s++) {
      this.outStart[s] = flat.length;
      flat.push(...out[s]!);
    }
    this.outStart[n] = flat.length;
    this.outputs = Int32Array.from(flat);
    this.seen = new Uint32Array(literals.length);
    this.masks = new Uint32Array(literals.length);
  }

  /** Ids of the (non-empty) literals that occur in any of `texts`, each once. */
  present(texts: readonly string[], bits?: readonly number[], spans?: readonly number[]): number[] {
    const found: number[] = [];
    if (++this.stamp === 0x100000000) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    const { symbols, next, width, outStart, outputs, seen, masks } = this;
    for (let t = 0; t < texts.length; t++) {
      const text = texts[t]!;
      const bit = bits ? bits[t]! : 1 << Math.min(t, 31);
      let row = 0;
      for (let i = spans ? spans[2 * t]! : 0, to = spans ? spans[2 * t + 1]! : text.length; i < to; i++) {
        row = next[row + symbols[text.charCodeAt(i)]!]!;
        if (row >= 0) continue;
        row = ~row;
        const state = (row / width) | 0;
        for (let k = outStart[state]!, end = outStart[state + 1]!; k < end; k++) {
          const id = outputs[k]!;
          if (seen[id] !== stamp) {
            seen[id] = stamp;
            masks[id] = bit;
            found.push(id);
          } else masks[id]! |= bit;
        }
      }
    }
    return found;
  }
}
