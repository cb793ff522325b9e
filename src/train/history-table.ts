import * as aq from 'arquero';
import type { EpochRow } from './train-loop';

/** The per-epoch history of a run as an arquero table (one row per epoch), for tables and plots. */
export function historyTable(history: EpochRow[]): aq.ColumnTable {
  return aq.from(history.map((r) => ({ ...r })));
}
