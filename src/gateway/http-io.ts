/** Small HTTP helpers for the gateway: bounded body reads and JSON answers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestError } from '../core/errors.js';

/** Read the whole body, refusing (413) as soon as it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (err) {
        // Keep draining so the client can read our 413 instead of a reset connection.
        req.resume();
        reject(err);
      } else resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit) return finish(tooLarge(limit));
      chunks.push(c);
    };
    const onEnd = (): void => finish(null);
    const onError = (e: Error): void => finish(e);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function tooLarge(limit: number): RequestError {
  return new RequestError('payload_too_large', `request body exceeds the gateway limit of ${limit} bytes (gateway.body_limit_bytes)`, {
    details: { limitBytes: limit },
  });
}

export function parseJsonBody(buf: Buffer): unknown {
  if (buf.length === 0) throw new RequestError('malformed_json', 'request body is empty; expected a JSON object');
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (e) {
    const why = e instanceof Error ? e.message : 'invalid JSON';
    throw new RequestError('malformed_json', `request body is not valid JSON: ${why}`);
  }
}

/** `headers` is completed in place (content type and length): pass an object built for this answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendText(res, status, JSON.stringify(body), headers);
}

/** A JSON answer already in text form. `headers` is completed in place, as for `sendJson`. */
export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  // Callers hand over a header object built for this answer: complete it rather than copy it.
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(status, headers);
  res.end(text);
}

/** Lower-case header lookup that folds repeated headers to their first value. */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
