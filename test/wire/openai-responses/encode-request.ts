/**
 * Test-only inverse of the Responses request decoder: canonical -> a `POST /v1/responses` body, as
 * an app using the openai SDK would write it (output items sent back with their ids and status).
 * The provider-side encoder (src/wire/openai-responses/request-encode.ts) writes the leaner shape
 * it sends upstream; both must decode to the same canonical request.
 */
import type { CanonicalRequest, ContentPart, ImagePart, Message } from '../../../src/wire/canonical.js';

function imageUrl(p: ImagePart): string {
  return p.source.kind === 'url' ? p.source.url : `data:${p.source.mediaType};base64,${p.source.data}`;
}

function inputPart(p: ContentPart): Record<string, unknown> {
  if (p.type === 'text') return { type: 'input_text', text: p.text };
  if (p.type === 'image') return { type: 'input_image', image_url: imageUrl(p), detail: 'auto' };
  throw new Error(`${p.type} is not message content`);
}

function items(m: Message): Array<Record<string, unknown>> {
  if (m.role === 'assistant') {
    const out: Array<Record<string, unknown>> = [];
    const texts = m.content.filter((p) => p.type === 'text');
    // Sent back as the API returned it: an output message item, then one function_call item per call.
    if (texts.length > 0 || m.content.length === 0) {
      out.push({
        type: 'message',
        role: 'assistant',
        id: 'msg_x',
        status: 'completed',
        content: texts.map((t) => ({ type: 'output_text', text: t.text, annotations: [] })),
      });
    }
    for (const p of m.content) {
      if (p.type === 'tool_use')
        out.push({
          type: 'function_call',
          id: `fc_${p.id}`,
          status: 'completed',
          call_id: p.id,
          name: p.name,
          arguments: JSON.stringify(p.input),
        });
    }
    return out;
  }
  const results = m.content.filter((p) => p.type === 'tool_result');
  if (results.length > 0) {
    return results.map((r) => ({
      type: 'function_call_output',
      call_id: r.toolUseId,
      output: r.content.length === 1 && r.content[0]?.type === 'text' ? r.content[0].text : r.content.map(inputPart),
    }));
  }
  const only = m.content[0];
  return [
    { role: 'user', content: m.content.length === 1 && only?.type === 'text' ? only.text : m.content.map(inputPart) },
  ];
}

export function encodeResponsesRequest(req: CanonicalRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { model: req.model, input: req.messages.flatMap(items), store: false };
  if (req.system !== undefined) body.instructions = req.system;
  if (req.tools) {
    body.tools = req.tools.map((t) => ({
      type: 'function',
      name: t.name,
      description: t.description ?? null,
      parameters: t.inputSchema,
      strict: false,
    }));
  }
  const tc = req.toolChoice;
  if (tc)
    body.tool_choice =
      tc.type === 'any' ? 'required' : tc.type === 'tool' ? { type: 'function', name: tc.name } : tc.type;
  if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.maxTokens !== undefined) body.max_output_tokens = req.maxTokens;
  const rf = req.responseFormat;
  if (rf) {
    body.text = {
      format:
        rf.type === 'text'
          ? { type: 'text' }
          : rf.type === 'json'
            ? { type: 'json_object' }
            : {
                type: 'json_schema',
                name: rf.name ?? 'response',
                schema: rf.schema,
                ...(rf.strict !== undefined ? { strict: rf.strict } : {}),
              },
    };
  }
  if (req.metadata) body.metadata = req.metadata;
  if (req.stream) body.stream = true;
  return body;
}
