// Builds every bundle with esbuild: the extension host code, the CLI, the
// webview and the training worker. `--production` minifies; `--watch` rebuilds.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const nodeBundle = (entry, outfile, extra = {}) => ({
  ...common,
  entryPoints: [entry],
  outfile,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  ...extra,
});

// Optional entry points appear as their owners land them; skipping a missing
// one keeps the build usable while the tree grows.
const candidates = [
  nodeBundle('src/extension/extension.ts', 'dist/extension.js'),
  nodeBundle('src/cli/main.ts', 'dist/cli.js', { banner: { js: '#!/usr/bin/env node' } }),
  nodeBundle('src/core/model/train-worker.ts', 'dist/train-worker.js'),
  { ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', target: 'es2022', format: 'iife' },
];
const configs = candidates.filter((c) => existsSync(join(root, c.entryPoints[0])));

mkdirSync(join(root, 'dist'), { recursive: true });
// sql.js loads its wasm from disk next to the bundle, so nothing is fetched.
const wasm = join(root, 'node_modules/sql.js/dist/sql-wasm.wasm');
if (existsSync(wasm)) copyFileSync(wasm, join(root, 'dist/sql-wasm.wasm'));

if (watch) {
  for (const c of configs) await (await esbuild.context(c)).watch();
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)));
  if (existsSync(join(root, 'dist/cli.js'))) chmodSync(join(root, 'dist/cli.js'), 0o755);
}
