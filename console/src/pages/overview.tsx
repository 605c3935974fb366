/**
 * Overview (SPEC §12): the latest computed month's KA count and multiples, target pace and
 * forecast, the 24-month chart, movements, node bridge, champion coverage and alerts. The
 * analytics routes of SPEC §10 may not be deployed yet: a 404 shows as "not available".
 */
import { withQuery } from '../api.js';
import type { PageProps } from '../app.js';
import { MonthBars } from '../chart.js';
import {
  Empty,
  formatMultiple,
  formatNumber,
  formatPercent,
  Page,
  Show,
  Stat,
  TableBox,
  useGet,
} from '../ui.js';

export interface KaMonth {
  month: string;
  kaCount: number;
  new: number;
  reactivated: number;
  retained: number;
  churned: number;
  productionNodes: number;
  nearKaCount: number;
  unattributedNodes: number;
  momMultiple: number | null;
  yoyMultiple: number | null;
  ytdMultiple: number | null;
  targetKa: number | null;
  onTrack: boolean | null;
  championCoverage: number | null;
  kaQuickRatio?: number | null;
  communitySourcedNew?: number;
}

export function OverviewPage(_props: PageProps) {
  const [months] = useGet<{ months: KaMonth[] }>('/metrics/ka');
  return (
    <Page title="Overview">
      <Show loaded={months} what="KA metrics">
        {(data) => {
          const latest = data.months.at(-1);
          if (!latest) {
            return <Empty>No month is computed yet: recalculate one on the Jobs page.</Empty>;
          }
          return <Month latest={latest} history={data.months.slice(-24)} />;
        }}
      </Show>
    </Page>
  );
}

function Month({ latest, history }: { latest: KaMonth; history: KaMonth[] }) {
  const pace =
    latest.onTrack === null ? 'No target' : latest.onTrack ? 'On track' : 'Behind the target pace';
  return (
    <>
      <h2>{latest.month}</h2>
      <dl class="stats">
        <Stat name="Key accounts" value={formatNumber(latest.kaCount)} id="kaCount" />
        <Stat name="Month over month" value={formatMultiple(latest.momMultiple)} />
        <Stat name="Year over year" value={formatMultiple(latest.yoyMultiple)} />
        <Stat name="Year to date" value={formatMultiple(latest.ytdMultiple)} />
        <Stat name="Target pace" value={`${pace} (${formatNumber(latest.targetKa)})`} />
        <Stat name="Near KA" value={formatNumber(latest.nearKaCount)} />
        <Stat name="Production nodes" value={formatNumber(latest.productionNodes)} />
        <Stat
          name="Unattributed nodes"
          value={formatNumber(latest.unattributedNodes)}
          id="unattributedNodes"
        />
        <Stat name="Champion coverage" value={formatPercent(latest.championCoverage)} />
        {latest.kaQuickRatio !== undefined ? (
          <Stat name="KA quick ratio" value={formatNumber(latest.kaQuickRatio, 2)} />
        ) : null}
      </dl>
      <h2>Key accounts, last {history.length} months</h2>
      <MonthBars
        label="Key accounts"
        points={history.map((row) => ({
          month: row.month,
          value: row.kaCount,
          target: row.targetKa,
        }))}
      />
      <Forecast year={latest.month.slice(0, 4)} />
      <Movements month={latest.month} />
      <Bridge month={latest.month} />
      <Alerts month={latest.month} />
    </>
  );
}

interface Forecast {
  asOf: string;
  decemberKa: { expected: number; low: number; high: number };
  targetKa: number | null;
  reachable: boolean | null;
  method: string;
}

function Forecast({ year }: { year: string }) {
  const [loaded] = useGet<Forecast>(withQuery('/metrics/forecast', { year }));
  return (
    <>
      <h2>Forecast for December {year}</h2>
      <Show loaded={loaded} what="the forecast">
        {(f) => (
          <p>
            Expected {formatNumber(f.decemberKa.expected)} key accounts (between{' '}
            {formatNumber(f.decemberKa.low)} and {formatNumber(f.decemberKa.high)}) against a target
            of {formatNumber(f.targetKa)}:{' '}
            {f.reachable === null ? 'no target' : f.reachable ? 'reachable' : 'out of reach'}.{' '}
            <span class="meta">
              As of {f.asOf}, {f.method}.
            </span>
          </p>
        )}
      </Show>
    </>
  );
}

