/**
 * The locks of one property: each with its kind, whether it is online and since when, battery, firmware, bolt,
 * keypad lockout and its last events from the audit log; "Unlock" with live progress for roles that may open
 * locks remotely; registering a lock and rotating its keys, each showing the installer bundle once.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { HostLockView } from '#shared/access/lock-condition.ts';
import type { AuditEvent } from '#shared/domain/audit.ts';
import type { Lock } from '#shared/domain/lock.ts';
import type { Property } from '#shared/domain/property.ts';
import type { HostRole } from '#shared/domain/team.ts';
import { type ApiClient, ApiError } from '../api.ts';
import { mayAttempt } from '../role-permissions.ts';
import { formatDateTime } from '../time.ts';
import { CopyableValue, failureMessage, fieldErrorsOf, SelectField, useRequest } from '../ui/admin.tsx';
import { Alert, Field, SubmitButton } from '../ui.tsx';
import { type UnlockCommandView, unlockOutcome, unlockRemotely } from './unlock.ts';

export interface InstallerBundle {
  readonly thingName: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
  readonly caCertificatePem: string;
  readonly endpoint: string;
  readonly deviceKey: string;
}

const kindLabels: Readonly<Record<Lock['connectivity'], string>> = {
  wifi: 'Wi-Fi',
  hybrid: 'Bluetooth with Wi-Fi bridge',
  bluetooth: 'Bluetooth only',
};

type Listing =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loaded'; readonly locks: readonly HostLockView[] }
  | { readonly kind: 'failed'; readonly message: string };

export function LocksPanel(props: { api: ApiClient; property: Property; role: HostRole }) {
  const { api, property, role } = props;
  const [listing, setListing] = useState<Listing>({ kind: 'loading' });
  const [bundle, setBundle] = useState<{ lockName: string; bundle: InstallerBundle } | undefined>();

  const load = useCallback(() => {
    api.get<{ items: HostLockView[] }>(`/locks?propertyId=${encodeURIComponent(property.id)}`).then(
      ({ items }) => setListing({ kind: 'loaded', locks: items }),
      (failure: unknown) =>
        setListing({ kind: 'failed', message: failureMessage(failure, 'list the locks') }),
    );
  }, [api, property.id]);
  useEffect(load, [load]);

  const shown = (lockName: string, installerBundle: InstallerBundle | null) => {
    if (installerBundle) setBundle({ lockName, bundle: installerBundle });
    load();
  };

  return (
    <section aria-labelledby={`locks-${property.id}`} data-testid="locks">
      <div class="card-title">
        <h2 id={`locks-${property.id}`}>Locks of {property.name}</h2>
        <button type="button" class="secondary" onClick={load}>
          Refresh
        </button>
      </div>
      {bundle ? (
        <BundleReveal lockName={bundle.lockName} bundle={bundle.bundle} onDone={() => setBundle(undefined)} />
      ) : null}
      {listing.kind === 'loading' ? <p role="status">Loading locks…</p> : null}
      {listing.kind === 'failed' ? <Alert tone="error">{listing.message}</Alert> : null}
      {listing.kind === 'loaded' && listing.locks.length === 0 ? (
        <p class="hint">No locks yet{mayAttempt(role, 'lock.register') ? ': register one below.' : '.'}</p>
      ) : null}
      {listing.kind === 'loaded' ? (
        <ul class="cards">
          {listing.locks.map((lock) => (
            <LockCard
              key={lock.id}
              api={api}
              lock={lock}
              timeZone={property.timeZone}
              role={role}
              onRotated={(installerBundle) => shown(lock.name, installerBundle)}
            />
          ))}
        </ul>
      ) : null}
      {mayAttempt(role, 'lock.register') ? (
        <RegisterLockForm
          api={api}
          propertyId={property.id}
          onRegistered={(lock, installerBundle) => shown(lock.name, installerBundle)}
        />
      ) : null}
    </section>
  );
}

function connectionText(
  lock: HostLockView,
  timeZone: string,
): { text: string; tone: 'good' | 'bad' | 'neutral' } {
  const { condition } = lock;
  if (lock.connectivity === 'bluetooth') return { text: 'Never online (Bluetooth only)', tone: 'neutral' };
  if (condition.online === null) return { text: 'Not connected yet', tone: 'bad' };
  const since = condition.onlineSince
    ? ` since ${formatDateTime({ at: condition.onlineSince, timeZone })}`
    : '';
  return condition.online
    ? { text: `Online${since}`, tone: 'good' }
    : { text: `Offline${since}`, tone: 'bad' };
}

function LockCard(props: {
  api: ApiClient;
  lock: HostLockView;
  timeZone: string;
  role: HostRole;
  onRotated: (bundle: InstallerBundle | null) => void;
}) {
  const { api, lock, timeZone, role, onRotated } = props;
  const { condition } = lock;
  const connection = connectionText(lock, timeZone);
  return (
    <li data-testid="lock" data-lock-id={lock.id}>
      <div class="card-title">
        <h3>{lock.name}</h3>
        <span class={`badge badge-${connection.tone}`} data-testid="lock-connection">
          {connection.text}
        </span>
      </div>
      <dl class="facts compact">
        <dt>Kind</dt>
        <dd>{kindLabels[lock.connectivity]}</dd>
        <dt>Battery</dt>
        <dd>{condition.battery === null ? 'Not reported yet' : `${condition.battery}%`}</dd>
        <dt>Firmware</dt>
        <dd>{condition.firmware ?? 'Not reported yet'}</dd>
        <dt>Bolt</dt>
        <dd data-testid="lock-bolt">{condition.bolt ?? 'Not reported yet'}</dd>
        {condition.keypadLockedOut && condition.keypadLockedOutUntil ? (
          <>
            <dt>Keypad</dt>
            <dd>Locked out until {formatDateTime({ at: condition.keypadLockedOutUntil, timeZone })}</dd>
          </>
        ) : null}
        <dt>Last seen</dt>
        <dd>{condition.lastSeenAt ? formatDateTime({ at: condition.lastSeenAt, timeZone }) : 'Never'}</dd>
      </dl>
      <div class="actions">
        {lock.mayUnlock ? <UnlockButton api={api} lock={lock} /> : null}
        {mayAttempt(role, 'lock.rotateCredentials') ? (
          <RotateKeys api={api} lock={lock} onRotated={onRotated} />
        ) : null}
      </div>
      {mayAttempt(role, 'audit.read') ? <LastEvents api={api} lockId={lock.id} timeZone={timeZone} /> : null}
    </li>
  );
}

type UnlockState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'sending' }
  | { readonly kind: 'following'; readonly command: UnlockCommandView }
  | { readonly kind: 'refused'; readonly message: string };

function UnlockButton(props: { api: ApiClient; lock: HostLockView }) {
  const { api, lock } = props;
  const [state, setState] = useState<UnlockState>({ kind: 'idle' });
  const busy = state.kind === 'sending' || (state.kind === 'following' && state.command.status === 'pending');
  const unlock = async () => {
    setState({ kind: 'sending' });
    try {
      await unlockRemotely({
        api,
        lockId: lock.id,
        idempotencyKey: crypto.randomUUID(),
        onProgress: (command) => setState({ kind: 'following', command }),
      });
    } catch (failure) {
      setState({
        kind: 'refused',
        message:
          failure instanceof ApiError && failure.status === 409
            ? failure.message
            : failureMessage(failure, 'open this lock'),
      });
    }
  };
  const status = state.kind === 'following' ? state.command.status : undefined;
  return (
    <div class="unlock">
      <button
        type="button"
        class="primary"
        disabled={busy}
        aria-busy={busy ? 'true' : undefined}
        onClick={() => void unlock()}
      >
        {busy ? 'Opening…' : `Unlock ${lock.name}`}
      </button>
      <div
        aria-live="polite"
        data-testid="unlock-progress"
        data-status={status ?? state.kind}
        data-command-id={state.kind === 'following' ? state.command.id : undefined}
      >
        {state.kind === 'sending' ? <p>Sending the command…</p> : null}
        {state.kind === 'following' ? (
          <p class={status === 'succeeded' ? 'tone-good' : status === 'pending' ? undefined : 'tone-bad'}>
            <span
              class={`badge badge-${status === 'succeeded' ? 'good' : status === 'pending' ? 'warning' : 'bad'}`}
            >
              {status}
            </span>{' '}
            {unlockOutcome(state.command)}
          </p>
        ) : null}
      </div>
      {state.kind === 'refused' ? <Alert tone="warning">{state.message}</Alert> : null}
    </div>
  );
}

function RotateKeys(props: {
  api: ApiClient;
  lock: HostLockView;
  onRotated: (bundle: InstallerBundle | null) => void;
}) {
  const { api, lock, onRotated } = props;
  const [confirming, setConfirming] = useState(false);
  const { busy, failure, run } = useRequest();
  const rotate = async () => {
    const rotated = await run(() =>
      api.post<{ installerBundle: InstallerBundle }>(
        `/locks/${encodeURIComponent(lock.id)}/rotate-credentials`,
      ),
    );
    if (rotated) {
      setConfirming(false);
      onRotated(rotated.installerBundle);
    }
  };
  if (!confirming) {
    return (
      <button type="button" class="secondary" onClick={() => setConfirming(true)}>
        Rotate keys
      </button>
    );
  }
  return (
    <fieldset class="confirm">
      <legend class="visually-hidden">Rotate the keys of {lock.name}</legend>
      <p>
        New certificate and device key for {lock.name}; load them into the lock. The current ones keep working
        until retired.
      </p>
      <button type="button" class="primary" disabled={busy} onClick={() => void rotate()}>
        {busy ? 'Rotating…' : 'Rotate now'}
      </button>
      <button type="button" class="secondary" onClick={() => setConfirming(false)}>
        Cancel
      </button>
      {failure ? <Alert tone="error">{failureMessage(failure, 'rotate the keys')}</Alert> : null}
    </fieldset>
  );
}

const eventLabels: Readonly<Record<string, string>> = {
  'lock.unlocked': 'Opened',
  'lock.locked': 'Locked',
  'lock.access-denied': 'Refused an entry',
  'lock.keypad-locked-out': 'Keypad locked out',
  'lock.battery-low': 'Battery low',
  'lock.tamper': 'Tampering',
  'lock.door': 'Door',
  'lock.registered': 'Registered',
  'lock.credentials-rotated': 'Keys rotated',
  'unlock-command.requested': 'Remote unlock requested',
  'unlock-command.succeeded': 'Remote unlock succeeded',
  'unlock-command.failed': 'Remote unlock failed',
  'unlock-command.expired': 'Remote unlock expired',
};

/** `Opened (keypad)`, `Door (open)`: an event of the lock as a host reads it. */
export function describeLockEvent(event: Pick<AuditEvent, 'action' | 'details'>): string {
  const label = eventLabels[event.action] ?? event.action.replace(/[.-]/g, ' ');
  const detail =
    typeof event.details.method === 'string'
      ? event.details.method
      : typeof event.details.door === 'string'
        ? event.details.door
        : typeof event.details.reason === 'string'
          ? event.details.reason
          : undefined;
  return detail ? `${label} (${detail})` : label;
}

