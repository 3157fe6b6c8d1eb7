/**
 * In-memory stand-ins for the guest emails' ports: a send record that keeps the DynamoDB adapter's promises
 * (one claim per send key unless stale, a cap per booking, sent only by the claim's owner), a mail service that
 * keeps what it was given (or refuses on demand), and the guest link store.
 */
import type { AuditEvent } from '#shared/domain/audit.ts';
import type {
  GuestEmailClaim,
  GuestEmailLog,
  GuestEmailPorts,
  GuestEmailSend,
} from '#shared/guests/guest-email.ts';
import type { GuestLink, GuestLinkStore } from '#shared/guests/guest-link.ts';
import type { MailSender, OutgoingMail } from '#shared/mail/mail-sender.ts';
import { addLock, addProperty, testWorld } from '../domain/fakes.ts';

/**
 * Where the guest-email tests start: 1 October, the Loft with its Front door, and the guest emails' ports in
 * memory (no offline codes), links under `pagesOrigin`.
 */
export function guestEmailWorld({
  pagesOrigin = 'https://stay.lockstay.test',
}: {
  pagesOrigin?: string;
} = {}) {
  const world = testWorld({ now: '2026-10-01T09:00:00.000Z', randomScript: [480371] });
  addProperty(world.store);
  addLock(world.store, { id: 'lck_front', name: 'Front door' });
  const sends = new InMemoryGuestEmailLog();
  const mail = new RecordingMailSender();
  const guestLinks = new InMemoryGuestLinks();
  const ports: GuestEmailPorts = {
    ...world.ports,
    guestLinks,
    sends,
    mail,
    pagesOrigin,
    offlineCodes: { listByGrant: async () => [] },
  };
  return { world, sends, mail, guestLinks, ports };
}

export class InMemoryGuestEmailLog implements GuestEmailLog {
  readonly sends = new Map<string, GuestEmailSend>();
  readonly counters = new Map<string, number>();
  readonly auditEvents: AuditEvent[] = [];

  async claim({
    send,
    maxSends,
    staleBefore,
  }: {
    send: GuestEmailSend;
    maxSends: number;
    staleBefore: string;
  }): Promise<GuestEmailClaim> {
    const key = `${send.tenantId}/${send.bookingId}/${send.sendKey}`;
    const existing = this.sends.get(key);
    if (existing && !(existing.status === 'sending' && existing.claimedAt < staleBefore)) {
      return { claimed: false, why: existing.status === 'sent' ? 'already-sent' : 'in-progress' };
    }
    const counter = `${send.tenantId}/${send.bookingId}`;
    const count = this.counters.get(counter) ?? 0;
    if (count >= maxSends) return { claimed: false, why: 'cap-reached' };
    this.counters.set(counter, count + 1);
    this.sends.set(key, send);
    return { claimed: true };
  }

  async recordSent({ send, auditEvent }: { send: GuestEmailSend; auditEvent: AuditEvent }) {
    const key = `${send.tenantId}/${send.bookingId}/${send.sendKey}`;
    if (this.sends.get(key)?.claimId !== send.claimId) throw new Error('Not our claim');
    this.sends.set(key, send);
    this.auditEvents.push(auditEvent);
  }

  async release({ send }: { send: GuestEmailSend }) {
    const key = `${send.tenantId}/${send.bookingId}/${send.sendKey}`;
    const existing = this.sends.get(key);
    if (existing?.claimId === send.claimId && existing.status === 'sending') this.sends.delete(key);
  }

  async listSent({ tenantId, bookingId }: { tenantId: string; bookingId: string }) {
    return [...this.sends.values()]
      .filter((send) => send.tenantId === tenantId && send.bookingId === bookingId && send.status === 'sent')
      .sort((a, b) => String(a.sentAt).localeCompare(String(b.sentAt)));
  }
}

export class RecordingMailSender implements MailSender {
  readonly sent: OutgoingMail[] = [];
  /** Refuses this many messages before accepting again. */
  refuseNext = 0;
  async send(mail: OutgoingMail) {
    if (this.refuseNext > 0) {
      this.refuseNext -= 1;
      throw new Error('Throttling: maximum sending rate exceeded');
    }
    this.sent.push(mail);
    return { messageId: `msg-${this.sent.length}` };
  }
}

export class InMemoryGuestLinks implements GuestLinkStore {
  readonly links = new Map<string, GuestLink>();
  async save(link: GuestLink) {
    this.links.set(`${link.tenantId}/${link.grantId}`, link);
  }
  async findByTokenHash(tokenHash: string) {
    return [...this.links.values()].find((link) => link.tokenHash === tokenHash);
  }
  async remove({ tenantId, grantId }: { tenantId: string; grantId: string }) {
    this.links.delete(`${tenantId}/${grantId}`);
  }
}
