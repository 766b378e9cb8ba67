/**
 * Every Responses request field (`ResponseCreateParams`), classified. A refused or passthrough
 * field is a 400 only when its value asks for something; the value that means "off" (null, false,
 * `disabled`, an empty list) is accepted.
 */
import {
  allTranslated,
  isSet,
  nested,
  passthrough,
  refused,
  translated,
  type FieldTable,
} from '../shared/field-table.js';

const STATELESS = 'the gateway keeps no conversation state; send the whole conversation in `input`';
const nonEmpty = (v: unknown): boolean => isSet(v) && !(Array.isArray(v) && v.length === 0);

export const RESPONSES_FIELDS: FieldTable = {
  ...allTranslated(
    'model',
    'input',
    'instructions',
    'tools',
    'tool_choice',
    'parallel_tool_calls',
    'temperature',
    'top_p',
    'max_output_tokens',
  ),
  text: nested({
    format: nested({
      type: translated,
      name: translated,
      schema: translated,
      description: translated,
      strict: translated,
    }),
    verbosity: passthrough('verbosity is an OpenAI-only setting other providers cannot serve'),
  }),
  stream: translated,
  // `include_obfuscation` only pads delta events; the gateway never adds that padding.
  stream_options: nested({ include_obfuscation: translated }),
  ...allTranslated('metadata', 'user', 'safety_identifier'),
  // Absent means true upstream at OpenAI; accepted here because nothing is stored either way.
  store: refused('the gateway does not store responses; send store: false or leave it out', (v) => v === true),
  previous_response_id: refused(STATELESS),
  conversation: refused(STATELESS),
  background: refused('background responses need stored state, which the gateway does not keep', (v) => v === true),
  prompt: refused('stored prompt templates live at OpenAI and cannot be used with other providers'),
  include: refused(
    'every includable output belongs to built-in tools, reasoning or logprobs, which the gateway does not produce',
    nonEmpty,
  ),
  reasoning: nested({
    effort: translated,
    // Summaries would need reasoning text from every provider in Responses' own shape.
    summary: refused('reasoning summaries are not produced by the gateway'),
    generate_summary: refused('reasoning summaries are not produced by the gateway'),
    context: refused('reasoning context is specific to OpenAI'),
    mode: refused('only the standard mode is supported', (v) => isSet(v) && v !== 'standard'),
  }),
  truncation: refused('only the default, disabled, is supported', (v) => isSet(v) && v !== 'disabled'),
  service_tier: passthrough('service tiers are specific to OpenAI', (v) => isSet(v) && v !== 'auto' && v !== 'default'),
  top_logprobs: passthrough('logprobs are an OpenAI-only feature other providers cannot serve'),
  max_tool_calls: refused('limits on built-in tool calls do not apply to function tools'),
  context_management: refused('server-side context compaction needs stored state', nonEmpty),
  prompt_cache_key: passthrough('prompt cache routing is specific to OpenAI'),
  prompt_cache_retention: passthrough('prompt cache retention is specific to OpenAI'),
};
