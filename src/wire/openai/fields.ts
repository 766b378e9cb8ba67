/** Every Chat Completions request field (`ChatCompletionCreateParams`), classified. */
import {
  allTranslated,
  isOn,
  isSet,
  nested,
  passthrough,
  refused,
  translated,
  type FieldTable,
} from '../shared/field-table.js';

const OPENAI_ONLY = 'an OpenAI-only feature other providers cannot serve';

export const OPENAI_FIELDS: FieldTable = {
  ...allTranslated('model', 'messages', 'tools', 'tool_choice', 'parallel_tool_calls', 'temperature', 'top_p'),
  ...allTranslated('max_tokens', 'max_completion_tokens', 'stop', 'seed', 'presence_penalty', 'frequency_penalty'),
  /** Only n=1 is accepted (checked in the decoder). */
  n: translated,
  response_format: nested({
    type: translated,
    json_schema: nested({ name: translated, description: translated, schema: translated, strict: translated }),
  }),
  stream: translated,
  // `include_obfuscation` only pads delta events; the gateway never adds that padding.
  stream_options: nested({ include_usage: translated, include_obfuscation: translated }),
  ...allTranslated('user', 'safety_identifier', 'metadata'),
  logprobs: passthrough(`logprobs are ${OPENAI_ONLY}`, isOn),
  top_logprobs: passthrough(`logprobs are ${OPENAI_ONLY}`),
  logit_bias: passthrough(`logit_bias is ${OPENAI_ONLY}`),
  audio: passthrough(`audio output is ${OPENAI_ONLY}`),
  modalities: passthrough(
    `output modalities are ${OPENAI_ONLY}`,
    (v) => isSet(v) && !(Array.isArray(v) && v.length === 1 && v[0] === 'text'),
  ),
  prediction: passthrough(`predicted outputs are ${OPENAI_ONLY}`),
  web_search_options: passthrough(`web search is a tool OpenAI runs itself`),
  service_tier: passthrough('service tiers are specific to OpenAI', (v) => isSet(v) && v !== 'auto' && v !== 'default'),
  store: passthrough('stored completions live at OpenAI', isOn),
  verbosity: passthrough(`verbosity is ${OPENAI_ONLY}`),
  prompt_cache_key: passthrough('prompt cache routing is specific to OpenAI'),
  prompt_cache_retention: passthrough('prompt cache retention is specific to OpenAI'),
  reasoning_effort: translated,
  functions: refused('legacy functions are not supported; use tools', isOn),
  function_call: refused('legacy function_call is not supported; use tool_choice'),
};
