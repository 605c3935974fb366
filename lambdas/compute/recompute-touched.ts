import { compareMonths, type Month, monthRange } from '../domain/month.js';
import { dirtyMonths, listMonths } from '../store/months-store.js';
import { recalculateKa } from './recalculate-ka.js';

/**
 * SPEC §4: recompute `through` and every earlier month touched since its last computation. Later
 * months depend on earlier ones (movements, multiples), so everything from the earliest touched
 * month up to `through` is recomputed, in order.
 */
export async function recomputeTouchedThrough(through: Month): Promise<Month[]> {
  const [earliest] = dirtyMonths(await listMonths());
  const from = earliest && compareMonths(earliest, through) < 0 ? earliest : through;
  const months = monthRange(from, through);
  await recalculateKa(months);
  return months;
}
