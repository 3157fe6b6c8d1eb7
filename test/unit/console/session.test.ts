import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CognitoError } from '../../../web/console/src/cognito.ts';
import { createSession, SignedOutError, sessionStorageKey } from '../../../web/console/src/session.ts';
import { asCognitoClient, fakeUserPool, memoryStorage, tokensExpiringAt } from './fakes.ts';

const minutes = (count: number) => count * 60_000;

describe('the console session', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-26T10:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps the tokens of a started session in the tab storage, and finds them again after a reload', () => {
    // Prepare
    const storage = memoryStorage();
    const tokens = tokensExpiringAt(Date.now() + minutes(60));

    // Act
    createSession({ cognito: asCognitoClient(fakeUserPool()), storage }).start(tokens);
    const reloaded = createSession({ cognito: asCognitoClient(fakeUserPool()), storage });

    // Assess
    expect(JSON.parse(storage.getItem(sessionStorageKey) ?? '')).toEqual(tokens);
    expect(reloaded.current()).toEqual(tokens);
  });

  it('starts signed out when the stored session is unreadable', () => {
    const storage = memoryStorage();
    storage.setItem(sessionStorageKey, '{"idToken":');
    expect(createSession({ cognito: asCognitoClient(fakeUserPool()), storage }).current()).toBeUndefined();
  });

  it('refreshes the ID token two minutes before it expires, keeping the refresh token', async () => {
    const pool = fakeUserPool();
    const first = tokensExpiringAt(Date.now() + minutes(60));
    const second = tokensExpiringAt(Date.now() + minutes(120), 'second');
    pool.refresh.mockResolvedValue({ ...second, refreshToken: first.refreshToken });
    const session = createSession({ cognito: asCognitoClient(pool), storage: memoryStorage() });
    session.start(first);

    await vi.advanceTimersByTimeAsync(minutes(57));
    expect(pool.refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(minutes(1) + 1000);

    expect(pool.refresh).toHaveBeenCalledWith(first.refreshToken);
    expect(session.current()?.idToken).toBe(second.idToken);
    expect(await session.idToken()).toBe(second.idToken);
  });

  it('refreshes before handing out an ID token about to expire (a tab that slept past its timer)', async () => {
    const pool = fakeUserPool();
    const fresh = tokensExpiringAt(Date.now() + minutes(60), 'fresh');
    pool.refresh.mockResolvedValue(fresh);
    const storage = memoryStorage();
    storage.setItem(sessionStorageKey, JSON.stringify(tokensExpiringAt(Date.now() + minutes(1))));
    const session = createSession({ cognito: asCognitoClient(pool), storage });

    const token = await session.idToken();

    expect(token).toBe(fresh.idToken);
    expect(pool.refresh).toHaveBeenCalledTimes(1);
  });

  it('ends with a message when the pool refuses to refresh (revoked or expired refresh token)', async () => {
    const pool = fakeUserPool();
    pool.refresh.mockRejectedValue(
      new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked'),
    );
    const storage = memoryStorage();
    const session = createSession({ cognito: asCognitoClient(pool), storage });
    session.start(tokensExpiringAt(Date.now() + minutes(60)));
    const changes = vi.fn();
    session.subscribe(changes);

    expect(await session.refresh()).toBe(false);

    expect(session.current()).toBeUndefined();
    expect(storage.getItem(sessionStorageKey)).toBeNull();
    expect(session.notice()).toEqual({
      message: 'Your session has ended. Sign in again to continue.',
      tone: 'warning',
    });
    expect(changes).toHaveBeenCalled();
    await expect(session.idToken()).rejects.toBeInstanceOf(SignedOutError);
  });

  it('keeps a still-valid session when the pool cannot be reached, and tries again later', async () => {
    const pool = fakeUserPool();
    const tokens = tokensExpiringAt(Date.now() + minutes(60));
    pool.refresh.mockRejectedValueOnce(new CognitoError('NetworkError', ''));
    pool.refresh.mockResolvedValueOnce(tokensExpiringAt(Date.now() + minutes(120), 'later'));
    const session = createSession({ cognito: asCognitoClient(pool), storage: memoryStorage() });
    session.start(tokens);

    expect(await session.refresh()).toBe(true);
    expect(session.current()).toEqual(tokens);
    await vi.advanceTimersByTimeAsync(30_000);

    expect(pool.refresh).toHaveBeenCalledTimes(2);
    expect(session.current()?.refreshToken).toBe('refresh-later');
  });

  it('makes one refresh call for concurrent requests that all need a fresh token', async () => {
    const pool = fakeUserPool();
    pool.refresh.mockResolvedValue(tokensExpiringAt(Date.now() + minutes(60), 'fresh'));
    const storage = memoryStorage();
    storage.setItem(sessionStorageKey, JSON.stringify(tokensExpiringAt(Date.now() + 1000)));
    const session = createSession({ cognito: asCognitoClient(pool), storage });

    await Promise.all([session.idToken(), session.idToken(), session.idToken()]);

    expect(pool.refresh).toHaveBeenCalledTimes(1);
  });

  it('signs out by revoking the refresh token and forgetting every token', async () => {
    const pool = fakeUserPool();
    const storage = memoryStorage();
    const tokens = tokensExpiringAt(Date.now() + minutes(60));
    const session = createSession({ cognito: asCognitoClient(pool), storage });
    session.start(tokens);

    await session.signOut({ everywhere: false });

    expect(pool.revoke).toHaveBeenCalledWith(tokens.refreshToken);
    expect(session.current()).toBeUndefined();
    expect(storage.length).toBe(0);
    expect(session.notice()).toEqual({ message: 'You are signed out.', tone: 'info' });
  });

  it('signs out on every device with the access token', async () => {
    const pool = fakeUserPool();
    const tokens = tokensExpiringAt(Date.now() + minutes(60));
    const session = createSession({ cognito: asCognitoClient(pool), storage: memoryStorage() });
    session.start(tokens);

    await session.signOut({ everywhere: true });

    expect(pool.signOutEverywhere).toHaveBeenCalledWith(tokens.accessToken);
    expect(session.notice()?.message).toBe('You are signed out on every device.');
  });

  it('says so when the pool cannot sign out other devices, and still revokes this session', async () => {
    const pool = fakeUserPool();
    pool.signOutEverywhere.mockRejectedValue(new CognitoError('Unsupported', 'GlobalSignOut'));
    const tokens = tokensExpiringAt(Date.now() + minutes(60));
    const session = createSession({ cognito: asCognitoClient(pool), storage: memoryStorage() });
    session.start(tokens);

    await session.signOut({ everywhere: true });

    expect(pool.revoke).toHaveBeenCalledWith(tokens.refreshToken);
    expect(session.current()).toBeUndefined();
    expect(session.notice()?.message).toBe(
      'You are signed out here. This user pool cannot end sessions on other devices.',
    );
  });

  it('does not bring back a session signed out while a refresh was in flight', async () => {
    const pool = fakeUserPool();
    let answer: (tokens: ReturnType<typeof tokensExpiringAt>) => void = () => {};
    pool.refresh.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const session = createSession({ cognito: asCognitoClient(pool), storage: memoryStorage() });
    session.start(tokensExpiringAt(Date.now() + minutes(60)));

    const refreshing = session.refresh();
    session.end({ message: 'You are signed out.', tone: 'info' });
    answer(tokensExpiringAt(Date.now() + minutes(120), 'late'));

    expect(await refreshing).toBe(false);
    expect(session.current()).toBeUndefined();
  });
});
