import * as path from 'node:path';
import { projectRoot } from '../data/data-options';

/**
 * Where a notebook's training run keeps its checkpoint: `<root>/checkpoints/<notebook>/<run>`
 * (root: `SELFSUP_CHECKPOINTS`, else the project's `checkpoints/`, git-ignored). The training
 * loop stores a fingerprint of the configuration with it, so a changed parameter retrains
 * while an unchanged rerun restores.
 */
export function checkpointDir(notebook: string, run: string): string {
  const root = process.env.SELFSUP_CHECKPOINTS || path.join(projectRoot(), 'checkpoints');
  return path.join(root, notebook, run);
}
