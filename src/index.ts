/**
 * selfsup's public face: what the notebooks and the CLI import. Layers, lowest first:
 * backend, data -> transforms -> pretext -> models -> objectives -> methods -> train -> eval -> viz.
 * @packageDocumentation
 */
export * from './backend';
export * from './data';
export * from './transforms';
export * from './pretext';
export * from './models';
export * from './objectives';
export * from './methods';
export {
  train,
  clearCheckpoint,
  checkpointDir,
  makeOptimizer,
  scheduledLr,
  setLearningRate,
  saveCheckpoint,
  loadCheckpoint,
  fingerprint,
  defaultProgressSink,
  silentProgressSink,
  progressBar,
  formatSeconds,
  budgetFromEnv,
  BUDGETS,
  historyTable,
} from './train';
export type { TrainTask, TrainOptions, TrainResult, StepOutput, EpochRow, OptimizerConfig, CheckpointMeta, ProgressSink, Budget } from './train';
export * from './eval';
export {
  COLORWAY,
  barFigure,
  columnValues,
  heatmapFigure,
  imageGridFigure,
  lineFigure,
  metricsToGroups,
  pngDataUrl,
  PLOTLY_MIME,
  displayBundle,
  figureHtml,
  figureSummary,
  inNotebook,
  saveFigureSpec,
  showFigure,
  showImages,
  showMarkdown,
  showTable,
  ENCODERS,
  EVALUATIONS,
  projectRoot,
  resultsDir,
  startTimer,
  validateMetric,
  writeResults,
} from './viz';
export type { Figure, Groups, Layout, Trace, Results, Encoder, MimeBundle } from './viz';
export { rotationGridFigure } from './viz/rotation-grid';
