/** English: complete, and the fallback for every language without a catalogue. */
import type { MailMessages } from '../catalogue.ts';

export const en: MailMessages = {
  defaultLocale: 'en-GB',
  common: {
    inZone: (dateTime, zone) => `${dateTime} (${zone} time)`,
    greeting: (name) => `Hello ${name},`,
    linkFallback: 'If the button does not work, copy this link into your browser:',
    sentAutomatically: 'This email was sent automatically by Lockstay. Replies to it are not read.',
    whatToDo: 'What to do',
  },
  guest: {
    facts: {
      property: 'Property',
      address: 'Address',
      checkIn: 'Check-in',
      checkOut: 'Check-out',
      previously: 'Previously',
    },
    codes: {
      yourCode: 'Your door code',
      yourNewCode: 'Your new door code',
      opens: (lockNames) => `Opens: ${lockNames}`,
      worksDuringStay: 'Your code works from check-in until check-out.',
      offline:
        'This is an offline code: the lock checks it by itself, so it works even without an internet connection.',
      offlineFirstUse: (before) =>
        `Use it for the first time before ${before}; after that it keeps working until check-out.`,
    },
    keypad: {
      title: 'How to open the door',
      steps: [
        'Touch the keypad to wake it up: its keys light up.',
        'Enter your code.',
        'Press the ✓ key to confirm (on some keypads it shows a lock symbol).',
        'The lock opens within a few seconds: turn the handle or push the door.',
      ],
      wrongCode:
        'Typed a wrong digit? The lock beeps and stays locked. Wait a moment, then enter the whole code again from the start.',
      lockout: (wrongEntries, minutes) =>
        `After ${wrongEntries} wrong tries in a row the keypad locks itself for ${minutes} minutes and ignores every key. Wait until it lights up again, then enter the code once, carefully.`,
      stillLocked: 'If the door still does not open, contact your host.',
    },
    guestPage: {
      intro: 'Your guest page shows your code and the details of your stay at any time.',
      remoteUnlock: 'During your stay it can also open the door from your phone.',
      button: 'Open your guest page',
    },
    hostContact: (details) => `Questions about your stay? Contact your host: ${details}.`,
    keepPrivate: {
      title: 'Keep this email to yourself',
      text: 'The code and the link let anyone into the property: please do not forward this email.',
    },
    whyYouGetThis: (property) => `You are receiving this email because of your booking at ${property}.`,
    access: {
      subject: (property, dates) => `Your door code for ${property} (${dates})`,
      preheader: (checkIn) => `Check-in ${checkIn}. Your code and how to use the keypad are inside.`,
      title: (property) => `Your stay at ${property}`,
      intro: (property) =>
        `Your door code for ${property} is ready. Everything you need to let yourself in is below.`,
    },
    changed: {
      subject: (property, dates) => `Your stay at ${property} has changed (${dates})`,
      preheader: (checkIn) => `New check-in: ${checkIn}.`,
      title: (property) => `Your stay at ${property} has changed`,
      intro: 'Your booking has been updated. These are the new times; the old ones no longer apply.',
      codeChanged: 'Your door code has changed. The old code no longer works.',
      codeUnchanged: 'Your door code stays the same and works at the new times.',
    },
    cancelled: {
      subject: (property, dates) => `Cancelled: your stay at ${property} (${dates})`,
      preheader: 'Your booking has been cancelled and your access removed.',
      title: 'Your stay has been cancelled',
      intro: (property, dates) => `Your booking at ${property} for ${dates} has been cancelled.`,
      accessRemovedTitle: 'Access removed',
      accessRemoved: 'Your door code no longer works, and the link to your guest page has been switched off.',
      mistake: 'If you think this is a mistake, contact your host or the site where you booked.',
    },
  },
  hostAlerts: {
    facts: {
      property: 'Property',
      lock: 'Lock',
      guest: 'Guest',
      checkIn: 'Check-in',
      offlineSince: 'Offline since',
      nextCheckIn: 'Next check-in',
      battery: 'Battery',
      reportedAt: 'Reported',
      lockedAt: 'Locked at',
      lockedUntil: 'Locked until',
      wrongEntries: 'Wrong codes in a row',
      givenTo: 'Given to',
      reason: 'Reason',
      givenBy: 'Given by',
      validFrom: 'Valid from',
      validUntil: 'Valid until',
    },
    openConsole: 'Open the Lockstay console',
    codeNotReady: {
      title: (guest) => `Door code not ready for ${guest}`,
      summary: (guest, property, checkIn, locks) =>
        `${guest} checks in at ${property} on ${checkIn}, and their code is not yet set on: ${locks}.`,
      problem: {
        'lock-offline': 'the lock is offline',
        'lock-full': 'the lock has no room for more codes',
        'rejected-by-lock': 'the lock refused the code',
        'not-confirmed-in-time': 'the lock did not confirm the code in time',
        'too-many-codes-for-shadow': 'too many codes are waiting for this lock',
        'not-confirmed': 'the lock has not confirmed the code yet',
        'no-offline-code':
          'no offline code can be given for this lock (its keypad is too short, or the stay too long)',
      },
      fixOffline:
        'Check that the lock has power (batteries) and that its WiFi or bridge is online. The code is sent again as soon as the lock reconnects.',
      fixFull: 'Remove codes the lock no longer needs, then retry the code from the console.',
      fixOther: 'Retry the code from the console, or remove and add the lock again if it keeps refusing.',
      fallbackIssued:
        'An offline code has been issued and sent to the guest: the lock accepts it even while it is offline.',
      noFallback:
        'If the lock cannot be fixed before check-in, give the guest another way in (a key safe, or someone on site).',
    },
    lockOffline: {
      title: (lock, property) => `${lock} at ${property} is offline`,
      summary: (since) => `The lock has not been in contact since ${since}.`,
      checkPower: "Check the lock's batteries and the WiFi or bridge it uses.",
      meanwhile:
        'Codes already on the lock keep working. New or changed codes reach it only when it is back online, and it cannot be opened remotely until then.',
    },
    lowBattery: {
      title: (lock, property) => `Low battery: ${lock} at ${property}`,
      summary: (percent) => `The battery is at ${percent}%. Replace it soon so that the lock keeps working.`,
      replace:
        "Replace the batteries before the next guest arrives, with the type the lock's maker specifies.",
    },
    keypadLockout: {
      title: (lock, property) => `Keypad locked after wrong codes: ${lock} at ${property}`,
      summary: (wrongEntries, until) =>
        `Someone entered ${wrongEntries} wrong codes in a row, so the keypad refuses every code until ${until}.`,
      callGuest:
        'If a guest is staying, call them: they may be typing an old code or forgetting the ✓ key at the end.',
      nobodyExpected: 'If nobody should be at the door, check on the property and read its audit log.',
    },
    emergencyAccess: {
      title: (property) => `Emergency access granted at ${property}`,
      summary: (issuedBy, contact, property) =>
        `${issuedBy} gave ${contact} emergency access to ${property}. Every owner of the account receives this notice.`,
      expected: 'If you expected this, there is nothing to do: the access ends by itself.',
      unexpected: 'If not, revoke the grant in the console at once and read the audit log.',
    },
  },
};
