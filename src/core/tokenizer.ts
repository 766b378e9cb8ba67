/**
 * One tokenizer for the simulator and the gateway's estimates: deterministic and documented, not a
 * real BPE. One token per run of letters/digits/underscore, one per run of the same punctuation character (so "```" is one token).
 * Whitespace is free. Usage numbers are consistent because everything counts with this one function.
 */
const TOKEN = /[\p{L}\p{N}_]+|([^\s\p{L}\p{N}_])\1*/gu;

export function countTokens(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(TOKEN)) n++;
  return n;
}

/** Cut `text` after its first `max` tokens (keeps the original spacing up to that point). */
export function truncateToTokens(text: string, max: number): string {
  if (max <= 0) return '';
  let n = 0;
  for (const m of text.matchAll(TOKEN)) {
    n++;
    if (n === max) return text.slice(0, (m.index ?? 0) + m[0].length);
  }
  return text;
}

/** Split `text` into pieces of about `per` tokens each; the pieces concatenate back to `text` exactly. */
export function chunkByTokens(text: string, per: number): string[] {
  const size = Math.max(1, per);
  const out: string[] = [];
  let start = 0;
  let n = 0;
  for (const m of text.matchAll(TOKEN)) {
    n++;
    if (n % size === 0) {
      const end = (m.index ?? 0) + m[0].length;
      out.push(text.slice(start, end));
      start = end;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out.length > 0 ? out : [text];
}
