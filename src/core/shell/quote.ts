// Writing a word for a POSIX shell to read back byte for byte: a prompt typed
// into an agent terminal, a hook command in a settings file.

/** Single-quoted, with each `'` written as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** As it is when the shell would read it unchanged (a plain path), else single-quoted. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : shellQuote(text);
}
