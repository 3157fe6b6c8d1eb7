/**
 * A team member's card (with the owner's change and remove actions) and the invitation form. Each sends one
 * API request and shows the API's field errors beside the fields, keeping what was typed.
 */
import { useState } from 'preact/hooks';
import type { HostRole } from '#shared/domain/team.ts';
import type { ConsoleServices } from '../services.ts';
import { CheckboxGroup, failureMessage, fieldErrorsOf, SelectField, useRequest } from '../ui/admin.tsx';
import { Alert, Field, SubmitButton } from '../ui.tsx';
import {
  assignsProperties,
  memberChange,
  type PropertyChoice,
  propertyNames,
  roleChoices,
  roleLabels,
  statusLabels,
  type TeamMember,
} from './team-members.ts';

const propertyChoices = (properties: readonly PropertyChoice[]) =>
  properties.map((property) => ({ value: property.id, label: property.name }));

export function MemberCard(props: {
  member: TeamMember;
  properties: readonly PropertyChoice[];
  services: ConsoleServices;
  mayChange: boolean;
  isYou: boolean;
  onChanged: (member: TeamMember) => void;
}) {
  const { member, properties, services, mayChange, isYou, onChanged } = props;
  const request = useRequest();
  const [editing, setEditing] = useState(false);
  const [confirmingRemoval, setConfirmingRemoval] = useState(false);
  const [role, setRole] = useState<HostRole>(member.role);
  const [propertyIds, setPropertyIds] = useState<string[]>([...member.assignedPropertyIds]);
  const [notice, setNotice] = useState<string | undefined>();
  const errors = fieldErrorsOf(request.failure);
  const path = `/users/${encodeURIComponent(member.userId)}`;
  const headingId = `member-${member.userId}`;

  const save = async (event: Event) => {
    event.preventDefault();
    setNotice(undefined);
    const change = memberChange({ member, role, propertyIds });
    if (!change) {
      setEditing(false);
      return;
    }
    const saved = await request.run(() => services.api.patch<TeamMember>(path, change));
    if (saved) {
      setEditing(false);
      setNotice(`${saved.name} is now ${roleLabels[saved.role].toLowerCase()}.`);
      onChanged(saved);
    }
  };
  const remove = async () => {
    setNotice(undefined);
    const result = await request.run(() =>
      services.api.delete<{ member: TeamMember; revokedGrantIds?: string[] }>(path),
    );
    if (result) onChanged(result.member);
  };

  return (
    <li class="card member" aria-labelledby={headingId} data-testid="team-member">
      <div class="card-title">
        <h3 id={headingId}>
          {member.name}
          {isYou ? ' (you)' : ''}
        </h3>
        <span class={`badge ${member.status === 'active' ? 'badge-good' : 'badge-neutral'}`}>
          {statusLabels[member.status]}
        </span>
      </div>
      <dl class="facts compact">
        <dt>Email</dt>
        <dd>{member.email}</dd>
        <dt>Role</dt>
        <dd data-testid="member-role">{roleLabels[member.role]}</dd>
        {assignsProperties(member.role) ? (
          <>
            <dt>Properties</dt>
            <dd data-testid="member-properties">
              {member.assignedPropertyIds.length === 0
                ? 'None yet: they see no schedule'
                : propertyNames({ propertyIds: member.assignedPropertyIds, properties }).join(', ')}
            </dd>
          </>
        ) : null}
      </dl>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {editing ? (
        <form onSubmit={(event) => void save(event)} noValidate aria-label={`Change ${member.name}`}>
          <SelectField
            label="Role"
            value={role}
            onValue={(value) => setRole(value as HostRole)}
            choices={roleChoices}
            error={errors.role}
          />
          {assignsProperties(role) ? (
            <CheckboxGroup
              legend="Assigned properties"
              choices={propertyChoices(properties)}
              selected={propertyIds}
              onSelected={setPropertyIds}
              error={errors.assignedPropertyIds}
            />
          ) : null}
          {request.failure && !errors.role && !errors.assignedPropertyIds ? (
            <Alert tone="error">{failureMessage(request.failure, 'change this member')}</Alert>
          ) : null}
          <div class="actions">
            <SubmitButton busy={request.busy}>Save changes</SubmitButton>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setEditing(false);
                setRole(member.role);
                setPropertyIds([...member.assignedPropertyIds]);
                request.clear();
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : mayChange ? (
        <div class="actions">
          {request.failure ? (
            <Alert tone="error">{failureMessage(request.failure, 'remove this member')}</Alert>
          ) : null}
          <button type="button" class="secondary" onClick={() => setEditing(true)}>
            Change role or properties
          </button>
          {isYou ? null : confirmingRemoval ? (
            <fieldset class="confirm">
              <legend class="visually-hidden">{`Remove ${member.name}?`}</legend>
              <span>Remove {member.name}? Their sign-in ends and their access grants are revoked.</span>{' '}
              <button type="button" class="danger" disabled={request.busy} onClick={() => void remove()}>
                Yes, remove
              </button>{' '}
              <button type="button" class="secondary" onClick={() => setConfirmingRemoval(false)}>
                Keep
              </button>
            </fieldset>
          ) : (
            <button type="button" class="secondary" onClick={() => setConfirmingRemoval(true)}>
              Remove
            </button>
          )}
        </div>
      ) : null}
    </li>
  );
}

export function InviteForm(props: {
  services: ConsoleServices;
  properties: readonly PropertyChoice[];
  onInvited: (member: TeamMember) => void;
}) {
  const { services, properties, onInvited } = props;
  const request = useRequest();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<HostRole>('staff');
  const [propertyIds, setPropertyIds] = useState<string[]>([]);
  const [invited, setInvited] = useState<string | undefined>();
  const errors = fieldErrorsOf(request.failure);

  const submit = async (event: Event) => {
    event.preventDefault();
    setInvited(undefined);
    const body = { email, name, role, assignedPropertyIds: assignsProperties(role) ? propertyIds : [] };
    const member = await request.run(() =>
      services.api.post<TeamMember>('/users', body, { idempotencyKey: crypto.randomUUID() }),
    );
    if (member) {
      setEmail('');
      setName('');
      setPropertyIds([]);
      setInvited(member.email);
      onInvited(member);
    }
  };

  return (
    <section class="panel" aria-labelledby="invite">
      <h2 id="invite">Invite someone</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="Email"
          type="email"
          value={email}
          onValue={setEmail}
          autocomplete="off"
          maxLength={254}
          required
          error={errors.email}
        />
        <Field label="Name" value={name} onValue={setName} maxLength={200} required error={errors.name} />
        <SelectField
          label="Role"
          value={role}
          onValue={(value) => setRole(value as HostRole)}
          choices={roleChoices}
          error={errors.role}
          hint="See below what each role may do."
        />
        {assignsProperties(role) ? (
          <CheckboxGroup
            legend="Assigned properties"
            hint="Staff see the schedule of these properties only."
            choices={propertyChoices(properties)}
            selected={propertyIds}
            onSelected={setPropertyIds}
            error={errors.assignedPropertyIds}
          />
        ) : null}
        {request.failure && !errors.email && !errors.name && !errors.role && !errors.assignedPropertyIds ? (
          <Alert tone="error">{failureMessage(request.failure, 'send the invitation')}</Alert>
        ) : null}
        {invited ? (
          <Alert tone="success">
            Invitation sent to {invited}: they get an email with a temporary password, then choose their own
            and set up an authenticator app.
          </Alert>
        ) : null}
        <SubmitButton busy={request.busy}>Send invitation</SubmitButton>
      </form>
    </section>
  );
}
