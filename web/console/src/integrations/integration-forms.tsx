/**
 * The integration forms: a webhook source (Lockstay's signed webhook or a channel manager) and a property's
 * iCal feed, each validated by the API and showing its field errors beside the fields; and the one-time view
 * of a secret the API has just issued, which lives only in this page's memory (a reload forgets it).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { IntegrationView } from '#shared/integrations/integration.ts';
import type { ConsoleServices } from '../services.ts';
import { formatDateTime, viewerTimeZone } from '../time.ts';
import { CopyableValue, failureMessage, fieldErrorsOf, SelectField, useRequest } from '../ui/admin.tsx';
import { Alert, Field, SubmitButton } from '../ui.tsx';
import { kindLabel } from './integration-status.ts';
import type { PropertySummary } from './integrations-page.tsx';

/** What the API answers once when it issues a secret, at creation or rotation. */
export interface IssuedSecret {
  readonly integration: IntegrationView;
  readonly secret?: string;
  /** Hostaway's webhook authenticates with Basic credentials Lockstay issues. */
  readonly credentials?: { readonly username: string; readonly password: string };
  readonly reason: 'created' | 'rotated';
}

/** The webhook sources the API accepts at `POST /integrations`, with what each needs from the host. */
const webhookKinds = [
  {
    value: 'lockstay-webhook',
    label: 'Lockstay webhook (your own system, Standard Webhooks signatures)',
  },
  { value: 'hostaway', label: 'Hostaway (unified webhook)' },
  { value: 'guesty', label: 'Guesty (reservation webhooks)' },
] as const;
type WebhookKind = (typeof webhookKinds)[number]['value'];

const feedChannelChoices = [
  { value: '', label: 'Tell from the feed' },
  { value: 'airbnb', label: 'Airbnb' },
  { value: 'vrbo', label: 'Vrbo' },
  { value: 'booking.com', label: 'Booking.com' },
  { value: 'other', label: 'Another calendar' },
];

export function WebhookForm(props: { services: ConsoleServices; onCreated: (issued: IssuedSecret) => void }) {
  const { services, onCreated } = props;
  const request = useRequest();
  const [kind, setKind] = useState<WebhookKind>('lockstay-webhook');
  const [name, setName] = useState('');
  const [secret, setSecret] = useState('');
  const errors = fieldErrorsOf(request.failure);

  const submit = async (event: Event) => {
    event.preventDefault();
    const body = { kind, name, ...(kind === 'guesty' ? { secret } : {}) };
    const created = await request.run(() =>
      services.api.post<Omit<IssuedSecret, 'reason'>>('/integrations', body, {
        idempotencyKey: crypto.randomUUID(),
      }),
    );
    if (created) {
      setName('');
      setSecret('');
      onCreated({ ...created, reason: 'created' });
    }
  };

  return (
    <section class="panel" aria-labelledby="add-webhook">
      <h2 id="add-webhook">Add a webhook</h2>
      <p class="hint">
        For a channel manager or your own booking system: it sends each booking, change and cancellation to
        Lockstay as it happens.
      </p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <SelectField
          label="Source"
          value={kind}
          onValue={(value) => setKind(value as WebhookKind)}
          choices={webhookKinds}
          error={errors.kind}
        />
        <Field
          label="Name"
          value={name}
          onValue={setName}
          maxLength={100}
          required
          error={errors.name}
          hint="How you will recognise it, e.g. “Main channel manager”."
        />
        {kind === 'guesty' ? (
          <Field
            label="Guesty webhook signing secret"
            value={secret}
            onValue={setSecret}
            type="password"
            autocomplete="off"
            maxLength={200}
            required
            error={errors.secret}
            hint="The signing secret (whsec_…) of your Guesty account's webhooks, from Guesty's Open API."
          />
        ) : null}
        {request.failure && Object.keys(errors).length === 0 ? (
          <Alert tone="error">{failureMessage(request.failure, 'add the webhook')}</Alert>
        ) : null}
        <SubmitButton busy={request.busy}>Add webhook</SubmitButton>
      </form>
    </section>
  );
}

