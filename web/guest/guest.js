/**
 * The guest page: reads the link's token from the URL fragment (which browsers never send to a server or in a
 * Referer), asks the guest API for the stay and shows it. Opening it only reads; the one action, Unlock, is a
 * JSON POST. No framework: the page must be small and fast on a poor connection.
 */
import { catalogueFor, fill } from './messages.js';

const root = document.getElementById('stay');
const token = decodeURIComponent(location.hash.slice(1));
const api = (path) => `/guest/stays/${encodeURIComponent(token)}${path}`;
// The guest API serves POST /guest/stays/{token}/unlock and its command reads; the stay says when a lock could
// be opened, and this says whether the page may offer it.
const remoteUnlockServed = true;
let { language, messages: t } = catalogueFor(navigator.languages ?? [navigator.language]);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child);
  return node;
}

function show(...children) {
  root.replaceChildren(...children);
  root.setAttribute('aria-busy', 'false');
  // From here the page answers its buttons: the benchmark reads this as its time to interactive.
  performance.mark('stay-shown');
}

function when(isoWithOffset, timeZone) {
  // The browser's own tag where it speaks the page's language (en-GB reads 15:00, en-US 3:00 PM).
  const locale =
    (navigator.languages ?? []).find((tag) => tag.toLowerCase().split('-')[0] === language) ?? language;
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(isoWithOffset));
}

function addressLines(address) {
  const cityLine = [address.postalCode, address.city].filter(Boolean).join(' ');
  return [address.line1, address.line2, cityLine, address.region, address.countryCode].filter(Boolean);
}

async function copyPin(pin, button) {
  try {
    await navigator.clipboard.writeText(pin);
    button.textContent = t.copied;
    setTimeout(() => {
      button.textContent = t.copy;
    }, 2000);
  } catch {
    // Clipboard refused (an old browser or no permission): the PIN is on screen to read.
  }
}

async function unlock(lock, button, outcome, phoneInput) {
  button.disabled = true;
  outcome.className = 'outcome';
  outcome.textContent = t.unlocking;
  const settle = (state, text) => {
    outcome.className = `outcome ${state}`;
    outcome.textContent = text;
    button.disabled = false;
  };
  try {
    const response = await fetch(api('/unlock'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        phoneInput
          ? { lockId: lock.id, phoneDigits: phoneInput.value.replace(/\D/g, '') }
          : { lockId: lock.id },
      ),
      referrerPolicy: 'no-referrer',
    });
    if (response.status === 409) return settle('failed', t.unlockOffline);
    if (response.status === 429) return settle('failed', t.unlockTooMany);
    if (response.status === 400 && phoneInput) {
      phoneInput.setAttribute('aria-invalid', 'true');
      phoneInput.focus();
      return settle('failed', t.phoneWrong);
    }
    if (!response.ok) return settle('failed', t.unlockRefused);
    let command = await response.json();
    for (let round = 0; round < 3 && command.status === 'pending'; round++) {
      const next = await fetch(api(`/commands/${encodeURIComponent(command.id)}?wait=5`), {
        referrerPolicy: 'no-referrer',
      });
      if (!next.ok) break;
      command = await next.json();
    }
    if (command.status === 'succeeded') return settle('succeeded', t.unlockedNow);
    return settle('failed', t.unlockRefused);
  } catch {
    settle('failed', t.unlockOffline);
  }
}

