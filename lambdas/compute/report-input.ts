import { type Activity, type IdentityKey, isContent } from '../domain/community.js';
import {
  type EligibilityRow,
  newlyReached,
  oneStepAway,
  programFor,
} from '../domain/eligibility.js';
import { NotFoundError } from '../domain/errors.js';
import type { MemberSummary } from '../domain/member-evidence.js';
import {
  addMonths,
  compareMonths,
  type Month,
  monthNumber,
  monthStartInstant,
  yearOf,
} from '../domain/month.js';
import type { ReportContent, ReportInput, ReportTier } from '../report/model.js';
import { accountNames } from '../store/accounts-store.js';
import { changesSince } from '../store/changes-store.js';
import { activitiesBetween, programs } from '../store/community-store.js';
import { getConfig } from '../store/config-store.js';
import { kaAccounts, kaMonthRows, monthAlerts, nodeBridges } from '../store/ka-store.js';
import { memberLookup } from '../store/member-index-store.js';
import { listMonths } from '../store/months-store.js';
import { countRejections } from '../store/rejections-store.js';
import { sentReports } from '../store/report-store.js';
import { lastTelemetryAt } from '../store/telemetry-store.js';
import { evangelistsAsOf } from './evangelists.js';

/**
 * Loads everything M's report shows (SPEC §5) from the computed months — the evangelists as of M
 * and M-1 as their recalculations stored them — and the stored facts: the month's content, its
 * authors named as the member index has them.
 */
export async function loadReportInput(month: Month): Promise<ReportInput> {
  const config = await getConfig();
  const year = yearOf(month);
  const [rows, accounts, names, programsByYear, freshness, analytics] = await Promise.all([
    kaMonthRows(addMonths(month, -23), month),
    kaAccounts(month),
    accountNames(),
    programs(),
    loadFreshness(month),
    loadAnalytics(month),
  ]);
  const corrections = await correctionsSinceLastReport(month);
  if (!rows.some((row) => row.month === month)) {
    throw new NotFoundError(`${month} has not been computed yet: POST /admin/recalculate first`);
  }
  const timeZone = config.timezone;
  const program = programFor(year, programsByYear);
  // Staff are never evangelists (SPEC §1): the report names none.
  const now = await evangelistsAsOf(month, false);
  // In January nobody had reached a tier of the new year before.
  const before = monthNumber(month) === 1 ? [] : await evangelistsAsOf(addMonths(month, -1), false);
  const activities = await activitiesBetween(
    monthStartInstant(month, timeZone).toISOString(),
    monthStartInstant(addMonths(month, 1), timeZone).toISOString(),
  );
  return {
    month,
    generatedAt: new Date().toISOString(),
    kaRows: rows,
    accounts: accounts.map((a) => ({ ...a, name: names.get(a.accountId) ?? null })),
    ...analytics,
    alerts: analytics.alerts.map((a) => ({ ...a, name: names.get(a.accountId) ?? null })),
    tiers: reportTiers(program.tiers, now, before),
    content: await monthContent(activities, memberLookup()),
    freshness,
    yearlyTarget: config.yearlyTarget,
    corrections,
    accountNames: names,
  };
}

/**
 * The changes recorded to months already mailed since the last report was mailed — the latest
 * sent of M or an earlier month (SPEC §9: the next report mailed carries them) — oldest first.
 */
async function correctionsSinceLastReport(month: Month) {
  const sent = (await sentReports()).filter((r) => compareMonths(r.month, month) <= 0);
  const last = sent
    .map((r) => r.sentAt)
    .sort()
    .at(-1);
  const changes = await changesSince(last ?? '2000-01-01T00:00:00Z');
  return changes
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    .map(({ month: changed, field, before, after }) => ({ month: changed, field, before, after }));
}

function reportTiers(
  tiers: ReturnType<typeof programFor>['tiers'],
  now: readonly EligibilityRow[],
  before: readonly EligibilityRow[],
): ReportTier[] {
  const reached = newlyReached(now, before);
  const close = oneStepAway(now, { year: 0, tiers, from: null });
  const member = (tier: string) => (row: EligibilityRow) => ({
    memberId: row.memberId,
    name: row.name,
    accountId: row.accountId,
    count: row.progress.find((p) => p.tier === tier)?.count ?? 0,
  });
  return tiers.map((tier) => ({
    id: tier.id,
    name: tier.name,
    minCount: tier.minCount,
    newlyReached: (reached.get(tier.id) ?? []).map(member(tier.id)),
    oneStepAway: (close.get(tier.id) ?? []).map(member(tier.id)),
  }));
}

/**
 * The month's talks (not rejected) and recognised content, with their authors' names: the name of
 * the member holding the activity's first identity (`memberOf`, e.g. the member index), else the
 * name the activity carried, else the identity's value.
 */
async function monthContent(
  activities: readonly Activity[],
  memberOf: (identity: IdentityKey) => Promise<MemberSummary | undefined>,
): Promise<ReportContent[]> {
  const shown = activities.filter((a) =>
    a.type === 'talk' ? a.status !== 'rejected' : isContent(a.type) && a.status === 'recognized',
  );
  const content: ReportContent[] = [];
  // One at a time: the lookup reads each chunk of the index once, the first time it is needed.
  for (const a of shown) {
    const identity = a.identities[0];
    const author = identity === undefined ? undefined : await memberOf(identity);
    const authorName = author?.name ?? a.name ?? identity?.replace(/^\w+:/, '') ?? 'unknown';
    content.push({
      type: a.type,
      title: a.title ?? null,
      url: a.url ?? null,
      authors: [authorName],
      occurredAt: a.occurredAt,
    });
  }
  return content;
}

/** When telemetry last arrived, and which earlier months were recomputed since the last report. */
async function loadFreshness(month: Month): Promise<ReportInput['freshness']> {
  const [last, sent, states] = await Promise.all([lastTelemetryAt(), sentReports(), listMonths()]);
  const previous = sent.filter((r) => compareMonths(r.month, month) < 0).at(-1);
  const since = previous ? Date.parse(previous.sentAt) : undefined;
  const recalculated = states
    .filter((s) => compareMonths(s.month, month) < 0)
    .filter((s) => s.computedAt !== undefined && (since === undefined || s.computedAt > since))
    .map((s) => s.month);
  return {
    lastTelemetryAt: last,
    monthsRecalculatedSinceLastReport: since === undefined ? [] : recalculated,
  };
}

/** M's node bridge and champion-loss alerts (SPEC §10), and its rejected webhook items (§2). */
async function loadAnalytics(
  month: Month,
): Promise<Pick<ReportInput, 'bridge' | 'alerts' | 'rejectedItems'>> {
  const [bridges, alerts, rejectedItems] = await Promise.all([
    nodeBridges(month, month),
    monthAlerts(month),
    countRejections(month),
  ]);
  return { bridge: bridges[0] ?? null, alerts, rejectedItems };
}
