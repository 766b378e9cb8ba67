/**
 * Output items of a `response`, shared by the plain answer and the stream so both build the same
 * objects. Ids are derived from the response id and the item's position, so the streamed items
 * and the final `response.completed` agree without any stored state.
 */

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

/** Providers' ids (`chatcmpl-…`, `msg_…`) get the `resp_` prefix Responses clients expect. */
export function responseId(providerId: string): string {
  return providerId.startsWith('resp_') ? providerId : `resp_${providerId}`;
}

const base = (respId: string): string => respId.slice('resp_'.length);

export function messageItemId(respId: string, outputIndex: number): string {
  return `msg_${base(respId)}_${outputIndex}`;
}

export function functionCallItemId(respId: string, outputIndex: number): string {
  return `fc_${base(respId)}_${outputIndex}`;
}

export function outputTextPart(text: string): Record<string, unknown> {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

/** `text` undefined: the item as announced by `output_item.added`, before its content part. */
export function messageItem(id: string, text: string | undefined, status: ItemStatus): Record<string, unknown> {
  return { id, type: 'message', status, role: 'assistant', content: text === undefined ? [] : [outputTextPart(text)] };
}

export function functionCallItem(
  id: string,
  callId: string,
  name: string,
  args: string,
  status: ItemStatus,
): Record<string, unknown> {
  return { id, type: 'function_call', status, call_id: callId, name, arguments: args };
}
