/**
 * One upstream call whose whole answer is wanted as text: dispatched on the pool with a handler that
 * collects the body's chunks. `pool.request` would wrap the body in a Readable stream, register an abort
 * listener and read the stream back into text; on the gateway's same-format path that machinery costs
 * more CPU per call than everything else undici does, and none of it is needed for an answer read whole.
 */
import { errors, type Dispatcher, type Pool } from 'undici';
import type { Deadline } from './deadline.js';
import { flattenHeaders } from './response-io.js';

export interface WholeAnswer {
  status: number;
  /** Read from the raw pairs on first call: most answers are used without their headers. */
  headers: () => Record<string, string>;
  text: string;
}

export interface WholeCall {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

type Abort = (err?: Error) => void;

const noHeaders = (): Record<string, string> => ({});

/**
 * undici's handler protocol (onConnect, onHeaders, onData, onComplete, onError), the one its own
 * `request` implements. Headers are read like `request` reads them (lower-cased names, repeated ones
 * folded), so the answer is the one `flattenHeaders(res.headers)` and `res.body.text()` would give.
 */
class WholeAnswerHandler implements Dispatcher.DispatchHandler {
  private status = 0;
  private headers: () => Record<string, string> = noHeaders;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private done = false;

  constructor(
    private readonly deadline: Deadline,
    private readonly resolve: (a: WholeAnswer) => void,
    private readonly reject: (e: unknown) => void,
  ) {}

  onConnect(abort: Abort): void {
    this.deadline.onAbort(() => {
      if (!this.done) abort(new errors.RequestAbortedError());
    });
  }

  onHeaders(statusCode: number, raw: Buffer[]): boolean {
    // 1xx interim answers carry no body and are not the answer.
    if (statusCode < 200) return true;
    this.deadline.headersReceived();
    this.status = statusCode;
    let read: Record<string, string> | null = null;
    this.headers = () => (read ??= readHeaders(raw));
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    this.size += chunk.length;
    return true;
  }

  onComplete(): void {
    this.done = true;
    const c = this.chunks;
    const text = c.length === 1 ? (c[0] as Buffer).toString('utf8') : Buffer.concat(c, this.size).toString('utf8');
    this.resolve({ status: this.status, headers: this.headers, text });
  }

  onError(err: Error): void {
    if (this.done) return;
    this.done = true;
    // An error answer whose body could not be read is still that error answer, with an empty body.
    if (this.status !== 0 && (this.status < 200 || this.status >= 300))
      this.resolve({ status: this.status, headers: this.headers, text: '' });
    else this.reject(err);
  }
}

/** Raw header pairs as undici's `request` reads them: latin1 values, repeated names gathered, then folded. */
function readHeaders(raw: Buffer[]): Record<string, string> {
  const out: Record<string, string | string[]> = {};
  let repeated = false;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = (raw[i] as Buffer).toString('latin1').toLowerCase();
    const value = (raw[i + 1] as Buffer).toString('latin1');
    const prev = Object.hasOwn(out, key) ? out[key] : undefined;
    if (prev === undefined) {
      if (key === '__proto__')
        Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
      else out[key] = value;
    } else {
      repeated = true;
      if (typeof prev === 'string') out[key] = [prev, value];
      else prev.push(value);
    }
  }
  return repeated ? flattenHeaders(out) : (out as Record<string, string>);
}

/** Send `call` on the pool and read the whole answer; an abort of `deadline` aborts the call. */
export function requestWhole(pool: Pool, call: WholeCall, deadline: Deadline): Promise<WholeAnswer> {
  return new Promise<WholeAnswer>((resolve, reject) => {
    const handler = new WholeAnswerHandler(deadline, resolve, reject);
    pool.dispatch(call, handler);
  });
}
