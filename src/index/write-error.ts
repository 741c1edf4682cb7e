// One clear message for every failed index write (full disk, size limit,
// permissions): what happened, that the live index is untouched, what to do.
export class IndexWriteError extends Error {}

export function indexWriteError(indexDir: string, error: unknown): IndexWriteError {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is exhausted',
    EFBIG: 'a file size limit was reached',
    EACCES: 'permission denied',
    EROFS: 'the file system is read-only',
  };
  const why = (code && reasons[code]) ?? (error as Error).message;
  return new IndexWriteError(
    `Could not write the index to ${indexDir}: ${why}${code ? ` (${code})` : ''}. The previous index is unchanged; ` +
      'free some space (or fix the folder) and run `akhbar index` again.',
  );
}
