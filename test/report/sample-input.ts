/**
 * A realistic report input: a company growing from about 30 to about 270 key accounts between
 * April 2024 and March 2026, with churn, reactivations, a near-KA pipeline, two evangelist tiers
 * and the month's talks and content. Deterministic, so tests and screenshots are stable.
 */
import type { ChampionLossAlert } from '../../lambdas/domain/alerts.js';
import { type NodeBridge, nodeBridge } from '../../lambdas/domain/bridge.js';
import type { AccountOfMonth } from '../../lambdas/domain/ka.js';
import { addMonths, decemberBefore, type Month, parseMonth } from '../../lambdas/domain/month.js';
import type {
  ReportAccount,
  ReportContent,
  ReportInput,
  ReportKaRow,
  ReportTier,
} from '../../lambdas/report/model.js';

const m = parseMonth;
/** The reported month. */
export const sampleMonth = m('2026-03');
/** History starts a year before the window so YoY and the 2024 pace have their bases. */
const HISTORY = 37;
const YEARLY_TARGET = 3;

/** ~8 KAs in March 2023 growing to 268 in March 2026, with a little noise. */
const kaCountAt = (i: number): number =>
  i === HISTORY - 1
    ? 268
    : Math.round(8 * (268 / 8) ** (i / (HISTORY - 1)) + 2 * Math.sin(i * 1.7));

const ratio = (a: number, b: number | undefined): number | null =>
  b === undefined || b === 0 ? null : a / b;

interface Counts {
  month: Month;
  kaCount: number;
  new: number;
  reactivated: number;
  retained: number;
  churned: number;
}

/** Movements consistent with the counts: `ka = retained + new + reactivated`. */
function counts(): Counts[] {
  const first = addMonths(sampleMonth, 1 - HISTORY);
  const result: Counts[] = [];
  for (let i = 0; i < HISTORY; i++) {
    const kaCount = kaCountAt(i);
    const previous = result[i - 1]?.kaCount ?? 0;
    const churned = Math.min(previous, i === HISTORY - 1 ? 3 : (i * 7) % 4);
    const reactivated = i > 6 && i % 5 === 2 ? 1 : i === HISTORY - 1 ? 2 : 0;
    const fresh = Math.max(0, kaCount - previous + churned - reactivated);
    const retained = kaCount - fresh - reactivated;
    const month = addMonths(first, i);
    result.push({
      month,
      kaCount,
      new: fresh,
      reactivated,
      retained,
      churned: previous - retained,
    });
  }
  return result;
}

/** The 24 rows ending with `sampleMonth`, computed as SPEC §1 says from the whole history. */
export function sampleKaRows(yearlyTarget = YEARLY_TARGET): ReportKaRow[] {
  const all = counts();
  const countOf = (month: Month) => all.find((c) => c.month === month)?.kaCount;
  return all.slice(-24).map((c, i) => {
    const december = countOf(decemberBefore(c.month));
    const nearKaCount = Math.round(c.kaCount * 0.15) + 6;
    const productionNodes = c.kaCount * 163 + nearKaCount * 38 + 2_150;
    const pace = december ? december * yearlyTarget ** (Number(c.month.slice(5)) / 12) : null;
    return {
      ...c,
      productionNodes,
      nearKaCount,
      unattributedNodes: Math.round(productionNodes * 0.031),
      momMultiple: ratio(c.kaCount, countOf(addMonths(c.month, -1))),
      yoyMultiple: ratio(c.kaCount, countOf(addMonths(c.month, -12))),
      ytdMultiple: ratio(c.kaCount, december),
      targetKa: december ? december * yearlyTarget : null,
      onTrack: pace === null ? null : c.kaCount >= pace,
      championCoverage: Math.round((0.31 + (0.31 * i) / 23) * 1000) / 1000,
      kaQuickRatio: c.churned === 0 ? null : (c.new + c.reactivated) / c.churned,
      communitySourcedNew: Math.floor(c.new / 3),
      computedAt: `${addMonths(c.month, 1)}-01T02:00:00Z`,
    };
  });
}

