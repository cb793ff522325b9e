/**
 * Views: plotly figure specs, results JSON, and display helpers for the tslab kernel.
 * @packageDocumentation
 */
export {
  COLORWAY,
  barFigure,
  columnValues,
  heatmapFigure,
  imageGridFigure,
  lineFigure,
  metricsToGroups,
  pngDataUrl,
  trainingCurveFigure,
} from './figures';
export type {
  Axis,
  BarOptions,
  Columns,
  Figure,
  Groups,
  HeatmapOptions,
  ImageGridOptions,
  Layout,
  LineOptions,
  TableLike,
  Trace,
} from './figures';
export {
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
} from './display';
export type { MimeBundle, ShowFigureOptions, ShowTableOptions } from './display';
export { ENCODERS, EVALUATIONS, resultsDir, startTimer, validateMetric, writeResults } from './results';
export type { Budget, Encoder, Results } from './results';
export { comparisonGridFigure, abPlaneFigure } from './generative-figures';
export type { GridColumn } from './generative-figures';
export { wavDataUrl, audioHtml, imageHtml, mediaRowsHtml, showMediaRows } from './audio';
export type { SoundItem, ImageItem, MediaRow, MediaRowsOptions } from './audio';
export { histogramFigure, historiesByRun, imageBytes, interleaveImages, nearFarPatchImages, jigsawPairImages } from './contrastive-figures';
export { retrievalGridFigure } from './retrieval-grid';
export { motionFigure } from './video-figures';
export { pretextPairsFigure, greyscaleBytes, maskedPatchBytes, relativePositionBytes } from './pretext-examples';
export { lowShotFigure } from './low-shot-figure';
export type { LowShotSeriesPoint } from './low-shot-figure';
export { relativePositionFigure, jigsawFigure } from './patch-figures';
export { permutationCurveFigure } from './permutation-curve';
export type { PermutationPoint } from './permutation-curve';
export { perLayerFigure } from './per-layer-figure';
export type { PerLayerFigureOptions } from './per-layer-figure';
export { invarianceScatterFigure, deltaBarFigure, invarianceExamples } from './invariance-figures';
export type { ScatterPoint } from './invariance-figures';
