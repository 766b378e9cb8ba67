/** Pure vector helpers for embeddings answers. */

/** Little-endian float32, as the OpenAI API encodes `encoding_format: "base64"` (the SDKs' default). */
export function float32Base64(v: readonly number[]): string {
  const buf = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) buf.writeFloatLE(v[i] as number, i * 4);
  return buf.toString('base64');
}
