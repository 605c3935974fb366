import * as z from 'zod';
import { type Config, computedSettings } from '../../domain/config.js';
import { ValidationError } from '../../domain/errors.js';
import { environments } from '../../domain/ka.js';
import { isValidTimeZone } from '../../domain/month.js';
import { auditEntry, fieldsOf } from '../../http/audit.js';
import { readBody } from '../../http/body.js';
import { identifier as accountId, emailDomain } from '../../http/fields.js';
import { json } from '../../http/responses.js';
import type { RouteImplementations } from '../../http/router.js';
import { getConfig, updateConfig } from '../../store/config-store.js';
import { listMonths, touchMonths } from '../../store/months-store.js';
import { setMonthValuesStale } from '../../store/rebuild-store.js';

const threshold = z
  .number()
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(1_000_000, 'must be at most 1,000,000');

export const configUpdate = z
  .object({
    timezone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin'),
    kaThreshold: threshold,
    nearKaThreshold: threshold,
    countedEnvironments: z
      .array(z.enum(environments))
      .min(1, 'must name at least one environment')
      .max(environments.length, `must name at most ${environments.length} environments`)
      .refine((list) => new Set(list).size === list.length, 'must not repeat an environment'),
    yearlyTarget: z
      .number()
      .min(0.01, 'must be a positive multiple, e.g. 8')
      .max(1000, 'must be at most 1000'),
    reportRecipients: z.array(z.email('must be email addresses')).max(50),
    reportSender: z.email('must be an email address'),
    staffAccounts: z.array(accountId).max(1000, 'must list at most 1,000 accounts'),
    personalMailDomains: z
      .array(emailDomain)
      .max(10_000, 'must list at most 10,000 domains')
      .transform((list) => [...new Set(list)]),
  })
  .partial()
  .strict();

/** `GET/PUT /admin/config` (SPEC §3). */
export const configRoutes: RouteImplementations = {
  'GET /admin/config': async () => json(200, await getConfig()),
  'PUT /admin/config': async (reqCtx) => {
    const update = (await readBody(reqCtx, configUpdate)) as Partial<Config>;
    const touched = Object.keys(update) as (keyof Config)[];
    const { before: current, after: saved } = await updateConfig(
      update,
      (next) => {
        if (next.nearKaThreshold > next.kaThreshold) {
          throw new ValidationError(
            `nearKaThreshold (${next.nearKaThreshold}) must not exceed kaThreshold (${next.kaThreshold})`,
          );
        }
      },
      (before, after) =>
        auditEntry(reqCtx, 'config', fieldsOf(before, touched), fieldsOf(after, touched)),
    );
    const months = (await listMonths()).map((state) => state.month);
    if (saved.timezone !== current.timezone && months.length > 0) {
      // Month values are keyed by month in the zone: the next recalculation rebuilds them.
      await setMonthValuesStale();
    }
    const changed = (key: (typeof computedSettings)[number]) =>
      JSON.stringify(current[key]) !== JSON.stringify(saved[key]);
    // History is not rewritten silently: changed rules apply when months are recalculated.
    if (computedSettings.some(changed)) await touchMonths(months);
    return json(200, saved);
  },
};
