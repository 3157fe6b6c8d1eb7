import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../web/console/src/api.ts';
import {
  type UnlockCommandView,
  unlockOutcome,
  unlockRemotely,
} from '../../../web/console/src/properties/unlock.ts';

/** The API as the page calls it: answers scripted per call, every call recorded. */
function scriptedApi(answers: { post: UnlockCommandView | ApiError; gets: UnlockCommandView[] }) {
  const calls: { method: string; path: string; idempotencyKey?: string | undefined }[] = [];
  const gets = [...answers.gets];
  return {
    calls,
    api: {
      post: async <T>(path: string, _body?: unknown, options?: { idempotencyKey?: string }) => {
        calls.push({ method: 'POST', path, idempotencyKey: options?.idempotencyKey });
        if (answers.post instanceof ApiError) throw answers.post;
        return answers.post as T;
      },
      get: async <T>(path: string) => {
        calls.push({ method: 'GET', path });
        const next = gets.shift();
        if (!next) throw new Error('No more answers');
        return next as T;
      },
    },
  };
}

describe('a remote unlock from the console', () => {
  it('sends one command with the Idempotency-Key and follows it until the lock answers', async () => {
    const { api, calls } = scriptedApi({
      post: { id: 'cmd_1', status: 'pending' },
      gets: [
        { id: 'cmd_1', status: 'pending' },
        { id: 'cmd_1', status: 'succeeded' },
      ],
    });
    const seen: string[] = [];

    const outcome = await unlockRemotely({
      api,
      lockId: 'lck_front',
      idempotencyKey: 'key-1',
      onProgress: (command) => seen.push(command.status),
    });

    expect(outcome.status).toBe('succeeded');
    expect(seen).toEqual(['pending', 'pending', 'succeeded']);
    expect(calls).toEqual([
      { method: 'POST', path: '/locks/lck_front/unlock', idempotencyKey: 'key-1' },
      { method: 'GET', path: '/commands/cmd_1?wait=10' },
      { method: 'GET', path: '/commands/cmd_1?wait=10' },
    ]);
  });

  it('stops following after a minute even if the command still says pending', async () => {
    let clock = 0;
    const { api } = scriptedApi({
      post: { id: 'cmd_2', status: 'pending' },
      gets: Array.from({ length: 10 }, () => ({ id: 'cmd_2', status: 'pending' as const })),
    });

    const outcome = await unlockRemotely({
      api: {
        ...api,
        get: async <T>(path: string) => {
          clock += 30_000;
          return api.get<T>(path);
        },
      },
      lockId: 'lck_front',
      idempotencyKey: 'key-2',
      onProgress: () => undefined,
      now: () => clock,
    });

    expect(outcome.status).toBe('pending');
    expect(clock).toBe(60_000);
  });

  it('passes on the API’s refusal, such as a Bluetooth-only lock’s', async () => {
    const refusal = new ApiError({
      status: 409,
      title: 'Conflict',
      detail: 'This lock works over Bluetooth only and cannot be opened remotely; use the code on its keypad',
    });
    const { api } = scriptedApi({ post: refusal, gets: [] });

    await expect(
      unlockRemotely({ api, lockId: 'lck_shed', idempotencyKey: 'key-3', onProgress: () => undefined }),
    ).rejects.toBe(refusal);
  });

  it('says what each outcome means for the host', () => {
    expect(unlockOutcome({ id: 'c', status: 'succeeded' })).toBe('The lock opened.');
    expect(unlockOutcome({ id: 'c', status: 'failed', reason: 'jammed' })).toMatch(/did not open: jammed/);
    expect(unlockOutcome({ id: 'c', status: 'expired' })).toMatch(/will not open it later/);
  });
});
