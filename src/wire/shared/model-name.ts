/** Gemini names models `models/{id}` in bodies and answers, and clients may send either form. */
export function bareModel(name: string): string {
  return name.startsWith('models/') ? name.slice('models/'.length) : name;
}

/** A path segment as sent; a broken percent escape names nothing, so the path is simply not an endpoint. */
export function decodeSegment(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}
