import pMap from 'p-map';
import { accountOfCluster, latestNamedAccounts, type NamedAccount } from '../domain/attribution.js';
import { championAccounts, championCoverage } from '../domain/champions.js';
import type { Config } from '../domain/config.js';
import type { Members } from '../domain/identities.js';
import {
  type AccountNodes,
  accountNodesOfMonthValues,
  accountsOfMonth,
  growth,
  type KaMonth,
  kaHistory,
  type MonthNodes,
} from '../domain/ka.js';
import type { KaMonthRow } from '../domain/ka-month-row.js';
import {
  compareMonths,
  firstMonth,
  lastMonth,
  type Month,
  monthRange,
  previousMonth,
} from '../domain/month.js';
import { getConfig } from '../store/config-store.js';
import { accountNames, clusterMappings } from '../store/directory-store.js';
import { kaAccounts, kaMonthRows, monthValues, saveKaMonth } from '../store/ka-store.js';
import { listMonths, markComputed } from '../store/months-store.js';
import { loadMembers } from './community-members.js';
import { saveEvidenceIndexes } from './evidence-indexes.js';
import { rebuildMonthValuesIfStale } from './rebuild-month-values.js';

/**
 * Recomputes the KA metrics of every month from the earliest to the latest given, oldest first,
 * from the stored facts: a pure function of them (SPEC §3 "recomputes ... from the stored
 * facts"), so running it twice changes nothing but `computedAt`. Months before the first one are
 * read as last computed.
 */
export async function recalculateKa(
  months: readonly Month[],
  onMonthDone: (month: Month) => Promise<void> = async () => {},
): Promise<void> {
  await rebuildMonthValuesIfStale();
  const startedAt = Date.now();
  const sorted = [...months].sort(compareMonths);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) return;
  // Each month's movements depend on the one before: the whole range is recomputed in order.
  const targets = monthRange(first, last);
  const [config, mappings, names, states, rows, members] = await Promise.all([
    getConfig(),
    clusterMappings(),
    accountNames(),
    listMonths(),
    kaMonthRows(firstMonth, lastMonth),
    loadMembers(),
  ]);
  const { values, named } = await loadMonthValues(
    targets,
    states.map((s) => s.month),
  );
  await saveEvidenceIndexes(named, members, config.timezone);
  const accountOf = accountOfCluster(mappings, named);
  const history = await historyBefore(first, rows);
  const nodesOf = new Map(
    targets.map((m) => [m, accountNodesOfMonthValues(values.get(m) ?? [], accountOf, config)]),
  );
  const kaMonths = kaHistory({
    from: first,
    to: last,
    byAccountOf: (m) => nodesOf.get(m)?.byAccount ?? new Map(),
    // A gap (the month before never computed, or without data) means no KA in it.
    previousKa: history.previousMonth === previousMonth(first) ? history.previousKa : new Set(),
    everKaBefore: history.everKa,
    rules: config,
  });
  for (const result of kaMonths) {
    const nodes = nodesOf.get(result.month) as AccountNodes;
    await saveMonth(result, nodes, { config, members, names, counts: history.counts });
    await markComputed(result.month, startedAt);
    await onMonthDone(result.month);
  }
}

/**
 * Streams every month with data through attribution — the account of a cluster is named by its
 * latest snapshot in any month — and keeps the full values of the months being recomputed only.
 */
async function loadMonthValues(targets: readonly Month[], dataMonths: readonly Month[]) {
  const wanted = new Set(targets);
  const named = new Map<string, NamedAccount>();
  const values = new Map<Month, MonthNodes[]>();
  const months = [...new Set([...dataMonths, ...targets])];
  await pMap(
    months,
    async (month) => {
      if (!wanted.has(month)) {
        latestNamedAccounts(await monthValues(month, 'accounts'), named);
        return;
      }
      const full = await monthValues(month);
      latestNamedAccounts(full, named);
      // Held until the month is computed: only what the computation reads, to keep memory low.
      values.set(
        month,
        full.map(({ clusterId, nodes, environment }) => ({ clusterId, nodes, environment })),
      );
    },
    { concurrency: 4 },
  );
  return { values, named };
}

interface KaHistory {
  /** KA count per computed month; the months computed in this run are added as they are saved. */
  readonly counts: Map<Month, number>;
  readonly previousKa: Set<string>;
  readonly everKa: Set<string>;
  readonly previousMonth: Month | undefined;
}

/** KA sets and counts of the computed months before `first`, from their stored results. */
async function historyBefore(first: Month, rows: readonly KaMonthRow[]): Promise<KaHistory> {
  const earlier = rows.filter((row) => compareMonths(row.month, first) < 0);
  const lists = await pMap(earlier, (row) => kaAccounts(row.month), { concurrency: 4 });
  const kaOf = (list: Awaited<ReturnType<typeof kaAccounts>>) =>
    new Set(
      list.filter((a) => a.status !== 'churned' && a.status !== 'near').map((a) => a.accountId),
    );
  const last = earlier.at(-1);
  return {
    counts: new Map(rows.map((row) => [row.month, row.kaCount])),
    previousKa: last ? kaOf(lists.at(-1) ?? []) : new Set(),
    everKa: new Set(lists.flatMap((list) => [...kaOf(list)])),
    previousMonth: last?.month,
  };
}

interface MonthContext {
  readonly config: Config;
  readonly members: Members;
  readonly names: ReadonlyMap<string, string>;
  readonly counts: Map<Month, number>;
}

/** Saves a computed month: its row of SPEC §3 `GET /metrics/ka` and its account list. */
async function saveMonth(result: KaMonth, nodes: AccountNodes, context: MonthContext) {
  const { config, members, names, counts } = context;
  const { month } = result;
  const kaCount = result.ka.size;
  const computedBefore = counts.has(month);
  counts.set(month, kaCount);
  const row: KaMonthRow = {
    month,
    kaCount,
    new: result.movements.new.length,
    reactivated: result.movements.reactivated.length,
    retained: result.movements.retained.length,
    churned: result.movements.churned.length,
    productionNodes: nodes.productionNodes,
    nearKaCount: result.near.size,
    unattributedNodes: nodes.unattributedNodes,
    ...growth({ month, kaCount, kaCountOf: (m) => counts.get(m), rules: config }),
    championCoverage: championCoverage(
      result.ka,
      championAccounts({ members: members.members, month, timeZone: config.timezone }),
    ),
    computedAt: new Date().toISOString(),
  };
  await saveKaMonth(
    row,
    accountsOfMonth(result, nodes.byAccount, (id) => names.get(id)),
    computedBefore,
  );
}
