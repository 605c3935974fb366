/**
 * Programs and configuration (SPEC §12): the configuration (`GET`/`PUT /admin/config`) and a
 * year's evangelist program (`GET`/`PUT /admin/programs/{year}`), edited as JSON by admins; the
 * API's validation messages are shown as it words them.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, enc, roleAllows } from '../api.js';
import type { PageProps } from '../app.js';
import { ErrorNote, Page, Show, useAction, useGet, YearField } from '../ui.js';

export function SettingsPage({ role }: PageProps) {
  const canEdit = roleAllows(role, 'admin');
  const [year, setYear] = useState(String(new Date().getUTCFullYear()));
  return (
    <Page title="Programs and configuration">
      <h2>Configuration</h2>
      <JsonEditor id="config" label="Configuration (JSON)" path="/admin/config" canEdit={canEdit} />
      <h2>Evangelist program</h2>
      <YearField id="program-year" value={year} onChange={setYear} />
      <JsonEditor
        id="program"
        label={`Program of ${year} (JSON)`}
        path={`/admin/programs/${enc(year)}`}
        canEdit={canEdit}
        toBody={(value) => ({ tiers: (value as { tiers?: unknown }).tiers })}
      />
    </Page>
  );
}

function JsonEditor(props: {
  id: string;
  label: string;
  path: string;
  canEdit: boolean;
  toBody?: (value: unknown) => unknown;
}) {
  const [loaded, reload] = useGet<unknown>(props.path);
  const [text, setText] = useState('');
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => {
    if (loaded.state === 'loaded') setText(JSON.stringify(loaded.data, null, 2));
  }, [loaded]);
  const save = async (event: Event) => {
    event.preventDefault();
    setSaved(false);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      action.clear();
      await action.run(() => Promise.reject(new Error(`Not JSON: ${(error as Error).message}`)));
      return;
    }
    const done = await action.run(() =>
      api('PUT', props.path, props.toBody ? props.toBody(value) : value),
    );
    if (done) {
      setSaved(true);
      reload();
    }
  };
  return (
    <Show loaded={loaded} what={props.label}>
      {() =>
        props.canEdit ? (
          <form onSubmit={save}>
            <label for={props.id}>{props.label}</label>
            <textarea
              id={props.id}
              rows={14}
              spellcheck={false}
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
            <button type="submit" disabled={action.busy}>
              Save
            </button>
            <ErrorNote message={action.error} />
            {saved ? (
              <p class="done" aria-live="polite">
                Saved.
              </p>
            ) : null}
          </form>
        ) : (
          <>
            <p class="meta">{props.label}</p>
            <pre class="json">{text}</pre>
          </>
        )
      }
    </Show>
  );
}
