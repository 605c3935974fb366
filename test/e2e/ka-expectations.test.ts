import { describe, expect, it } from 'vitest';
import {
  defaultKaRules,
  type ExpectedMonth,
  expectedKaMonths,
  type KaRules,
  monthInZone,
} from '../support/ka-expectations.js';
import type { TelemetryEvent } from '../support/telemetry-scenario.js';

/** The oracle of the end-to-end scenario, checked on cases small enough to work out by hand. */

const shanghai = defaultKaRules('Asia/Shanghai');

const snapshot = (
  clusterId: string,
  reportedAt: string,
  nodes: number,
  more: Partial<TelemetryEvent> = {},
): TelemetryEvent => ({ clusterId, environment: 'production', nodes, reportedAt, ...more });

function monthOf(events: TelemetryEvent[], month: string, rules: KaRules = shanghai) {
  const [row] = expectedKaMonths(events, [month], rules);
  if (!row) throw new Error(`no row for ${month}`);
  return row;
}

const statuses = (row: ExpectedMonth) => row.accounts.map((a) => [a.accountId, a.status]);

describe('monthInZone', () => {
  it('puts a second before and a second after midnight on a month end into different months', () => {
    expect(monthInZone('2024-01-31T23:59:59+08:00', 'Asia/Shanghai')).toBe('2024-01');
    expect(monthInZone('2024-02-01T00:00:01+08:00', 'Asia/Shanghai')).toBe('2024-02');
    expect(monthInZone('2024-01-31T16:00:01Z', 'Asia/Shanghai')).toBe('2024-02');
    expect(monthInZone('2024-01-31T16:00:01Z', 'UTC')).toBe('2024-01');
    expect(monthInZone('2024-02-29T16:00:00Z', 'Asia/Shanghai')).toBe('2024-03');
    expect(monthInZone('2024-12-31T11:00:00-05:00', 'Asia/Shanghai')).toBe('2025-01');
  });
});

