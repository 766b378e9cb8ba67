/**
 * Abort signal of a client connection. One AbortController per keep-alive connection instead of
 * one per request: the request path allocates no controller and registers no close listener.
 * A request's work must stop when its connection closes; HTTP/1.1 has no other way for a client
 * to give up on a request, so the connection's signal is exactly the request's.
 */
import type { Socket } from 'node:net';
import { setMaxListeners } from 'node:events';

const CONTROLLER = Symbol('modelpin.connectionAbort');

type TrackedSocket = Socket & { [CONTROLLER]?: AbortController };

export function connectionSignal(socket: Socket): AbortSignal {
  const s = socket as TrackedSocket;
  let ac = s[CONTROLLER];
  if (ac) return ac.signal;
  const controller = new AbortController();
  ac = controller;
  s[CONTROLLER] = controller;
  // Pipelined requests on one connection each listen for a while: no leak warning for that.
  setMaxListeners(0, controller.signal);
  if (socket.destroyed) controller.abort();
  else socket.once('close', () => controller.abort());
  return controller.signal;
}
