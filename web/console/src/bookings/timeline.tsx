/** A stay's or grant's timeline, oldest first, each event told in words at the property's clock. */
import type { AuditEvent } from '#shared/domain/audit.ts';
import { formatDateTime } from '../time.ts';
import { type EventWordsContext, eventWords } from '../ui/audit-words.ts';

export interface Timeline {
  readonly events: readonly AuditEvent[];
  readonly complete: boolean;
}

export function TimelinePanel(props: { timeline: Timeline; timeZone: string; words: EventWordsContext }) {
  const { timeline, timeZone, words } = props;
  return (
    <section class="panel" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      <p class="hint">Times in {timeZone}.</p>
      <ol class="timeline" data-testid="timeline">
        {timeline.events.map((event) => (
          <li key={event.id} data-action={event.action}>
            <time dateTime={event.at}>{formatDateTime({ at: event.at, timeZone })}</time>{' '}
            {eventWords(event, words)}
          </li>
        ))}
      </ol>
      {timeline.complete ? null : (
        <p class="hint">
          Showing the latest {timeline.events.length} events: older ones are in the{' '}
          <a href="#/audit">audit log</a>.
        </p>
      )}
    </section>
  );
}
