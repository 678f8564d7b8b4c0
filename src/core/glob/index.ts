// Command, path and domain globs, plus path and URL-host normalisation.
// Every pattern is compiled once into a predicate. Contract: docs/architecture.md.
import { compileWildcard } from './wildcard';

export { leadingLiteral, prefixesAgree, requiredLiteral, wildcardCovers } from './wildcard';

export { compilePathGlob, normalizePath, type PathGlobOptions, type PathOptions } from './path';
export { compileDomainGlob, hostOf } from './domain';

/**
 * Compiles a command glob matched against a whole command string: `*` matches
 * any run of characters including `/` and spaces (`git *` matches
 * `git push origin/main`), `?` one character, `[…]` a class.
 */
export function compileCommandGlob(pattern: string): (command: string) => boolean {
  return compileWildcard(pattern);
}

/** A glob matching exactly `literal`: its glob characters (`* ? [ ] \\`) escaped. */
export function literalGlob(literal: string): string {
  return literal.replace(/[\\*?[\]]/g, (c) => `\\${c}`);
}
