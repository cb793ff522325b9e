import type { VideoSet } from '../data/video';
import { COLORWAY, type Figure, type Trace } from './figures';

/**
 * Motion along each sequence of `v` (e.g. {@link frameMotion}'s mean absolute frame difference),
 * one line per sequence against time in seconds, with the threshold above which windows are
 * sampled drawn as a dashed line (Shuffle & Learn samples where frames change most).
 *
 * @param motion `[v.frames.n]` per-frame motion
 * @param fps frames per second of the sequences
 */
export function motionFigure(v: VideoSet, motion: Float32Array, fps: number, options: { threshold?: number; title?: string } = {}): Figure {
  if (motion.length !== v.frames.n) throw new RangeError(`motionFigure: ${motion.length} motion values for ${v.frames.n} frames`);
  const data: Trace[] = [];
  let tMax = 0;
  for (let s = 0; s + 1 < v.starts.length; s++) {
    const a = v.starts[s];
    const b = v.starts[s + 1];
    const x = Array.from({ length: b - a - 1 }, (_, i) => (i + 1) / fps);
    tMax = Math.max(tMax, (b - a) / fps);
    data.push({ type: 'scatter', mode: 'lines', name: v.sequenceNames[s], x, y: Array.from(motion.subarray(a + 1, b)), line: { color: COLORWAY[s % COLORWAY.length], width: 1.5 } });
  }
  if (options.threshold !== undefined) {
    data.push({ type: 'scatter', mode: 'lines', name: 'window threshold (mean over a window)', x: [0, tMax], y: [options.threshold, options.threshold], line: { color: '#444', dash: 'dash', width: 1 } });
  }
  return {
    data,
    layout: {
      template: 'none', paper_bgcolor: 'white', plot_bgcolor: 'white', height: 320,
      margin: { l: 64, r: 24, t: options.title ? 56 : 24, b: 56 },
      ...(options.title ? { title: { text: options.title, x: 0.02, xanchor: 'left' } } : {}),
      xaxis: { title: { text: 'time (s)' }, showgrid: false, zeroline: false },
      yaxis: { title: { text: 'mean |frame difference|' }, tickformat: '.0%', gridcolor: '#e8e8e8', zeroline: false },
      legend: { orientation: 'h', y: -0.25 },
    },
  };
}
