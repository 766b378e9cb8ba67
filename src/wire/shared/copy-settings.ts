import type { CanonicalRequest } from '../canonical.js';

/** Which canonical request settings a format carries over unchanged, and the name it gives each (in body order). */
export type SettingNames = Partial<Record<keyof CanonicalRequest, string>>;

/** Copy the settings the request sets into the body, each under the format's name; unset ones stay out. */
export function copySettings(body: Record<string, unknown>, req: CanonicalRequest, names: SettingNames): void {
  for (const [from, to] of Object.entries(names) as Array<[keyof CanonicalRequest, string]>) {
    const v = req[from];
    if (v !== undefined) body[to] = v;
  }
}
