// Check functions for the example suites. Each gets (output, ctx) and returns a boolean,
// a score, or { pass, score, reason }. ctx: { vars, caseId, route, json, latencyMs, costUsd,
// outputTokens, servedModel }.

/** The answer has a code block that defines add(a, b) and returns a + b. Reads the code; never runs it. */
export function definesAdd(output) {
  const code = /```(?:javascript|js|ts|typescript)?\n([\s\S]*?)```/.exec(output)?.[1];
  if (code === undefined) return { pass: false, reason: 'no fenced code block' };
  const signature = /function\s+add\s*\(\s*a\s*,\s*b\s*\)/.test(code);
  const body = /return\s+a\s*\+\s*b/.test(code);
  return { pass: signature && body, score: (Number(signature) + Number(body)) / 2, reason: signature && body ? 'defines add(a, b) returning a + b' : `signature ${signature}, body ${body}` };
}
