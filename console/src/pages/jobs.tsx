/**
 * Jobs (SPEC §12): recalculate a range of months (`POST /admin/recalculate`, admin) and watch it
 * month by month (`GET /admin/jobs/{id}` polled, its `completedMonths`); the recent jobs below.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, enc, roleAllows } from '../api.js';
import type { PageProps } from '../app.js';
import { DataTable, ErrorNote, formatInstant, Page, Show, useAction, useGet } from '../ui.js';

export interface Job {
  jobId: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  months: string[];
  completedMonths: string[];
  createdAt: string;
  error?: string;
}

const pollMs = 500;
const thisMonth = () => new Date().toISOString().slice(0, 7);

export function JobsPage({ role }: PageProps) {
  const [jobs, reload] = useGet<{ jobs: Job[] }>('/admin/jobs?limit=20');
  return (
    <Page title="Jobs">
      {roleAllows(role, 'admin') ? <Recalculate onFinished={reload} /> : null}
      <h2>Recent jobs</h2>
      <Show loaded={jobs} what="jobs">
        {(data) => (
          <DataTable
            label="Recent jobs"
            rows={data.jobs}
            rowKey={(job) => job.jobId}
            empty="No recalculation has run yet."
            columns={[
              { header: 'Job', cell: (job) => <span class="mono">{job.jobId}</span> },
              { header: 'Status', cell: (job) => job.status },
              { header: 'Months', cell: (job) => `${job.months[0]} – ${job.months.at(-1)}` },
              {
                header: 'Done',
                cell: (job) => `${job.completedMonths.length}/${job.months.length}`,
              },
              { header: 'Created', cell: (job) => formatInstant(job.createdAt) },
            ]}
          />
        )}
      </Show>
    </Page>
  );
}

function Recalculate({ onFinished }: { onFinished: () => void }) {
  const [from, setFrom] = useState(thisMonth());
  const [to, setTo] = useState(thisMonth());
  const [job, setJob] = useState<Job | null>(null);
  const action = useAction();
  const running = job !== null && (job.status === 'queued' || job.status === 'running');

  // biome-ignore lint/correctness/useExhaustiveDependencies: polls once per answer, i.e. per new `job`
  useEffect(() => {
    if (!job || !running) return;
    const timer = setTimeout(async () => {
      const next = await action.run(() => api<Job>('GET', `/admin/jobs/${enc(job.jobId)}`));
      if (next) setJob(next.value);
      if (next && next.value.status !== 'queued' && next.value.status !== 'running') onFinished();
    }, pollMs);
    return () => clearTimeout(timer);
  }, [job]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const queued = await action.run(() =>
      api<{ jobId: string }>('POST', '/admin/recalculate', { from, to }),
    );
    if (!queued) return;
    setJob({
      jobId: queued.value.jobId,
      status: 'queued',
      months: [],
      completedMonths: [],
      createdAt: new Date().toISOString(),
    });
  };

  return (
    <>
      <h2>Recalculate</h2>
      <form class="row" onSubmit={submit}>
        <label>
          From <input type="month" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          To <input type="month" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={action.busy || running}>
          Recalculate
        </button>
      </form>
      <ErrorNote message={action.error} />
      {job ? <JobProgress job={job} /> : null}
    </>
  );
}

function JobProgress({ job }: { job: Job }) {
  const total = job.months.length;
  const done = job.completedMonths.length;
  return (
    <div class="job" aria-live="polite">
      <label for="job-progress">
        Job {job.jobId}: {job.status}
        {total > 0 ? ` — ${done} of ${total} months` : ''}
      </label>
      <progress id="job-progress" max={Math.max(total, 1)} value={done} />
      {job.error ? <ErrorNote message={job.error} /> : null}
    </div>
  );
}
