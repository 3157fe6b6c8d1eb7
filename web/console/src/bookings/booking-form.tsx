/**
 * Entering or changing a booking by hand. The form checks only what the browser can (required fields, date
 * order) and leaves the rules to the API, whose field errors appear next to their fields; what was typed stays
 * in the form whatever the answer.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { BookingView } from '#shared/domain/operations/queries.ts';
import { InputField } from '../ui/records.tsx';
import { Field, SubmitButton } from '../ui.tsx';

export interface BookingDraft {
  readonly guestName: string;
  readonly guestEmail: string;
  readonly guestPhone: string;
  readonly arrivalDate: string;
  readonly departureDate: string;
  readonly checkInTime: string;
  readonly checkOutTime: string;
}

export const emptyDraft: BookingDraft = {
  guestName: '',
  guestEmail: '',
  guestPhone: '',
  arrivalDate: '',
  departureDate: '',
  checkInTime: '',
  checkOutTime: '',
};

export function draftOf(booking: BookingView): BookingDraft {
  const guest = booking.guest as { name: string; email?: string; phone?: string };
  return {
    guestName: guest.name,
    guestEmail: guest.email ?? '',
    guestPhone: guest.phone ?? '',
    arrivalDate: booking.arrivalDate,
    departureDate: booking.departureDate,
    checkInTime: booking.checkInTime ?? '',
    checkOutTime: booking.checkOutTime ?? '',
  };
}

/** The body of `POST /bookings`: empty optional fields are left out, so the property's defaults apply. */
export function createBody(propertyId: string, draft: BookingDraft) {
  return {
    propertyId,
    guest: {
      name: draft.guestName,
      ...(draft.guestEmail.trim() ? { email: draft.guestEmail.trim() } : {}),
      ...(draft.guestPhone.trim() ? { phone: draft.guestPhone.trim() } : {}),
    },
    arrivalDate: draft.arrivalDate,
    departureDate: draft.departureDate,
    ...(draft.checkInTime ? { checkInTime: draft.checkInTime } : {}),
    ...(draft.checkOutTime ? { checkOutTime: draft.checkOutTime } : {}),
  };
}

/**
 * The body of `PATCH /bookings/{id}`: only what changed; a cleared time goes back to the property's default
 * (`null`), and the version makes a change made meanwhile by someone else a clear conflict.
 */
export function changeBody(before: BookingDraft, after: BookingDraft, version: number) {
  const guest = {
    ...(after.guestName !== before.guestName ? { name: after.guestName } : {}),
    ...(after.guestEmail !== before.guestEmail && after.guestEmail.trim()
      ? { email: after.guestEmail.trim() }
      : {}),
    ...(after.guestPhone !== before.guestPhone && after.guestPhone.trim()
      ? { phone: after.guestPhone.trim() }
      : {}),
  };
  const time = (was: string, now: string) => (was === now ? undefined : now === '' ? null : now);
  const checkInTime = time(before.checkInTime, after.checkInTime);
  const checkOutTime = time(before.checkOutTime, after.checkOutTime);
  return {
    ...(Object.keys(guest).length > 0 ? { guest } : {}),
    ...(after.arrivalDate !== before.arrivalDate ? { arrivalDate: after.arrivalDate } : {}),
    ...(after.departureDate !== before.departureDate ? { departureDate: after.departureDate } : {}),
    ...(checkInTime !== undefined ? { checkInTime } : {}),
    ...(checkOutTime !== undefined ? { checkOutTime } : {}),
    expectedVersion: version,
  };
}

export function BookingForm(props: {
  initial: BookingDraft;
  errors: Readonly<Record<string, string>>;
  busy: boolean;
  submitLabel: string;
  timeZoneName: string;
  onSubmit: (draft: BookingDraft) => void;
  children?: ComponentChildren;
}) {
  const { initial, errors, busy, submitLabel, timeZoneName, onSubmit, children } = props;
  const [draft, setDraft] = useState(initial);
  const set = (field: keyof BookingDraft) => (value: string) =>
    setDraft((current) => ({ ...current, [field]: value }));
  const backwards =
    draft.arrivalDate !== '' && draft.departureDate !== '' && draft.departureDate <= draft.arrivalDate;
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!backwards) onSubmit(draft);
      }}
    >
      <Field
        label="Guest’s name"
        value={draft.guestName}
        onValue={set('guestName')}
        autocomplete="off"
        error={errors['guest.name'] ?? errors.guest}
      />
      <Field
        label="Guest’s email (optional)"
        type="email"
        value={draft.guestEmail}
        onValue={set('guestEmail')}
        autocomplete="off"
        hint="Where the access email goes."
        error={errors['guest.email']}
      />
      <InputField
        label="Guest’s phone (optional)"
        type="tel"
        value={draft.guestPhone}
        onValue={set('guestPhone')}
        hint="International format, e.g. +351 912 345 678."
        error={errors['guest.phone']}
      />
      <div class="field-row">
        <InputField
          label="Arrival"
          type="date"
          value={draft.arrivalDate}
          onValue={set('arrivalDate')}
          error={errors.arrivalDate}
        />
        <InputField
          label="Departure"
          type="date"
          value={draft.departureDate}
          onValue={set('departureDate')}
          error={errors.departureDate ?? (backwards ? 'Must be after the arrival' : undefined)}
        />
      </div>
      <div class="field-row">
        <InputField
          label="Check-in time (optional)"
          type="time"
          value={draft.checkInTime}
          onValue={set('checkInTime')}
          hint={`At the property, ${timeZoneName}; empty for the property’s usual time.`}
          error={errors.checkInTime}
        />
        <InputField
          label="Check-out time (optional)"
          type="time"
          value={draft.checkOutTime}
          onValue={set('checkOutTime')}
          hint={`At the property, ${timeZoneName}; empty for the property’s usual time.`}
          error={errors.checkOutTime}
        />
      </div>
      {children}
      <div class="actions">
        <SubmitButton busy={busy}>{submitLabel}</SubmitButton>
      </div>
    </form>
  );
}
