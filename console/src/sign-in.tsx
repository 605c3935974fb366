import { useState } from 'preact/hooks';
import { api } from './api.js';
import { ErrorNote, useAction } from './ui.js';

/**
 * Exchanges a token for the session cookie (SPEC §12). The token lives only in this form's state
 * until it is sent, and the field is emptied after: nothing is written to the page's storage.
 */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const done = await action.run(() => api('POST', '/console/session', { token }));
    setToken('');
    if (done) onSignedIn();
  };
  return (
    <main class="sign-in">
      <h1>Flywheel console</h1>
      <form onSubmit={submit}>
        <label for="token">Token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          required
        />
        <p class="hint">FLYWHEEL_ADMIN_TOKEN or a personal token. It is not stored by this page.</p>
        <button type="submit" disabled={action.busy}>
          Sign in
        </button>
        <ErrorNote message={action.error} />
      </form>
    </main>
  );
}
