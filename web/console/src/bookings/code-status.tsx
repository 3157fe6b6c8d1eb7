/**
 * A grant's codes lock by lock: the PIN once it exists, whether it is on the lock yet, and what to do when it
 * failed. Bluetooth-only locks never receive pushed codes: the guest uses the offline code from their email.
 */
import type { AccessCode, AccessCodeFailureReason, AccessCodeStatus } from '#shared/domain/access-code.ts';
import type { Lock } from '#shared/domain/lock.ts';

const statusWords: Readonly<Record<AccessCodeStatus, { label: string; tone: string }>> = {
  scheduled: { label: 'Waiting to be sent', tone: 'neutral' },
  setting: { label: 'Setting on the lock', tone: 'warning' },
  set: { label: 'Set', tone: 'good' },
  removing: { label: 'Being removed', tone: 'neutral' },
  removed: { label: 'Removed', tone: 'neutral' },
  failed: { label: 'Failed', tone: 'bad' },
};

/** What the host can do about a code, by how it stands. */
export function codeAdviceFor(code: Pick<AccessCode, 'status' | 'failure'>): string | undefined {
  if (code.status === 'scheduled')
    return 'It is sent to the lock ahead of the stay, as the property’s settings say.';
  if (code.status === 'setting')
    return 'Sent, waiting for the lock to confirm. If this lasts, check that the lock is online.';
  if (code.status !== 'failed') return undefined;
  const reason: AccessCodeFailureReason | undefined = code.failure?.reason;
  switch (reason) {
    case 'lock-offline':
      return 'The lock is offline: check its power and Wi-Fi. The code is sent again when it reconnects; meanwhile give the guest another way in.';
    case 'lock-full':
    case 'too-many-codes-for-shadow':
      return 'The lock holds as many codes as it can: revoke grants that are no longer needed, and the code is sent again.';
    case 'rejected-by-lock':
      return 'The lock refused the code: check the lock and its firmware, then change the booking to send the code again.';
    case 'not-confirmed-in-time':
      return 'The lock did not confirm the code in time: check that it is online, and give the guest another way in meanwhile.';
    case undefined:
      return 'The code could not be set: check the lock.';
  }
}

/** The code the guest should use on a lock, as the API says (`guestCodes`): the PIN, or an offline code. */
export interface GuestCode {
  readonly lockId: string;
  readonly kind: 'pin' | 'offline';
  readonly code: string;
}

export function CodeStatusList(props: {
  locks: readonly Lock[];
  lockIds: readonly string[];
  codes: readonly AccessCode[] | undefined;
  guestCodes?: readonly GuestCode[] | undefined;
}) {
  const { locks, lockIds, codes, guestCodes = [] } = props;
  if (codes === undefined) return <p class="hint">Your role does not see this grant’s codes.</p>;
  return (
    <ul class="cards" data-testid="code-status">
      {lockIds.map((lockId) => {
        const lock = locks.find((candidate) => candidate.id === lockId);
        const code = codes.find((candidate) => candidate.lockId === lockId);
        const name = lock?.name ?? lockId;
        const offline = guestCodes.find(
          (candidate) => candidate.lockId === lockId && candidate.kind === 'offline',
        );
        const offlineLine = offline ? (
          <p class="code-line">
            Offline code{' '}
            <strong class="pin" data-testid="offline-code">
              {offline.code}
            </strong>{' '}
            (the lock checks it without a network)
          </p>
        ) : null;
        if (!code) {
          return (
            <li key={lockId} data-lock={name}>
              <div class="card-title">
                <h3>{name}</h3>
                <span class="badge badge-neutral">No pushed code</span>
              </div>
              {offlineLine}
              <p class="hint">
                {lock?.connectivity === 'bluetooth'
                  ? 'This lock is never online: the guest opens it with the offline code in their email.'
                  : 'This lock has no code for this access.'}
              </p>
            </li>
          );
        }
        const words = statusWords[code.status];
        const advice = codeAdviceFor(code);
        return (
          <li key={lockId} data-lock={name}>
            <div class="card-title">
              <h3>{name}</h3>
              <span class={`badge badge-${words.tone}`} data-testid="code-state" data-status={code.status}>
                {words.label}
              </span>
            </div>
            <p class="code-line">
              Code{' '}
              <strong class="pin" data-testid="pin">
                {code.pin}
              </strong>
              {code.singleUse ? ' (opens once)' : ''}
            </p>
            {advice ? <p class={code.status === 'failed' ? 'field-error' : 'hint'}>{advice}</p> : null}
            {offlineLine}
          </li>
        );
      })}
    </ul>
  );
}
