/**
 * Creating or changing a property: name, address, time zone, check-in and check-out times and the lead times
 * of codes and guest emails. The API validates; its field errors show next to their fields and nothing typed is
 * lost. A create carries an Idempotency-Key tied to what is sent, so a repeated click creates one property.
 */
import { useMemo, useState } from 'preact/hooks';
import type { Property } from '#shared/domain/property.ts';
import type { ApiClient } from '../api.ts';
import { viewerTimeZone } from '../time.ts';
import { failureMessage, fieldErrorsOf, useRequest } from '../ui/admin.tsx';
import { Alert, Field, SubmitButton } from '../ui.tsx';

export interface PropertyDraft {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  countryCode: string;
  timeZone: string;
  checkInTime: string;
  checkOutTime: string;
  codePushLeadHours: string;
  guestEmailLeadHours: string;
  readinessCheckHours: string;
  guestUnlockPhoneDigits: string;
}

export function draftOf(property: Property | undefined): PropertyDraft {
  return {
    name: property?.name ?? '',
    line1: property?.address.line1 ?? '',
    line2: property?.address.line2 ?? '',
    city: property?.address.city ?? '',
    postalCode: property?.address.postalCode ?? '',
    countryCode: property?.address.countryCode ?? '',
    timeZone: property?.timeZone ?? viewerTimeZone(),
    checkInTime: property?.checkInTime ?? '15:00',
    checkOutTime: property?.checkOutTime ?? '11:00',
    codePushLeadHours: String(property?.codePushLeadHours ?? 48),
    guestEmailLeadHours: String(property?.guestEmailLeadHours ?? 48),
    readinessCheckHours: String(property?.readinessCheckHours ?? 6),
    guestUnlockPhoneDigits: String(property?.guestUnlockPhoneDigits ?? 0),
  };
}

const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
/** A number as typed; something that is not one goes as typed, so the API names the field. */
const numberOf = (value: string) => (/^\d+$/.test(value.trim()) ? Number(value.trim()) : value);

/** The API's body for the draft. */
export function propertyBody(draft: PropertyDraft) {
  return {
    name: draft.name,
    address: {
      line1: draft.line1,
      line2: optional(draft.line2),
      city: draft.city,
      postalCode: optional(draft.postalCode),
      countryCode: draft.countryCode.trim(),
    },
    timeZone: draft.timeZone.trim(),
    checkInTime: draft.checkInTime.trim(),
    checkOutTime: draft.checkOutTime.trim(),
    codePushLeadHours: numberOf(draft.codePushLeadHours),
    guestEmailLeadHours: numberOf(draft.guestEmailLeadHours),
    readinessCheckHours: numberOf(draft.readinessCheckHours),
    guestUnlockPhoneDigits: numberOf(draft.guestUnlockPhoneDigits),
  };
}

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

/** The property's access settings, two to a row: typed as numbers or times, checked by the API. */
const settingRows: readonly (readonly { field: keyof PropertyDraft; label: string; hint?: string }[])[] = [
  [
    { field: 'checkInTime', label: 'Check-in time', hint: '24-hour, e.g. 15:00' },
    { field: 'checkOutTime', label: 'Check-out time', hint: '24-hour, e.g. 11:00' },
  ],
  [
    { field: 'codePushLeadHours', label: 'Codes go to the locks (hours before check-in)' },
    { field: 'guestEmailLeadHours', label: 'Guests get their email (hours before check-in)' },
  ],
  [
    {
      field: 'readinessCheckHours',
      label: 'Every code must be set (hours before check-in)',
      hint: 'If one is not, you are alerted and a fallback code is issued where the lock allows',
    },
    {
      field: 'guestUnlockPhoneDigits',
      label: "Guests confirm their phone's last digits before a remote unlock",
      hint: 'How many digits, up to 6; 0 turns it off',
    },
  ],
];

