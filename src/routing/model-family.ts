/**
 * The family of a model id: the id without its date or floating suffix, so
 * `sim-chat-latest`, `sim-chat-2026-01-15` and `claude-sonnet-4-20250514` map to comparable stems.
 */
export function modelFamily(id: string): string {
  const bare = id.includes('/') ? id.slice(id.lastIndexOf('/') + 1) : id;
  return bare
    .replace(/[-@](latest|preview(-[\w.-]*)?|exp(-[\w.-]*)?)$/i, '')
    .replace(/-\d{4}-\d{2}-\d{2}$/, '')
    .replace(/[-@]\d{8}$/, '')
    .replace(/-\d{3}$/, '')
    .replace(/-\d{4}$/, '');
}
