/**
 * The report at SPEC §5's scale: 5,000 KAs with 1,000 new in the month, plus everything else at its
 * longest — names of 200 characters, titles of 500, URLs of 2,000, many tiers, members and pieces —
 * so the size test bounds the worst mail, not a typical one.
 */
import type { ChampionLossAlert } from '../../lambdas/domain/alerts.js';
import type { AccountOfMonth } from '../../lambdas/domain/ka.js';
import type {
  ReportAccount,
  ReportContent,
  ReportInput,
  ReportTier,
} from '../../lambdas/report/model.js';
import { sampleReportInput } from './sample-input.js';

const long = (prefix: string, length: number): string =>
  `${prefix} ${'Ŵide ünicode & <markup> "quoted" '.repeat(Math.ceil(length / 33))}`.slice(
    0,
    length,
  );

export function scaleReportInput(): ReportInput {
  const base = sampleReportInput();
  const statuses: AccountOfMonth['status'][] = [];
  for (let i = 0; i < 5000; i++)
    statuses.push(i < 1000 ? 'new' : i < 1100 ? 'reactivated' : 'retained');
  for (let i = 0; i < 900; i++) statuses.push('churned');
  for (let i = 0; i < 2000; i++) statuses.push('near');
  const accounts: ReportAccount[] = statuses.map((status, i) => ({
    accountId: `account-${String(i).padStart(5, '0')}-${'x'.repeat(100)}`,
    name: long(`Account ${i}`, 200),
    productionNodes: status === 'near' ? 30 + (i % 20) : 50 + ((i * 37) % 5000),
    status,
    // Every new KA community-sourced: the longest list that section can have.
    communitySourced: status === 'new',
  }));
  // A thousand KAs losing their last champions, each several with long names.
  const alerts: ChampionLossAlert[] = Array.from({ length: 1000 }, (_, i) => ({
    kind: 'champion-lost',
    accountId: `account-${String(1000 + i).padStart(5, '0')}-${'x'.repeat(100)}`,
    name: long(`Account ${1000 + i}`, 200),
    members: Array.from({ length: 6 }, (_, k) => ({
      memberId: `m_${String(i * 10 + k).padStart(16, '0')}`,
      name: long(`Champion ${k}`, 200),
      reason: (['staff', 'left', 'inactive'] as const)[k % 3] ?? 'left',
    })),
  }));
  const member = (tier: number, i: number) => ({
    memberId: `m_${String(tier * 10_000 + i).padStart(16, '0')}`,
    name: long(`Member ${i}`, 200),
    accountId: `account-${String(i).padStart(5, '0')}-${'x'.repeat(100)}`,
    count: 3 + (i % 9),
  });
  const tiers: ReportTier[] = Array.from({ length: 8 }, (_, t) => ({
    id: `tier-${t}`,
    name: long(`Tier ${t}`, 100),
    minCount: 3 + t,
    newlyReached: Array.from({ length: 500 }, (_, i) => member(t, i)),
    oneStepAway: Array.from({ length: 500 }, (_, i) => member(t, 1000 + i)),
  }));
  const content: ReportContent[] = Array.from({ length: 2000 }, (_, i) => ({
    type: i % 2 === 0 ? 'talk' : 'article',
    title: long(`Piece ${i}`, 500),
    url: `https://example.com/${'p'.repeat(1980)}/${i}`,
    authors: Array.from({ length: 5 }, (_, a) => long(`Author ${a}`, 200)),
    occurredAt: `${base.month}-15T10:00:00Z`,
  }));
  return { ...base, accounts, alerts, rejectedItems: 123_456, tiers, content };
}
