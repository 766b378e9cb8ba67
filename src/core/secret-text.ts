/**
 * Text that leaves the process (client error bodies, log lines, stored records) must not carry a
 * configured secret, nor whatever an upstream chose to send back (a whole HTML page, terminal escapes).
 */

export const REDACTED = '[redacted]';

/** Shorter values are too likely to occur by chance ("true", "v1") to be worth cutting out. */
const MIN_SECRET_LENGTH = 4;

/**
 * Every form a secret value can take inside a text an upstream sends back: as is, JSON-escaped
 * (an echoed header inside a JSON string) and URL-encoded. Longest first, so a value containing
 * another is cut out whole.
 */
export function secretForms(values: Iterable<string | undefined | null>): string[] {
  const out = new Set<string>();
  for (const v of values) {
    if (typeof v !== 'string' || v.length < MIN_SECRET_LENGTH) continue;
    out.add(v);
    out.add(JSON.stringify(v).slice(1, -1));
    out.add(encodeURIComponent(v));
  }
  return [...out].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of every form replaced by `marker`. */
export function scrubSecrets(text: string, forms: readonly string[], marker: string = REDACTED): string {
  let out = text;
  for (const f of forms) if (out.includes(f)) out = out.split(f).join(marker);
  return out;
}

/** Upstream error text shown to clients is at most this long (the rest is an HTML page or a dump). */
export const UPSTREAM_TEXT_MAX = 300;

const MARKUP = /<\/?[a-z!][^>]*>/i;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Bidirectional overrides and zero-width characters can disguise text in a terminal or a page. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * Plain, one-line, bounded text from whatever an upstream sent: markup (with script and style
 * contents) removed when the text looks like HTML or XML, terminal escapes and control characters
 * dropped, whitespace collapsed, at most `max` characters.
 */
export function sanitizeUpstreamText(text: string, max: number = UPSTREAM_TEXT_MAX): string {
  let out = text;
  if (MARKUP.test(out)) {
    out = out
      .replace(/<(script|style)\b[\s\S]*?(<\/\1\s*>|$)/gi, ' ')
      .replace(/<!--[\s\S]*?(-->|$)/g, ' ')
      .replace(/<[^>]*(>|$)/g, ' ')
      .replace(/&nbsp;/gi, ' ')
      .replace(/&quot;/gi, '"')
      .replace(/&#39;|&apos;/gi, "'")
      .replace(/&amp;/gi, '&');
  }
  out = out.replace(ANSI, ' ').replace(CONTROL, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  return out.length > max ? `${out.slice(0, max)}…` : out;
}
