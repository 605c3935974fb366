/**
 * The oracle of SPEC §10 — node bridge, quick ratios, cohorts, champions per account,
 * community-sourced new KAs and champion-loss alerts — computed here from what was sent and the
 * SPEC's words alone, never by calling `lambdas/`. Obviously right rather than fast: every figure
 * recomputed from the per-month node table and the members on every call.
 */
import { createHash } from 'node:crypto';
import {
  affiliationAt,
  affiliationAtEndOf,
  type CommunityFacts,
  championsOf,
  countedKind,
  type ExpectedMember,
  expectedMembers,
} from './community-expectations.js';
import {
  addMonths,
  expectedProductionNodes,
  type KaRules,
  zonedInstant,
} from './ka-expectations.js';
import type { TelemetryEvent } from './telemetry-scenario.js';

export interface FlywheelScenario {
  readonly events: readonly TelemetryEvent[];
  readonly facts: CommunityFacts;
  /** The months recalculated, consecutive, oldest first. */
  readonly months: readonly string[];
  readonly rules: KaRules;
  readonly staffAccounts?: readonly string[];
}

export interface ExpectedBridge {
  readonly month: string;
  readonly start: number;
  readonly new: number;
  readonly reactivation: number;
  readonly expansion: number;
  readonly contraction: number;
  readonly churn: number;
  readonly end: number;
  readonly nodeQuickRatio: number | null;
}

export interface ExpectedListFigures {
  readonly previousNodes: number;
  readonly communitySourced: boolean;
  readonly champions: number;
}

