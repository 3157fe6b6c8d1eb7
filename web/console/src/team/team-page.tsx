/**
 * Team: the members of the business with their role, status and (for staff) assigned properties; owners invite,
 * change roles and properties, and remove members. What each role may do is shown as a table generated from the
 * domain's permission matrix, the same one the API enforces. Only owners see the forms; the API refuses others.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { mayAttempt } from '../role-permissions.ts';
import type { SectionProps } from '../shell/shell.tsx';
import { useTitle } from '../title.ts';
import { allPages, failureMessage } from '../ui/admin.tsx';
import { Heading, ReadProgress } from '../ui.tsx';
import { InviteForm, MemberCard } from './member-forms.tsx';
import { RoleMatrix } from './role-matrix.tsx';
import { type PropertyChoice, roleLabels, type TeamMember, withChangedMembers } from './team-members.ts';

type Listing =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loaded'; readonly members: readonly TeamMember[] }
  | { readonly kind: 'failed'; readonly message: string };

export function TeamPage(props: SectionProps) {
  const { services, me } = props;
  const { api } = services;
  useTitle('Team');
  const [listing, setListing] = useState<Listing>({ kind: 'loading' });
  const [properties, setProperties] = useState<readonly PropertyChoice[]>([]);
  const mayChange = mayAttempt(me.role, 'team.invite');

  // Invited, changed or removed since the list was last asked for: its answer may have been read before.
  const changedSinceLoad = useRef(new Map<string, TeamMember>());

  const load = useCallback(() => {
    const changes = new Map<string, TeamMember>();
    changedSinceLoad.current = changes;
    setListing({ kind: 'loading' });
    Promise.all([
      allPages<TeamMember>((path) => api.get(path), '/users'),
      allPages<PropertyChoice>((path) => api.get(path), '/properties'),
    ]).then(
      ([members, found]) => {
        setListing({ kind: 'loaded', members: withChangedMembers(members, [...changes.values()]) });
        setProperties(found);
      },
      (failure: unknown) =>
        setListing({ kind: 'failed', message: failureMessage(failure, 'list your team') }),
    );
  }, [api]);
  useEffect(load, [load]);

  const members = listing.kind === 'loaded' ? listing.members : [];
  const changed = (member: TeamMember) => {
    changedSinceLoad.current.set(member.userId, member);
    setListing((shown) => ({
      kind: 'loaded',
      members: withChangedMembers(shown.kind === 'loaded' ? shown.members : [], [member]),
    }));
  };
  const current = members.filter((member) => member.status !== 'removed');
  const removed = members.filter((member) => member.status === 'removed');

  return (
    <>
      <Heading>Team</Heading>
      <p class="lead">
        Who works with you in Lockstay. Everyone signs in with a password and an authenticator app.
        {mayChange ? '' : ' Only owners can invite, change or remove members.'}
      </p>
      <section aria-labelledby="members">
        <h2 id="members">Members</h2>
        <ReadProgress state={listing} loading="Loading the team…" onRetry={load} />
        <ul class="cards">
          {current.map((member) => (
            <MemberCard
              key={member.userId}
              member={member}
              properties={properties}
              services={services}
              mayChange={mayChange}
              isYou={member.userId === me.userId}
              onChanged={changed}
            />
          ))}
        </ul>
        {removed.length > 0 ? (
          <details>
            <summary>Removed members ({removed.length})</summary>
            <ul class="plain">
              {removed.map((member) => (
                <li key={member.userId}>
                  {member.name} ({member.email}), was {roleLabels[member.role]}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>
      {mayChange ? <InviteForm services={services} properties={properties} onInvited={changed} /> : null}
      <RoleMatrix />
    </>
  );
}
