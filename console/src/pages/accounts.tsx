/**
 * Accounts (SPEC §12): search and list (`GET /accounts?q=`), an account's months, clusters and
 * members (`GET /accounts/{id}`).
 */
import { useState } from 'preact/hooks';
import { enc, withQuery } from '../api.js';
import type { PageProps } from '../app.js';
import { Empty, formatInstant, formatNumber, Page, Show, TableBox, useGet } from '../ui.js';

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
              <TableBox label="Accounts">
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">
                      Production nodes
                    </th>
                    <th scope="col" class="num">
                      Clusters
                    </th>
                    <th scope="col" class="num">
                      Champions
                    </th>
                    <th scope="col">First KA</th>
                  </tr>
                </thead>
                <tbody>
                  {data.accounts.map((a) => (
                    <tr key={a.accountId}>
                      <td>
                        <a href={accountHref(a.accountId)}>{a.name ?? a.accountId}</a>
                      </td>
                      <td>{a.status}</td>
                      <td class="num">{formatNumber(a.productionNodes)}</td>
                      <td class="num">{formatNumber(a.clusters)}</td>
                      <td class="num">{formatNumber(a.champions)}</td>
                      <td>{a.firstKaMonth ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </TableBox>
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
          {a.months.length === 0 ? (
            <Empty>No computed month.</Empty>
          ) : (
            <TableBox label="Months">
              <thead>
                <tr>
                  <th scope="col">Month</th>
                  <th scope="col" class="num">
                    Production nodes
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {[...a.months].reverse().map((m) => (
                  <tr key={m.month}>
                    <td>{m.month}</td>
                    <td class="num">{formatNumber(m.productionNodes)}</td>
                    <td>{m.status}</td>
                  </tr>
                ))}
              </tbody>
            </TableBox>
          )}
          <h3>Clusters</h3>
          {a.clusters.length === 0 ? (
            <Empty>No cluster.</Empty>
          ) : (
            <TableBox label="Clusters">
              <thead>
                <tr>
                  <th scope="col">Cluster</th>
                  <th scope="col">Source</th>
                  <th scope="col">Environment</th>
                  <th scope="col" class="num">
                    Nodes
                  </th>
                  <th scope="col">Reported</th>
                </tr>
              </thead>
              <tbody>
                {a.clusters.map((c) => (
                  <tr key={c.clusterId}>
                    <td>{c.clusterId}</td>
                    <td>{c.source}</td>
                    <td>{c.environment ?? '—'}</td>
                    <td class="num">{formatNumber(c.nodes)}</td>
                    <td>{formatInstant(c.reportedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </TableBox>
          )}
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
