import { describe, expect, it } from 'vitest';
import {
  renderCodeNotReadyAlert,
  renderEmergencyAccessAlert,
  renderHostAlert,
  renderKeypadLockoutAlert,
  renderLockOfflineAlert,
  renderLowBatteryAlert,
} from '#shared/mail/templates/host-alerts.ts';
import { htmlTag, receive } from '../../support/mail-client.ts';
import { stayAcrossDstChange } from './fixtures.ts';

const property = { name: 'Casa Azul', timeZone: 'Europe/Lisbon' };
const consoleUrl = 'https://console.lockstay.example/locks/lock-1';

describe('the generic host alert', () => {
  it('gives the title as subject, the facts, what to do in order, and a link, in both parts', async () => {
    // Prepare
    const rendered = renderHostAlert({
      alert: {
        kind: 'host-alert',
        tone: 'warning',
        title: 'Firmware out of date: Front door',
        summary: 'The lock runs firmware 1.2.0; your minimum is 1.4.0.',
        facts: [{ label: 'Lock', lines: ['Front door'] }],
        actions: ['Update the lock from its maker’s app.', 'Check the version in the console afterwards.'],
        link: { label: 'Open the lock', url: consoleUrl },
      },
    });

    // Act
    const mail = await receive(rendered);

    // Assess
    expect(rendered.kind).toBe('host-alert');
    expect(mail.subject).toBe('Firmware out of date: Front door');
    expect(mail.text).toContain('The lock runs firmware 1.2.0; your minimum is 1.4.0.');
    expect(mail.text).toMatch(/Lock:\s+Front door/);
    expect(mail.text).toContain(
      'What to do\n----------\n  1. Update the lock from its maker’s app.\n  2. Check the version in the console afterwards.',
    );
    expect(mail.text).toContain(`Open the lock:\n${consoleUrl}`);
    expect(mail.text).not.toMatch(htmlTag);
    expect(mail.html).toContain(`href="${consoleUrl}"`);
    expect(mail.html).toContain('<li style="margin:0 0 6px;">Update the lock from its maker’s app.</li>');
  });

  it('escapes whatever a host typed into a lock or property name', async () => {
    const mail = await receive(
      renderLowBatteryAlert({
        property: { ...property, name: '<b>Casa</b>' },
        lockName: '"><script>x()</script>',
        batteryPercent: 9,
        reportedAt: '2026-10-21T12:00:00.000Z',
      }),
    );

    expect(mail.html).not.toMatch(/<script|<b>/);
    expect(mail.html).toContain('&quot;&gt;&lt;script&gt;x()&lt;/script&gt;');
  });
});

describe('the alerts hosts receive', () => {
  it('code not set before arrival: who arrives when, which lock and why, and what to do', async () => {
    const mail = await receive(
      renderCodeNotReadyAlert({
        property,
        consoleUrl,
        guestName: 'Ana Müller',
        checkInAt: stayAcrossDstChange.checkInAt,
        locks: [{ name: 'Front door', problem: 'lock-offline' }],
        fallbackIssued: true,
      }),
    );

    expect(mail.subject).toBe('Door code not ready for Ana Müller');
    expect(mail.text).toContain(
      'Ana Müller checks in at Casa Azul on Fri, 23 Oct 2026, 15:00 (Europe/Lisbon time), and their code is not yet set on: Front door.',
    );
    expect(mail.text).toMatch(/Front door:\s+the lock is offline/);
    expect(mail.text).toContain(
      'Check that the lock has power (batteries) and that its WiFi or bridge is online.',
    );
    expect(mail.text).toContain('An offline code has been issued and sent to the guest');
  });

  it('code not set and no fallback: tells the host to arrange another way in', async () => {
    const mail = await receive(
      renderCodeNotReadyAlert({
        property,
        guestName: 'Ana Müller',
        checkInAt: stayAcrossDstChange.checkInAt,
        locks: [{ name: 'Flat door', problem: 'lock-full' }],
        fallbackIssued: false,
      }),
    );

    expect(mail.text).toMatch(/Flat door:\s+the lock has no room for more codes/);
    expect(mail.text).toContain('Remove codes the lock no longer needs');
    expect(mail.text).toContain('give the guest another way in');
    expect(mail.html).not.toMatch(/href=/);
  });

  it('lock offline: since when, the next check-in, and what still works', async () => {
    const mail = await receive(
      renderLockOfflineAlert({
        property,
        lockName: 'Front door',
        offlineSince: '2026-10-22T08:00:00.000Z',
        nextCheckInAt: stayAcrossDstChange.checkInAt,
      }),
    );

    expect(mail.subject).toBe('Front door at Casa Azul is offline');
    expect(mail.text).toMatch(/Offline since:\s+Thu, 22 Oct 2026, 09:00 \(Europe\/Lisbon time\)/);
    expect(mail.text).toMatch(/Next check-in:\s+Fri, 23 Oct 2026, 15:00 \(Europe\/Lisbon time\)/);
    expect(mail.text).toContain('Codes already on the lock keep working.');
  });

  it('low battery: the level and what to do', async () => {
    const mail = await receive(
      renderLowBatteryAlert({
        property,
        lockName: 'Flat door',
        batteryPercent: 12,
        reportedAt: '2026-10-21T12:00:00.000Z',
      }),
    );

    expect(mail.subject).toBe('Low battery: Flat door at Casa Azul');
    expect(mail.text).toMatch(/Battery:\s+12%/);
    expect(mail.text).toContain('Replace the batteries before the next guest arrives');
  });

  it('keypad lockout: how many wrong codes, until when, and what to do', async () => {
    const mail = await receive(
      renderKeypadLockoutAlert({
        property,
        lockName: 'Front door',
        wrongEntries: 5,
        lockedAt: '2026-10-23T20:00:00.000Z',
        lockedUntil: '2026-10-23T20:05:00.000Z',
      }),
    );

    expect(mail.text).toContain(
      'Someone entered 5 wrong codes in a row, so the keypad refuses every code until Fri, 23 Oct 2026, 21:05 (Europe/Lisbon time).',
    );
    expect(mail.text).toContain('If nobody should be at the door');
  });

  it('emergency access: who gave it to whom and why, for how long, and that every owner is told', async () => {
    const mail = await receive(
      renderEmergencyAccessAlert({
        property,
        consoleUrl,
        contactName: 'João (neighbour)',
        reason: 'Water leak reported by the flat below',
        issuedByName: 'Rita Costa',
        startsAt: '2026-10-27T13:00:00.000Z',
        endsAt: '2026-10-28T13:00:00.000Z',
      }),
    );

    expect(mail.subject).toBe('Emergency access granted at Casa Azul');
    expect(mail.text).toContain(
      'Rita Costa gave João (neighbour) emergency access to Casa Azul. Every owner of the account receives this notice.',
    );
    expect(mail.text).toMatch(/Reason:\s+Water leak reported by the flat below/);
    expect(mail.text).toMatch(/Valid until:\s+Wed, 28 Oct 2026, 13:00 \(Europe\/Lisbon time\)/);
    expect(mail.text).toContain('revoke the grant in the console at once');
  });

  it('in German when asked', async () => {
    const mail = await receive(
      renderLowBatteryAlert({
        language: 'de',
        property,
        lockName: 'Haustür',
        batteryPercent: 12,
        reportedAt: '2026-10-21T12:00:00.000Z',
      }),
    );

    expect(mail.subject).toBe('Batterie schwach: Haustür in Casa Azul');
    expect(mail.text).toContain('Was zu tun ist');
  });
});
