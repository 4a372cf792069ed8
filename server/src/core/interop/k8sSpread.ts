/**
 * How a pod's replicas are spread, from `topologySpreadConstraints` and `podAntiAffinity`, as
 * one Topo `spread`:
 * - required anti-affinity to its own pods over hostname (zone): at most one per node (rack),
 *   `spread nodes` (`spread racks`);
 * - a spread constraint over its own pods: replica counts per domain within maxSkew of each
 *   other, `spread nodes even` / `spread racks even` (counts within one: exactly maxSkew 1;
 *   a larger maxSkew is noted, Topo is stricter);
 * - preferred anti-affinity to its own pods: the scheduler's preference to keep them apart,
 *   `even` with a note.
 * The topology key decides the domain: `kubernetes.io/hostname` nodes; the labels import
 * makes racks of (zone, rack) racks; others are noted and ignored. A Topo container has one
 * spread: the strictest is kept (one per domain over even; racks over nodes), the rest noted.
 */
import type { InteropMessage } from './emit';
import { asArray, asString, isRecord, type LocatedDoc } from './yamlDocs';

type Path = (string | number)[];

/** Node labels that make racks on import (the first present wins), and so spread over racks. */
export const RACK_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone', 'topology.kubernetes.io/rack', 'topo.dev/rack', 'rack'];
const REGION_KEYS = new Set(['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region']);
const HOST_KEYS = new Set(['kubernetes.io/hostname']);

export interface Spread {
  readonly domain: 'nodes' | 'racks';
  readonly even: boolean;
}

interface Candidate extends Spread {
  readonly at: Path;
  readonly source: string;
}

/** True when a label selector selects pods with these labels (matchLabels and matchExpressions). */
export function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isRecord(selector)) return false;
  const ml = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  const exprs = asArray(selector.matchExpressions);
  if (Object.keys(ml).length === 0 && exprs.length === 0) return false;
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== asString(v)) return false;
  for (const e of exprs) {
    if (!isRecord(e) || typeof e.key !== 'string') return false;
    const values = asArray(e.values).map((v) => asString(v));
    const has = e.key in labels;
    const value = labels[e.key];
    const ok = e.operator === 'In' ? has && values.includes(value)
      : e.operator === 'NotIn' ? !has || !values.includes(value)
        : e.operator === 'Exists' ? has
          : e.operator === 'DoesNotExist' ? !has : false;
    if (!ok) return false;
  }
  return true;
}

function show(s: Spread): string {
  return `spread ${s.domain}${s.even ? ' even' : ''}`;
}

/** The Topo spread of a pod template (or none), with notes for everything not mapped exactly. */
export function spreadOf(src: LocatedDoc, pod: Record<string, unknown>, podPath: Path, labels: Readonly<Record<string, string>>, label: string, notes: InteropMessage[]): Spread | undefined {
  const found: Candidate[] = [];
  const domainOf = (key: string, at: Path, what: string): 'nodes' | 'racks' | undefined => {
    if (HOST_KEYS.has(key)) return 'nodes';
    if (RACK_LABELS.includes(key)) return 'racks';
    if (REGION_KEYS.has(key)) {
      notes.push(src.at(at, `${label}: ${what} over regions (\`${key}\`) imported as over racks; Topo has no regions`));
      return 'racks';
    }
    notes.push(src.at(at, `${label}: ${what} over \`${key}\`, which is neither a node nor a rack label; ignored`));
    return undefined;
  };
  asArray(pod.topologySpreadConstraints).forEach((t, i) => {
    const at = [...podPath, 'topologySpreadConstraints', i];
    if (!isRecord(t) || typeof t.topologyKey !== 'string') {
      notes.push(src.at(at, `${label}: a spread constraint without topologyKey; ignored`));
      return;
    }
    if (!selects(t.labelSelector, labels)) {
      notes.push(src.at([...at, 'labelSelector'], `${label}: a spread constraint whose labelSelector does not select its own pods (it spreads them relative to other pods); not imported`));
      return;
    }
    const domain = domainOf(t.topologyKey, [...at, 'topologyKey'], 'a spread constraint');
    if (!domain) return;
    const skew = typeof t.maxSkew === 'number' ? t.maxSkew : 1;
    if (skew > 1) notes.push(src.at([...at, 'maxSkew'], `${label}: maxSkew ${skew} imported as \`spread ${domain} even\`, which keeps the replica counts of any two ${domain} within one of each other (stricter than ${skew})`));
    if (t.whenUnsatisfiable === 'ScheduleAnyway') notes.push(src.at([...at, 'whenUnsatisfiable'], `${label}: whenUnsatisfiable ScheduleAnyway is a preference; Topo checks \`spread ${domain} even\` as a rule (T405 when it cannot hold)`));
    for (const k of ['minDomains', 'matchLabelKeys', 'nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      if (t[k] !== undefined) notes.push(src.at([...at, k], `${label}: spread constraint ${k} has no Topo equivalent; not imported`));
    }
    found.push({ domain, even: true, at, source: `topologySpreadConstraints[${i}]` });
  });
  const affinity = isRecord(pod.affinity) ? pod.affinity : {};
  const anti = isRecord(affinity.podAntiAffinity) ? affinity.podAntiAffinity : {};
  for (const mode of ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution'] as const) {
    asArray(anti[mode]).forEach((term, i) => {
      const at = [...podPath, 'affinity', 'podAntiAffinity', mode, i];
      const t = isRecord(term) && isRecord(term.podAffinityTerm) ? term.podAffinityTerm : term;
      if (!isRecord(t) || typeof t.topologyKey !== 'string') return;
      if (!selects(t.labelSelector, labels)) {
        notes.push(src.at(at, `${label}: pod anti-affinity to other pods has no Topo equivalent; not imported`));
        return;
      }
      const required = mode.startsWith('required');
      const domain = domainOf(t.topologyKey, [...at], 'pod anti-affinity');
      if (!domain) return;
      if (!required) notes.push(src.at(at, `${label}: preferred pod anti-affinity (keep replicas apart where possible) imported as \`spread ${domain} even\``));
      found.push({ domain, even: !required, at, source: `podAntiAffinity.${required ? 'required' : 'preferred'}[${i}]` });
    });
  }
  if (found.length === 0) return undefined;
  // strictest first: one per domain before even, racks before nodes
  const rank = (c: Candidate): number => (c.even ? 0 : 2) + (c.domain === 'racks' ? 1 : 0);
  const kept = [...found].sort((a, b) => rank(b) - rank(a))[0];
  for (const c of found) {
    if (c === kept || (c.domain === kept.domain && c.even === kept.even)) continue;
    notes.push(src.at(c.at, `${label}: also ${show(c)} (${c.source}); a Topo container has one spread: kept \`${show(kept)}\` (${kept.source})`));
  }
  return { domain: kept.domain, even: kept.even };
}
