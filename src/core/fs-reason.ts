// How a shell words these (strerror), for one-line messages about a path.
const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

/** A filesystem error's reason in a few words (`not a directory`), without Node's `code: …, syscall 'path'` prefix. */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  return (code && FS_REASONS[code]) ?? code ?? String((err as Error)?.message ?? err).split('\n')[0]!;
}
