/**
 * Sampled behaviour per request: a snapshot's `sampling:` block turns one scripted answer into a
 * distribution (answer variants with probabilities, occasional refusals, token-count noise), so
 * a pinned-vs-pinned compare sees the noise a real model has. Every draw comes from one random
 * stream per request, seeded by the engine seed and the request's sample seed (a header, or the
 * call index), so a run is reproducible.
 */
import { seededRandom, type Random } from '../core/random.js';
import type { Behaviour } from './scenario-schema.js';

export const DEFAULT_REFUSAL_TEXT = "I'm sorry, but I can't help with that request.";

export interface Sampled {
  behaviour: Behaviour;
  /** Replace the answer with this text (a refusal or a text variant). */
  text?: string;
  /** Which variant was drawn (index into `variants`), for tests and debugging. */
  variant: number | null;
  refused: boolean;
}

function gaussian(random: Random): number {
  // Box-Muller; 1 - u keeps log() away from 0.
  const u1 = 1 - random.next();
  const u2 = random.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** The random stream of one request. */
export function requestRandom(engineSeed: number, sampleSeed: string): Random {
  return seededRandom(`${engineSeed}:sample:${sampleSeed}`);
}

/** Draw this request's behaviour. Without `sampling:` the snapshot answers as scripted (no draws). */
export function sampleBehaviour(b: Behaviour, random: Random): Sampled {
  const s = b.sampling;
  if (!s) return { behaviour: b, variant: null, refused: false };
  // Fixed draw order (refusal, variant, noise) so adding noise does not reshuffle which answers refuse.
  const uRefusal = random.next();
  const uVariant = random.next();
  const z = gaussian(random);
  if (s.refusal !== undefined && uRefusal < s.refusal) {
    return { behaviour: b, text: s.refusal_text ?? DEFAULT_REFUSAL_TEXT, variant: null, refused: true };
  }
  let out: Behaviour = b;
  let text: string | undefined;
  let variant: number | null = null;
  let acc = 0;
  for (const [i, v] of (s.variants ?? []).entries()) {
    acc += v.p;
    if (uVariant < acc) {
      variant = i;
      out = {
        ...b,
        ...(v.json ? { json: { ...b.json, ...v.json } } : {}),
        ...(v.tone ? { tone: v.tone } : {}),
        ...(v.verbosity !== undefined ? { verbosity: v.verbosity } : {}),
      };
      text = v.text;
      break;
    }
  }
  if (s.token_noise !== undefined && s.token_noise > 0) {
    const verbosity = Math.min(500, Math.max(-90, (out.verbosity ?? 0) + z * s.token_noise));
    out = { ...out, verbosity };
  }
  return { behaviour: out, ...(text !== undefined ? { text } : {}), variant, refused: false };
}
