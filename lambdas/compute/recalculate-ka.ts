import pMap from 'p-map';
import type { AffiliationSources } from '../domain/affiliation.js';
import { championLossAlerts } from '../domain/alerts.js';
import { accountOfCluster } from '../domain/attribution.js';
import { nodeBridge } from '../domain/bridge.js';
import { championCoverage, championsByAccount } from '../domain/champions.js';
import type { Tier } from '../domain/community.js';
import type { Config } from '../domain/config.js';
import { type EligibilityRow, evangelistRows } from '../domain/eligibility.js';
import type { Member } from '../domain/identities.js';
import {
  type AccountNodes,
  accountNodesOfMonthValues,
  accountsOfMonth,
  growth,
  type KaMonth,
  kaHistory,
} from '../domain/ka.js';
import type { KaMonthRow } from '../domain/ka-month-row.js';
import { listedAccounts } from '../domain/listed-accounts.js';
import {
  addMonths,
  compareMonths,
  firstMonth,
  type Month,
  monthRange,
  monthStartInstant,
  monthsBetween,
  previousMonth,
} from '../domain/month.js';
import { kaQuickRatio } from '../domain/quick-ratio.js';
import { accountNames } from '../store/accounts-store.js';
import { saveNamedAccounts } from '../store/cluster-store.js';
import { programs } from '../store/community-store.js';
import { getConfig } from '../store/config-store.js';
import { clusterMappings } from '../store/directory-store.js';
import {
  kaAccounts,
  kaMonthRows,
  kaOfAccounts,
  latestComputedBefore,
  monthKaHistory,
  saveKaMonth,
} from '../store/ka-store.js';
import { listMonths, markComputed } from '../store/months-store.js';
import { sentReports } from '../store/report-store.js';
import { loadAffiliationSources, staffAccountsOf } from './affiliation-sources.js';
import { recordMailedMonthChanges } from './month-changes.js';
import { monthValuesAndNames } from './named-accounts.js';
import { rebuildMonthValuesIfStale } from './rebuild-month-values.js';
import { communityOfRun, type RunCommunity } from './run-community.js';

/**
 * Recomputes the KA metrics of every month from the earliest to the latest given, oldest first,
 * from the stored facts: a pure function of them (SPEC §3 "recomputes ... from the stored
 * facts"), so running it twice changes nothing but `computedAt`. Months before the first one are
 * read as last computed.
 */
