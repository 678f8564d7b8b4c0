import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { loadPolicy, type PolicySet } from '../policy/index';

const RELOAD_DEBOUNCE_MS = 75;

/**
 * The policy a gate evaluates against, reloaded when its files change. A
 * reload that fails (bad YAML, schema errors) keeps the last good set in force
 * and emits `error`; a good one emits `reload`.
 *
 * Directories are watched rather than files, so editors that save by writing a
 * new file and renaming it over the old one are still seen.
 */
export class PolicySource extends EventEmitter {
  private set: PolicySet;
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly path: string,
    opts: { watch?: boolean } = {},
  ) {
    super();
    this.path = resolve(path);
    this.set = loadPolicy(this.path);
    if (opts.watch ?? true) this.watchFiles();
  }

  get current(): PolicySet {
    return this.set;
  }

  /** Re-reads the policy now; returns the error when the new text is rejected. */
  reload(): Error | null {
    try {
      this.set = loadPolicy(this.path);
    } catch (err) {
      this.emit('error', err);
      return err as Error;
    }
    this.emit('reload', this.set);
    return null;
  }

  close(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private watchFiles(): void {
    for (const w of this.watchers) w.close();
    // A policy directory gains and loses files, so it is watched whole.
    const isDir = this.set.files.length !== 1 || resolve(this.set.files[0]) !== this.path;
    const dir = isDir ? this.path : dirname(this.path);
    const name = isDir ? null : basename(this.path);
    this.watchers = [
      watch(dir, { persistent: false }, (_event, changed) => {
        if (name && changed && changed.toString() !== name) return;
        this.schedule();
      }),
    ];
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.reload();
    }, RELOAD_DEBOUNCE_MS);
  }
}
