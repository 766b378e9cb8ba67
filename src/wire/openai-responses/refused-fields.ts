/**
 * Top-level Responses fields with no canonical counterpart. Each is refused only when its value asks
 * for something; the value that means "off" (null, false, `disabled`, an empty list) is accepted.
 */
import { refuse } from './refuse.js';

const STATELESS = 'the gateway keeps no conversation state; send the whole conversation in `input`';

interface Rule {
  /** True when the value asks for the unsupported behaviour. */
  active(v: unknown): boolean;
  why: string;
}

const set = (v: unknown): boolean => v !== undefined && v !== null;
const nonEmpty = (v: unknown): boolean => set(v) && !(Array.isArray(v) && v.length === 0);

const RULES: Record<string, Rule> = {
  previous_response_id: { active: set, why: STATELESS },
  conversation: { active: set, why: STATELESS },
  // Absent means true upstream at OpenAI; accepted here because nothing is stored either way.
  store: { active: (v) => v === true, why: 'the gateway does not store responses; send store: false or leave it out' },
  background: { active: (v) => v === true, why: 'background responses need stored state, which the gateway does not keep' },
  prompt: { active: set, why: 'stored prompt templates live at OpenAI and cannot be used with other providers' },
  include: { active: nonEmpty, why: 'every includable output belongs to built-in tools, reasoning or logprobs, which the gateway does not produce' },
  truncation: { active: (v) => set(v) && v !== 'disabled', why: 'only the default, disabled, is supported' },
  service_tier: { active: (v) => set(v) && v !== 'auto' && v !== 'default', why: 'service tiers are specific to OpenAI' },
  top_logprobs: { active: set, why: 'logprobs cannot be translated to every provider' },
  max_tool_calls: { active: set, why: 'limits on built-in tool calls do not apply to function tools' },
  context_management: { active: nonEmpty, why: 'server-side context compaction needs stored state' },
  prompt_cache_key: { active: set, why: 'prompt cache controls are specific to OpenAI' },
  prompt_cache_retention: { active: set, why: 'prompt cache controls are specific to OpenAI' },
};

/** Checked before the schema, so the caller learns why a field is refused rather than that it is malformed. */
export function refuseUnsupportedFields(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const raw = body as Record<string, unknown>;
  for (const [field, rule] of Object.entries(RULES)) if (rule.active(raw[field])) refuse(field, rule.why);
}
