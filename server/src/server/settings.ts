import type { Policy } from '../core/model/types';
import { POLICIES } from '../core/syntax/schema';

/** The server side of the `topo.*` settings. */
export interface ServerSettings {
  simulateOnSave: boolean;
  defaultPolicy: Policy | null;
  localityThreshold: number | null;
  inlayHints: boolean;
  maxMillis: number;
  /** `topo.codeLens.sizing`: the "needs 5 of 7 nodes" lenses. */
  sizingLenses: boolean;
}

export const DEFAULT_SETTINGS: ServerSettings = { simulateOnSave: true, defaultPolicy: null, localityThreshold: null, inlayHints: true, maxMillis: 2000, sizingLenses: true };

/** Reads settings sent by a client (initializationOptions.settings or the `topo` section), ignoring anything malformed. */
export function readSettings(raw: unknown, base: ServerSettings = DEFAULT_SETTINGS): ServerSettings {
  const s = { ...base };
  if (!raw || typeof raw !== 'object') return s;
  const o = raw as Record<string, unknown>;
  if (typeof o.simulateOnSave === 'boolean') s.simulateOnSave = o.simulateOnSave;
  if (typeof o.defaultPolicy === 'string' && (POLICIES as readonly string[]).includes(o.defaultPolicy)) s.defaultPolicy = o.defaultPolicy as Policy;
  if (typeof o.localityThreshold === 'number' && o.localityThreshold >= 0 && o.localityThreshold <= 1) s.localityThreshold = o.localityThreshold;
  const hints = o.inlayHints;
  if (hints && typeof hints === 'object' && typeof (hints as Record<string, unknown>).enabled === 'boolean') s.inlayHints = (hints as { enabled: boolean }).enabled;
  const lens = o.codeLens;
  if (lens && typeof lens === 'object' && typeof (lens as Record<string, unknown>).sizing === 'boolean') s.sizingLenses = (lens as { sizing: boolean }).sizing;
  const sim = o.simulation;
  const ms = sim && typeof sim === 'object' ? (sim as Record<string, unknown>).maxMillis : undefined;
  if (typeof ms === 'number' && ms >= 50 && ms <= 600_000) s.maxMillis = ms;
  return s;
}
