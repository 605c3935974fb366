import * as z from 'zod';
import { connectedMembers } from '../../compute/connected-members.js';
import { activityStatuses, type IdentityKey, identityKinds } from '../../domain/community.js';
import { parseTiers, programFor } from '../../domain/eligibility.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { type Member, memberIdOf } from '../../domain/identities.js';
import { findMember } from '../../domain/member-evidence.js';
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
import { recordSplit } from '../../store/corrections-store.js';

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

export const splitBody = z.object({
  identities: z
    .array(oneIdentity, { error: 'must be an array of identities' })
    .min(1, 'must name at least one identity')
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

/** Admin corrections of community data (SPEC §3, §9): reviews, merges, splits and programs. */
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
  'POST /admin/members/split': async (reqCtx) => {
    const named = [...new Set(identityKeys((await readBody(reqCtx, splitBody)).identities))].sort();
    // The named identities' members as the facts make them now, from their own activities.
    const members = await connectedMembers(named);
    const unknown = named.filter((identity) => members.memberOf(identity) === undefined);
    if (unknown.length > 0) {
      throw new NotFoundError(`No member has ${unknown.join(', ')}: no activity arrived with it`);
    }
    const owners = new Set(named.map((identity) => members.memberOf(identity)));
    if (owners.size > 1) {
      throw new ValidationError(
        `identities belong to ${owners.size} different members (${[...owners].join(', ')}); split one member at a time`,
      );
    }
    const member = findMember(members, { identity: named[0] as IdentityKey }) as Member;
    const rest = member.identities.filter((identity) => !named.includes(identity));
    if (rest.length === 0) {
      throw new ValidationError(
        `identities are all of member ${member.memberId}'s identities; name the ones that should leave it`,
      );
    }
    const split = { identities: named, rest, splitAt: new Date().toISOString() };
    await recordSplit(
      split,
      auditEntry(
        reqCtx,
        `member:${member.memberId}`,
        { identities: member.identities },
        {
          identities: rest,
          split: named,
        },
      ),
    );
    return json(200, {
      members: [
        { memberId: memberIdOf(named[0] as IdentityKey), identities: named },
        { memberId: memberIdOf(rest[0] as IdentityKey), identities: rest },
      ],
      splitAt: split.splitAt,
    });
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
