import { compareMonths, type Month, monthRange } from '../domain/month.js';
import { dirtyMonths, listMonths } from '../store/months-store.js';

/**
 * SPEC §4: `through` and every earlier month touched since its last computation. Later months
 * depend on earlier ones (movements, multiples), so it is every month from the earliest touched
 * one up to `through`, oldest first.
 */
export async function touchedThrough(through: Month): Promise<Month[]> {
  const [earliest] = dirtyMonths(await listMonths());
  const from = earliest && compareMonths(earliest, through) < 0 ? earliest : through;
  return monthRange(from, through);
}