interface ListedAccount {
  accountId: string;
  name: string | null;
  productionNodes: number;
  status: 'new' | 'reactivated' | 'retained' | 'churned' | 'near';
}

const movementOrder = ['new', 'reactivated', 'churned', 'near'] as const;

function Movements({ month }: { month: string }) {
  const [loaded] = useGet<{ accounts: ListedAccount[] }>(`/metrics/ka/${month}/accounts`);
  return (
    <>
      <h2>Movements</h2>
      <Show loaded={loaded} what="movements">
        {(data) => {
          const moved = data.accounts.filter((a) => a.status !== 'retained');
          if (moved.length === 0) return <Empty>No account moved in {month}.</Empty>;
          return (
            <TableBox label="Movements">
              <thead>
                <tr>
                  <th scope="col">Movement</th>
                  <th scope="col">Account</th>
                  <th scope="col" class="num">
                    Production nodes
                  </th>
                </tr>
              </thead>
              <tbody>
                {movementOrder.flatMap((status) =>
                  moved
                    .filter((a) => a.status === status)
                    .map((a) => (
                      <tr key={a.accountId}>
                        <td>{status}</td>
                        <td>
                          <a href={`#/accounts/${encodeURIComponent(a.accountId)}`}>
                            {a.name ?? a.accountId}
                          </a>
                        </td>
                        <td class="num">{formatNumber(a.productionNodes)}</td>
                      </tr>
                    )),
                )}
              </tbody>
            </TableBox>
          );
        }}
      </Show>
    </>
  );
}

interface BridgeMonth {
  month: string;
  start: number;
  new: number;
  reactivation: number;
  expansion: number;
  contraction: number;
  churn: number;
  end: number;
  nodeQuickRatio: number | null;
}

function Bridge({ month }: { month: string }) {
  const [loaded] = useGet<{ months: BridgeMonth[] }>(
    withQuery('/metrics/nodes/bridge', { from: month, to: month }),
  );
  return (
    <>
      <h2>Node bridge</h2>
      <Show loaded={loaded} what="the node bridge">
        {(data) => {
          const b = data.months.at(-1);
          if (!b) return <Empty>No bridge for {month}.</Empty>;
          return (
            <dl class="stats">
              <Stat name="Start" value={formatNumber(b.start)} />
              <Stat name="New" value={`+${formatNumber(b.new)}`} />
              <Stat name="Reactivation" value={`+${formatNumber(b.reactivation)}`} />
              <Stat name="Expansion" value={`+${formatNumber(b.expansion)}`} />
              <Stat name="Contraction" value={`−${formatNumber(b.contraction)}`} />
              <Stat name="Churn" value={`−${formatNumber(b.churn)}`} />
              <Stat name="End" value={formatNumber(b.end)} />
              <Stat name="Node quick ratio" value={formatNumber(b.nodeQuickRatio, 2)} />
            </dl>
          );
        }}
      </Show>
    </>
  );
}

interface Alert {
  kind: string;
  accountId: string;
  name: string | null;
  members: { memberId: string; name: string | null; reason: string }[];
}

function Alerts({ month }: { month: string }) {
  const [loaded] = useGet<{ alerts: Alert[] }>(withQuery('/alerts', { month }));
  return (
    <>
      <h2>Alerts</h2>
      <Show loaded={loaded} what="alerts">
        {(data) =>
          data.alerts.length === 0 ? (
            <Empty>No key account lost its champion in {month}.</Empty>
          ) : (
            <ul class="alerts">
              {data.alerts.map((alert) => (
                <li key={alert.accountId}>
                  <a href={`#/accounts/${encodeURIComponent(alert.accountId)}`}>
                    {alert.name ?? alert.accountId}
                  </a>{' '}
                  lost its champion:{' '}
                  {alert.members.map((m) => `${m.name ?? m.memberId} (${m.reason})`).join(', ')}
                </li>
              ))}
            </ul>
          )
        }
      </Show>
    </>
  );
}
