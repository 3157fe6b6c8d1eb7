/**
 * A remote unlock from the console: one POST with an Idempotency-Key (a double click or a retried request
 * sends one command), then the command is followed with long polls (`?wait=`) until the lock answers or the
 * command expires. The API decides everything (who may, whether the lock can be reached); a refusal comes
 * back as its own message, e.g. that a Bluetooth-only lock cannot be opened remotely.
 */
import type { ApiClient } from '../api.ts';

export type UnlockStatus = 'pending' | 'succeeded' | 'failed' | 'expired';

export interface UnlockCommandView {
  readonly id: string;
  readonly lockId?: string;
  readonly status: UnlockStatus;
  /** The lock's reason, when it failed. */
  readonly reason?: string;
  readonly settledAt?: string;
}

/** How long the page follows a command at most; it expires on the lock well before. */
const followForMilliseconds = 60_000;
const waitSeconds = 10;

export async function unlockRemotely({
  api,
  lockId,
  idempotencyKey,
  onProgress,
  now = () => Date.now(),
}: {
  api: Pick<ApiClient, 'get' | 'post'>;
  lockId: string;
  idempotencyKey: string;
  onProgress: (command: UnlockCommandView) => void;
  now?: () => number;
}): Promise<UnlockCommandView> {
  let command = await api.post<UnlockCommandView>(
    `/locks/${encodeURIComponent(lockId)}/unlock`,
    {},
    { idempotencyKey },
  );
  onProgress(command);
  const until = now() + followForMilliseconds;
  while (command.status === 'pending' && now() < until) {
    command = await api.get<UnlockCommandView>(
      `/commands/${encodeURIComponent(command.id)}?wait=${waitSeconds}`,
    );
    onProgress(command);
  }
  return command;
}

/** What the host reads about a command's outcome. */
export function unlockOutcome(command: UnlockCommandView): string {
  switch (command.status) {
    case 'pending':
      return 'Sent to the lock, waiting for it to answer…';
    case 'succeeded':
      return 'The lock opened.';
    case 'failed':
      return `The lock did not open${command.reason ? `: ${command.reason}` : ''}. Try again, or use a code on its keypad.`;
    case 'expired':
      return 'The lock did not answer in time, so the command expired and will not open it later. Check that the lock is online and try again.';
  }
}