// biome-ignore format: a word list reads better packed
const companies = [
  'Northwind', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay',
  'Soylent', 'Tyrell', 'Cyberdyne', 'Wonka', 'Oscorp', 'Monarch', 'Aperture', 'Massive Dynamic',
  'Gringotts', 'Acme', 'Duff', 'Prestige',
];
// biome-ignore format: a word list reads better packed
const trades = [
  'Bank', 'Logistics', 'Games', 'Retail', 'Payments', 'Cloud', 'Health', 'Insurance', 'Telecom',
  'Media', 'Labs', 'Airlines', 'Energy', 'Foods', 'Motors', 'Robotics', 'Travel', 'Security',
];

/** A distinct company name per index; every 17th account has no name (the id stands in). */
const accountName = (i: number): string | null =>
  i % 17 === 16
    ? null
    : `${companies[i % companies.length]} ${trades[Math.floor(i / companies.length) % trades.length]}`;

const account = (
  i: number,
  status: AccountOfMonth['status'],
  productionNodes: number,
): AccountOfMonth => ({
  accountId: `acct-${String(i).padStart(4, '0')}`,
  name: accountName(i),
  productionNodes,
  status,
});

/** New KAs start small; long-standing ones grow into the hundreds. */
function nodesOf(status: AccountOfMonth['status'], i: number): number {
  const spread = (i * 37) % 100;
  if (status === 'near') return 30 + ((i * 7) % 20);
  if (status === 'churned') return 18 + ((i * 11) % 31);
  if (status === 'retained') return 50 + Math.floor(spread ** 2 / 9);
  return 50 + Math.floor(spread * 1.4);
}

/** March 2026's account list, its counts matching the March row. */
export function sampleAccounts(): ReportAccount[] {
  const row = sampleKaRows().at(-1) as ReportKaRow;
  const statuses: [AccountOfMonth['status'], number][] = [
    ['new', row.new],
    ['reactivated', row.reactivated],
    ['retained', row.retained],
    ['churned', row.churned],
    ['near', row.nearKaCount],
  ];
  const accounts: AccountOfMonth[] = [];
  for (const [status, count] of statuses) {
    for (let k = 0; k < count; k++) {
      const i = accounts.length;
      const nodes = nodesOf(status, i);
      accounts.push(account(i, status, nodes));
    }
  }
  // A name that needs CSV quoting, on the biggest new account.
  const first = accounts[0];
  if (first) accounts[0] = { ...first, name: 'Smith, Jones & "Partners"' };
  // The first third of the new KAs came from the community (the row's communitySourcedNew).
  const sourced = Math.floor(row.new / 3);
  return accounts.map((a, i) => ({ ...a, communitySourced: a.status === 'new' && i < sourced }));
}

/** March's node bridge: the KAs' nodes now, and what they and the churned ran in February. */
export function sampleBridge(): NodeBridge {
  return nodeBridge(
    sampleMonth,
    sampleAccounts().map((a, i) => ({
      status: a.status,
      productionNodes: a.productionNodes,
      previousNodes:
        a.status === 'retained'
          ? Math.round(a.productionNodes * (i % 5 === 0 ? 1.08 : 0.93))
          : a.status === 'churned'
            ? 55 + (i % 40)
            : a.productionNodes - 20,
    })),
  );
}

/** Two KAs that lost their last champion in March. */
export function sampleAlerts(): ChampionLossAlert[] {
  return [
    {
      kind: 'champion-lost',
      accountId: 'acct-0003',
      name: 'Umbrella Bank',
      members: [
        { memberId: 'm_00000000000000a1', name: 'Ada Lovelace', reason: 'left' },
        { memberId: 'm_00000000000000a2', name: 'Alan Kay', reason: 'inactive' },
      ],
    },
    {
      kind: 'champion-lost',
      accountId: 'acct-0011',
      name: null,
      members: [{ memberId: 'm_00000000000000a3', name: 'Radia Perlman', reason: 'staff' }],
    },
  ];
}

const member = (id: string, name: string | null, accountId: string | null, count: number) => ({
  memberId: id,
  name,
  accountId,
  count,
});

