/** Input tokens: system, every text/tool part of every message, and the offered tool definitions. */
import type { CanonicalRequest, ContentPart } from '../wire/canonical.js';
import { countTokens } from '../core/tokenizer.js';

function partTokens(p: ContentPart): number {
  switch (p.type) {
    case 'text':
      return countTokens(p.text);
    case 'image':
      return 85; // flat cost per image, as a simulator stand-in
    case 'tool_use':
      return countTokens(p.name) + countTokens(JSON.stringify(p.input));
    case 'tool_result':
      return p.content.reduce((n, c) => n + partTokens(c), 0);
    case 'thinking':
      return countTokens(p.text);
  }
}

export function inputTokens(req: CanonicalRequest): number {
  let n = countTokens(req.system ?? '');
  for (const m of req.messages) for (const p of m.content) n += partTokens(p);
  for (const t of req.tools ?? [])
    n += countTokens(t.name) + countTokens(t.description ?? '') + countTokens(JSON.stringify(t.inputSchema));
  return n;
}
