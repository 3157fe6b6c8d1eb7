/**
 * The host's own account, as the API and the token name it: who, which tenant, which role and what it may do,
 * and when this session began.
 */
import type { HostRole } from '#shared/domain/team.ts';
import { formatDateTime, viewerTimeZone } from '../time.ts';
import { useTitle } from '../title.ts';
import { readClaims } from '../tokens.ts';
import { Heading } from '../ui.tsx';
import type { SectionProps } from './shell.tsx';

const roleDescriptions: Record<HostRole, string> = {
  owner: 'Everything in the tenant, including the team and the booking integrations.',
  manager: 'Properties, locks, bookings and access grants, and unlocking doors remotely.',
  staff: 'The schedule of the properties you are assigned to, and your own access codes.',
};

export function AccountPage(props: SectionProps) {
  const { services, me } = props;
  useTitle('Your account');
  const tokens = services.session.current();
  const signedInAt = tokens ? readClaims(tokens.idToken).auth_time : undefined;
  return (
    <>
      <Heading>Your account</Heading>
      <dl class="facts">
        <dt>Email</dt>
        <dd>{me.email ?? '—'}</dd>
        <dt>Role</dt>
        <dd>
          <strong>{me.role}</strong>: {roleDescriptions[me.role]}
        </dd>
        <dt>Tenant</dt>
        <dd>{me.tenantId}</dd>
        <dt>Second factor</dt>
        <dd>Authenticator app</dd>
        {signedInAt ? (
          <>
            <dt>Signed in</dt>
            <dd>{formatDateTime({ at: signedInAt * 1000, timeZone: viewerTimeZone() })}</dd>
          </>
        ) : null}
      </dl>
      <p class="hint">
        This session lasts while this tab is open; it ends when you sign out or close the tab.
      </p>
    </>
  );
}
