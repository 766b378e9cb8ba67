import { UnsupportedError } from '../../core/errors.js';
import type { ClientWireFormat } from '../canonical.js';

/** A field that the target format cannot carry: said out loud, never dropped. */
export function unsupported(format: ClientWireFormat, field: string, why?: string): never {
  throw new UnsupportedError(`${field} cannot be expressed in the ${format} wire format${why ? ` (${why})` : ''}`, {
    details: { format, field },
  });
}
