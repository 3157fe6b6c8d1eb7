/** Deutsch. */
import type { MailMessages } from '../catalogue.ts';

export const de: MailMessages = {
  defaultLocale: 'de-DE',
  common: {
    inZone: (dateTime, zone) => `${dateTime} (Ortszeit ${zone})`,
    greeting: (name) => `Hallo ${name},`,
    linkFallback: 'Falls die Schaltfläche nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:',
    sentAutomatically:
      'Diese E-Mail wurde automatisch von Lockstay verschickt. Antworten darauf werden nicht gelesen.',
    whatToDo: 'Was zu tun ist',
  },
  guest: {
    facts: {
      property: 'Unterkunft',
      address: 'Adresse',
      checkIn: 'Check-in',
      checkOut: 'Check-out',
      previously: 'Bisher',
    },
    codes: {
      yourCode: 'Ihr Türcode',
      yourNewCode: 'Ihr neuer Türcode',
      opens: (lockNames) => `Öffnet: ${lockNames}`,
      worksDuringStay: 'Ihr Code gilt vom Check-in bis zum Check-out.',
      offline:
        'Dies ist ein Offline-Code: Das Schloss prüft ihn selbst, er funktioniert also auch ohne Internetverbindung.',
      offlineFirstUse: (before) =>
        `Geben Sie ihn zum ersten Mal vor ${before} ein; danach gilt er bis zum Check-out.`,
    },
    keypad: {
      title: 'So öffnen Sie die Tür',
      steps: [
        'Berühren Sie das Tastenfeld, um es zu wecken: Die Tasten leuchten auf.',
        'Geben Sie Ihren Code ein.',
        'Bestätigen Sie mit der ✓-Taste (auf manchen Tastenfeldern zeigt sie ein Schloss).',
        'Das Schloss öffnet sich nach wenigen Sekunden: Drücken Sie die Klinke oder die Tür.',
      ],
      wrongCode:
        'Vertippt? Das Schloss piept und bleibt zu. Warten Sie einen Moment und geben Sie den ganzen Code noch einmal von vorn ein.',
      lockout: (wrongEntries, minutes) =>
        `Nach ${wrongEntries} falschen Versuchen in Folge sperrt sich das Tastenfeld für ${minutes} Minuten und reagiert auf keine Taste. Warten Sie, bis es wieder leuchtet, und geben Sie den Code dann einmal sorgfältig ein.`,
      stillLocked: 'Wenn die Tür dann immer noch nicht aufgeht, wenden Sie sich an Ihren Gastgeber.',
    },
    guestPage: {
      intro: 'Ihre Gästeseite zeigt Ihren Code und die Angaben zu Ihrem Aufenthalt jederzeit an.',
      remoteUnlock: 'Während Ihres Aufenthalts kann sie die Tür auch von Ihrem Telefon aus öffnen.',
      button: 'Gästeseite öffnen',
    },
    hostContact: (details) => `Fragen zu Ihrem Aufenthalt? Ihr Gastgeber: ${details}.`,
    keepPrivate: {
      title: 'Behalten Sie diese E-Mail für sich',
      text: 'Mit dem Code und dem Link kommt jeder in die Unterkunft: Bitte leiten Sie diese E-Mail nicht weiter.',
    },
    whyYouGetThis: (property) => `Sie erhalten diese E-Mail wegen Ihrer Buchung in ${property}.`,
    access: {
      subject: (property, dates) => `Ihr Türcode für ${property} (${dates})`,
      preheader: (checkIn) => `Check-in ${checkIn}. Ihr Code und die Bedienung des Tastenfelds.`,
      title: (property) => `Ihr Aufenthalt in ${property}`,
      intro: (property) =>
        `Ihr Türcode für ${property} ist bereit. Hier steht alles, was Sie brauchen, um selbst hineinzukommen.`,
    },
    changed: {
      subject: (property, dates) => `Ihr Aufenthalt in ${property} hat sich geändert (${dates})`,
      preheader: (checkIn) => `Neuer Check-in: ${checkIn}.`,
      title: (property) => `Ihr Aufenthalt in ${property} hat sich geändert`,
      intro: 'Ihre Buchung wurde geändert. Dies sind die neuen Zeiten; die alten gelten nicht mehr.',
      codeChanged: 'Ihr Türcode hat sich geändert. Der alte Code funktioniert nicht mehr.',
      codeUnchanged: 'Ihr Türcode bleibt derselbe und gilt zu den neuen Zeiten.',
    },
    cancelled: {
      subject: (property, dates) => `Storniert: Ihr Aufenthalt in ${property} (${dates})`,
      preheader: 'Ihre Buchung wurde storniert und Ihr Zugang entfernt.',
      title: 'Ihr Aufenthalt wurde storniert',
      intro: (property, dates) => `Ihre Buchung in ${property} für ${dates} wurde storniert.`,
      accessRemovedTitle: 'Zugang entfernt',
      accessRemoved:
        'Ihr Türcode funktioniert nicht mehr, und der Link zu Ihrer Gästeseite ist abgeschaltet.',
      mistake:
        'Wenn Sie das für einen Irrtum halten, wenden Sie sich an Ihren Gastgeber oder an die Website, über die Sie gebucht haben.',
    },
  },
  hostAlerts: {
    facts: {
      property: 'Unterkunft',
      lock: 'Schloss',
      guest: 'Gast',
      checkIn: 'Check-in',
      offlineSince: 'Offline seit',
      nextCheckIn: 'Nächster Check-in',
      battery: 'Batterie',
      reportedAt: 'Gemeldet',
      lockedAt: 'Gesperrt um',
      lockedUntil: 'Gesperrt bis',
      wrongEntries: 'Falsche Codes in Folge',
      givenTo: 'Erteilt an',
      reason: 'Grund',
      givenBy: 'Erteilt von',
      validFrom: 'Gültig ab',
      validUntil: 'Gültig bis',
    },
    openConsole: 'Lockstay-Konsole öffnen',
    codeNotReady: {
      title: (guest) => `Türcode für ${guest} nicht bereit`,
      summary: (guest, property, checkIn, locks) =>
        `${guest} checkt am ${checkIn} in ${property} ein, und der Code ist noch nicht gesetzt auf: ${locks}.`,
      problem: {
        'lock-offline': 'das Schloss ist offline',
        'lock-full': 'das Schloss hat keinen Platz für weitere Codes',
        'rejected-by-lock': 'das Schloss hat den Code abgelehnt',
        'not-confirmed-in-time': 'das Schloss hat den Code nicht rechtzeitig bestätigt',
        'too-many-codes-for-shadow': 'zu viele Codes warten auf dieses Schloss',
        'not-confirmed': 'das Schloss hat den Code noch nicht bestätigt',
        'no-offline-code':
          'für dieses Schloss kann kein Offline-Code ausgegeben werden (Tastenfeld zu kurz oder Aufenthalt zu lang)',
      },
      fixOffline:
        'Prüfen Sie, ob das Schloss Strom hat (Batterien) und sein WLAN oder seine Bridge online ist. Der Code wird erneut gesendet, sobald das Schloss wieder verbunden ist.',
      fixFull:
        'Entfernen Sie Codes, die das Schloss nicht mehr braucht, und senden Sie den Code dann in der Konsole erneut.',
      fixOther:
        'Senden Sie den Code in der Konsole erneut, oder entfernen Sie das Schloss und fügen Sie es neu hinzu, wenn es weiter ablehnt.',
      fallbackIssued:
        'Ein Offline-Code wurde ausgestellt und an den Gast geschickt: Das Schloss nimmt ihn auch offline an.',
      noFallback:
        'Wenn sich das Schloss vor dem Check-in nicht reparieren lässt, sorgen Sie für einen anderen Zugang (Schlüsselsafe oder jemand vor Ort).',
    },
    lockOffline: {
      title: (lock, property) => `${lock} in ${property} ist offline`,
      summary: (since) => `Das Schloss hat sich seit ${since} nicht gemeldet.`,
      checkPower: 'Prüfen Sie die Batterien des Schlosses und das WLAN oder die Bridge, die es nutzt.',
      meanwhile:
        'Codes, die schon auf dem Schloss sind, funktionieren weiter. Neue oder geänderte Codes erreichen es erst, wenn es wieder online ist, und bis dahin lässt es sich nicht aus der Ferne öffnen.',
    },
    lowBattery: {
      title: (lock, property) => `Batterie schwach: ${lock} in ${property}`,
      summary: (percent) =>
        `Die Batterie steht bei ${percent} %. Ersetzen Sie sie bald, damit das Schloss weiter funktioniert.`,
      replace:
        'Ersetzen Sie die Batterien vor der Ankunft des nächsten Gastes, mit dem Typ, den der Hersteller angibt.',
    },
    keypadLockout: {
      title: (lock, property) => `Tastenfeld nach falschen Codes gesperrt: ${lock} in ${property}`,
      summary: (wrongEntries, until) =>
        `Jemand hat ${wrongEntries} falsche Codes in Folge eingegeben; das Tastenfeld lehnt bis ${until} jeden Code ab.`,
      callGuest:
        'Wenn ein Gast da ist, rufen Sie ihn an: Vielleicht tippt er einen alten Code oder vergisst am Ende die ✓-Taste.',
      nobodyExpected:
        'Wenn niemand an der Tür sein sollte, sehen Sie in der Unterkunft nach und lesen Sie das Protokoll.',
    },
    emergencyAccess: {
      title: (property) => `Notfallzugang für ${property} erteilt`,
      summary: (issuedBy, contact, property) =>
        `${issuedBy} hat ${contact} Notfallzugang zu ${property} gegeben. Alle Eigentümer des Kontos erhalten diese Nachricht.`,
      expected: 'Wenn Sie das erwartet haben, ist nichts zu tun: Der Zugang endet von selbst.',
      unexpected: 'Wenn nicht, widerrufen Sie den Zugang sofort in der Konsole und lesen Sie das Protokoll.',
    },
  },
};
