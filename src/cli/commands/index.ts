import type { CliCommand } from '../command';

/**
 * Every sub-command, loaded lazily so `rampart-learn check` does not pay for
 * sql.js or the random forest. Each module exports `command`.
 */
export const commands: Record<string, () => Promise<CliCommand>> = {
  init: async () => (await import('./init')).command,
  check: async () => (await import('./check')).command,
  test: async () => (await import('./test')).command,
  lint: async () => (await import('./lint')).command,
  explain: async () => (await import('./explain')).command,
  learn: async () => (await import('./learn')).command,
  wrap: async () => (await import('./wrap')).command,
  audit: async () => (await import('./audit')).command,
  hook: async () => (await import('./hook')).command,
  setup: async () => (await import('./setup')).command,
  analyze: async () => (await import('./analyze')).command,
  apply: async () => (await import('./apply')).command,
  train: async () => (await import('./train')).command,
  predict: async () => (await import('./predict')).command,
  'generate-sample': async () => (await import('./generate-sample')).command,
  'export-csv': async () => (await import('./export-csv')).command,
  telemetry: async () => (await import('./telemetry')).command,
};
