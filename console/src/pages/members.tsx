/**
 * Members (SPEC §12): search (`GET /members?q=`), a member's identities with why each belongs,
 * affiliations and activities (`GET /members/{member}`); merge (`POST /admin/members/merge`) and
 * split (`POST /admin/members/split`), for reviewers.
 */
import { useState } from 'preact/hooks';
import { api, enc, roleAllows, withQuery } from '../api.js';
import type { PageProps } from '../app.js';
import {
  DataTable,
  ErrorNote,
  formatInstant,
  formatNumber,
  Page,
  Show,
  TableBox,
  useAction,
  useGet,
} from '../ui.js';

interface MemberRow {
  memberId: string;
  name: string | null;
  identities: string[];
  accountId: string | null;
  activities: number;
  lastActivityAt: string | null;
}

interface Member {
  memberId: string;
  name: string | null;
  identities: string[];
  accountId: string | null;
  staff: boolean;
  affiliations: { accountId: string; from: string | null; to: string | null; source: string }[];
  activities: {
    activityId: string;
    type: string;
    status: string;
    occurredAt: string;
    title: string | null;
  }[];
  links: { identities: string[]; cause: string; activityId?: string; at: string }[];
  splits: { identities: string[]; at: string }[];
}

/** `kind:value` → `{ kind: value }`, as the merge and split bodies name identities. */
export const identityBody = (written: string): Record<string, string> => {
  const at = written.indexOf(':');
  return at < 0 ? { email: written } : { [written.slice(0, at)]: written.slice(at + 1) };
};

/** Members are as the latest recalculation resolved them (SPEC §7). */
const afterRecalculation = 'Members show it after the next recalculation (Jobs).';

const memberHref = (id: string) => `#/members/${encodeURIComponent(id)}`;

export function MembersPage({ role, rest }: PageProps) {
  return (
    <Page title="Members">
      {rest ? <MemberDetail member={rest} role={role} /> : <MemberSearch role={role} />}
    </Page>
  );
}

function MemberSearch({ role }: { role: PageProps['role'] }) {
  const [q, setQ] = useState('');
  const [asked, setAsked] = useState('');
  const [loaded] = useGet<{ members: MemberRow[] }>(
    withQuery('/members', { q: asked, limit: '100' }),
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
        <label for="member-q">Name or identity</label>
        <input id="member-q" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <button type="submit">Search</button>
      </form>
      <Show loaded={loaded} what="members">
        {(data) => (
          <DataTable
            label="Members"
            rows={data.members}
            rowKey={(m) => m.memberId}
            empty="No member matches."
            columns={[
              {
                header: 'Member',
                cell: (m) => <a href={memberHref(m.memberId)}>{m.name ?? m.memberId}</a>,
              },
              { header: 'Identities', cell: (m) => m.identities.join(', ') },
              { header: 'Account', cell: (m) => m.accountId ?? '—' },
              { header: 'Activities', num: true, cell: (m) => formatNumber(m.activities) },
              { header: 'Last active', cell: (m) => formatInstant(m.lastActivityAt) },
            ]}
          />
        )}
      </Show>
      {roleAllows(role, 'reviewer') ? <MergeForm /> : null}
    </>
  );
}

function MergeForm() {
  const [identities, setIdentities] = useState('');
  const [merged, setMerged] = useState<string | null>(null);
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const named = identities.split(/[\s,]+/).filter(Boolean);
    const done = await action.run(() =>
      api<{ memberId?: string }>('POST', '/admin/members/merge', {
        identities: named.map(identityBody),
      }),
    );
    if (done) setMerged(`Merged ${named.join(', ')}. ${afterRecalculation}`);
  };
  return (
    <>
      <h2>Merge members</h2>
      <form class="row" onSubmit={submit}>
        <label for="merge-identities">Identities (kind:value, at least two)</label>
        <input
          id="merge-identities"
          value={identities}
          placeholder="email:ada@example.com github:ada"
          onInput={(e) => setIdentities(e.currentTarget.value)}
        />
        <button type="submit" disabled={action.busy}>
          Merge
        </button>
      </form>
      <ErrorNote message={action.error} />
      {merged ? (
        <p class="done" aria-live="polite">
          {merged}
        </p>
      ) : null}
    </>
  );
}

