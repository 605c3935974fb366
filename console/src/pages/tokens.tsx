/**
 * Tokens and audit (SPEC §12, admins): personal tokens (`GET`/`POST /admin/tokens`, revoke with
 * `DELETE /admin/tokens/{id}`), a new token shown once; the audit log (`GET /admin/audit`).
 */
import { useState } from 'preact/hooks';
import { api, enc, type Role } from '../api.js';
import type { PageProps } from '../app.js';
import {
  DataTable,
  Empty,
  ErrorNote,
  formatInstant,
  Page,
  Show,
  TableBox,
  useAction,
  useGet,
} from '../ui.js';

interface TokenInfo {
  tokenId: string;
  name: string;
  role: Role;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface AuditEntry {
  at: string;
  actor: string;
  role: Role;
  method: string;
  path: string;
  target: string;
}

export function TokensPage(_props: PageProps) {
  const [tokens, reload] = useGet<{ tokens: TokenInfo[] }>('/admin/tokens?limit=200');
  const [audit] = useGet<{ entries: AuditEntry[] }>('/admin/audit?limit=50');
  const revoke = useAction();
  return (
    <Page title="Tokens and audit">
      <CreateToken onCreated={reload} />
      <h2>Tokens</h2>
      <ErrorNote message={revoke.error} />
      <Show loaded={tokens} what="tokens">
        {(data) =>
          data.tokens.length === 0 ? (
            <Empty>No personal token yet.</Empty>
          ) : (
            <TableBox label="Tokens">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Revoked</th>
                </tr>
              </thead>
              <tbody>
                {data.tokens.map((t) => (
                  <tr key={t.tokenId}>
                    <td>{t.name}</td>
                    <td>{t.role}</td>
                    <td>{formatInstant(t.createdAt)}</td>
                    <td>{formatInstant(t.expiresAt)}</td>
                    <td>{formatInstant(t.lastUsedAt)}</td>
                    <td>
                      {t.revokedAt ? (
                        formatInstant(t.revokedAt)
                      ) : (
                        <button
                          type="button"
                          class="secondary"
                          disabled={revoke.busy}
                          onClick={async () => {
                            const done = await revoke.run(() =>
                              api('DELETE', `/admin/tokens/${enc(t.tokenId)}`),
                            );
                            if (done) reload();
                          }}
                        >
                          Revoke {t.name}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </TableBox>
          )
        }
      </Show>
      <h2>Audit</h2>
      <Show loaded={audit} what="the audit log">
        {(data) => (
          <DataTable
            label="Audit"
            rows={data.entries}
            rowKey={(e) => `${e.at}${e.path}${e.target}`}
            empty="No change has been made through the API."
            columns={[
              { header: 'When', cell: (e) => formatInstant(e.at) },
              { header: 'Who', cell: (e) => `${e.actor} (${e.role})` },
              {
                header: 'Request',
                cell: (e) => <span class="mono">{`${e.method} ${e.path}`}</span>,
              },
              { header: 'Target', cell: (e) => e.target },
            ]}
          />
        )}
      </Show>
    </Page>
  );
}

function CreateToken({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const done = await action.run(() =>
      api<{ name: string; token: string }>('POST', '/admin/tokens', { name, role }),
    );
    if (!done) return;
    setCreated(done.value);
    setName('');
    onCreated();
  };
  return (
    <>
      <h2>New token</h2>
      <form class="row" onSubmit={submit}>
        <label for="token-name">Name</label>
        <input id="token-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="token-role">Role</label>
        <select
          id="token-role"
          value={role}
          onChange={(e) => setRole(e.currentTarget.value as Role)}
        >
          <option value="viewer">viewer</option>
          <option value="reviewer">reviewer</option>
          <option value="admin">admin</option>
        </select>
        <button type="submit" disabled={action.busy}>
          Create
        </button>
      </form>
      <ErrorNote message={action.error} />
      {created ? (
        <div class="done" aria-live="polite">
          <p>Token “{created.name}”, shown this once — copy it now:</p>
          <code class="secret">{created.token}</code>
        </div>
      ) : null}
    </>
  );
}
