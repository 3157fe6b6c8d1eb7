/**
 * The console's root: loads the runtime config, then shows the sign-in pages or the signed-in shell depending
 * on the session, switching the moment a session starts or ends.
 */
import { useEffect, useState } from 'preact/hooks';
import { loadConfig } from './config.ts';
import { navigate, usePath } from './router.ts';
import { type ConsoleServices, createServices } from './services.ts';
import type { SessionNotice } from './session.ts';
import type { Shell as ShellPage } from './shell/shell.tsx';
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
  const shell = useSignedInShell(signedIn);
  if (!signedIn) return <SignedOut services={services} />;
  if (shell === 'failed') {
    return (
      <main class="signed-out">
        <div class="card" role="alert">
          <h1>Lockstay could not load</h1>
          <p>Your pages could not be downloaded. Check your connection and reload the page.</p>
        </div>
      </main>
    );
  }
  return shell ? <shell.page services={services} /> : <p role="status">Loading Lockstay…</p>;
}

/**
 * The signed-in pages are loaded once a session exists: they carry the domain's rules (and its schema library),
 * which the sign-in page does not need, so the first visit downloads only what signing in takes.
 */
function useSignedInShell(signedIn: boolean): { readonly page: typeof ShellPage } | 'failed' | undefined {
  const [shell, setShell] = useState<{ readonly page: typeof ShellPage } | undefined>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!signedIn || shell) return;
    import('./shell/shell.tsx').then(
      (module) => setShell({ page: module.Shell }),
      () => setFailed(true),
    );
  }, [signedIn, shell]);
  return failed ? 'failed' : shell;
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
