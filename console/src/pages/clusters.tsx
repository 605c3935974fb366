/**
 * Unattributed clusters (SPEC §12): the admin's to-do list behind `unattributedNodes`
 * (`GET /clusters?attributed=false`), each mapped to an account in place
 * (`PUT /admin/clusters/{id}`, admin). A mapping counts once the months are recalculated (Jobs).
 */
import { useState } from 'preact/hooks';
import { api, enc, roleAllows } from '../api.js';
import type { PageProps } from '../app.js';
import {
  Empty,
  ErrorNote,
  formatInstant,
  formatNumber,
  Page,
  Show,
  TableBox,
  useAction,
  useGet,
} from '../ui.js';

interface Cluster {
  clusterId: string;
  environment: string | null;
  nodes: number;
  reportedAt: string | null;
  namedAccountId: string | null;
}

export function ClustersPage({ role }: PageProps) {
  const [loaded] = useGet<{ month: string; clusters: Cluster[] }>(
    '/clusters?attributed=false&limit=500',
  );
  return (
    <Page title="Unattributed clusters">
      <Show loaded={loaded} what="unattributed clusters">
        {(data) => (
          <Clusters month={data.month} initial={data.clusters} canMap={roleAllows(role, 'admin')} />
        )}
      </Show>
    </Page>
  );
}

function Clusters(props: { month: string; initial: Cluster[]; canMap: boolean }) {
  const [clusters, setClusters] = useState(props.initial);
  const [mapped, setMapped] = useState<string[]>([]);
  const total = clusters.reduce((sum, c) => sum + c.nodes, 0);
  const onMapped = (cluster: Cluster, accountId: string) => {
    setClusters((list) => list.filter((c) => c.clusterId !== cluster.clusterId));
    setMapped((list) => [...list, `${cluster.clusterId} → ${accountId}`]);
  };
  return (
    <>
      <p class="hint">
        {props.month}: {clusters.length} clusters, {formatNumber(total)} nodes in counted
        environments that no account holds.
      </p>
      {mapped.length > 0 ? (
        <p class="done" aria-live="polite">
          Mapped {mapped.join(', ')}. The numbers change when the months are recalculated:{' '}
          <a href="#/jobs">Jobs</a>.
        </p>
      ) : null}
      {clusters.length === 0 ? (
        <Empty>Every cluster of {props.month} is attributed.</Empty>
      ) : (
        <TableBox label="Unattributed clusters">
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              <th scope="col" class="num">
                Nodes
              </th>
              {/* Second, so that a phone shows it without scrolling sideways. */}
              {props.canMap ? <th scope="col">Map to account</th> : null}
              <th scope="col">Environment</th>
              <th scope="col">Reported</th>
              <th scope="col">Named account</th>
            </tr>
          </thead>
          <tbody>
            {clusters.map((cluster) => (
              <tr key={cluster.clusterId}>
                <td>{cluster.clusterId}</td>
                <td class="num">{formatNumber(cluster.nodes)}</td>
                {props.canMap ? (
                  <td>
                    <MapForm cluster={cluster} onMapped={onMapped} />
                  </td>
                ) : null}
                <td>{cluster.environment ?? '—'}</td>
                <td>{formatInstant(cluster.reportedAt)}</td>
                <td>{cluster.namedAccountId ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </TableBox>
      )}
    </>
  );
}

function MapForm(props: { cluster: Cluster; onMapped: (c: Cluster, accountId: string) => void }) {
  const [accountId, setAccountId] = useState(props.cluster.namedAccountId ?? '');
  const action = useAction();
  const id = `map-${props.cluster.clusterId}`;
  const submit = async (event: Event) => {
    event.preventDefault();
    const done = await action.run(() =>
      api('PUT', `/admin/clusters/${enc(props.cluster.clusterId)}`, { accountId }),
    );
    if (done) props.onMapped(props.cluster, accountId);
  };
  return (
    <form class="inline" onSubmit={submit}>
      <label class="visually-hidden" for={id}>
        Account for {props.cluster.clusterId}
      </label>
      <input
        id={id}
        value={accountId}
        placeholder="account id"
        onInput={(e) => setAccountId(e.currentTarget.value)}
      />
      <button type="submit" disabled={action.busy}>
        Map
      </button>
      <ErrorNote message={action.error} />
    </form>
  );
}
