import { readFileSync } from 'node:fs';
import { DataError } from './errors';

/**
 * Read a whole file, turning "missing", "is a folder" and "no permission" into a `DataError`
 * that names the file.
 *
 * @param hint what to tell the user when the file cannot be read.
 */
export function readFileOrThrow(path: string, hint = 'Check the path and run again.'): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT' ? 'does not exist'
      : code === 'EISDIR' ? 'is a folder, not a file'
      : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)'
      : `cannot be read (${(e as Error).message})`;
    throw new DataError(path, problem, hint, { cause: e });
  }
}
