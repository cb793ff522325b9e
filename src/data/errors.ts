/**
 * The one error type of the data layer: something is wrong with a file, a folder or a download
 * that the user can fix.
 *
 * `file` names the offending path (an archive member is written `archive.tar:member/path`),
 * `hint` says what to do about it. The message reads `<file> <problem>. <hint>`, e.g.
 * `/data/cifar10-jpeg.tar is truncated (expected 512-byte tar blocks, file ends at byte 1000).
 * Delete it and run again, or set SELFSUP_MIRROR to a folder holding a good copy.`
 *
 * Bad *parameters* (a negative batch size, a sample larger than the data) are `RangeError`s,
 * not `DataError`s.
 */
export class DataError extends Error {
  /** The file, folder, archive member or URL the problem is in. */
  readonly file: string;
  /** What is wrong, phrased to follow the file name ("is truncated (...)"). */
  readonly problem: string;
  /** What the user can do about it. */
  readonly hint: string;

  /**
   * @param file the offending path (or URL, or `archive:member`).
   * @param problem what is wrong, phrased to follow the file name: "is truncated (...)".
   * @param hint what to do, as one or more sentences.
   */
  constructor(file: string, problem: string, hint: string, options?: { cause?: unknown }) {
    super(`${file} ${problem}. ${hint}`, options);
    this.name = 'DataError';
    this.file = file;
    this.problem = problem;
    this.hint = hint;
  }
}

/** The hint given when a downloaded or mirrored dataset file is damaged. */
export const HINT_REPLACE_FILE =
  'Delete it and run again, or set SELFSUP_MIRROR to a folder holding a good copy.';

/** The hint given when a file of the user's own image folder is damaged. */
export const HINT_FIX_USER_FILE = 'Fix or remove that file and run again.';
