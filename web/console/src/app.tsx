/**
 * The console's root: loads the runtime config, then shows the sign-in pages or the signed-in shell depending
 * on the session, switching the moment a session starts or ends.
 */
import { useEffect, useState } from 'preact/hooks';
import { loadConfig } from './config.ts';
import { navigate, usePath } from './router.ts';
import { type ConsoleServices, createServices } from './services.ts';
import type { SessionNotice } from './session.ts';
import { Shell } from './shell/shell.tsx';
import { ForgotPassword } from './sign-in/forgot-password.tsx';
import { SignIn } from './sign-in/sign-in.tsx';

type Startup =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly services: ConsoleServices }
  | { readonly kind: 'failed'; readonly message: string };

export function App() {
  const [startup, setStartup] = useState<Startup>({ kind: 'loading' });
  useEffect(() => {
    loadConfig().then(
      (config) => setStartup({ kind: 'ready', services: createServices(config) }),
      (failure: unknown) =>
        setStartup({ kind: 'failed', message: failure instanceof Error ? failure.message : String(failure) }),
    );
  }, []);
  if (startup.kind === 'loading') return <p role="status">Loading Lockstay…</p>;
  if (startup.kind === 'failed') {
    return (
      <main class="signed-out">
        <div class="card">
          <h1>Lockstay could not start</h1>
          <p>
            The console's settings could not be read ({startup.message}). Reload the page; if it keeps
            failing, contact support.
          </p>
        </div>
      </main>
    );
  }
  return <Console services={startup.services} />;
}

function Console(props: { services: ConsoleServices }) {
  const { services } = props;
  const { session } = services;
  const [, setVersion] = useState(0);
  useEffect(() => session.subscribe(() => setVersion((version) => version + 1)), [session]);
  const signedIn = session.current() !== undefined;
  return signedIn ? <Shell services={services} /> : <SignedOut services={services} />;
}

function SignedOut(props: { services: ConsoleServices }) {
  const { services } = props;
  const path = usePath();
  const [notice, setNotice] = useState<SessionNotice | undefined>();
  return (
    <main class="signed-out">
      <p class="brand">
        Lockstay
        {services.config.environmentName ? (
          <span class="environment">{services.config.environmentName}</span>
        ) : null}
      </p>
      {path === '/forgot-password' ? (
        <ForgotPassword
          services={services}
          onDone={(done) => {
            setNotice(done);
            navigate('/');
          }}
        />
      ) : (
        <SignIn services={services} notice={notice ?? services.session.notice()} />
      )}
    </main>
  );
}
