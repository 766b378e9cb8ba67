import type { ServedObservation, SentinelEventRecord } from '../../store/types.js';

export type SentinelKind = SentinelEventRecord['kind'];
export type TargetKind = 'pinned' | 'floating' | 'preview' | 'unknown';

export interface SentinelAlert {
  kind: SentinelKind;
  previous: string | null;
  current: string;
}

/**
 * Did the model behind a target change since the last answer? Pure.
 * - behind a floating alias a new served model is an alias move (expected sometimes, always worth knowing);
 * - behind a pinned (or unknown) id it is a served-model change, which a pin promised would not happen;
 * - the same served model with a new fingerprint is a quieter backend change.
 * The first sighting of a target is never an alert: there is nothing to compare with.
 */
export function decideSentinel(
  previous: Pick<ServedObservation, 'servedModel' | 'fingerprint'> | null,
  current: { servedModel: string; fingerprint: string | null },
  targetKind: TargetKind,
): SentinelAlert | null {
  if (previous === null) return null;
  if (previous.servedModel !== current.servedModel) {
    return {
      kind: targetKind === 'floating' ? 'alias_moved' : 'served_model_changed',
      previous: previous.servedModel,
      current: current.servedModel,
    };
  }
  if (previous.fingerprint !== null && current.fingerprint !== null && previous.fingerprint !== current.fingerprint) {
    return { kind: 'fingerprint_changed', previous: previous.fingerprint, current: current.fingerprint };
  }
  return null;
}
