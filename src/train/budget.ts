/** The three budgets every notebook runs in; only parameters differ (see DESIGN.md). */
export type Budget = 'smoke' | 'quick' | 'full';

export const BUDGETS: readonly Budget[] = ['smoke', 'quick', 'full'];

/**
 * The budget of this run: `SELFSUP_BUDGET` when set (the lab runner sets it), else `fallback`.
 * Throws an Error naming SELFSUP_BUDGET when it holds anything else.
 */
export function budgetFromEnv(fallback: Budget = 'quick'): Budget {
  const v = process.env.SELFSUP_BUDGET;
  if (v === undefined || v === '') return fallback;
  if (!(BUDGETS as readonly string[]).includes(v)) throw new Error(`SELFSUP_BUDGET="${v}" is not a budget; use one of ${BUDGETS.join(', ')}`);
  return v as Budget;
}
