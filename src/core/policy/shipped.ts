// Locating the policies shipped in `policies/`, from the sources (tsx) as well
// as from the bundles in `dist/`: walk up from this file's directory.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type ShippedPolicyName = 'standard' | 'yolo' | 'paranoid';

export function shippedPolicyPath(name: ShippedPolicyName): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'policies', `${name}.yaml`);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`shipped policy policies/${name}.yaml not found above ${__dirname}`);
  }
}