export async function recalculateKa(
  months: readonly Month[],
  onMonthDone: (month: Month) => Promise<void> = async () => {},
  jobId: string | null = null,
): Promise<void> {
  await rebuildMonthValuesIfStale();
  const startedAt = Date.now();
  const sorted = [...months].sort(compareMonths);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) return;
  // Each month's movements depend on the one before: the whole range is recomputed in order.
  const targets = monthRange(first, last);
  const before = monthsBetween(firstMonth, first) > 0 ? previousMonth(first) : undefined;
  const config = await getConfig();
  const [sources, mappings, names, states, rows, history, sent, programsByYear] = await Promise.all(
    [
      loadAffiliationSources(config),
      clusterMappings(),
      accountNames(),
      listMonths(),
      // Growth reads back as far as M-12 (December of the year before is within it).
      kaMonthRows(addMonths(first, -12), last),
      historyBefore(first),
      sentReports(),
      programs(),
    ],
  );
  const staffAccounts = staffAccountsOf(config, sources);
  const community = await communityOfRun({ sources, staffAccounts, states });
  // previousNodes of the first month: kept with M-1's results, else M-1's values are read.
  const read = before && !history.previousNodes ? [before, ...targets] : targets;
  const { values, named } = await monthValuesAndNames(read, states, startedAt);
  // What the evidence routes read by key (SPEC §7); the member index is saved with the community.
  await saveNamedAccounts(named);
  // Aliases (SPEC §9): an acquired account counts as its canonical account in every month.
  const attributed = accountOfCluster(mappings, named);
  const accountOf = (clusterId: string) => {
    const accountId = attributed(clusterId);
    return accountId === undefined ? undefined : sources.canonical(accountId);
  };
  const nodesOf = new Map(
    read.map((m) => [m, accountNodesOfMonthValues(values.get(m) ?? [], accountOf, config)]),
  );
  const kaMonths = kaHistory({
    from: first,
    to: last,
    byAccountOf: (m) => nodesOf.get(m)?.byAccount ?? new Map(),
    previousKa: history.previousKa,
    everKaBefore: history.everKa,
    rules: config,
  });
  const counts = new Map(rows.map((row) => [row.month, row.kaCount]));
  const previousRows = new Map(rows.map((row) => [row.month, row]));
  const sentAt = new Map(sent.map((report) => [report.month, report.sentAt]));
  const everKa = new Set(history.everKa);
  const context: Omit<MonthContext, 'mailed'> = {
    config,
    names,
    counts,
    everKa,
    flywheel: flywheelOf(community, sources, staffAccounts, programsByYear, {
      // SPEC §10 community-sourced concerns the months' new KAs alone: read once for the run.
      firstCommunityInstants: await community.firstCommunityInstants(
        kaMonths.flatMap((result) => result.movements.new),
      ),
    }),
    previousNodesOf: (m) =>
      nodesOf.get(m)?.byAccount ?? (m === before ? history.previousNodes : undefined) ?? new Map(),
  };
  for (const result of kaMonths) {
    const nodes = nodesOf.get(result.month) as AccountNodes;
    for (const accountId of result.ka) everKa.add(accountId);
    await saveMonth(result, nodes, {
      ...context,
      mailed: {
        sentAt: sentAt.get(result.month),
        previousRow: previousRows.get(result.month),
        jobId,
      },
    });
    // Computed as of the older of the reads: an activity stored after the members were resolved
    // touched its month later than this, so the month stays dirty for the next daily run.
    await markComputed(result.month, Math.min(startedAt, community.asOf));
    await onMonthDone(result.month);
  }
}

interface KaHistoryBefore {
  /** The KAs of the month before the first recomputed; none if it was never computed. */
  readonly previousKa: Set<string>;
  /** Every account KA in a computed month before the first recomputed. */
  readonly everKa: Set<string>;
  /** Every account's nodes in the month before the first recomputed, when kept with it. */
  readonly previousNodes?: Map<string, number>;
}

/**
 * What the months before `first` contribute to its movements, from the latest computed month's
 * stored results: its KAs and the accounts ever KA up to it. Results stored before ever-KA was kept
 * with them are read the old way, every earlier account list, once.
 */
async function historyBefore(first: Month): Promise<KaHistoryBefore> {
  const latest = await latestComputedBefore(first);
  if (latest === undefined) return { previousKa: new Set(), everKa: new Set() };
  const { ka, everKa, nodes } = await monthKaHistory(latest);
  // A gap (the month before never computed, or without data) means no KA in it.
  const adjacent = latest === previousMonth(first);
  const previousKa = adjacent ? ka : new Set<string>();
  const previousNodes = adjacent && nodes ? { previousNodes: nodes } : {};
  if (everKa) return { previousKa, everKa, ...previousNodes };
  const earlier = await kaMonthRows(firstMonth, latest);
  const lists = await pMap(earlier, (row) => kaAccounts(row.month), { concurrency: 4 });
  const ever = new Set(lists.flatMap((list) => [...kaOfAccounts(list)]));
  return { previousKa, everKa: ever, ...previousNodes };
}

/** What SPEC §10's flywheel figures need of the community, resolved once per recalculation. */
interface Flywheel {
  readonly sources: AffiliationSources;
  readonly staffAccounts: ReadonlySet<string>;
  /** Each account's champions in a month, computed once per month. */
  championsOf(month: Month): Map<string, Member[]>;
  /** The first community instants of the run's months' new KAs (SPEC §10). */
  readonly firstCommunityInstants: ReadonlyMap<string, string>;
  /** The evangelists as of a month (SPEC §3 `GET /evangelists`), staff listed and flagged. */
  evangelistsAsOf(month: Month): EligibilityRow[];
}

