/** Pure vector helpers for embeddings answers. */

/**
 * The first `dimensions` values scaled back to unit length: how text-embedding-3 and the Gemini
 * embedding models define a shortened embedding. Provider clients return the model's full vector,
 * so the gateway shortens it itself, the same way whichever provider answered.
 */
export function shorten(v: number[], dimensions: number | undefined): number[] {
  if (dimensions === undefined || dimensions >= v.length) return v;
  const head = v.slice(0, dimensions);
  let norm = 0;
  for (const x of head) norm += x * x;
  norm = Math.sqrt(norm);
  // A zero head has no direction to keep: answer it as it is rather than NaN.
  return norm > 0 ? head.map((x) => x / norm) : head;
}

/** Little-endian float32, as the OpenAI API encodes `encoding_format: "base64"` (the SDKs' default). */
export function float32Base64(v: readonly number[]): string {
  const buf = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) buf.writeFloatLE(v[i] as number, i * 4);
  return buf.toString('base64');
}
