/** Evangelists (SPEC §12): a year's qualifying members, their tiers and progress (`GET /evangelists`). */
import { useState } from 'preact/hooks';
import { withQuery } from '../api.js';
import type { PageProps } from '../app.js';
import { DataTable, Empty, Page, Show, useGet, YearField } from '../ui.js';

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
      <YearField id="evangelist-year" value={year} onChange={setYear} />
      <Show loaded={loaded} what="evangelists">
        {(data) =>
          data.members.length === 0 ? (
            <Empty>No member has a qualifying activity in {data.year}.</Empty>
          ) : (
            <>
              <p class="hint">As of {data.asOf}.</p>
              <DataTable
                label="Evangelists"
                rows={data.members}
                rowKey={(m) => m.memberId}
                empty={`No member has a qualifying activity in ${data.year}.`}
                columns={[
                  {
                    header: 'Member',
                    cell: (m) => (
                      <a href={`#/members/${encodeURIComponent(m.memberId)}`}>
                        {m.name ?? m.memberId}
                      </a>
                    ),
                  },
                  { header: 'Account', cell: (m) => m.accountId ?? '—' },
                  { header: 'Tiers', cell: (m) => m.tiers.join(', ') || '—' },
                  {
                    header: 'Progress',
                    cell: (m) =>
                      m.progress.map((p) => (
                        <div class="progress" key={p.tier}>
                          <label>
                            {p.tier} {p.count}/{p.minCount}{' '}
                            <progress max={p.minCount} value={Math.min(p.count, p.minCount)} />
                          </label>
                        </div>
                      )),
                  },
                ]}
              />
            </>
          )
        }
      </Show>
    </Page>
  );
}
