import { describe, expect, it } from 'vitest';
import { html, webUrl } from '#shared/mail/html.ts';
import { groupDigits } from '#shared/mail/templates/formatting.ts';

describe('the html template tag', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const name = `<a href="x">Tom & Jerry's</a>`;

    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;">&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;</p>',
    );
  });

  it('inserts HTML built by the tag as it is, lists joined, and nothing for absent values', () => {
    const items = ['<1>', '2'].map((item) => html`<li>${item}</li>`);

    expect(html`<ul>${items}</ul>${undefined}${null}${false}${0}`.value).toBe(
      '<ul><li>&lt;1&gt;</li><li>2</li></ul>0',
    );
  });

  it('lets only absolute web addresses into links', () => {
    expect(webUrl('https://stay.example/s/abc')).toBe('https://stay.example/s/abc');
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '/relative', 'not a url']) {
      expect(() => webUrl(bad)).toThrow('absolute http(s) URL');
    }
  });
});

describe('codes as guests read them', () => {
  it('splits longer codes in two groups and keeps short ones whole', () => {
    expect(groupDigits('4829')).toBe('4829');
    expect(groupDigits('48291')).toBe('482 91');
    expect(groupDigits('482913')).toBe('482 913');
    expect(groupDigits('70315528')).toBe('7031 5528');
  });
});
