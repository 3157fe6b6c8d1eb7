/**
 * One email as a short list of blocks (paragraphs, facts, a code, steps, a button, a notice), rendered twice from
 * the same list: as HTML that mail clients display well, and as plain text that reads well on its own. Writing
 * each template once, as blocks, keeps the two parts saying the same thing.
 *
 * The HTML follows what works across mail clients: nested tables, inline styles, a 600px column that narrows on
 * a phone, no images (nothing to block, nothing to invert badly in dark mode), system fonts, and a colour
 * scheme declared for clients that switch to dark, with darker colours for those that honour the media query.
 */

import { html, type SafeHtml, webUrl } from '../html.ts';
import type { MailKind } from '../mail-sender.ts';
import { digitByDigit, groupDigits } from './formatting.ts';

/** A message ready to send: what the mail port needs besides the recipient and the idempotency key. */
export interface RenderedMail {
  readonly kind: MailKind;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export interface Fact {
  readonly label: string;
  readonly lines: readonly string[];
}

export type Tone = 'info' | 'warning' | 'danger';

export type Block =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'facts'; readonly rows: readonly Fact[] }
  | {
      readonly kind: 'code';
      readonly label: string;
      readonly code: string;
      readonly caption?: string | undefined;
    }
  | { readonly kind: 'steps'; readonly title: string; readonly steps: readonly string[] }
  | { readonly kind: 'button'; readonly label: string; readonly url: string; readonly fallback: string }
  | {
      readonly kind: 'notice';
      readonly tone: Tone;
      readonly title?: string | undefined;
      readonly text: readonly string[];
    };

export interface EmailDocument {
  /** The reader's language tag, for the `lang` attribute (screen readers pick their voice from it). */
  readonly lang: string;
  readonly title: string;
  /** The line mail clients show beside the subject in the inbox. */
  readonly preheader: string;
  readonly greeting?: string | undefined;
  readonly blocks: readonly Block[];
  readonly footer: readonly string[];
}

export function renderDocument(document: EmailDocument): { html: string; text: string } {
  return { html: renderHtml(document), text: renderText(document) };
}

// Light colours inline for every client; the dark ones in the media query below for clients that honour it.
// Each pair keeps at least 4.5:1 contrast.
const colour = {
  canvas: '#f2f4f7',
  card: '#ffffff',
  text: '#1f2937',
  muted: '#566070',
  rule: '#d9dee5',
  accent: '#1d4ed8',
  onAccent: '#ffffff',
  codeBackground: '#eef2ff',
  codeBorder: '#c7d2fe',
  codeText: '#111827',
  tone: {
    info: { background: '#eff6ff', edge: '#3b82f6' },
    warning: { background: '#fff7ed', edge: '#ea580c' },
    danger: { background: '#fef2f2', edge: '#dc2626' },
  },
} as const;

const fontFamily = '-apple-system, BlinkMacSystemFont, Segoe UI, Roboto, Helvetica, Arial, sans-serif';
const monoFamily = 'ui-monospace, SFMono-Regular, Menlo, Consolas, Liberation Mono, Courier New, monospace';

const headStyles = html`<style>
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media (prefers-color-scheme: dark) {
  .ls-canvas { background-color: #0f1216 !important; }
  .ls-card { background-color: #1a1e24 !important; color: #e7eaee !important; }
  .ls-muted { color: #a9b1bb !important; }
  .ls-code { background-color: #1b2a4a !important; border-color: #3b5bb5 !important; }
  .ls-code-digits { color: #ffffff !important; }
  .ls-notice { background-color: #22262d !important; }
  .ls-link { color: #8ab4ff !important; }
}
@media only screen and (max-width: 620px) {
  .ls-card { padding: 20px !important; }
  .ls-code-digits { font-size: 34px !important; }
}
</style>`;

// Padding after the preheader so that clients do not fill the inbox preview with the start of the body.
const preheaderPadding: readonly SafeHtml[] = Array.from({ length: 60 }, () => html`&#847;&zwnj;&nbsp;`);

function renderHtml({ lang, title, preheader, greeting, blocks, footer }: EmailDocument): string {
  const page = html`<!doctype html>
<html lang="${lang}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${title}</title>
${headStyles}
</head>
<body class="ls-canvas" style="margin:0;padding:0;background-color:${colour.canvas};">
<div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;">${preheader}${preheaderPadding}</div>
<table role="presentation" class="ls-canvas" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:${colour.canvas};">
<tr><td align="center" style="padding:24px 12px;">
<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;">
<tr><td class="ls-card" style="background-color:${colour.card};border-radius:8px;padding:32px;font-family:${fontFamily};font-size:16px;line-height:1.5;color:${colour.text};">
<h1 style="margin:0 0 20px;font-size:24px;line-height:1.25;font-weight:700;">${title}</h1>
${greeting === undefined ? '' : html`<p style="margin:0 0 16px;">${greeting}</p>`}
${blocks.map(blockHtml)}
</td></tr>
<tr><td class="ls-muted" style="padding:16px 32px;font-family:${fontFamily};font-size:13px;line-height:1.5;color:${colour.muted};">
${footer.map((line) => html`<p style="margin:0 0 8px;">${line}</p>`)}
</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr>
</table>
</body>
</html>
`;
  return page.value;
}

