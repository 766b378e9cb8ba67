/**
 * Deterministic verbosity drift. Padding appends filler sentences (whole ones first, then a cut one)
 * until the answer reaches the target token count; trimming drops filler words outside code fences.
 */
import { countTokens } from '../core/tokenizer.js';

function joinAfter(text: string, extra: string): string {
  if (extra === '') return text;
  return text.endsWith('```') ? `${text}\n\n${extra}` : `${text} ${extra}`;
}

export function pad(text: string, target: number, filler: string[]): string {
  const have = countTokens(text);
  if (have >= target || filler.length === 0) return text;
  const sentences: string[] = [];
  let remaining = target - have;
  // Longest whole sentence that still fits, until none fits.
  for (;;) {
    const fits = filler.filter((s) => countTokens(s) <= remaining).sort((a, b) => countTokens(b) - countTokens(a))[0];
    if (fits === undefined) break;
    sentences.push(fits);
    remaining -= countTokens(fits);
  }
  if (remaining > 0) {
    // A cut sentence closed with a period (the period is one token).
    const words = (filler[0] ?? '').replace(/[.!?]+$/, '').split(/\s+/);
    const cut: string[] = [];
    for (const w of words) {
      if (countTokens([...cut, w].join(' ') + '.') > remaining) break;
      cut.push(w);
    }
    if (cut.length > 0) sentences.push(cut.join(' ') + '.');
  }
  return joinAfter(text, sentences.join(' '));
}

export function trim(text: string, target: number, words: string[]): string {
  if (words.length === 0 || countTokens(text) <= target) return text;
  const re = new RegExp(`\\b(?:${words.map(escape).join('|')})\\b ?`, 'i');
  const segments = text.split('```');
  for (let i = 0; i < segments.length; i += 2) {
    for (;;) {
      if (countTokens(segments.join('```')) <= target) return segments.join('```');
      const seg = segments[i] ?? '';
      const next = seg.replace(re, '');
      if (next === seg) break;
      segments[i] = next;
    }
  }
  return segments.join('```');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