function LastEvents(props: { api: ApiClient; lockId: string; timeZone: string }) {
  const { api, lockId, timeZone } = props;
  const [events, setEvents] = useState<readonly AuditEvent[] | 'failed' | undefined>();
  // Read when first opened: most visits never look at every lock's history.
  const load = () => {
    if (events !== undefined && events !== 'failed') return;
    setEvents(undefined);
    api.get<{ items: AuditEvent[] }>(`/audit?lockId=${encodeURIComponent(lockId)}&limit=5`).then(
      ({ items }) => setEvents(items),
      () => setEvents('failed'),
    );
  };
  return (
    <details
      class="last-events"
      onToggle={(event) => {
        if (event.currentTarget.open) load();
      }}
    >
      <summary>Last events</summary>
      {events === undefined ? <p role="status">Loading…</p> : null}
      {events === 'failed' ? <p class="hint">The events could not be loaded.</p> : null}
      {Array.isArray(events) && events.length === 0 ? <p class="hint">Nothing yet.</p> : null}
      {Array.isArray(events) ? (
        <ul class="plain" data-testid="lock-events">
          {events.map((event) => (
            <li key={event.id}>
              <span class="hint">{formatDateTime({ at: event.at, timeZone })}</span>{' '}
              {describeLockEvent(event)}
            </li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}

function RegisterLockForm(props: {
  api: ApiClient;
  propertyId: string;
  onRegistered: (lock: Lock, bundle: InstallerBundle | null) => void;
}) {
  const { api, propertyId, onRegistered } = props;
  const [name, setName] = useState('');
  const [connectivity, setConnectivity] = useState<Lock['connectivity']>('wifi');
  const [manufacturer, setManufacturer] = useState('');
  const [model, setModel] = useState('');
  const [pinLength, setPinLength] = useState('6');
  const [sent, setSent] = useState<{ body: string; key: string } | undefined>();
  const { busy, failure, run } = useRequest();
  const errors = fieldErrorsOf(failure);
  const submit = async (event: Event) => {
    event.preventDefault();
    const body = {
      propertyId,
      name,
      connectivity,
      ...(manufacturer.trim() ? { manufacturer } : {}),
      ...(model.trim() ? { model } : {}),
      codeConstraints: { pinLength: /^\d+$/.test(pinLength) ? Number(pinLength) : pinLength },
    };
    const text = JSON.stringify(body);
    const key = sent?.body === text ? sent.key : crypto.randomUUID();
    setSent({ body: text, key });
    const registered = await run(() =>
      api.post<{ lock: Lock; installerBundle: InstallerBundle | null }>('/locks', body, {
        idempotencyKey: key,
      }),
    );
    if (registered) {
      setName('');
      setManufacturer('');
      setModel('');
      setSent(undefined);
      onRegistered(registered.lock, registered.installerBundle);
    }
  };
  return (
    <form
      class="panel"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-labelledby={`register-${propertyId}`}
    >
      <h3 id={`register-${propertyId}`}>Register a lock</h3>
      {failure && Object.keys(errors).length === 0 ? (
        <Alert tone="error">{failureMessage(failure, 'register the lock')}</Alert>
      ) : null}
      <Field
        label="Lock name"
        value={name}
        onValue={setName}
        required
        hint="Where it is, e.g. Front door"
        error={errors.name}
      />
      <SelectField
        label="Kind"
        value={connectivity}
        onValue={(value) => setConnectivity(value as Lock['connectivity'])}
        choices={[
          { value: 'wifi', label: kindLabels.wifi },
          { value: 'hybrid', label: kindLabels.hybrid },
          { value: 'bluetooth', label: kindLabels.bluetooth },
        ]}
        hint="Bluetooth-only locks cannot be opened remotely; guests use offline codes."
        error={errors.connectivity}
      />
      <Field
        label="PIN length"
        value={pinLength}
        onValue={setPinLength}
        inputMode="numeric"
        hint="The number of digits the keypad takes, 4 to 8"
        error={errors['codeConstraints.pinLength'] ?? errors.codeConstraints}
      />
      <Field
        label="Manufacturer (optional)"
        value={manufacturer}
        onValue={setManufacturer}
        error={errors.manufacturer}
      />
      <Field label="Model (optional)" value={model} onValue={setModel} error={errors.model} />
      <SubmitButton busy={busy}>Register lock</SubmitButton>
    </form>
  );
}

function BundleReveal(props: { lockName: string; bundle: InstallerBundle; onDone: () => void }) {
  const { lockName, bundle, onDone } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  // Shown once: take the reader straight to it.
  useEffect(() => heading.current?.focus(), []);
  const download = () => {
    const blob = new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${bundle.thingName}-installer-bundle.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <section class="panel secret-reveal" aria-labelledby="bundle-title" data-testid="installer-bundle">
      <h2 id="bundle-title" tabIndex={-1} ref={heading}>
        Installer bundle of {lockName}
      </h2>
      <Alert tone="warning">
        Shown this once: Lockstay keeps no copy of the private key. Download or copy it now and load it into
        the lock; if it is lost, rotate the lock’s keys for a new one.
      </Alert>
      <CopyableValue label="Thing name" value={bundle.thingName} />
      <CopyableValue label="MQTT endpoint" value={bundle.endpoint} />
      <CopyableValue label="Device key" value={bundle.deviceKey} testId="bundle-device-key" />
      <details>
        <summary>Certificates and private key</summary>
        <CopyableValue label="Certificate" value={bundle.certificatePem} />
        <CopyableValue label="Private key" value={bundle.privateKeyPem} />
        <CopyableValue label="CA certificate" value={bundle.caCertificatePem} />
      </details>
      <div class="actions">
        <button type="button" class="primary" onClick={download}>
          Download bundle
        </button>
        <button type="button" class="secondary" onClick={onDone}>
          I have saved it
        </button>
      </div>
    </section>
  );
}
