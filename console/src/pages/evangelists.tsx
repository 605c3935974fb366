/** Evangelists (SPEC §12): a year's qualifying members, their tiers and progress (`GET /evangelists`). */
import { useState } from 'preact/hooks';
import { withQuery } from '../api.js';
import type { PageProps } from '../app.js';
import { Empty, Page, Show, TableBox, useGet } from '../ui.js';

interface Evangelist {
  memberId: string;
  name: string | null;
  accountId: string | null;
  tiers: string[];
  progress: { tier: string; count: number; minCount: number }[];
}

export function EvangelistsPage(_props: PageProps) {
  const [year, setYear] = useState(String(new Date().getUTCFullYear()));
  const [loaded] = useGet<{ year: number; asOf: string; members: Evangelist[] }>(
    withQuery('/evangelists', { year }),
  );
  return (
    <Page title="Evangelists">
      <form class="row" onSubmit={(e) => e.preventDefault()}>
        <label for="evangelist-year">Year</label>
        <input
          id="evangelist-year"
          type="number"
          min="2000"
          max="2100"
          value={year}
          onChange={(e) => setYear(e.currentTarget.value)}
        />
      </form>
      <Show loaded={loaded} what="evangelists">
        {(data) =>
          data.members.length === 0 ? (
            <Empty>No member has a qualifying activity in {data.year}.</Empty>
          ) : (
            <>
              <p class="hint">As of {data.asOf}.</p>
              <TableBox label="Evangelists">
                <thead>
                  <tr>
                    <th scope="col">Member</th>
                    <th scope="col">Account</th>
                    <th scope="col">Tiers</th>
                    <th scope="col">Progress</th>
                  </tr>
                </thead>
                <tbody>
                  {data.members.map((m) => (
                    <tr key={m.memberId}>
                      <td>
                        <a href={`#/members/${encodeURIComponent(m.memberId)}`}>
                          {m.name ?? m.memberId}
                        </a>
                      </td>
                      <td>{m.accountId ?? '—'}</td>
                      <td>{m.tiers.join(', ') || '—'}</td>
                      <td>
                        {m.progress.map((p) => (
                          <div class="progress" key={p.tier}>
                            <label>
                              {p.tier} {p.count}/{p.minCount}{' '}
                              <progress max={p.minCount} value={Math.min(p.count, p.minCount)} />
                            </label>
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </TableBox>
            </>
          )
        }
      </Show>
    </Page>
  );
}
