// npm run lab -- [notebook ...] [--budget smoke|quick|full] [--set key=value ...] [--no-html] [--no-png]
// Executes notebooks headless on the tslab kernel and writes results/: executed copies, HTML
// exports, figure PNGs and SVGs, metrics JSON, and the results page (results/index.html, every
// results/*.json in one table). Exit 1 if any notebook failed, 2 on bad arguments.
import * as path from 'path';
import { defaultPaths, parseLabArgs, runLab, stopChildren, summaryTable } from './lab-core';
import { README_TABLE_FILE, writeIndex } from './results-page';

async function main(): Promise<number> {
  let options;
  try {
    options = parseLabArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const paths = defaultPaths();
  let runs;
  try {
    runs = await runLab(options, paths);
  } catch (err) {
    console.error(`[lab] ${(err as Error).message}`);
    return 2;
  }
  if (!runs.length) return 0;
  console.log('\n' + summaryTable(runs, paths.root));
  const failed = runs.filter((r) => r.status !== 'ok');
  if (failed.length) console.log(`\n${failed.length} of ${runs.length} notebook(s) failed: ${failed.map((r) => r.notebook).join(', ')}`);
  // The results page gathers every results/*.json (this run's and earlier ones'), failures included.
  try {
    const index = writeIndex(paths.resultsDir, { runs });
    console.log(`\nresults page: ${index}\nREADME table: ${path.join(paths.resultsDir, README_TABLE_FILE)}`);
  } catch (err) {
    console.error(`[lab] warning: the results page failed: ${(err as Error).message}`);
  }
  return failed.length ? 1 : 0;
}

// Ctrl-C or a kill: stop the executor (it shuts its kernel down and keeps the partial notebook).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`[lab] ${signal}: stopping`);
    stopChildren('SIGTERM');
    setTimeout(() => process.exit(130), 5000).unref();
    process.exitCode = 130;
  });
}

main().then((code) => {
  process.exitCode = process.exitCode || code;
});