function MemberDetail({ member, role }: { member: string; role: PageProps['role'] }) {
  const [loaded] = useGet<Member>(`/members/${enc(member)}`);
  return (
    <Show loaded={loaded} what="the member">
      {(m) => (
        <>
          <p>
            <a href="#/members">All members</a>
          </p>
          <h2>{m.name ?? m.memberId}</h2>
          <p class="meta">
            {m.memberId} · account {m.accountId ?? '—'}
            {m.staff ? ' · staff' : ''}
          </p>
          <Identities member={m} canSplit={roleAllows(role, 'reviewer')} />
          <h3>Affiliations</h3>
          <DataTable
            label="Affiliations"
            rows={m.affiliations}
            rowKey={(a) => `${a.accountId}${a.from}`}
            empty="No affiliation."
            columns={[
              { header: 'Account', cell: (a) => a.accountId },
              { header: 'From', cell: (a) => formatInstant(a.from) },
              { header: 'To', cell: (a) => formatInstant(a.to) },
              { header: 'Source', cell: (a) => a.source },
            ]}
          />
          <h3>Activities</h3>
          <DataTable
            label="Activities"
            rows={m.activities}
            rowKey={(a) => a.activityId}
            empty="No activity."
            columns={[
              { header: 'When', cell: (a) => formatInstant(a.occurredAt) },
              { header: 'Type', cell: (a) => a.type },
              { header: 'Status', cell: (a) => a.status },
              { header: 'Title', cell: (a) => a.title ?? a.activityId },
            ]}
          />
        </>
      )}
    </Show>
  );
}

/** Why an identity belongs: the links that brought it in (an activity, or an admin merge). */
const reasonsFor = (member: Member, identity: string): string =>
  member.links
    .filter((link) => link.identities.includes(identity))
    .map((link) =>
      link.cause === 'admin-merge'
        ? `merged by an admin ${formatInstant(link.at)}`
        : `activity ${link.activityId ?? ''} ${formatInstant(link.at)}`.trim(),
    )
    .join('; ') || 'its own activities';

function Identities(props: { member: Member; canSplit: boolean }) {
  const [chosen, setChosen] = useState<string[]>([]);
  const action = useAction();
  const [split, setSplit] = useState<string | null>(null);
  const toggle = (identity: string) =>
    setChosen((list) =>
      list.includes(identity) ? list.filter((i) => i !== identity) : [...list, identity],
    );
  const submit = async (event: Event) => {
    event.preventDefault();
    const done = await action.run(() =>
      api('POST', '/admin/members/split', { identities: chosen.map(identityBody) }),
    );
    if (!done) return;
    setSplit(`Split ${chosen.join(', ')} into a member of their own. ${afterRecalculation}`);
    setChosen([]);
  };
  return (
    <form onSubmit={submit}>
      <h3>Identities</h3>
      <TableBox label="Identities">
        <thead>
          <tr>
            {props.canSplit ? <th scope="col">Split</th> : null}
            <th scope="col">Identity</th>
            <th scope="col">Why it belongs</th>
          </tr>
        </thead>
        <tbody>
          {props.member.identities.map((identity) => (
            <tr key={identity}>
              {props.canSplit ? (
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Split ${identity}`}
                    checked={chosen.includes(identity)}
                    onChange={() => toggle(identity)}
                  />
                </td>
              ) : null}
              <td>{identity}</td>
              <td>{reasonsFor(props.member, identity)}</td>
            </tr>
          ))}
        </tbody>
      </TableBox>
      {props.member.splits.length > 0 ? (
        <p class="meta">
          Split off before:{' '}
          {props.member.splits
            .map((s) => `${s.identities.join(', ')} (${formatInstant(s.at)})`)
            .join('; ')}
        </p>
      ) : null}
      {props.canSplit ? (
        <button type="submit" disabled={action.busy || chosen.length === 0}>
          Split the chosen identities off
        </button>
      ) : null}
      <ErrorNote message={action.error} />
      {split ? (
        <p class="done" aria-live="polite">
          {split}
        </p>
      ) : null}
    </form>
  );
}
