import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir } from '../audit/files';

/**
 * A gate's private state on disk: a 0700 directory holding the 256-bit bearer
 * token in a 0600 file. Only the file's path travels (in the agent's env); the
 * token itself never appears in argv or env. One gate, one token, however many
 * sessions it serves.
 */
export interface GateCredentials {
  dir: string;
  tokenFile: string;
  /** `curl -K` config carrying the Authorization header, for shims that cannot use bash's /dev/tcp. */
  curlConfigFile: string;
  /** Constant-time comparison of a presented token. */
  accepts(presented: string | undefined): boolean;
  remove(): void;
}

export function createGateCredentials(runtimeDir?: string): GateCredentials {
  const base = runtimeDir ?? join(process.env.XDG_RUNTIME_DIR || tmpdir(), `rampart-learn-${process.getuid?.() ?? 'user'}`);
  ensurePrivateDir(base);
  const dir = mkdtempSync(join(base, 'gate-'));
  ensurePrivateDir(dir);
  const token = randomBytes(32).toString('hex');
  const tokenFile = join(dir, 'token');
  const curlConfigFile = join(dir, 'curl.conf');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  writeFileSync(curlConfigFile, `header = "Authorization: Bearer ${token}"\n`, { mode: 0o600 });
  const expected = Buffer.from(token);
  return {
    dir,
    tokenFile,
    curlConfigFile,
    accepts(presented) {
      if (!presented) return false;
      const got = Buffer.from(presented);
      return got.length === expected.length && timingSafeEqual(got, expected);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
