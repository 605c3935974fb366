import * as z from 'zod';
import { activityStatuses, identityKinds } from '../../domain/community.js';
import { parseTiers, programFor } from '../../domain/eligibility.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { auditEntry } from '../../http/audit.js';
import { readBody } from '../../http/body.js';
import { activityIdentifier } from '../../http/fields.js';
import { json } from '../../http/responses.js';
import { param, type RouteImplementations } from '../../http/router.js';
import { identityKeys, identityValues } from '../../ingestion/community.js';
import {
  programs,
  putProgram,
  recordMerge,
  setActivityStatus,
  unknownIdentities,
} from '../../store/community-store.js';
import { getConfig } from '../../store/config-store.js';

export const statusBody = z.object({
  status: z.enum(activityStatuses, { error: `must be one of ${activityStatuses.join(', ')}` }),
});

const oneIdentity = z
  .object(identityValues, { error: 'must be an object such as { "email": "..." }' })
  .partial()
  .strict()
  .refine(
    (identity) => Object.keys(identity).length === 1,
    `must have exactly one of ${identityKinds.join(', ')}`,
  );

/** Enough for any real duplicate-account cleanup; bounds the lookups of one request. */
const maxMergeIdentities = 100;

export const mergeBody = z.object({
  identities: z
    .array(oneIdentity, { error: 'must be an array of identities' })
    .min(2, 'must name at least two identities')
    .max(maxMergeIdentities, `must name at most ${maxMergeIdentities} identities`),
});

/**
 * A tier's shape and sizes; what its values mean (unique ids, known kinds, `minCount` >= 1) is the
 * domain's rule, checked by `parseTiers`.
 */
const tierShape = z
  .object({
    id: z.string({ error: 'must be a string' }).max(64, 'must be at most 64 characters'),
    name: z.string({ error: 'must be a string' }).max(200, 'must be at most 200 characters'),
    minCount: z.number({ error: 'must be an integer >= 1' }),
    counts: z
      .array(z.string({ error: 'must be kind names' }).max(64), {
        error: `must be an array of kinds such as ["talk", "recognized-content"]`,
      })
      // There are only five countable kinds; more entries can only be repeats or unknown.
      .max(10, 'must list at most 10 kinds'),
  })
  .strict();

export const programBody = z.object({
  tiers: z.array(tierShape, { error: 'must be an array of tiers' }).max(20, 'at most 20 tiers'),
});

/** A program year from the path: 2000–2100, the years evangelist programs can plausibly cover. */
function programYear(text: string | undefined): number {
  const year = Number(text);
  if (!/^\d{4}$/.test(text ?? '') || year < 2000 || year > 2100) {
    throw new ValidationError(`year must be a year from 2000 to 2100, got ${JSON.stringify(text)}`);
  }
  return year;
}

/** Admin corrections of community data (SPEC §3): reviews, merges and programs. */
export const communityRoutes: RouteImplementations = {
  'PATCH /admin/activities/{activityId}': async (reqCtx) => {
    const parsed = activityIdentifier.safeParse(param(reqCtx, 'activityId'));
    if (!parsed.success) {
      throw new ValidationError(`activityId ${parsed.error.issues[0]?.message}`);
    }
    const activityId = parsed.data;
    const { status } = await readBody(reqCtx, statusBody);
    const { timezone } = await getConfig();
    const updated = await setActivityStatus(activityId, status, timezone, (before) =>
      auditEntry(reqCtx, `activity:${activityId}`, { status: before }, { status }),
    );
    return json(200, updated);
  },
  'POST /admin/members/merge': async (reqCtx) => {
    const body = await readBody(reqCtx, mergeBody);
    const merged = identityKeys(body.identities);
    if (merged.length < 2) {
      throw new ValidationError('identities name only one identity once normalised; name two');
    }
    const unknown = await unknownIdentities(merged);
    if (unknown.length > 0) {
      throw new NotFoundError(`No member has ${unknown.join(', ')}: no activity arrived with it`);
    }
    await recordMerge(
      merged,
      auditEntry(reqCtx, `member:${merged[0]}`, null, { identities: merged }),
    );
    return json(200, { merged });
  },
  'PUT /admin/programs/{year}': async (reqCtx) => {
    const year = programYear(param(reqCtx, 'year'));
    const tiers = parseTiers((await readBody(reqCtx, programBody)).tiers);
    await putProgram(year, tiers, (before) =>
      auditEntry(reqCtx, `program:${year}`, before && { tiers: before }, { tiers }),
    );
    return json(200, { year, tiers, from: year });
  },
  'GET /admin/programs/{year}': async (reqCtx) => {
    const year = programYear(param(reqCtx, 'year'));
    return json(200, programFor(year, await programs()));
  },
};
