// Backslash escapes as bash's $'…', `echo -e` and `printf` decode them:
// \a \b \e \f \n \r \t \v \\ \' \" \?, \NNN octal, \xHH, \uHHHH, \UHHHHHHHH, \cX.
// Unknown escapes are kept as written.

const SIMPLE: Record<string, string> = {
  a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  '\\': '\\', "'": "'", '"': '"', '?': '?',
};

function isDigitIn(c: number, radix: number): boolean {
  if (c >= 48 && c <= 55) return true;
  if (radix === 8) return false;
  return (c >= 56 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

export function decodeEscapes(s: string): string {
  let i = s.indexOf('\\');
  if (i < 0) return s;
  let out = s.slice(0, i);
  const n = s.length;
  while (i < n) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= n) {
      out += c;
      i++;
      continue;
    }
    const e = s[i + 1]!;
    i += 2;
    const simple = Object.prototype.hasOwnProperty.call(SIMPLE, e) ? SIMPLE[e] : undefined;
    if (simple !== undefined) out += simple;
    else if (e === 'x' || e === 'u' || e === 'U' || (e >= '0' && e <= '7')) {
      const octal = e >= '0' && e <= '7';
      const max = octal ? 3 : e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const from = octal ? i - 1 : i;
      let j = from;
      while (j < n && j - from < max && isDigitIn(s.charCodeAt(j), octal ? 8 : 16)) j++;
      const code = j > from ? parseInt(s.slice(from, j), octal ? 8 : 16) : NaN;
      out += code <= 0x10ffff ? String.fromCodePoint(code) : `\\${e}`;
      i = j;
    } else if (e === 'c' && i < n) {
      out += String.fromCharCode(s.charCodeAt(i) & 0x1f);
      i++;
    } else out += `\\${e}`;
  }
  return out;
}
