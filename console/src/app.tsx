/**
 * The console's frame (SPEC §12): sign-in, the pages a role may see, hash routing
 * (`#/review`, `#/members/<id>`), sign-out. The role comes from `GET /console/session`; what it
 * does not allow is hidden here and refused by the API anyway.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type Role, roleAllows, type Session, whenSignedOut } from './api.js';
import { AccountsPage } from './pages/accounts.js';
import { ClustersPage } from './pages/clusters.js';
import { EvangelistsPage } from './pages/evangelists.js';
import { JobsPage } from './pages/jobs.js';
import { MembersPage } from './pages/members.js';
import { OverviewPage } from './pages/overview.js';
import { ReportsPage } from './pages/reports.js';
import { ReviewPage } from './pages/review.js';
import { SettingsPage } from './pages/settings.js';
import { TokensPage } from './pages/tokens.js';
import { SignIn } from './sign-in.js';
import { Loading } from './ui.js';

/** What a page gets: the signed-in role and the rest of the route (`#/members/<rest>`). */
export interface PageProps {
  readonly role: Role;
  readonly rest: string;
}

interface PageEntry {
  readonly path: string;
  readonly title: string;
  readonly minRole: Role;
  readonly Page: (props: PageProps) => preact.JSX.Element;
}

export const pages: readonly PageEntry[] = [
  { path: 'overview', title: 'Overview', minRole: 'viewer', Page: OverviewPage },
  { path: 'accounts', title: 'Accounts', minRole: 'viewer', Page: AccountsPage },
  { path: 'clusters', title: 'Unattributed clusters', minRole: 'viewer', Page: ClustersPage },
  { path: 'review', title: 'Review queue', minRole: 'viewer', Page: ReviewPage },
  { path: 'members', title: 'Members', minRole: 'viewer', Page: MembersPage },
  { path: 'evangelists', title: 'Evangelists', minRole: 'viewer', Page: EvangelistsPage },
  { path: 'settings', title: 'Programs and configuration', minRole: 'viewer', Page: SettingsPage },
  { path: 'jobs', title: 'Jobs', minRole: 'viewer', Page: JobsPage },
  { path: 'reports', title: 'Reports', minRole: 'viewer', Page: ReportsPage },
  { path: 'tokens', title: 'Tokens and audit', minRole: 'admin', Page: TokensPage },
];

const currentRoute = (): { path: string; rest: string } => {
  const [path = 'overview', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return { path: path || 'overview', rest: rest.map(decodeURIComponent).join('/') };
};

function useRoute() {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const changed = () => setRoute(currentRoute());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

type SessionState = { state: 'checking' } | { state: 'out' } | { state: 'in'; session: Session };

export function App() {
  const [session, setSession] = useState<SessionState>({ state: 'checking' });
  const check = () =>
    api<Session>('GET', '/console/session').then(
      (found) => setSession({ state: 'in', session: found }),
      () => setSession({ state: 'out' }),
    );
  // biome-ignore lint/correctness/useExhaustiveDependencies: checks once, at load
  useEffect(() => {
    check();
    return whenSignedOut(() => setSession({ state: 'out' }));
  }, []);
  if (session.state === 'checking') return <Loading what="the console" />;
  if (session.state === 'out') return <SignIn onSignedIn={check} />;
  return <Console session={session.session} onSignedOut={() => setSession({ state: 'out' })} />;
}

function Console({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const route = useRoute();
  const [menuOpen, setMenuOpen] = useState(false);
  const visible = pages.filter((page) => roleAllows(session.role, page.minRole));
  const page = visible.find((p) => p.path === route.path) ?? visible[0];
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new route closes the menu too
  useEffect(() => {
    document.title = `${page?.title ?? 'Flywheel'} — Flywheel console`;
    setMenuOpen(false);
  }, [page, route.rest]);
  const signOut = async () => {
    await api('DELETE', '/console/session').catch(() => undefined);
    onSignedOut();
  };
  return (
    <div class="frame">
      <header class="top">
        <a class="brand" href="#/overview">
          Flywheel
        </a>
        <button
          type="button"
          class="menu-button"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <p class="who">
          <span>{session.actor}</span> <span class="role">{session.role}</span>
        </p>
        <button type="button" class="link" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav id="nav" class={menuOpen ? 'open' : ''} aria-label="Pages">
        <ul>
          {visible.map((entry) => (
            <li key={entry.path}>
              <a href={`#/${entry.path}`} aria-current={entry === page ? 'page' : undefined}>
                {entry.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main>{page ? <page.Page role={session.role} rest={route.rest} /> : null}</main>
    </div>
  );
}
