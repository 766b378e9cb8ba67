/**
 * The boundary of `ProviderClient.embed`: the request checked with zod, and which provider types
 * can honour Gemini's task options. Library callers reach providers directly, so the clients
 * validate what they are handed rather than trusting the gateway to have done it.
 */
import { z } from 'zod';
import { UnsupportedError } from '../core/errors.js';
import { parseClient } from '../wire/shared/validate.js';
import type { EmbedOptions, EmbedRequest, ProviderType } from './types.js';

const EmbedRequestSchema = z.strictObject({
  texts: z.array(z.string()),
  dimensions: z.number().int().positive().optional(),
  taskType: z.string().min(1).optional(),
  title: z.string().optional(),
});

// Fails to compile if the schema and the interface in types.ts drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesType: Same<z.infer<typeof EmbedRequestSchema>, EmbedRequest> = true;
void schemaMatchesType;

/** Throws a `bad_request` naming the field (`texts[1]: expected string, ...`). */
export function parseEmbedRequest(req: unknown): EmbedRequest {
  return parseClient(EmbedRequestSchema, req);
}

/** Options only Gemini's embeddings API has: OpenAI's (and Azure's, and compatible servers') has no equivalent. */
export const TASK_OPTIONS = ['taskType', 'title'] as const;
export type TaskOption = (typeof TASK_OPTIONS)[number];

/** Gemini takes them; the simulator accepts them as Gemini does (its vectors do not depend on the task). */
const TAKES_TASK_OPTIONS: ReadonlySet<ProviderType> = new Set<ProviderType>(['gemini', 'simulator']);

export function takesTaskOptions(type: ProviderType): boolean {
  return TAKES_TASK_OPTIONS.has(type);
}

/** The first task option `options` sets, or null. */
export function taskOptionOf(options: EmbedOptions): TaskOption | null {
  return TASK_OPTIONS.find((f) => options[f] !== undefined) ?? null;
}

/** For a provider client: refuse (not drop) a task option its API cannot carry, before any request is sent. */
export function refuseTaskOptions(provider: { id: string; type: ProviderType }, options: EmbedOptions): void {
  const field = taskOptionOf(options);
  if (field === null || takesTaskOptions(provider.type)) return;
  throw new UnsupportedError(
    `${field}: provider "${provider.id}" (type ${provider.type}) has no ${field} in its embeddings API; leave it unset`,
    {
      provider: provider.id,
      details: { field, param: field },
    },
  );
}
