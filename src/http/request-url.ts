/**
 * What a server reads of a request's target: the path, and the query only when asked. A WHATWG `URL`
 * costs a few microseconds per request to build, while most model calls never read their query (only
 * a Gemini `?key=` does); a plain path (the usual case) is the text before `?`, as `URL` would give it.
 */
export interface RequestUrl {
  readonly pathname: string;
  readonly searchParams: URLSearchParams;
}

const BASE = 'http://gateway';

/**
 * Characters `URL` leaves in a path exactly as they are. Anything else (`%`, `\`, `#`, spaces, non-ASCII)
 * may be encoded, decoded or normalised, so such a target goes through `URL` itself.
 */
const PLAIN = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:@!$&'()*+,;=/")
  PLAIN[c.charCodeAt(0)] = 1;

/** The end of the path when `raw` is an origin-form target `URL` would not change, else -1. */
function plainPathEnd(raw: string): number {
  // `//host/...` would read as a host; `/.` may start a dot segment that `URL` resolves.
  if (raw.charCodeAt(0) !== 0x2f || raw.charCodeAt(1) === 0x2f || raw.includes('/.')) return -1;
  for (let i = 1; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x3f) return i;
    if (c >= 128 || PLAIN[c] === 0) return -1;
  }
  return raw.length;
}

class LazyQueryUrl implements RequestUrl {
  private params: URLSearchParams | null = null;
  constructor(
    readonly pathname: string,
    private readonly raw: string,
  ) {}
  get searchParams(): URLSearchParams {
    return (this.params ??= new URL(this.raw, BASE).searchParams);
  }
}

/** Null for a target `URL` cannot read (`//` is one): no path of any server, never an internal error. */
export function requestUrl(raw: string | undefined): RequestUrl | null {
  const target = raw ?? '/';
  const end = plainPathEnd(target);
  if (end !== -1) return new LazyQueryUrl(end === target.length ? target : target.slice(0, end), target);
  // Not `URL.canParse`: once optimised, Node 20's disagrees with `new URL` on some targets (`//é`).
  try {
    return new URL(target, BASE);
  } catch {
    return null;
  }
}
