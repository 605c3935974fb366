/**
 * Accounts (SPEC §12): search and list (`GET /accounts?q=`), an account's months, clusters and
 * members (`GET /accounts/{id}`).
 */
import { useState } from 'preact/hooks';
import { enc, withQuery } from '../api.js';
import type { PageProps } from '../app.js';
import { DataTable, Empty, formatInstant, formatNumber, Page, Show, useGet } from '../ui.js';

interface AccountRow {
  accountId: string;
  name: string | null;
  productionNodes: number;
  status: string;
  clusters: number;
  champions: number;
  firstKaMonth: string | null;
}

interface Account {
  accountId: string;
  name: string | null;
  domains: string[];
  aliases: string[];
  months: { month: string; productionNodes: number; status: string }[];
  clusters: {
    clusterId: string;
    source: string;
    environment: string | null;
    nodes: number | null;
    reportedAt: string | null;
  }[];
  members: {
    memberId: string;
    name: string | null;
    lastActivityAt: string | null;
    champion: boolean;
  }[];
}

const accountHref = (id: string) => `#/accounts/${encodeURIComponent(id)}`;

export function AccountsPage({ rest }: PageProps) {
  return <Page title="Accounts">{rest ? <AccountDetail id={rest} /> : <AccountList />}</Page>;
}

function AccountList() {
  const [q, setQ] = useState('');
  const [asked, setAsked] = useState('');
  const [loaded] = useGet<{ month: string; accounts: AccountRow[] }>(
    withQuery('/accounts', { q: asked, limit: '100' }),
  );
  return (
    <>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(q);
        }}
      >
        <label for="account-q">Account id or name</label>
        <input
          id="account-q"
          type="search"
          value={q}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
        <button type="submit">Search</button>
      </form>
      <Show loaded={loaded} what="accounts">
        {(data) =>
          data.accounts.length === 0 ? (
            <Empty>No account matches.</Empty>
          ) : (
            <>
              <p class="hint">As of {data.month}, most production nodes first.</p>
              <DataTable
                label="Accounts"
                rows={data.accounts}
                rowKey={(a) => a.accountId}
                empty="No account matches."
                columns={[
                  {
                    header: 'Account',
                    cell: (a) => <a href={accountHref(a.accountId)}>{a.name ?? a.accountId}</a>,
                  },
                  { header: 'Status', cell: (a) => a.status },
                  {
                    header: 'Production nodes',
                    num: true,
                    cell: (a) => formatNumber(a.productionNodes),
                  },
                  { header: 'Clusters', num: true, cell: (a) => formatNumber(a.clusters) },
                  { header: 'Champions', num: true, cell: (a) => formatNumber(a.champions) },
                  { header: 'First KA', cell: (a) => a.firstKaMonth ?? '—' },
                ]}
              />
            </>
          )
        }
      </Show>
    </>
  );
}

function AccountDetail({ id }: { id: string }) {
  const [loaded] = useGet<Account>(`/accounts/${enc(id)}`);
  return (
    <Show loaded={loaded} what="the account">
      {(a) => (
        <>
          <p>
            <a href="#/accounts">All accounts</a>
          </p>
          <h2>{a.name ?? a.accountId}</h2>
          <p class="meta">
            {a.accountId}
            {a.domains.length > 0 ? ` · ${a.domains.join(', ')}` : ''}
            {a.aliases.length > 0 ? ` · aliases ${a.aliases.join(', ')}` : ''}
          </p>
          <h3>Months</h3>
          <DataTable
            label="Months"
            rows={[...a.months].reverse()}
            rowKey={(m) => m.month}
            empty="No computed month."
            columns={[
              { header: 'Month', cell: (m) => m.month },
              {
                header: 'Production nodes',
                num: true,
                cell: (m) => formatNumber(m.productionNodes),
              },
              { header: 'Status', cell: (m) => m.status },
            ]}
          />
          <h3>Clusters</h3>
          <DataTable
            label="Clusters"
            rows={a.clusters}
            rowKey={(c) => c.clusterId}
            empty="No cluster."
            columns={[
              { header: 'Cluster', cell: (c) => c.clusterId },
              { header: 'Source', cell: (c) => c.source },
              { header: 'Environment', cell: (c) => c.environment ?? '—' },
              { header: 'Nodes', num: true, cell: (c) => formatNumber(c.nodes) },
              { header: 'Reported', cell: (c) => formatInstant(c.reportedAt) },
            ]}
          />
          <h3>Members</h3>
          {a.members.length === 0 ? (
            <Empty>No member is affiliated.</Empty>
          ) : (
            <ul>
              {a.members.map((m) => (
                <li key={m.memberId}>
                  <a href={`#/members/${encodeURIComponent(m.memberId)}`}>{m.name ?? m.memberId}</a>
                  {m.champion ? ' (champion)' : ''} · last active {formatInstant(m.lastActivityAt)}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </Show>
  );
}
