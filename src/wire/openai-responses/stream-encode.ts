/**
 * Canonical stream events -> Responses streaming events:
 * `response.created`, `response.in_progress`, then per output item `response.output_item.added`,
 * (`response.content_part.added`, `response.output_text.delta`…, `response.output_text.done`,
 * `response.content_part.done`) or (`response.function_call_arguments.delta`…,
 * `response.function_call_arguments.done`), `response.output_item.done`, and finally
 * `response.completed` (or `response.incomplete` / `response.failed`). A failure mid-stream is an
 * `error` event followed by `response.failed`, never a clean finish.
 */
import type { ModelpinError } from '../../core/errors.js';
import type { StreamEvent, Usage } from '../canonical.js';
import type { StreamEncoder, StreamEncoderOptions } from '../codec.js';
import { sseJson } from '../sse.js';
import { errorEventPayload, failedResponseError } from './errors.js';
import {
  functionCallItem,
  functionCallItemId,
  messageItem,
  messageItemId,
  outputTextPart,
  responseId,
  type ItemStatus,
} from './output-items.js';
import { responseObject } from './response-object.js';
import { itemStatus, outcomeOf, type Outcome } from './status.js';

interface OpenItem {
  kind: 'text' | 'tool';
  outputIndex: number;
  itemId: string;
  /** Text so far, or the argument JSON so far. */
  body: string;
  callId: string;
  name: string;
  /** The canonical part ended (`part_end`): no more deltas will come. */
  ended: boolean;
  /** `output_item.done` was sent, with this status. */
  closed: ItemStatus | null;
}

export function createResponsesStreamEncoder(model: string, opts: StreamEncoderOptions = {}): StreamEncoder {
  let seq = 0;
  let started = false;
  let id = responseId('');
  let createdAt = 0;
  const items: OpenItem[] = [];
  const byIndex = new Map<number, OpenItem>();

  function event(type: string, payload: Record<string, unknown>): string {
    return sseJson({ type, sequence_number: seq++, ...payload }, type);
  }

  function itemObject(it: OpenItem, status: ItemStatus): Record<string, unknown> {
    return it.kind === 'text'
      ? messageItem(it.itemId, it.body, status)
      : functionCallItem(it.itemId, it.callId, it.name, it.body, status);
  }

  function snapshot(outcome: Outcome | null, usage: Usage | null, openStatus: ItemStatus): Record<string, unknown> {
    return responseObject({
      id,
      createdAt,
      model,
      outcome,
      output: items.map((it) => itemObject(it, it.closed ?? openStatus)),
      usage,
      ...(opts.request ? { request: opts.request } : {}),
    });
  }

  function start(ev: Extract<StreamEvent, { type: 'start' }> | null): string {
    started = true;
    if (ev) {
      id = responseId(ev.id);
      createdAt = ev.created;
    }
    const response = snapshot(null, null, 'in_progress');
    return event('response.created', { response }) + event('response.in_progress', { response });
  }

  function close(it: OpenItem, status: ItemStatus): string {
    it.closed = status;
    const at = { item_id: it.itemId, output_index: it.outputIndex };
    let out = '';
    if (it.kind === 'text') {
      out += event('response.output_text.done', { ...at, content_index: 0, text: it.body, logprobs: [] });
      out += event('response.content_part.done', { ...at, content_index: 0, part: outputTextPart(it.body) });
    } else {
      out += event('response.function_call_arguments.done', { ...at, name: it.name, arguments: it.body });
    }
    return out + event('response.output_item.done', { output_index: it.outputIndex, item: itemObject(it, status) });
  }

  /**
   * Items are closed lazily, when the next item starts or the answer finishes: only then is it known
   * whether an item was the last one of an answer that was cut off (and so `incomplete`).
   */
  function closeEnded(): string {
    let out = '';
    for (const it of items) if (it.ended && it.closed === null) out += close(it, 'completed');
    return out;
  }

  function open(index: number, kind: OpenItem['kind'], callId = '', name = ''): { item: OpenItem; text: string } {
    let text = started ? '' : start(null);
    text += closeEnded();
    const outputIndex = items.length;
    const itemId = kind === 'text' ? messageItemId(id, outputIndex) : functionCallItemId(id, outputIndex);
    const item: OpenItem = { kind, outputIndex, itemId, body: '', callId, name, ended: false, closed: null };
    items.push(item);
    byIndex.set(index, item);
    // A message is announced without content: its part follows in its own event, as the API does.
    const announced = kind === 'text' ? messageItem(itemId, undefined, 'in_progress') : itemObject(item, 'in_progress');
    text += event('response.output_item.added', { output_index: outputIndex, item: announced });
    if (kind === 'text') {
      text += event('response.content_part.added', {
        item_id: itemId,
        output_index: outputIndex,
        content_index: 0,
        part: outputTextPart(''),
      });
    }
    return { item, text };
  }

  function finish(ev: Extract<StreamEvent, { type: 'finish' }>): string {
    let out = started ? '' : start(null);
    const outcome = outcomeOf(ev.stopReason);
    const last = items.length - 1;
    for (const it of items) if (it.closed === null) out += close(it, itemStatus(outcome, it.outputIndex === last));
    const terminal =
      outcome.status === 'completed'
        ? 'response.completed'
        : outcome.status === 'incomplete'
          ? 'response.incomplete'
          : 'response.failed';
    return out + event(terminal, { response: snapshot(outcome, ev.usage, 'completed') });
  }

  function fail(err: ModelpinError): string {
    const outcome: Outcome = { status: 'failed', incomplete_details: null, error: failedResponseError(err) };
    // The SDKs raise on the `error` event; `response.failed` is the terminal event for clients that read on.
    return (
      event('error', errorEventPayload(err)) +
      event('response.failed', { response: snapshot(outcome, null, 'incomplete') })
    );
  }

  return {
    encode(ev: StreamEvent): string {
      switch (ev.type) {
        case 'start':
          return started ? '' : start(ev);
        case 'text_delta': {
          let out = '';
          let it = byIndex.get(ev.index);
          if (!it) ({ item: it, text: out } = open(ev.index, 'text'));
          if (it.kind !== 'text') return out;
          it.body += ev.text;
          return (
            out +
            event('response.output_text.delta', {
              item_id: it.itemId,
              output_index: it.outputIndex,
              content_index: 0,
              delta: ev.text,
              logprobs: [],
            })
          );
        }
        case 'tool_call_start':
          return byIndex.has(ev.index) ? '' : open(ev.index, 'tool', ev.id, ev.name).text;
        case 'tool_call_delta': {
          const it = byIndex.get(ev.index);
          if (!it || it.kind !== 'tool') return '';
          it.body += ev.partialJson;
          return event('response.function_call_arguments.delta', {
            item_id: it.itemId,
            output_index: it.outputIndex,
            delta: ev.partialJson,
          });
        }
        case 'part_end': {
          const it = byIndex.get(ev.index);
          if (it) it.ended = true;
          return '';
        }
        case 'thinking_delta':
        case 'signature':
          // Other providers' reasoning has no Responses item it could become (docs/wire.md).
          return '';
        case 'finish':
          return finish(ev);
        case 'error':
          return fail(ev.error);
      }
    },
    // The Responses stream has no `[DONE]` sentinel: the terminal event ends it.
    end: () => '',
  };
}
