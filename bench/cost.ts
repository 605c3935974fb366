/**
 * The README's monthly cost table (issue #17), computed from what one bench run measured: the
 * write units of an event and of an activity, the read units, write units and seconds of a
 * one-month recalculation per cluster, and of a run's community step per member, per activity read
 * and per activity changed since the last run. Pure: the bench hands in its figures and prints the
 * rows.
 */
import { functions } from '../lambdas/system.js';

/** What the bench measured, per unit of work. */
export interface MeasuredUnits {
  readonly wruPerEvent: number;
  readonly wruPerActivity: number;
  /** A one-month recalculation, per cluster: read units, write units, seconds. */
  readonly runRruPerCluster: number;
  readonly runWruPerCluster: number;
  readonly runSecondsPerCluster: number;
  /** A run's community step with nothing changed, per member: its record read and kept. */
  readonly communityRruPerMember: number;
  readonly communityWruPerMember: number;
  readonly communitySecondsPerMember: number;
  /**
   * Reading stored activities, per activity: a run reads the months touched since the last one
   * (the current month) to find what changed. Seconds include resolving them (an upper bound).
   */
  readonly communityRruPerActivityRead: number;
  readonly communitySecondsPerActivityRead: number;
  /** What an activity changed since the last run adds: its member resolved again, chunks written. */
  readonly communityRruPerChange: number;
  readonly communityWruPerChange: number;
  readonly communitySecondsPerChange: number;
  /** Seconds one ingest function spends per event (deliveries in flight ÷ events per second). */
  readonly ingestSecondsPerEvent: number;
}

/** us-east-1 on-demand list prices (USD). */
export const prices = {
  perMillionWru: 0.625,
  perMillionRru: 0.125,
  perGbMonth: 0.25,
  perGbSecond: 0.0000133334,
  perMillionApiRequests: 1.0,
  perThousandMails: 0.1,
} as const;

/** The workload of issue #17's cost table: clusters reporting daily, 3 M activities a year. */
export const workload = {
  snapshotsPerClusterMonth: 30.4,
  dailyRunsPerMonth: 30.4,
  activitiesPerMonth: 250_000,
  /** Activities stored when the month is computed: a year of them. */
  activitiesStored: 3_000_000,
  /** As in the bench: about three activities a member, so 1 M members for a year's activities. */
  activitiesPerMember: 3,
  factBytes: 400,
  monthValueBytes: 300,
  activityBytes: 900,
  namedAccountBytes: 120,
  ingestMemoryGb: functions.ingest.memoryMb / 1024,
  recalculateMemoryGb: functions.recalculate.memoryMb / 1024,
  mailsPerMonth: 2,
  adminCallsPerMonth: 1_000,
} as const;

export interface CostRow {
  readonly clusters: number;
  readonly wru: number;
  readonly rru: number;
  readonly storageGb: number;
  readonly gbSeconds: number;
  readonly apiRequests: number;
  readonly mails: number;
  readonly dollars: {
    writes: number;
    reads: number;
    storage: number;
    lambda: number;
    api: number;
    mail: number;
    total: number;
  };
}

/**
 * One month's cost at `clusters` clusters (README "What it costs on AWS", the formulas there).
 * Lambda requests and Step Functions transitions are left out: a few cents at most.
 */
export function monthlyCost(clusters: number, m: MeasuredUnits): CostRow {
  const w = workload;
  const events = w.snapshotsPerClusterMonth * clusters;
  const activities = w.activitiesPerMonth;
  const runs = w.dailyRunsPerMonth;
  const members = w.activitiesStored / w.activitiesPerMember;
  // A day's activities changed since the last run; the current month (at most A) read to find them.
  const changes = activities / runs;
  const wru =
    events * m.wruPerEvent +
    activities * m.wruPerActivity +
    clusters + // each cluster's named account, once a month
    runs *
      (clusters * m.runWruPerCluster +
        members * m.communityWruPerMember +
        changes * m.communityWruPerChange);
  const rru =
    runs *
    (clusters * m.runRruPerCluster +
      members * m.communityRruPerMember +
      activities * m.communityRruPerActivityRead +
      changes * m.communityRruPerChange);
  const storageBytes =
    12 * (events * w.factBytes + clusters * w.monthValueBytes + activities * w.activityBytes) +
    clusters * w.namedAccountBytes;
  const storageGb = storageBytes / 1e9;
  const gbSeconds =
    events * m.ingestSecondsPerEvent * w.ingestMemoryGb +
    runs *
      (clusters * m.runSecondsPerCluster +
        members * m.communitySecondsPerMember +
        activities * m.communitySecondsPerActivityRead +
        changes * m.communitySecondsPerChange) *
      w.recalculateMemoryGb;
  const apiRequests = events / 1_000 + activities / 500 + w.adminCallsPerMonth;
  const dollars = {
    writes: (wru / 1e6) * prices.perMillionWru,
    reads: (rru / 1e6) * prices.perMillionRru,
    storage: storageGb * prices.perGbMonth,
    lambda: gbSeconds * prices.perGbSecond,
    api: (apiRequests / 1e6) * prices.perMillionApiRequests,
    mail: (w.mailsPerMonth / 1_000) * prices.perThousandMails,
  };
  const total = Object.values(dollars).reduce((sum, value) => sum + value, 0);
  return {
    clusters,
    wru,
    rru,
    storageGb,
    gbSeconds,
    apiRequests,
    mails: w.mailsPerMonth,
    dollars: { ...dollars, total },
  };
}

const money = (value: number) => `$${value < 0.01 ? value.toFixed(4) : value.toFixed(2)}`;
const millions = (value: number) => `${(value / 1e6).toFixed(2)} M`;
const whole = (value: number) => Math.round(value).toLocaleString('en');

/** The table as Markdown rows, as the README shows it. */
export function costTableMarkdown(m: MeasuredUnits): string[] {
  return [
    '| clusters | DynamoDB writes | DynamoDB reads | storage after a year | Lambda | API requests | SES mails | total / month |',
    '|---|---|---|---|---|---|---|---|',
    ...[30_000, 300_000, 1_000_000].map((clusters) => {
      const r = monthlyCost(clusters, m);
      return `| ${whole(clusters)} | ${millions(r.wru)} WRU (${money(r.dollars.writes)}) | ${millions(r.rru)} RRU (${money(r.dollars.reads)}) | ${r.storageGb.toFixed(1)} GB (${money(r.dollars.storage)}) | ${whole(r.gbSeconds)} GB-s (${money(r.dollars.lambda)}) | ${whole(r.apiRequests)} (${money(r.dollars.api)}) | ${r.mails} (${money(r.dollars.mail)}) | **${money(r.dollars.total)}** |`;
    }),
  ];
}
