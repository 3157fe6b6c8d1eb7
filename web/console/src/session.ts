/**
 * The signed-in host's tokens: held in memory and mirrored to this tab's sessionStorage, so a reload keeps the
 * host signed in while closing the tab ends the session. (localStorage would keep a 30-day refresh token on the
 * disk of a shared computer after the tab is gone, and hand it to every tab and every script of the origin.)
 * The ID token is refreshed with the refresh token shortly before it expires and whenever the API refuses it;
 * when refreshing is refused (revoked, expired) the session ends and the host signs in again.
 */
import { type CognitoClient, CognitoError, type Tokens } from './cognito.ts';
import { msUntilExpiry } from './tokens.ts';

export const sessionStorageKey = 'lockstay.console.session';

/** Refresh this long before the ID token expires, so a request never leaves with a token about to lapse. */
const refreshMarginMs = 2 * 60 * 1000;
const retryAfterNetworkErrorMs = 30 * 1000;

export interface SessionNotice {
  readonly message: string;
  readonly tone: 'info' | 'success' | 'warning';
}

export interface Session {
  /** The current tokens, or undefined when signed out. */
  current(): Tokens | undefined;
  /** Why the last session ended, for the sign-in page to say. */
  notice(): SessionNotice | undefined;
  start(tokens: Tokens): void;
  /** An ID token valid for at least the refresh margin, refreshing first if needed. */
  idToken(): Promise<string>;
  /** Gets new tokens now; false when the session could not be refreshed and has ended. */
  refresh(): Promise<boolean>;
  end(notice?: SessionNotice): void;
  signOut(options: { everywhere: boolean }): Promise<void>;
  subscribe(listener: () => void): () => void;
}

export class SignedOutError extends Error {
  override name = 'SignedOutError';
}

function readStored(storage: Storage | undefined): Tokens | undefined {
  try {
    const value = JSON.parse(storage?.getItem(sessionStorageKey) ?? 'null') as Partial<Tokens> | null;
    if (value?.idToken && value.accessToken && value.refreshToken) return value as Tokens;
  } catch {
    // Unreadable or tampered with: start signed out.
  }
  return undefined;
}

export function createSession(options: {
  cognito: CognitoClient;
  storage?: Storage | undefined;
  now?: () => number;
}): Session {
  const { cognito, storage, now = Date.now } = options;
  let tokens = readStored(storage);
  let notice: SessionNotice | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let refreshing: Promise<boolean> | undefined;
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };

  const save = (next: Tokens | undefined) => {
    tokens = next;
    try {
      if (next) storage?.setItem(sessionStorageKey, JSON.stringify(next));
      else storage?.removeItem(sessionStorageKey);
    } catch {
      // Storage full or denied: the session still lives in memory until the page closes.
    }
  };

  const schedule = (delayMs: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void session.refresh(), Math.max(0, delayMs));
  };
  const scheduleFromToken = () => {
    if (tokens) schedule(msUntilExpiry(tokens.idToken, now()) - refreshMarginMs);
  };

  const session: Session = {
    current: () => tokens,
    notice: () => notice,

    start(next) {
      notice = undefined;
      save(next);
      scheduleFromToken();
      changed();
    },

    async idToken() {
      if (!tokens) throw new SignedOutError('Signed out');
      if (msUntilExpiry(tokens.idToken, now()) < refreshMarginMs && !(await session.refresh())) {
        throw new SignedOutError('The session has ended');
      }
      if (!tokens) throw new SignedOutError('Signed out');
      return tokens.idToken;
    },

    refresh() {
      refreshing ??= (async () => {
        const held = tokens;
        if (!held) return false;
        try {
          const fresh = await cognito.refresh(held.refreshToken);
          // Signed out while the request was in flight: do not bring the session back.
          if (tokens !== held) return tokens !== undefined;
          save(fresh);
          scheduleFromToken();
          changed();
          return true;
        } catch (error) {
          if (error instanceof CognitoError && error.type === 'NetworkError') {
            schedule(retryAfterNetworkErrorMs);
            return msUntilExpiry(held.idToken, now()) > 0;
          }
          session.end({ message: 'Your session has ended. Sign in again to continue.', tone: 'warning' });
          return false;
        }
      })().finally(() => {
        refreshing = undefined;
      });
      return refreshing;
    },

    end(reason) {
      clearTimeout(timer);
      notice = reason;
      save(undefined);
      changed();
    },

    async signOut({ everywhere }) {
      const held = tokens;
      if (!held) return;
      let message = 'You are signed out.';
      try {
        if (everywhere) {
          await cognito.signOutEverywhere(held.accessToken);
          message = 'You are signed out on every device.';
        } else {
          await cognito.revoke(held.refreshToken);
        }
      } catch (error) {
        if (everywhere && error instanceof CognitoError && error.type === 'Unsupported') {
          await cognito.revoke(held.refreshToken).catch(() => undefined);
          message = 'You are signed out here. This user pool cannot end sessions on other devices.';
        } else {
          // Unreachable pool: the tokens still leave this page, and the ID token lapses within the hour.
          message = 'You are signed out on this device.';
        }
      }
      session.end({ message, tone: 'info' });
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  if (tokens) scheduleFromToken();
  return session;
}
