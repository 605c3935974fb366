import {
  activityPageRows,
  isReviewQueue,
  memberActivityRows,
  memberEvidence,
  memberRows,
  reviewQueueRows,
  withMembers,
} from '../../compute/member-evidence.js';
import { ValidationError } from '../../domain/errors.js';
import { sortableInstant } from '../../domain/instant.js';
import { parseMemberRef } from '../../domain/member-evidence.js';
import { compareMonths, type Month } from '../../domain/month.js';
import { completedListResponse, listResponse, readListResponse } from '../../http/lists.js';
import { readPath, readQuery } from '../../http/params.js';
import { json } from '../../http/responses.js';
import type { RouteImplementations } from '../../http/router.js';
import { activitiesQuery, memberPath, membersQuery } from './evidence-schemas.js';

/** `GET /members`, `GET /members/{member}` and `GET /activities`, the review queue (SPEC §7). */
export const memberRoutes: RouteImplementations = {
  'GET /members': async (reqCtx) => {
    const params = readQuery(reqCtx, membersQuery);
    return listResponse(reqCtx, params, {
      route: 'GET /members',
      key: 'members',
      items: await memberRows(params),
      orderBy: [[(m) => m.memberId, 'asc']],
    });
  },
  'GET /members/{member}': async (reqCtx) => {
    const { member } = readPath(reqCtx, memberPath);
    return json(200, await memberEvidence(parseMemberRef(member)));
  },
  'GET /activities': async (reqCtx) => {
    const params = readQuery(reqCtx, activitiesQuery);
    const from = params.from as Month | undefined;
    const to = params.to as Month | undefined;
    if (from && to && compareMonths(from, to) > 0) {
      throw new ValidationError(`from (${from}) is after to (${to})`);
    }
    const filters = {
      status: params.status,
      type: params.type,
      from,
      to,
      member: params.member === undefined ? undefined : parseMemberRef(params.member),
    };
    if (isReviewQueue(filters)) {
      // The content committee's queue has its own index; only the page's members are looked up.
      return completedListResponse(
        reqCtx,
        params,
        {
          route: 'GET /activities',
          key: 'activities',
          items: await reviewQueueRows(filters),
          orderBy: [
            [(r) => sortableInstant(r.activity.occurredAt), 'asc'],
            [(r) => r.activity.activityId, 'asc'],
          ],
        },
        withMembers,
      );
    }
    if (filters.member) {
      return listResponse(reqCtx, params, {
        route: 'GET /activities',
        key: 'activities',
        items: await memberActivityRows(filters.member, filters),
        orderBy: [
          [(a) => sortableInstant(a.occurredAt), 'asc'],
          [(a) => a.activityId, 'asc'],
        ],
      });
    }
    // The whole list is read from the time index a page at a time, never whole.
    return readListResponse(
      reqCtx,
      params,
      { route: 'GET /activities', key: 'activities', fields: 2 },
      async (limit, after) => {
        const page = await activityPageRows(filters, {
          limit,
          after: after && [String(after[0]), String(after[1])],
        });
        return { items: page.rows, next: page.next };
      },
    );
  },
};
