/**
 * Reports (SPEC §12): a month's report exactly as mailed (`GET /reports/{month}`) in a sandboxed
 * frame — no script, no same-origin rights — and sending it (`POST /admin/reports/{month}/send`,
 * admin; once per month unless forced).
 */
import { useState } from 'preact/hooks';
import { api, enc, roleAllows } from '../api.js';
import type { PageProps } from '../app.js';
import { ErrorNote, Page, useAction } from '../ui.js';

const lastMonth = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
    .toISOString()
    .slice(0, 7);
};

export function ReportsPage({ role }: PageProps) {
  const [month, setMonth] = useState(lastMonth());
  const [force, setForce] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const action = useAction();
  const send = async () => {
    setSent(null);
    const done = await action.run(() =>
      api<{ messageId: string | null; alreadySent: boolean }>(
        'POST',
        `/admin/reports/${enc(month)}/send`,
        { force },
      ),
    );
    if (done) {
      setSent(
        done.value.alreadySent
          ? `The ${month} report was already sent; send again with "Send even if sent".`
          : `Sent the ${month} report (message ${done.value.messageId ?? '—'}).`,
      );
    }
  };
  return (
    <Page title="Reports">
      <form class="row" onSubmit={(e) => e.preventDefault()}>
        <label for="report-month">Month</label>
        <input
          id="report-month"
          type="month"
          value={month}
          onChange={(e) => setMonth(e.currentTarget.value)}
        />
        {roleAllows(role, 'admin') ? (
          <>
            <label class="check">
              <input type="checkbox" checked={force} onChange={() => setForce(!force)} /> Send even
              if sent
            </label>
            <button type="button" disabled={action.busy} onClick={send}>
              Send
            </button>
          </>
        ) : null}
      </form>
      <ErrorNote message={action.error} />
      {sent ? (
        <p class="done" aria-live="polite">
          {sent}
        </p>
      ) : null}
      <iframe
        class="report"
        title={`The ${month} report`}
        sandbox=""
        src={`/reports/${enc(month)}`}
      />
    </Page>
  );
}
