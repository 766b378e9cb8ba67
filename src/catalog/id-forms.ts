/**
 * Recognises the shapes a model id takes across platforms and reduces each to the id the
 * catalog is keyed by: Gemini `models/` prefixes, Vertex resource paths, Bedrock ARNs and
 * cross-Region inference-profile prefixes, OpenAI fine-tune ids.
 */
export interface FineTune {
  base: string;
  org: string;
  suffix: string;
  jobId: string;
}

export interface ParsedId {
  /** The id to look up in the catalog. */
  id: string;
  /** Family implied by the form itself (e.g. `bedrock` for an ARN). */
  familyHint?: string;
  /** What was stripped or recognised, for the classification reason. */
  notes: string[];
  /** Set when the id cannot be classified from its text at all. */
  opaque?: string;
  fineTune?: FineTune;
}

const VERTEX_PATH = /^(?:projects\/[^/]+\/locations\/[^/]+\/)?publishers\/(google|anthropic)\/models\/(.+)$/;
const BEDROCK_ARN = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:([a-z-]+)\/(.+)$/;

export function parseIdForm(raw: string, geoPrefixes: readonly string[]): ParsedId {
  const notes: string[] = [];
  let id = raw.trim();

  const arn = BEDROCK_ARN.exec(id);
  if (arn) {
    const [, resource, rest] = arn as unknown as [string, string, string];
    if (resource === 'application-inference-profile') {
      return { id, familyHint: 'bedrock', notes, opaque: 'Bedrock application inference profile ARN is opaque: resolve it with GetInferenceProfile to see the model it routes to' };
    }
    notes.push(`Bedrock ${resource} ARN: using model id ${rest}`);
    id = rest;
  }

  const vertex = VERTEX_PATH.exec(id);
  if (vertex) {
    id = vertex[2] as string;
    notes.push(`Vertex AI resource path: using model id ${id}`);
    return { id, familyHint: 'vertex', notes };
  }

  if (id.startsWith('models/')) {
    id = id.slice('models/'.length);
    notes.push(`"models/" prefix stripped`);
  }

  const geo = /^([a-z-]+)\.(anthropic\..+)$/.exec(id);
  if (geo && geoPrefixes.includes(geo[1] as string)) {
    notes.push(`"${geo[1]}." is a Bedrock cross-Region inference profile for the same model version, not an alias`);
    return { id: geo[2] as string, familyHint: 'bedrock', notes };
  }
  if (arn || id.startsWith('anthropic.')) return { id, familyHint: 'bedrock', notes };

  if (id.startsWith('ft:')) {
    const [base = '', org = '', suffix = '', jobId = ''] = id.slice(3).split(':');
    if (base) return { id, familyHint: 'openai', notes, fineTune: { base, org, suffix, jobId } };
  }
  return { id, notes };
}