function flywheelOf(
  community: RunCommunity,
  sources: AffiliationSources,
  staffAccounts: ReadonlySet<string>,
  programsByYear: ReadonlyMap<number, readonly Tier[]>,
  { firstCommunityInstants }: Pick<Flywheel, 'firstCommunityInstants'>,
): Flywheel {
  const champions = new Map<Month, Map<string, Member[]>>();
  return {
    sources,
    staffAccounts,
    championsOf(month) {
      let byAccount = champions.get(month);
      if (!byAccount) {
        byAccount = championsByAccount({
          members: community.members,
          month,
          sources,
          staffAccounts,
        });
        champions.set(month, byAccount);
      }
      return byAccount;
    },
    firstCommunityInstants,
    evangelistsAsOf: (month) =>
      evangelistRows(community.members, month, programsByYear, { sources, staffAccounts }),
  };
}

interface MonthContext {
  readonly config: Config;
  readonly names: ReadonlyMap<string, string>;
  /** The KA count of every computed month read or saved so far. */
  readonly counts: Map<Month, number>;
  /** Every account KA in this month or a computed month before it. */
  readonly everKa: ReadonlySet<string>;
  readonly flywheel: Flywheel;
  /** Every account's production nodes in a month before a recomputed one. */
  previousNodesOf(month: Month): ReadonlyMap<string, number>;
  /** When the month was mailed, and its row as computed before: what changes are recorded from. */
  readonly mailed: {
    readonly sentAt: string | undefined;
    readonly previousRow: KaMonthRow | undefined;
    readonly jobId: string | null;
  };
}

/**
 * Saves a computed month: its row of SPEC §3 `GET /metrics/ka`, its account list with SPEC §10's
 * figures, its node bridge, its champion-loss alerts (none when M-1 was never computed) and its
 * evangelists (SPEC §3: a recalculation "recomputes KA metrics and eligibility").
 */
async function saveMonth(result: KaMonth, nodes: AccountNodes, context: MonthContext) {
  const { config, names, counts, everKa, flywheel, mailed } = context;
  const { month } = result;
  const previous = previousMonth(month);
  const kaCount = result.ka.size;
  const computedBefore = counts.has(month);
  const previousComputed = counts.has(previous);
  counts.set(month, kaCount);
  const champions = flywheel.championsOf(month);
  const accounts = listedAccounts(
    accountsOfMonth(result, nodes.byAccount, (id) => names.get(id)),
    {
      previousNodes: context.previousNodesOf(previous),
      champions,
      firstCommunityInstants: flywheel.firstCommunityInstants,
      monthStart: monthStartInstant(month, config.timezone).toISOString(),
    },
  );
  const movements = {
    new: result.movements.new.length,
    reactivated: result.movements.reactivated.length,
    retained: result.movements.retained.length,
    churned: result.movements.churned.length,
  };
  const row: KaMonthRow = {
    month,
    kaCount,
    ...movements,
    productionNodes: nodes.productionNodes,
    nearKaCount: result.near.size,
    unattributedNodes: nodes.unattributedNodes,
    ...growth({ month, kaCount, kaCountOf: (m) => counts.get(m), rules: config }),
    championCoverage: championCoverage(result.ka, champions),
    kaQuickRatio: kaQuickRatio(movements),
    communitySourcedNew: accounts.filter((a) => a.communitySourced).length,
    computedAt: new Date().toISOString(),
  };
  const alerts = championLossAlerts({
    month,
    ka: result.ka,
    previousChampions: previousComputed ? flywheel.championsOf(previous) : undefined,
    champions,
    sources: flywheel.sources,
    staffAccounts: flywheel.staffAccounts,
    nameOf: (id) => names.get(id),
  });
  if (mailed.sentAt !== undefined && mailed.previousRow !== undefined) {
    await recordMailedMonthChanges({
      month,
      sentAt: mailed.sentAt,
      previousRow: mailed.previousRow,
      row,
      accounts,
      jobId: mailed.jobId,
    });
  }
  await saveKaMonth(
    {
      row,
      bridge: nodeBridge(month, accounts),
      accounts,
      everKa,
      nodes: nodes.byAccount,
      alerts,
      evangelists: flywheel.evangelistsAsOf(month),
    },
    computedBefore,
  );
}
