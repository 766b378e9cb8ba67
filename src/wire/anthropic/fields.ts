/** Every Messages request field (`MessageCreateParams`, beta fields included), classified. */
import { allTranslated, isOn, isSet, nested, passthrough, translated, type FieldTable } from '../shared/field-table.js';

const ANTHROPIC_ONLY = 'an Anthropic-only feature other providers cannot serve';

export const ANTHROPIC_FIELDS: FieldTable = {
  ...allTranslated('model', 'max_tokens', 'messages', 'system', 'tools', 'tool_choice'),
  // Older models and older SDKs: still valid on the wire.
  ...allTranslated('temperature', 'top_p', 'top_k', 'stop_sequences', 'stream'),
  metadata: nested({ user_id: translated }),
  output_config: nested({
    format: translated,
    effort: translated,
  }),
  /** The beta spelling of `output_config.format`: accepted with its `anthropic-beta` header (checked in the decoder). */
  output_format: translated,
  thinking: translated,
  // Automatic caching: carried to Anthropic targets; other providers cache repeated prefixes on their own.
  cache_control: translated,
  service_tier: passthrough('service tiers are specific to Anthropic', (v) => isSet(v) && v !== 'auto'),
  container: passthrough(`containers are ${ANTHROPIC_ONLY}`),
  mcp_servers: passthrough(`MCP servers run by the API are ${ANTHROPIC_ONLY}`, isOn),
  context_management: passthrough(`server-side context management is ${ANTHROPIC_ONLY}`),
  inference_geo: passthrough(`inference geography is ${ANTHROPIC_ONLY}`),
  speed: passthrough(`speed modes are ${ANTHROPIC_ONLY}`),
  diagnostics: passthrough(`diagnostics are ${ANTHROPIC_ONLY}`),
  user_profile_id: passthrough(`user profiles are ${ANTHROPIC_ONLY}`),
  workspace_id: passthrough(`workspaces are ${ANTHROPIC_ONLY}`),
  billing_policy: passthrough(`billing policies are ${ANTHROPIC_ONLY}`),
  compaction: passthrough(`server-side compaction is ${ANTHROPIC_ONLY}`),
  fallbacks: passthrough(`Anthropic's own model fallbacks are ${ANTHROPIC_ONLY}; use a route's fallback chain`),
  fallback_credit_token: passthrough(`Anthropic's own model fallbacks are ${ANTHROPIC_ONLY}`),
  thread: passthrough(`threads are ${ANTHROPIC_ONLY}`),
};
