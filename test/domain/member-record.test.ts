import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdminAffiliation, AffiliationSources } from '../../lambdas/domain/affiliation.js';
import { affiliationAt, endOfMonthInstant } from '../../lambdas/domain/affiliation.js';
import { lossReason } from '../../lambdas/domain/alerts.js';
import { championsByAccount } from '../../lambdas/domain/champions.js';
import { type Activity, activityTypes, type IdentityKey } from '../../lambdas/domain/community.js';
import {
  firstCommunityInstants,
  mayGiveFirstInstant,
} from '../../lambdas/domain/community-sourced.js';
import { eligibility, programFor } from '../../lambdas/domain/eligibility.js';
import { type Member, resolveMembers } from '../../lambdas/domain/identities.js';
import { memberOfRecord, memberRecord } from '../../lambdas/domain/member-record.js';
import { addMonths, type Month, parseMonth } from '../../lambdas/domain/month.js';

// A member record must stand in for the member's activities in every community figure of any
// month (SPEC §1 champions and evangelists, §10 alerts and community-sourced): the figures over
// records equal the figures over the activities, for any activities, zone and sources.

const pool: IdentityKey[] = [
  'email:ada@acme.example',
  'github:ada',
  'email:bob@gmail.com',
  'github:bob',
  'forum:cy',
  'email:dee@globex.example',
];
const zones = ['UTC', 'Pacific/Auckland', 'America/Los_Angeles'];
const statuses = ['submitted', 'recognized', 'rejected', 'delivered'] as const;
const accounts = ['acme', 'globex', 'initech', 'oldco'];
const first = parseMonth('2024-11');
const monthsShown: Month[] = Array.from({ length: 16 }, (_, i) => addMonths(first, i));

const activities = fc.uniqueArray(
  fc.record({
    activityId: fc.string({ minLength: 1, maxLength: 4 }),
    identities: fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: 2 }),
    type: fc.constantFrom(...activityTypes),
    status: fc.constantFrom(...statuses),
    // Any instant over the months, near month ends too, where zones disagree on the month.
    occurredAt: fc
      .integer({ min: Date.parse('2024-10-25T00:00:00Z'), max: Date.parse('2026-03-05T00:00:00Z') })
      .map((ms) => new Date(ms).toISOString()),
    accountId: fc.option(fc.constantFrom(...accounts), { nil: undefined }),
  }),
  { selector: (a) => a.activityId, minLength: 1, maxLength: 25 },
);

const periods = fc.array(
  fc.record({
    accountId: fc.constantFrom(...accounts),
    from: fc.option(fc.constantFrom('2025-01-01', '2025-06-15'), { nil: null }),
    to: fc.option(fc.constantFrom('2025-03-31', '2025-12-31'), { nil: null }),
  }),
  { maxLength: 2 },
);

const world = fc.record({
  activities,
  zone: fc.constantFrom(...zones),
  periods,
  staff: fc.subarray(accounts, { maxLength: 1 }),
  wanted: fc.subarray(accounts, { minLength: 1 }),
});

function sourcesOf(zone: string, adaPeriods: readonly AdminAffiliation[]): AffiliationSources {
  return {
    timeZone: zone,
    periodsOf: (member) => (member.identities.includes('github:ada') ? adaPeriods : []),
    accountOfDomain: (domain) =>
      domain === 'acme.example' ? 'acme' : domain === 'globex.example' ? 'globex' : undefined,
    canonical: (accountId) => (accountId === 'oldco' ? 'acme' : accountId),
  };
}

const idsByAccount = (champions: Map<string, Member[]>) =>
  new Map([...champions].map(([account, list]) => [account, list.map((m) => m.memberId)]));

describe('member records, for any activities, zone and sources', () => {
  it('give every community figure of every month exactly as the activities do', () => {
    fc.assert(
      fc.property(world, ({ activities: drawn, zone, periods: adaPeriods, staff, wanted }) => {
        const facts = drawn.map(
          ({ accountId, ...a }): Activity => ({
            ...a,
            ...(accountId === undefined ? {} : { accountId }),
          }),
        );
        const sources = sourcesOf(zone, adaPeriods);
        const staffAccounts = new Set(staff.map(sources.canonical));
        const members = resolveMembers(facts, []).members;
        const records = members.map((m) => memberRecord(m, zone));
        // Through JSON, as the member index stores them.
        const stored = records.map((r) => memberOfRecord(JSON.parse(JSON.stringify(r)), zone));
        // Some accounts' first instants, from the members whose stand-ins may count for them.
        const accountIds = new Set(wanted);
        const only = (first: Map<string, string>) =>
          Object.fromEntries([...first].filter(([accountId]) => accountIds.has(accountId)));
        const candidates = members.filter((_, i) =>
          mayGiveFirstInstant(stored[i] as Member, accountIds, sources),
        );
        expect(only(firstCommunityInstants(candidates, sources, staffAccounts))).toEqual(
          only(firstCommunityInstants(members, sources, staffAccounts)),
        );
        for (const month of monthsShown) {
          const input = { month, sources, staffAccounts };
          expect(idsByAccount(championsByAccount({ ...input, members: stored }))).toEqual(
            idsByAccount(championsByAccount({ ...input, members })),
          );
          const year = Number(month.slice(0, 4));
          const rows = (list: readonly Member[]) =>
            eligibility({
              members: list,
              program: programFor(year, new Map()),
              year,
              asOf: month,
              timeZone: zone,
              affiliation: { sources, staffAccounts, includeStaff: true },
            });
          expect(rows(stored)).toEqual(rows(members));
          members.forEach((member, i) => {
            const standIn = stored[i] as Member;
            const end = endOfMonthInstant(month, zone);
            expect(affiliationAt(standIn, end, sources)).toEqual(
              affiliationAt(member, end, sources),
            );
            for (const account of accounts) {
              expect(lossReason(standIn, account, month, sources, staffAccounts)).toBe(
                lossReason(member, account, month, sources, staffAccounts),
              );
            }
          });
        }
      }),
      { numRuns: 200 },
    );
  });
});
