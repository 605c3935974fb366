import * as z from 'zod';
import { findConnectedMember } from '../../compute/connected-members.js';
import type { AdminAffiliation } from '../../domain/affiliation.js';
import { NotFoundError, ValidationError } from '../../domain/errors.js';
import { parseMemberRef } from '../../domain/member-evidence.js';
import { parseMonth } from '../../domain/month.js';
import { auditEntry } from '../../http/audit.js';
import { readBody } from '../../http/body.js';
import { identifier, identifierParam } from '../../http/fields.js';
import { listParams, listResponse } from '../../http/lists.js';
import { readQuery } from '../../http/params.js';
import { json } from '../../http/responses.js';
import { param, type RouteImplementations } from '../../http/router.js';
import { mergeAccounts, removeAlias } from '../../store/accounts-store.js';
import { listChanges } from '../../store/changes-store.js';
import { putAffiliations } from '../../store/corrections-store.js';
import { monthParam } from './evidence-schemas.js';

/** A calendar date that exists, `YYYY-MM-DD` (SPEC §9 affiliation periods). */
const date = z
  .string({ error: 'must be a date YYYY-MM-DD or null' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD (e.g. 2026-03-01) or null')
  .refine(
    // Runs even when the pattern failed (zod reports every issue): never throw here.
    (text) => {
      const t = Date.parse(`${text}T00:00:00Z`);
      return !Number.isNaN(t) && new Date(t).toISOString().startsWith(text);
    },
    'must be a date that exists (e.g. not 2026-02-30)',
  );

export const affiliationsBody = z.object({
  affiliations: z
    .array(
      z
        .object({ accountId: identifier, from: date.nullable(), to: date.nullable() })
        .strict()
        .refine((p) => p.from === null || p.to === null || p.from <= p.to, {
          message: 'from must not be after to',
        }),
      { error: 'must be an array of { "accountId", "from", "to" } periods' },
    )
    .max(100, 'must list at most 100 periods'),
});

export const accountMergeBody = z.object({
  into: identifier,
  accounts: z
    .array(identifier, { error: 'must be an array of account ids' })
    .min(1, 'must name at least one account')
    .max(50, 'must name at most 50 accounts'),
});

/**
 * The periods ordered by start, or a `ValidationError` naming two that overlap (SPEC §9): with
 * dates inclusive, a period ending on the 10th and one starting on the 10th overlap.
 */
export function orderedPeriods(periods: readonly AdminAffiliation[]): AdminAffiliation[] {
  const sorted = [...periods].sort((a, b) => (a.from ?? '').localeCompare(b.from ?? ''));
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1] as AdminAffiliation;
    const after = sorted[i] as AdminAffiliation;
    if (before.to === null || after.from === null || after.from <= before.to) {
      const show = (p: AdminAffiliation) => `${p.accountId} ${p.from ?? '…'}–${p.to ?? '…'}`;
      throw new ValidationError(
        `affiliations overlap: ${show(before)} and ${show(after)}; a member works for one account at a time`,
      );
    }
  }
  return sorted;
}

export const changesQuery = z.object({
  ...listParams,
  month: monthParam.optional().meta({ description: 'only the changes of this month' }),
});

const changeValue = z.unknown().meta({
  description:
    "a row field's value, or `{ status, productionNodes }` for an account; `null` when absent",
});

export const changesResponse = z.object({
  changes: z.array(
    z.object({
      month: z.string(),
      field: z.string().meta({ description: 'a `GET /metrics/ka` row field, or `account:<id>`' }),
      before: changeValue,
      after: changeValue,
      at: z.string(),
      jobId: z.string().nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

/** SPEC §9: admin affiliation periods, account merges and aliases, and what changed. */
export const correctionRoutes: RouteImplementations = {
  'GET /admin/changes': async (reqCtx) => {
    const params = readQuery(reqCtx, changesQuery);
    const month = params.month === undefined ? undefined : parseMonth(params.month);
    return listResponse(reqCtx, params, {
      route: 'GET /admin/changes',
      key: 'changes',
      items: await listChanges(month),
      // Newest first, like the audit log; within one recalculation by month, then field.
      orderBy: [
        [(change) => change.at, 'desc'],
        [(change) => change.month, 'asc'],
        [(change) => change.field, 'asc'],
      ],
    });
  },
  'PUT /admin/members/{member}/affiliations': async (reqCtx) => {
    const ref = parseMemberRef(param(reqCtx, 'member') ?? '');
    const periods = orderedPeriods((await readBody(reqCtx, affiliationsBody)).affiliations);
    const member = await findConnectedMember(ref);
    if (!member) throw new NotFoundError('No member has that id or identity');
    await putAffiliations(member.identities, periods, (before) =>
      auditEntry(
        reqCtx,
        `member:${member.memberId}`,
        { affiliations: before },
        { affiliations: periods },
      ),
    );
    return json(200, { memberId: member.memberId, affiliations: periods });
  },
  'POST /admin/accounts/merge': async (reqCtx) => {
    const { into, accounts } = await readBody(reqCtx, accountMergeBody);
    if (accounts.includes(into)) {
      throw new ValidationError(`accounts must not include into (${into}): it stays canonical`);
    }
    const aliases = await mergeAccounts(into, [...new Set(accounts)], (before, after) =>
      auditEntry(reqCtx, `account:${into}`, { aliases: before }, { aliases: after }),
    );
    return json(200, { accountId: into, aliases });
  },
  'DELETE /admin/accounts/{accountId}/aliases/{alias}': async (reqCtx) => {
    const accountId = identifierParam('accountId', param(reqCtx, 'accountId'));
    const alias = identifierParam('alias', param(reqCtx, 'alias'));
    await removeAlias(
      accountId,
      alias,
      auditEntry(reqCtx, `account:${alias}`, { aliasOf: accountId }, { aliasOf: null }),
    );
    return new Response(null, { status: 204 });
  },
};
