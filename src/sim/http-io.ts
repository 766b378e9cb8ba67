/** The simulator's own HTTP pieces; body reads and JSON answers are the shared ones (http/io.ts). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJson as readBoundedJson } from '../http/io.js';

export const SIM_HEADER = 'x-modelpin-simulator';
const MAX_BODY = 10 * 1024 * 1024;

export const readJson = (req: IncomingMessage): Promise<unknown> => readBoundedJson(req, MAX_BODY);

/** Request-scoped timers that stop when the client goes away or the server closes. */
export function delay(ms: number, res: ServerResponse, timers: Set<NodeJS.Timeout>): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!res.destroyed);
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      timers.delete(t);
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    const onClose = () => {
      clearTimeout(t);
      timers.delete(t);
      resolve(false);
    };
    timers.add(t);
    res.once('close', onClose);
  });
}
