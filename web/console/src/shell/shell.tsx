/**
 * The signed-in console: a header that says who is signed in and to which tenant (from `GET /me`, the API's own
 * reading of the token), the navigation, and the page of the current route. Sections are listed as data; a
 * section appears once it has a page backed by the API.
 */
import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Caller } from '#shared/http/caller.ts';
import { ApiError } from '../api.ts';
import { mayAttempt } from '../role-permissions.ts';
import { navigate, usePath } from '../router.ts';
import type { ConsoleServices } from '../services.ts';
import { SignedOutError } from '../session.ts';
import { lazyPage } from '../ui/lazy-page.tsx';
import { ReadProgress } from '../ui.tsx';
import { AccountPage } from './account-page.tsx';

export interface SectionProps {
  readonly services: ConsoleServices;
  readonly me: Caller;
}

interface Section {
  readonly path: string;
  readonly label: string;
  readonly page: (props: SectionProps) => JSX.Element;
  /**
   * Whether the signed-in host's role sees the section at all (the API refuses what a role may not do anyway).
   * @default every role
   */
  readonly shownTo?: (me: Caller) => boolean;
}

export const sections: readonly Section[] = [
  {
    path: '/today',
    label: 'Today',
    page: lazyPage(() => import('../today/today-page.tsx').then((m) => m.TodayPage)),
  },
  {
    path: '/properties',
    label: 'Properties & locks',
    page: lazyPage(() => import('../properties/properties-page.tsx').then((m) => m.PropertiesPage)),
  },
  {
    path: '/bookings',
    label: 'Bookings',
    page: lazyPage(() => import('../bookings/bookings-page.tsx').then((m) => m.BookingsPage)),
  },
  {
    path: '/audit',
    label: 'Audit log',
    page: lazyPage(() => import('../audit/audit-page.tsx').then((m) => m.AuditPage)),
    shownTo: (me) => mayAttempt(me.role, 'audit.read'),
  },
  {
    path: '/integrations',
    label: 'Integrations',
    page: lazyPage(() => import('../integrations/integrations-page.tsx').then((m) => m.IntegrationsPage)),
    shownTo: (me) => mayAttempt(me.role, 'integration.read'),
  },
  {
    path: '/team',
    label: 'Team',
    page: lazyPage(() => import('../team/team-page.tsx').then((m) => m.TeamPage)),
    shownTo: (me) => mayAttempt(me.role, 'team.read'),
  },
  { path: '/account', label: 'Your account', page: AccountPage },
];

type MeState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loaded'; readonly me: Caller }
  | { readonly kind: 'failed'; readonly message: string };

export function Shell(props: { services: ConsoleServices }) {
  const { services } = props;
  const path = usePath();
  const [state, setState] = useState<MeState>({ kind: 'loading' });
  const [signingOut, setSigningOut] = useState(false);

  const load = useCallback(() => {
    setState({ kind: 'loading' });
    services.api.get<Caller>('/me').then(
      (me) => setState({ kind: 'loaded', me }),
      (failure: unknown) => {
        // A refused token has already ended the session; the sign-in page says why.
        if (failure instanceof SignedOutError || (failure instanceof ApiError && failure.status === 401))
          return;
        setState({
          kind: 'failed',
          message: failure instanceof ApiError ? failure.message : 'Your account could not be loaded.',
        });
      },
    );
  }, [services]);
  useEffect(load, [load]);

  // Until GET /me answers, every section is a candidate, so a deep link is not redirected before the role is known.
  const visible =
    state.kind === 'loaded'
      ? sections.filter((candidate) => candidate.shownTo?.(state.me) ?? true)
      : sections;
  // A section owns its sub-paths too (`/bookings/bkg_1` is the Bookings section's).
  const section = visible.find(
    (candidate) => path === candidate.path || path.startsWith(`${candidate.path}/`),
  );
  useEffect(() => {
    const first = visible[0];
    if (!section && first) navigate(first.path, { replace: true });
  }, [section, visible]);

  const signOut = async (everywhere: boolean) => {
    setSigningOut(true);
    await services.session.signOut({ everywhere });
  };

  return (
    <div class="shell">
      {/* A button, not a link: `#content` would be read as a route by the hash router. */}
      <button type="button" class="skip-link" onClick={() => document.getElementById('content')?.focus()}>
        Skip to content
      </button>
      <header class="top-bar">
        <span class="brand">
          Lockstay
          {services.config.environmentName ? (
            <span class="environment">{services.config.environmentName}</span>
          ) : null}
        </span>
        {state.kind === 'loaded' ? (
          <p class="who" data-testid="signed-in-as">
            Signed in as <strong>{state.me.email ?? state.me.userId}</strong> ({state.me.role}) of tenant{' '}
            <strong>{state.me.tenantId}</strong>
          </p>
        ) : null}
        <button type="button" class="secondary" disabled={signingOut} onClick={() => void signOut(false)}>
          Sign out
        </button>
      </header>
      <nav class="sections" aria-label="Sections">
        <ul>
          {visible.map((candidate) => (
            <li key={candidate.path}>
              <a href={`#${candidate.path}`} aria-current={candidate === section ? 'page' : undefined}>
                {candidate.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="content" tabIndex={-1}>
        <ReadProgress state={state} loading="Loading your account…" onRetry={load} />
        {state.kind === 'loaded' && section ? <section.page services={services} me={state.me} /> : null}
        {state.kind === 'loaded' ? (
          <SignOutEverywhere disabled={signingOut} onSignOut={() => void signOut(true)} />
        ) : null}
      </main>
    </div>
  );
}

function SignOutEverywhere(props: { disabled: boolean; onSignOut: () => void }) {
  return (
    <section class="panel" aria-labelledby="sign-out-everywhere">
      <h2 id="sign-out-everywhere">Signed in somewhere else?</h2>
      <p>
        If you left Lockstay open on another device, or think someone else may be using your account, end
        every session.
      </p>
      <button type="button" class="secondary" disabled={props.disabled} onClick={props.onSignOut}>
        Sign out on every device
      </button>
    </section>
  );
}
