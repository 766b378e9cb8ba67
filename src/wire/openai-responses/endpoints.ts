export const RESPONSES_PATHS: readonly string[] = ['/v1/responses', '/responses'];

/** `/v1/responses/{id}`, `/responses/input_tokens`...: the Responses resource, whatever follows. */
export function isResponsesPath(pathname: string): boolean {
  return /^\/(?:v1\/)?responses(?:\/|$)/.test(pathname);
}