export function PropertyForm(props: {
  api: ApiClient;
  property?: Property | undefined;
  onSaved: (property: Property) => void;
  onCancel?: () => void;
}) {
  const { api, property, onSaved, onCancel } = props;
  const [draft, setDraft] = useState<PropertyDraft>(() => draftOf(property));
  const [sent, setSent] = useState<{ body: string; key: string } | undefined>();
  const { busy, failure, run } = useRequest();
  const errors = fieldErrorsOf(failure);
  const zones = useMemo(timeZones, []);
  const set = (field: keyof PropertyDraft) => (value: string) => setDraft({ ...draft, [field]: value });
  const idPrefix = property ? `edit-${property.id}` : 'new-property';

  const submit = async (event: Event) => {
    event.preventDefault();
    const body = propertyBody(draft);
    const saved = await run(async () => {
      if (property) return api.patch<Property>(`/properties/${encodeURIComponent(property.id)}`, body);
      const text = JSON.stringify(body);
      const key = sent?.body === text ? sent.key : crypto.randomUUID();
      setSent({ body: text, key });
      return api.post<Property>('/properties', body, { idempotencyKey: key });
    });
    if (saved) onSaved(saved);
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${idPrefix}-title`}>
      <h3 id={`${idPrefix}-title`}>{property ? `Change ${property.name}` : 'Add a property'}</h3>
      {failure && Object.keys(errors).length === 0 ? (
        <Alert tone="error">
          {failureMessage(failure, property ? 'save the property' : 'add the property')}
        </Alert>
      ) : null}
      {Object.keys(errors).length > 0 ? (
        <Alert tone="error">Some fields need a change: see below.</Alert>
      ) : null}
      <Field label="Name" value={draft.name} onValue={set('name')} required error={errors.name} />
      <fieldset class="field-group">
        <legend>Address</legend>
        <Field
          label="Street and number"
          value={draft.line1}
          onValue={set('line1')}
          required
          error={errors['address.line1']}
        />
        <Field
          label="Address line 2 (optional)"
          value={draft.line2}
          onValue={set('line2')}
          error={errors['address.line2']}
        />
        <Field
          label="City"
          value={draft.city}
          onValue={set('city')}
          required
          error={errors['address.city']}
        />
        <Field
          label="Postal code (optional)"
          value={draft.postalCode}
          onValue={set('postalCode')}
          error={errors['address.postalCode']}
        />
        <Field
          label="Country code"
          value={draft.countryCode}
          onValue={set('countryCode')}
          maxLength={2}
          required
          hint="Two letters, e.g. DE, PT, US"
          error={
            errors['address.countryCode'] ??
            (errors.address && !errors['address.line1'] && !errors['address.city']
              ? errors.address
              : undefined)
          }
        />
      </fieldset>
      <div class="field">
        <label for={`${idPrefix}-zone`}>Time zone</label>
        <div id={`${idPrefix}-zone-hint`} class="hint">
          The zone the property’s clocks follow, e.g. Europe/Lisbon. Stays and codes follow it.
        </div>
        <input
          id={`${idPrefix}-zone`}
          type="text"
          list={`${idPrefix}-zones`}
          value={draft.timeZone}
          required
          autocomplete="off"
          aria-invalid={errors.timeZone ? 'true' : undefined}
          aria-describedby={`${idPrefix}-zone-hint${errors.timeZone ? ` ${idPrefix}-zone-error` : ''}`}
          onInput={(event) => set('timeZone')(event.currentTarget.value)}
        />
        <datalist id={`${idPrefix}-zones`}>
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        {errors.timeZone ? (
          <p id={`${idPrefix}-zone-error`} class="field-error" role="alert">
            {errors.timeZone}
          </p>
        ) : null}
      </div>
      {settingRows.map((row) => (
        <div class="field-row" key={row.map(({ field }) => field).join()}>
          {row.map(({ field, label, hint }) => (
            <Field
              key={field}
              label={label}
              value={draft[field]}
              onValue={set(field)}
              inputMode="numeric"
              hint={hint}
              error={errors[field]}
            />
          ))}
        </div>
      ))}
      <div class="actions">
        <SubmitButton busy={busy}>{property ? 'Save changes' : 'Add property'}</SubmitButton>
        {onCancel ? (
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
