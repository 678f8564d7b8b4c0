import { UserError } from './errors';

/** Parses an integer flag, with a one-line error naming the flag. */
export function intOption(value: string | undefined, flag: string, fallback: number, min = Number.MIN_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UserError(`${flag} expects a whole number${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ''}, got "${value}"`);
  return n;
}