function blockHtml(block: Block): SafeHtml {
  switch (block.kind) {
    case 'paragraph':
      return html`<p style="margin:0 0 16px;">${block.text}</p>\n`;
    case 'facts':
      return html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 20px;border-top:1px solid ${colour.rule};">
${block.rows.map(
  (row) => html`<tr>
<th scope="row" class="ls-muted" width="35%" style="text-align:left;vertical-align:top;padding:10px 12px 10px 0;border-bottom:1px solid ${colour.rule};font-weight:600;color:${colour.muted};">${row.label}</th>
<td style="vertical-align:top;padding:10px 0;border-bottom:1px solid ${colour.rule};">${row.lines.map((line, index) => html`${index > 0 ? html`<br>` : ''}${line}`)}</td>
</tr>
`,
)}</table>\n`;
    case 'code':
      return html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 20px;">
<tr><td class="ls-code" align="center" style="background-color:${colour.codeBackground};border:1px solid ${colour.codeBorder};border-radius:8px;padding:20px 12px;text-align:center;">
<p class="ls-muted" style="margin:0;font-size:13px;font-weight:600;letter-spacing:0.06em;text-transform:uppercase;color:${colour.muted};">${block.label}</p>
<p class="ls-code-digits" role="text" aria-label="${digitByDigit(block.code)}" style="margin:8px 0;font-family:${monoFamily};font-size:40px;line-height:1.2;font-weight:700;letter-spacing:0.12em;color:${colour.codeText};">${groupDigits(block.code)}</p>
${block.caption === undefined ? '' : html`<p class="ls-muted" style="margin:0;font-size:14px;color:${colour.muted};">${block.caption}</p>`}
</td></tr>
</table>\n`;
    case 'steps':
      return html`<h2 style="margin:24px 0 8px;font-size:18px;line-height:1.3;font-weight:700;">${block.title}</h2>
<ol style="margin:0 0 16px;padding-left:24px;">
${block.steps.map((step) => html`<li style="margin:0 0 6px;">${step}</li>\n`)}</ol>\n`;
    case 'button': {
      const href = webUrl(block.url);
      return html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 12px;">
<tr><td align="center" style="border-radius:6px;background-color:${colour.accent};">
<a href="${href}" target="_blank" rel="noopener" style="display:inline-block;padding:14px 28px;font-family:${fontFamily};font-size:16px;font-weight:700;color:${colour.onAccent};text-decoration:none;border-radius:6px;">${block.label}</a>
</td></tr>
</table>
<p class="ls-muted" style="margin:0 0 20px;font-size:13px;color:${colour.muted};">${block.fallback}<br><a class="ls-link" href="${href}" target="_blank" rel="noopener" style="color:${colour.accent};word-break:break-all;">${href}</a></p>\n`;
    }
    case 'notice': {
      const tone = colour.tone[block.tone];
      return html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 20px;">
<tr><td class="ls-notice" style="background-color:${tone.background};border-left:4px solid ${tone.edge};border-radius:4px;padding:12px 16px;">
${block.title === undefined ? '' : html`<p style="margin:0 0 4px;font-weight:700;">${block.title}</p>`}
${block.text.map((line, index) => html`<p style="margin:${index === 0 ? '0' : '4px 0 0'};">${line}</p>`)}
</td></tr>
</table>\n`;
    }
  }
}

// Paragraphs are not wrapped at a fixed width: a phone wraps them to its screen, and a 72-column hard wrap
// shown on a 40-column screen breaks every line in two. Only tables (facts, the code) are laid out by hand.
const ruleWidth = 72;

function underline(title: string, character: string): string {
  return `${title}\n${character.repeat(Math.min(title.length, ruleWidth))}`;
}

function blockText(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return block.text;
    case 'facts': {
      const width = Math.max(...block.rows.map((row) => row.label.length)) + 2;
      return block.rows
        .map((row) =>
          row.lines
            .map(
              (line, index) =>
                (index === 0 ? `${row.label}:`.padEnd(width + 1) : ' '.repeat(width + 1)) + line,
            )
            .join('\n'),
        )
        .join('\n');
    }
    case 'code': {
      const rule = '-'.repeat(40);
      const caption = block.caption === undefined ? [] : ['', `  ${block.caption}`];
      return [rule, `  ${block.label}`, '', `      ${groupDigits(block.code)}`, ...caption, rule].join('\n');
    }
    case 'steps':
      return [
        underline(block.title, '-'),
        ...block.steps.map((step, index) => `  ${index + 1}. ${step}`),
      ].join('\n');
    case 'button':
      return `${block.label}:\n${webUrl(block.url)}`;
    case 'notice':
      return [...(block.title === undefined ? [] : [underline(block.title, '-')]), ...block.text].join('\n');
  }
}

function renderText({ title, greeting, blocks, footer }: EmailDocument): string {
  const parts = [
    underline(title, '='),
    ...(greeting === undefined ? [] : [greeting]),
    ...blocks.map(blockText),
    `-- \n${footer.join('\n')}`,
  ];
  return `${parts.join('\n\n')}\n`;
}