function lockCard(lock, stay) {
  const state = [
    lock.online === undefined ? undefined : lock.online ? t.online : t.offline,
    lock.bolt === undefined ? undefined : t[lock.bolt],
  ].filter(Boolean);
  const card = element('section', { class: 'lock', 'aria-labelledby': `lock-${lock.id}` });
  card.append(element('h3', { id: `lock-${lock.id}` }, lock.name));
  if (state.length > 0) card.append(element('p', { class: 'note' }, state.join(' · ')));
  // The code the guest's email gives for this lock: its PIN, or an offline code the lock checks by itself.
  const code = lock.code ?? (lock.pin ? { code: lock.pin, kind: 'pin' } : undefined);
  if (code) {
    const pinId = `pin-${lock.id}`;
    const label = code.kind === 'offline' ? t.offlineCodeLabel : t.pinLabel;
    const copy = element('button', { type: 'button', 'aria-describedby': pinId }, t.copy);
    copy.addEventListener('click', () => copyPin(code.code, copy));
    card.append(
      element('p', { class: 'note', id: `${pinId}-label` }, fill(label, { lock: lock.name })),
      element('p', { class: 'pin', id: pinId, 'aria-labelledby': `${pinId}-label` }, code.code),
      copy,
    );
    if (code.kind === 'offline' && code.firstUseBefore) {
      card.append(
        element(
          'p',
          { class: 'note' },
          fill(t.offlineFirstUse, { when: when(code.firstUseBefore, stay.window.timeZone) }),
        ),
      );
    }
  } else if (lock.codeKind === 'offline-code') {
    card.append(element('p', {}, t.offlineCode));
  }
  if (remoteUnlockServed && stay.status === 'active' && lock.remoteUnlockNow) {
    const outcome = element('p', { class: 'outcome', role: 'status' });
    const button = element(
      'button',
      { type: 'button', class: 'primary' },
      fill(t.unlock, { lock: lock.name }),
    );
    let phoneInput;
    if (stay.phoneCheck) {
      const inputId = `phone-${lock.id}`;
      phoneInput = element('input', {
        id: inputId,
        type: 'text',
        inputmode: 'numeric',
        autocomplete: 'off',
        pattern: '[0-9]*',
        maxlength: String(stay.phoneCheck.digits),
        size: String(stay.phoneCheck.digits + 2),
        class: 'digits',
      });
      phoneInput.addEventListener('input', () => phoneInput.removeAttribute('aria-invalid'));
      card.append(
        element(
          'p',
          {},
          element('label', { for: inputId }, fill(t.phoneLabel, { digits: stay.phoneCheck.digits })),
          element('br'),
          phoneInput,
        ),
      );
    }
    button.addEventListener('click', () => unlock(lock, button, outcome, phoneInput));
    card.append(element('p', {}, button), outcome);
  }
  return card;
}

function render(stay) {
  ({ language, messages: t } = catalogueFor([stay.guest.language, ...(navigator.languages ?? [])]));
  document.documentElement.lang = language;
  document.title = `${t.title} · ${stay.property.name}`;
  const { timeZone } = stay.window;
  show(
    element('p', {}, element('span', { class: `status ${stay.status}` }, t.status[stay.status])),
    element('h1', {}, stay.property.name),
    element('h2', {}, t.address),
    element('address', {}, ...addressLines(stay.property.address).flatMap((line) => [line, element('br')])),
    element(
      'dl',
      {},
      element('dt', {}, t.checkIn),
      element(
        'dd',
        {},
        element('time', { datetime: stay.window.startsAt }, when(stay.window.startsAt, timeZone)),
      ),
      element('dt', {}, t.checkOut),
      element(
        'dd',
        {},
        element('time', { datetime: stay.window.endsAt }, when(stay.window.endsAt, timeZone)),
      ),
    ),
    element('p', { class: 'note' }, fill(t.timesIn, { zone: timeZone })),
    element('h2', {}, t.doors),
    element('p', { class: 'note' }, t.keypad),
    ...stay.locks.map((lock) => lockCard(lock, stay)),
  );
}

async function load() {
  document.getElementById('loading').textContent = t.loading;
  if (!token) return show(element('h1', {}, t.title), element('p', {}, t.refused));
  try {
    const response = await fetch(api(''), { referrerPolicy: 'no-referrer', cache: 'no-store' });
    if (response.ok) return render(await response.json());
    if (response.status === 429) {
      const seconds = response.headers.get('retry-after') ?? '60';
      return show(element('h1', {}, t.title), element('p', {}, fill(t.tooMany, { seconds })));
    }
    if (response.status === 404 || response.status === 410) {
      return show(element('h1', {}, t.title), element('p', {}, t.refused));
    }
    show(element('h1', {}, t.title), element('p', {}, t.failed));
  } catch {
    show(element('h1', {}, t.title), element('p', {}, t.failed));
  }
}

load();