/** The default program (SPEC §1) as of March: a few members reached it, more are close. */
export function sampleTiers(): ReportTier[] {
  return [
    {
      id: 'mve',
      name: 'Most Valuable Evangelist',
      minCount: 3,
      newlyReached: [
        member('mem-ada', 'Ada Lovelace', 'acct-0003', 3),
        member('mem-grace', 'Grace Hopper', 'acct-0012', 4),
        member('mem-linus', 'Linus Ng', null, 3),
        member('mem-7f3a', null, 'acct-0040', 3),
      ],
      oneStepAway: [
        member('mem-katherine', 'Katherine Johnson', 'acct-0021', 2),
        member('mem-alan', 'Alan Turing', 'acct-9999', 2),
        member('mem-margaret', 'Margaret Hamilton', 'acct-0005', 2),
        member('mem-edsger', 'Edsger Dijkstra', null, 2),
        member('mem-barbara', 'Barbara Liskov', 'acct-0033', 2),
      ],
    },
    {
      id: 'outstanding',
      name: 'Outstanding Community Evangelist',
      minCount: 10,
      newlyReached: [member('mem-grace', 'Grace Hopper', 'acct-0012', 10)],
      oneStepAway: [
        member('mem-ada', 'Ada Lovelace', 'acct-0003', 9),
        member('mem-dennis', 'Dennis Ritchie', 'acct-0008', 9),
      ],
    },
  ];
}

/** March's talks and recognised content: linked and unlinked, one or several authors. */
export function sampleContent(): ReportContent[] {
  return [
    {
      type: 'talk',
      title: 'Scaling to 400 nodes without a pager',
      url: 'https://www.youtube.com/watch?v=flywheel-kubecon',
      authors: ['Grace Hopper'],
      occurredAt: '2026-03-19T16:30:00+01:00',
    },
    {
      type: 'talk',
      title: 'Online schema changes at a bank',
      url: null,
      authors: ['Ada Lovelace', 'Katherine Johnson'],
      occurredAt: '2026-03-05T18:00:00-08:00',
    },
    {
      type: 'talk',
      title: 'From MySQL shards to one cluster',
      url: 'https://meetup.example.org/berlin/march',
      authors: ['Linus Ng'],
      occurredAt: '2026-03-26T19:00:00+01:00',
    },
    {
      type: 'article',
      title: 'How we cut p99 latency by 60%',
      url: 'https://blog.example.com/p99',
      authors: ['Margaret Hamilton'],
      occurredAt: '2026-03-11T09:00:00Z',
    },
    {
      type: 'case-study',
      title: 'Northwind Bank: 18 months in production',
      url: 'https://www.example.com/customers/northwind-bank',
      authors: ['Ada Lovelace', 'Dennis Ritchie', 'Barbara Liskov'],
      occurredAt: '2026-03-14T12:00:00Z',
    },
    {
      type: 'video',
      title: null,
      url: 'https://video.example.com/v/8812',
      authors: ['Edsger Dijkstra'],
      occurredAt: '2026-03-28T10:00:00Z',
    },
  ];
}

/** The factory tests use; override any field. */
export function sampleReportInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    month: sampleMonth,
    generatedAt: '2026-04-01T08:00:00Z',
    kaRows: sampleKaRows(),
    accounts: sampleAccounts(),
    bridge: sampleBridge(),
    alerts: sampleAlerts(),
    rejectedItems: 3,
    tiers: sampleTiers(),
    content: sampleContent(),
    freshness: {
      lastTelemetryAt: '2026-04-01T07:42:10Z',
      monthsRecalculatedSinceLastReport: [m('2026-02'), m('2026-01')],
    },
    yearlyTarget: YEARLY_TARGET,
    corrections: sampleCorrections(),
    accountNames: new Map([['northwind', 'Northwind Bank']]),
    ...overrides,
  };
}

/** February's report was mailed; an acquisition recomputed since changed two of its figures. */
export function sampleCorrections(): ReportInput['corrections'] {
  return [
    { month: m('2026-02'), field: 'kaCount', before: 41, after: 40 },
    { month: m('2026-02'), field: 'churned', before: 2, after: 1 },
    {
      month: m('2026-02'),
      field: 'account:northwind',
      before: { status: 'churned', productionNodes: 0 },
      after: null,
    },
  ];
}
