/** An embeddings request as any format's client sends it, and what its answer carries (see wire/openai/embeddings.ts, wire/gemini/embeddings.ts). */

/** What an embeddings call may ask besides the texts; the provider applies them to every text. */
export interface EmbedOptions {
  /** Shorter vectors (OpenAI `dimensions`, Gemini `outputDimensionality`); unset keeps the model's own length. */
  dimensions?: number;
  /** Gemini task type (`RETRIEVAL_QUERY`, `SEMANTIC_SIMILARITY`, ...): it changes the vector. */
  taskType?: string;
  /** Gemini document title (task `RETRIEVAL_DOCUMENT`). */
  title?: string;
}

/** An embeddings request whatever format the client spoke. */
export interface EmbeddingsRequest {
  /** A route name or a raw model id (Gemini's without `models/`). */
  model: string;
  /** At least one, none empty. */
  texts: string[];
  /** Per text, the options its provider call carries (a Gemini batch may set them per request). */
  options: EmbedOptions[];
  /** The request field that set `option` for text `index`, to name in an error. */
  param(index: number, option: keyof EmbedOptions): string;
}