export interface ExpectedAlert {
  readonly kind: 'champion-lost';
  readonly accountId: string;
  readonly members: { memberId: string; reason: 'staff' | 'left' | 'inactive' }[];
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/** README: a member's id is `m_` and 16 hex digits of the SHA-256 of its smallest identity. */
export const memberIdOf = (member: ExpectedMember) =>
  `m_${createHash('sha256')
    .update([...member.identities].sort()[0] ?? '')
    .digest('hex')
    .slice(0, 16)}`;

/** The expected SPEC §10 figures of a scenario, month by month. */
export function flywheelExpectations(scenario: FlywheelScenario) {
  const { rules, months } = scenario;
  const staff = scenario.staffAccounts ?? [];
  const table = expectedProductionNodes(scenario.events, rules);
  const nodes = (month: string, accountId: string) => table.get(month)?.get(accountId) ?? 0;
  const dataMonths = [...table.keys()].sort();
  const kaOf = (month: string) =>
    new Set(
      [...(table.get(month) ?? new Map<string, number>())]
        .filter(([, n]) => n >= rules.kaThreshold)
        .map(([a]) => a),
    );
  const everKaBefore = (month: string) =>
    new Set(dataMonths.filter((m) => m < month).flatMap((m) => [...kaOf(m)]));
  /** SPEC §1 movements of M. */
  const statusOf = (month: string, accountId: string) => {
    const [ka, previous] = [kaOf(month), kaOf(addMonths(month, -1))];
    if (!ka.has(accountId)) return previous.has(accountId) ? 'churned' : 'other';
    if (previous.has(accountId)) return 'retained';
    return everKaBefore(month).has(accountId) ? 'reactivated' : 'new';
  };
  const members = expectedMembers(scenario.facts);
  const timezone = scenario.facts.timezone;

  function bridge(month: string): ExpectedBridge {
    const [ka, previous] = [kaOf(month), kaOf(addMonths(month, -1))];
    const before = addMonths(month, -1);
    const of = (status: string) => [...ka].filter((a) => statusOf(month, a) === status);
    const retained = of('retained');
    const churned = [...previous].filter((a) => !ka.has(a));
    const figures = {
      start: sum([...previous].map((a) => nodes(before, a))),
      new: sum(of('new').map((a) => nodes(month, a))),
      reactivation: sum(of('reactivated').map((a) => nodes(month, a))),
      expansion: sum(retained.map((a) => Math.max(0, nodes(month, a) - nodes(before, a)))),
      contraction: sum(retained.map((a) => Math.max(0, nodes(before, a) - nodes(month, a)))),
      churn: sum(churned.map((a) => nodes(before, a))),
      end: sum([...ka].map((a) => nodes(month, a))),
    };
    const gains = figures.new + figures.reactivation + figures.expansion;
    return {
      month,
      ...figures,
      nodeQuickRatio: ratio(gains, figures.contraction + figures.churn),
    };
  }

  function kaQuickRatio(month: string): number | null {
    const [ka, previous] = [kaOf(month), kaOf(addMonths(month, -1))];
    const gained = [...ka].filter((a) => statusOf(month, a) !== 'retained').length;
    return ratio(gained, [...previous].filter((a) => !ka.has(a)).length);
  }

  /**
   * SPEC §10: new in M, and some member not staff then had a qualifying activity before M began
   * while affiliated (at that activity's instant) with the account.
   */
  function communitySourced(month: string, accountId: string): boolean {
    if (statusOf(month, accountId) !== 'new' || staff.includes(accountId)) return false;
    const start = zonedInstant(timezone, month, 1);
    return members.some((member) =>
      member.activities.some(
        (a) =>
          countedKind(a) !== null &&
          Date.parse(a.occurredAt) < start &&
          affiliationAt(member, Date.parse(a.occurredAt)) === accountId,
      ),
    );
  }

  const champions = (accountId: string, month: string) =>
    championsOf(members, accountId, month, timezone, staff);

  /** SPEC §10: KA in M, a champion in M-1, none in M; M-1 computed. */
  function alerts(month: string): ExpectedAlert[] {
    if (!months.includes(addMonths(month, -1))) return [];
    return [...kaOf(month)]
      .sort()
      .filter(
        (a) => champions(a, addMonths(month, -1)).length > 0 && champions(a, month).length === 0,
      )
      .map((accountId) => ({
        kind: 'champion-lost' as const,
        accountId,
        members: champions(accountId, addMonths(month, -1))
          .map((member) => {
            const now = affiliationAtEndOf(member, month, timezone);
            const reason =
              now !== null && staff.includes(now)
                ? 'staff'
                : now !== accountId
                  ? 'left'
                  : 'inactive';
            return {
              memberId: memberIdOf(member),
              reason: reason as ExpectedAlert['members'][number]['reason'],
            };
          })
          .sort((a, b) => (a.memberId < b.memberId ? -1 : 1)),
      }));
  }

  /** SPEC §3's list figures of each account in M's list. */
  function listFigures(month: string, accountId: string): ExpectedListFigures {
    return {
      previousNodes: nodes(addMonths(month, -1), accountId),
      communitySourced: communitySourced(month, accountId),
      champions: champions(accountId, month).length,
    };
  }

  /** SPEC §10 cohorts as of `asOf`, over the computed months. */
  function cohorts(asOf: string) {
    const computed = months.filter((m) => m <= asOf);
    const first = new Map<string, string>();
    for (const month of computed)
      for (const a of kaOf(month)) if (!first.has(a)) first.set(a, month);
    const years = [...new Set([...first.values()].map((m) => m.slice(0, 4)))].sort();
    return years.map((year) => {
      const accounts = [...first].filter(([, m]) => m.startsWith(year));
      const earliest = accounts.map(([, m]) => m).sort()[0] ?? asOf;
      const curve = computed
        .filter((m) => m >= earliest)
        .map((month) => {
          const joined = accounts.filter(([, m]) => m <= month);
          const base = sum(joined.map(([a, m]) => nodes(m, a)));
          const now = sum(joined.map(([a]) => nodes(month, a)));
          const kept = sum(joined.map(([a, m]) => Math.min(nodes(month, a), nodes(m, a))));
          return {
            month,
            accounts: joined.length,
            kaAccounts: joined.filter(([a]) => kaOf(month).has(a)).length,
            baseNodes: base,
            nodes: now,
            nrr: ratio(now, base),
            grr: ratio(kept, base),
          };
        });
      const last = curve.at(-1);
      return {
        cohort: year,
        accounts: last?.accounts ?? 0,
        baseNodes: last?.baseNodes ?? 0,
        months: curve,
      };
    });
  }

  return { bridge, kaQuickRatio, communitySourced, listFigures, alerts, cohorts, kaOf };
}
