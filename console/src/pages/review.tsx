/**
 * Review queue (SPEC §12): submitted content, oldest first (`GET /activities?status=submitted`),
 * recognised or rejected with one click or one key each (`PATCH /admin/activities/{id}`,
 * reviewer): ↑/↓ or j/k choose, r recognises, x rejects.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, enc, roleAllows } from '../api.js';
import type { PageProps } from '../app.js';
import { Empty, ErrorNote, formatInstant, Page, Show, useAction, useGet } from '../ui.js';

interface Activity {
  activityId: string;
  type: string;
  title: string | null;
  url: string | null;
  occurredAt: string;
  member: { memberId: string; name: string | null };
  accountId: string | null;
}

export function ReviewPage({ role }: PageProps) {
  const [loaded] = useGet<{ activities: Activity[] }>('/activities?status=submitted&limit=200');
  return (
    <Page title="Review queue">
      <Show loaded={loaded} what="the review queue">
        {(data) => <Queue initial={data.activities} canReview={roleAllows(role, 'reviewer')} />}
      </Show>
    </Page>
  );
}

function Queue({ initial, canReview }: { initial: Activity[]; canReview: boolean }) {
  const [items, setItems] = useState(initial);
  const [selected, setSelected] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  useEffect(() => setSelected((s) => Math.min(s, Math.max(0, items.length - 1))), [items]);

  const review = async (item: Activity, status: 'recognized' | 'rejected') => {
    const ok = await action.run(() =>
      api('PATCH', `/admin/activities/${enc(item.activityId)}`, { status }),
    );
    if (!ok) return;
    setItems((list) => list.filter((a) => a.activityId !== item.activityId));
    setDone(
      `${status === 'recognized' ? 'Recognised' : 'Rejected'}: ${item.title ?? item.activityId}`,
    );
  };

  const onKey = (event: KeyboardEvent) => {
    if (event.target instanceof HTMLButtonElement && event.key === 'Enter') return;
    const item = items[selected];
    if (event.key === 'ArrowDown' || event.key === 'j')
      setSelected((s) => Math.min(s + 1, items.length - 1));
    else if (event.key === 'ArrowUp' || event.key === 'k') setSelected((s) => Math.max(s - 1, 0));
    else if (canReview && item && event.key === 'r') review(item, 'recognized');
    else if (canReview && item && event.key === 'x') review(item, 'rejected');
    else return;
    event.preventDefault();
  };

  return (
    <>
      <p class="hint">
        {items.length} submitted, oldest first.
        {canReview ? ' Keys: ↑/↓ or j/k to choose, r to recognise, x to reject.' : ''}
      </p>
      <p aria-live="polite" class="done">
        {done}
      </p>
      <ErrorNote message={action.error} />
      {items.length === 0 ? (
        <Empty>Nothing is waiting for review.</Empty>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the queue takes keys when focused
        <ol class="queue" tabIndex={0} onKeyDown={onKey} aria-label="Submitted content">
          {items.map((item, index) => (
            <li
              key={item.activityId}
              class={index === selected ? 'selected' : ''}
              aria-current={index === selected ? 'true' : undefined}
            >
              <div class="queue-text">
                <strong>
                  {item.url ? (
                    <a href={item.url} rel="noopener noreferrer" target="_blank">
                      {item.title ?? item.activityId}
                    </a>
                  ) : (
                    (item.title ?? item.activityId)
                  )}
                </strong>
                <span class="meta">
                  {item.type} · {item.member.name ?? item.member.memberId} ·{' '}
                  {formatInstant(item.occurredAt)}
                  {item.accountId ? ` · ${item.accountId}` : ''}
                </span>
              </div>
              {canReview ? (
                <div class="actions">
                  <button
                    type="button"
                    disabled={action.busy}
                    onClick={() => review(item, 'recognized')}
                  >
                    Recognise
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    disabled={action.busy}
                    onClick={() => review(item, 'rejected')}
                  >
                    Reject
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