export function FeedForm(props: {
  services: ConsoleServices;
  properties: readonly PropertySummary[];
  onCreated: (integration: IntegrationView) => void;
}) {
  const { services, properties, onCreated } = props;
  const request = useRequest();
  const [name, setName] = useState('');
  const [propertyId, setPropertyId] = useState('');
  const [url, setUrl] = useState('');
  const [channel, setChannel] = useState('');
  const [added, setAdded] = useState<string | undefined>();
  const errors = fieldErrorsOf(request.failure);
  const chosenProperty = propertyId || properties[0]?.id || '';

  const submit = async (event: Event) => {
    event.preventDefault();
    setAdded(undefined);
    const body = { kind: 'ical', name, propertyId: chosenProperty, url, ...(channel ? { channel } : {}) };
    const created = await request.run(() =>
      services.api.post<{ integration: IntegrationView }>('/integrations', body, {
        idempotencyKey: crypto.randomUUID(),
      }),
    );
    if (created) {
      setName('');
      setUrl('');
      setChannel('');
      setAdded(created.integration.name);
      onCreated(created.integration);
    }
  };

  return (
    <section class="panel" aria-labelledby="add-feed">
      <h2 id="add-feed">Add an iCal feed</h2>
      <p class="hint">
        The calendar export of a listing (Airbnb, Vrbo, Booking.com), read every few minutes. A feed that
        fails or suddenly empties never cancels a booking by itself.
      </p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="Feed name"
          value={name}
          onValue={setName}
          maxLength={100}
          required
          error={errors.name}
          hint="E.g. “Casa Azul on Airbnb”."
        />
        <SelectField
          label="Property"
          value={chosenProperty}
          onValue={setPropertyId}
          choices={properties.map((property) => ({ value: property.id, label: property.name }))}
          error={errors.propertyId}
          required
        />
        <Field
          label="Feed address"
          value={url}
          onValue={setUrl}
          maxLength={2000}
          required
          error={errors.url}
          hint="The https:// (or webcal://) address the channel gives for exporting the calendar."
        />
        <SelectField
          label="Channel"
          value={channel}
          onValue={setChannel}
          choices={feedChannelChoices}
          error={errors.channel}
        />
        {request.failure && Object.keys(errors).length === 0 ? (
          <Alert tone="error">{failureMessage(request.failure, 'add the feed')}</Alert>
        ) : null}
        {added ? (
          <Alert tone="success">{added} was added; its first import follows within a minute.</Alert>
        ) : null}
        <SubmitButton busy={request.busy} disabled={properties.length === 0}>
          Add feed
        </SubmitButton>
        {properties.length === 0 ? <p class="hint">Add a property first: a feed belongs to one.</p> : null}
      </form>
    </section>
  );
}

/** The secret just issued, with what to do with it; once dismissed (or the page reloaded) it cannot be shown. */
export function SecretReveal(props: { issued: IssuedSecret; apiUrl: string; onDone: () => void }) {
  const { issued, apiUrl, onDone } = props;
  const { integration, secret, credentials, reason } = issued;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [issued]);
  const previousUntil = integration.secretRotation?.previousSecretValidUntil;
  const zone = viewerTimeZone();
  const what = credentials ? 'credentials' : 'signing secret';

  return (
    <section class="panel secret-reveal" aria-labelledby="issued-secret" data-testid="issued-secret">
      <h2 id="issued-secret" ref={heading} tabIndex={-1}>
        {reason === 'created' ? `${integration.name} is ready` : `New ${what} for ${integration.name}`}
      </h2>
      {secret || credentials ? (
        <Alert tone="warning">
          <strong>Shown once: copy it now.</strong> Lockstay keeps the {what} sealed and can never show{' '}
          {credentials ? 'them' : 'it'} again. If you lose {credentials ? 'them' : 'it'}, rotate to get new
          ones.
        </Alert>
      ) : (
        <Alert tone="success">Deliveries are verified with the secret you gave.</Alert>
      )}
      {reason === 'rotated' && previousUntil ? (
        <p data-testid="rotation-overlap">
          The previous {what} keeps working until{' '}
          <strong>{formatDateTime({ at: previousUntil, timeZone: zone })}</strong> ({zone}): update{' '}
          {kindLabel(integration.kind)} before then. Both verify until that time.
        </p>
      ) : null}
      {integration.webhookPath ? (
        <CopyableValue label="Webhook address" value={`${apiUrl}${integration.webhookPath}`} />
      ) : null}
      {secret ? <CopyableValue label="Signing secret" value={secret} testId="secret-value" /> : null}
      {credentials ? (
        <>
          <CopyableValue label="User name" value={credentials.username} testId="credentials-username" />
          <CopyableValue label="Password" value={credentials.password} testId="secret-value" />
        </>
      ) : null}
      <button type="button" class="primary" onClick={onDone}>
        {secret || credentials ? `I have copied the ${what}` : 'Done'}
      </button>
    </section>
  );
}
