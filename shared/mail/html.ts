/**
 * A tagged template for HTML in which every interpolated value is escaped unless it is already HTML built by
 * the same tag. Email templates interpolate names and addresses that hosts and guests typed; this is what keeps a
 * property called `<script>` a piece of text.
 */

/** HTML that came out of the `html` tag, and so is safe to insert as it is. */
export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

const entities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for element content and for quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => entities[character] ?? character);
}

function interpolate(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += interpolate(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * `url` when it is an absolute http(s) URL, so that no `javascript:` or `data:` link can reach an `href`;
 * throws otherwise (a template given such a link has a bug upstream).
 */
export function webUrl(url: string): string {
  const parsed = URL.parse(url);
  if (parsed === null || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new Error('A link in an email must be an absolute http(s) URL');
  }
  return parsed.href;
}