describe('expectedKaMonths', () => {
  it('takes the latest snapshot of the month by reportedAt, not the last one listed', () => {
    const events = [
      snapshot('c1', '2024-03-20T01:00:00-05:00', 40, { accountId: 'a' }),
      snapshot('c1', '2024-03-10T00:00:00Z', 60, { accountId: 'a' }),
    ];
    expect(monthOf(events, '2024-03')).toMatchObject({
      kaCount: 0,
      nearKaCount: 1,
      productionNodes: 40,
    });
  });

  it('counts month-end snapshots in the month they fall in, in the reporting zone', () => {
    const events = [
      snapshot('c1', '2024-01-31T23:59:59+08:00', 60, { accountId: 'a' }),
      snapshot('c1', '2024-01-31T16:00:01Z', 40, { accountId: 'a' }), // 00:00:01 in Shanghai
    ];
    expect(monthOf(events, '2024-01')).toMatchObject({ kaCount: 1, productionNodes: 60 });
    expect(monthOf(events, '2024-02')).toMatchObject({ kaCount: 0, churned: 1, nearKaCount: 1 });
    const utc = defaultKaRules('UTC');
    expect(monthOf(events, '2024-01', utc)).toMatchObject({ kaCount: 0, productionNodes: 40 });
    expect(monthOf(events, '2024-02', utc)).toMatchObject({ kaCount: 0, productionNodes: 0 });
  });

  it("counts a moved cluster's whole history towards the account it moved to last", () => {
    const events = [
      snapshot('c1', '2024-01-10T00:00:00Z', 60, { accountId: 'a' }),
      snapshot('c1', '2024-03-10T00:00:00Z', 60, { accountId: 'b' }),
      snapshot('c1', '2024-05-10T00:00:00Z', 60, { accountId: 'c' }),
      snapshot('c1', '2024-02-10T00:00:00Z', 60, { accountId: 'a' }), // arrives last, older
    ];
    expect(monthOf(events, '2024-01').accounts).toEqual([
      { accountId: 'c', productionNodes: 60, status: 'new' },
    ]);
  });

  it('keeps the last accountId carried when later snapshots carry none', () => {
    const events = [
      snapshot('c1', '2024-01-10T00:00:00Z', 30, { accountId: 'a' }),
      snapshot('c1', '2024-02-10T00:00:00Z', 60),
      snapshot('orphan', '2024-02-10T00:00:00Z', 25),
      snapshot('orphan-staging', '2024-02-10T00:00:00Z', 99, { environment: 'staging' }),
    ];
    expect(monthOf(events, '2024-02')).toMatchObject({
      kaCount: 1,
      productionNodes: 60,
      unattributedNodes: 25,
    });
  });

  it('counts the environment of the latest snapshot, and nodes summed from components', () => {
    const events = [
      snapshot('c1', '2024-01-10T00:00:00Z', 80, { accountId: 'a' }),
      snapshot('c1', '2024-01-20T00:00:00Z', 80, { accountId: 'a', environment: 'staging' }),
      {
        clusterId: 'c2',
        accountId: 'b',
        environment: 'production',
        components: { tidb: 20, tikv: 30 },
        reportedAt: '2024-01-15T00:00:00Z',
      } as const,
    ];
    expect(statuses(monthOf(events, '2024-01'))).toEqual([['b', 'new']]);
    const withStaging = { ...shanghai, countedEnvironments: ['production', 'staging'] };
    expect(monthOf(events, '2024-01', withStaging)).toMatchObject({
      kaCount: 2,
      productionNodes: 130,
    });
  });

  it('follows churn then reactivation, and lists a churned near-KA as churned', () => {
    const monthly = (cluster: string, account: string, nodes: (number | undefined)[]) =>
      nodes.flatMap((n, i) =>
        n === undefined
          ? []
          : [snapshot(cluster, `2024-0${i + 1}-15T00:00:00Z`, n, { accountId: account })],
      );
    const events = [
      ...monthly('ca', 'a', [60, 40, undefined, 70]),
      ...monthly('cb', 'b', [55, 55, 55, 55]),
    ];
    const months = ['2024-01', '2024-02', '2024-03', '2024-04'];
    const rows = expectedKaMonths(events, months, shanghai);
    expect(rows.map(statuses)).toEqual([
      [
        ['a', 'new'],
        ['b', 'new'],
      ],
      [
        ['a', 'churned'],
        ['b', 'retained'],
      ],
      [['b', 'retained']],
      [
        ['a', 'reactivated'],
        ['b', 'retained'],
      ],
    ]);
    expect(rows[1]).toMatchObject({ kaCount: 1, churned: 1, nearKaCount: 1, momMultiple: 0.5 });
    expect(rows[1]?.accounts[0]).toEqual({
      accountId: 'a',
      productionNodes: 40,
      status: 'churned',
    });
    expect(rows[3]).toMatchObject({
      kaCount: 2,
      reactivated: 1,
      retained: 1,
      new: 0,
      momMultiple: 2,
    });
  });

  it('breaks ties on the thresholds: 50 is KA, 30 near-KA, 49 near-KA, 29 neither', () => {
    const events = [50, 49, 30, 29].map((n) =>
      snapshot(`c${n}`, '2024-01-15T00:00:00Z', n, { accountId: `a${n}` }),
    );
    expect(statuses(monthOf(events, '2024-01'))).toEqual([
      ['a30', 'near'],
      ['a49', 'near'],
      ['a50', 'new'],
    ]);
  });

  it('computes multiples, target and pace from the previous December, null without a base', () => {
    const ka = (account: string, month: string) =>
      snapshot(`c-${account}`, `${month}-15T00:00:00Z`, 50, { accountId: account });
    const events = [
      ...['a', 'b'].map((a) => ka(a, '2023-12')),
      ...['a', 'b', 'c'].map((a) => ka(a, '2024-03')),
      ...['a', 'b', 'c', 'd'].map((a) => ka(a, '2024-04')),
      ka('a', '2024-12'),
    ];
    const rows = expectedKaMonths(
      events,
      ['2023-12', '2024-01', '2024-03', '2024-04', '2024-12'],
      shanghai,
    );
    const growth = rows.map(({ momMultiple, yoyMultiple, ytdMultiple, targetKa, onTrack }) => ({
      momMultiple,
      yoyMultiple,
      ytdMultiple,
      targetKa,
      onTrack,
    }));
    expect(growth).toEqual([
      { momMultiple: null, yoyMultiple: null, ytdMultiple: null, targetKa: null, onTrack: null },
      { momMultiple: 0, yoyMultiple: null, ytdMultiple: 0, targetKa: 16, onTrack: false },
      // 3 < 2 × 8^(3/12) ≈ 3.36; 4 = 2 × 8^(4/12) exactly, which is on track.
      { momMultiple: null, yoyMultiple: null, ytdMultiple: 1.5, targetKa: 16, onTrack: false },
      { momMultiple: 4 / 3, yoyMultiple: null, ytdMultiple: 2, targetKa: 16, onTrack: true },
      { momMultiple: null, yoyMultiple: 0.5, ytdMultiple: 0.5, targetKa: 16, onTrack: false },
    ]);
  });

  it('counts an event delivered several times once', () => {
    const once = [snapshot('c1', '2024-01-15T00:00:00Z', 60, { accountId: 'a' })];
    const thrice = [...once, ...once, ...once];
    expect(expectedKaMonths(thrice, ['2024-01'], shanghai)).toEqual(
      expectedKaMonths(once, ['2024-01'], shanghai),
    );
  });
});
