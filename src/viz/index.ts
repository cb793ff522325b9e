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
