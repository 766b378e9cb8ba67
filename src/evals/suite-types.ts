import type { Message, ResponseFormat } from '../wire/canonical.js';
import type { CompiledAssertion } from './assertions/types.js';
import type { AgentSpec } from './tool-case.js';

/** A case after validation, templating and assertion compilation: ready to run. */
export interface LoadedCase {
  id: string;
  description?: string;
  tags: string[];
  /** Routes under test; empty means "whatever --route says". */
  routes: string[];
  system?: string;
  messages: Message[];
  params: { temperature?: number; topP?: number; maxTokens?: number; stop?: string[] };
  responseFormat?: ResponseFormat;
  vars: Record<string, unknown>;
  assertions: CompiledAssertion[];
  repeat: number;
  /** Share of repeats that must pass. */
  threshold: number;
  timeoutMs?: number;
  /** Tools, canned results and step limit: the runner drives a model <-> tool loop. */
  agent?: AgentSpec;
  /** `cases[3]`, for error messages. */
  path: string;
}

export interface LoadedSuite {
  name: string;
  description?: string;
  /** Path as given (relative to cwd when possible), used in messages and reports. */
  file: string;
  dir: string;
  /** sha256 of the suite definition: a changed suite is a different suite in history. */
  hash: string;
  tags: string[];
  cases: LoadedCase[];
}
