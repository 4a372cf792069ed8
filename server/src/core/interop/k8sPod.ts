/**
 * A Kubernetes pod's requests and limits as one Topo container. Topo places a container's
 * replicas; a pod's containers always run together on one node, so the pod is the replica and
 * its resources are the pod's, counted as the Kubernetes scheduler counts them: the sum over the
 * app containers and the sidecars (init containers with `restartPolicy: Always`), or the largest
 * init container (plus the sidecars started before it) when that is more, plus `overhead`.
 */
import { formatBytesTopo, formatCpuTopo, cpuMillis, memoryBytes } from './quantity';
import type { InteropMessage } from './emit';
import { asArray, asString, isRecord, type LocatedDoc } from './yamlDocs';

type Path = (string | number)[];

/** Millicores and bytes of one pod: requests and limits. */
export interface PodResources {
  cpuRequest: number;
  cpuLimit: number;
  memoryRequest: number;
  memoryLimit: number;
}

/** Stated when no container of the pod says anything about a resource (noted). */
export const DEFAULT_CPU_MILLIS = 100;
export const DEFAULT_MEMORY_BYTES = 128 * 2 ** 20;

/** One container of the pod spec, as read. */
export interface PodContainer {
  readonly name: string;
  readonly image?: string;
  readonly role: 'app' | 'sidecar' | 'init';
  readonly path: Path;
  readonly raw: Record<string, unknown>;
  readonly cpu: { request?: number; limit?: number };
  readonly memory: { request?: number; limit?: number };
}

/** Reads the containers, sidecars and init containers of a pod spec; invalid quantities are errors. */
export function podContainers(src: LocatedDoc, pod: Record<string, unknown>, podPath: Path, label: string, notes: InteropMessage[], errors: InteropMessage[]): PodContainer[] {
  const out: PodContainer[] = [];
  for (const [list, isInit] of [['initContainers', true], ['containers', false]] as const) {
    asArray(pod[list]).forEach((raw, i) => {
      const path = [...podPath, list, i];
      if (!isRecord(raw)) {
        errors.push(src.at(path, `${label}: ${list}[${i}] is not a mapping`));
        return;
      }
      const role = !isInit ? 'app' : raw.restartPolicy === 'Always' ? 'sidecar' : 'init';
      const c: PodContainer = { name: asString(raw.name) ?? `${list}[${i}]`, image: asString(raw.image), role, path, raw, cpu: {}, memory: {} };
      const res = isRecord(raw.resources) ? raw.resources : {};
      for (const kind of ['requests', 'limits'] as const) {
        const block = isRecord(res[kind]) ? res[kind] : {};
        for (const [rname, rvalue] of Object.entries(block)) {
          const at = [...path, 'resources', kind, rname];
          const v = typeof rvalue === 'number' || typeof rvalue === 'string' ? rvalue : undefined;
          const slot = kind === 'requests' ? 'request' : 'limit';
          if (rname === 'cpu') {
            const m = v === undefined ? undefined : cpuMillis(v);
            if (m === undefined) errors.push(src.at(at, `invalid CPU quantity \`${String(rvalue)}\``));
            else c.cpu[slot] = m;
          } else if (rname === 'memory') {
            const b = v === undefined ? undefined : memoryBytes(v);
            if (b === undefined) errors.push(src.at(at, `invalid memory quantity \`${String(rvalue)}\``));
            else c.memory[slot] = b;
          } else notes.push(src.at(at, `${label} container ${c.name}: ${rname} ${kind} has no Topo equivalent`));
        }
      }
      out.push(c);
    });
  }
  return out;
}

interface Amount { request: number; limit: number }

/**
 * The pod's requests and limits, and the phrases of what was filled in (each names the
 * container when the pod has several): a request from its limit (as Kubernetes does), a limit
 * from its request (Topo needs one; Kubernetes would not cap it), defaults for a container that
 * states nothing (Kubernetes reserves nothing for it; Topo counts something), a minimum for an
 * explicit zero.
 */
export function podResources(containers: readonly PodContainer[], overhead: { cpu?: number; memory?: number }): { resources: PodResources; filled: string[] } {
  const named = containers.length > 1;
  const phrases = new Map<PodContainer | null, string[]>(); // per container (null: the pod), in order
  const say = (c: PodContainer | null, p: string): void => {
    const l = phrases.get(c) ?? [];
    l.push(p);
    phrases.set(c, l);
  };
  const result: Partial<PodResources> = {};
  for (const [what, def, fmt, extra] of [['cpu', DEFAULT_CPU_MILLIS, formatCpuTopo, overhead.cpu ?? 0], ['memory', DEFAULT_MEMORY_BYTES, formatBytesTopo, overhead.memory ?? 0]] as const) {
    const each = new Map<PodContainer, Amount>();
    for (const c of containers) {
      const stated = c[what];
      let request = stated.request;
      let limit = stated.limit;
      if (request === undefined && limit === undefined) {
        request = def;
        limit = def;
        say(c, `${what} ${fmt(def)} (a default: none stated${named ? '; Kubernetes reserves nothing for it' : ''})`);
      } else {
        if (request === undefined) {
          request = limit ?? 0;
          say(c, `${what} request ${fmt(request)} = its limit (as Kubernetes does)`);
        }
        if (limit === undefined) {
          limit = request;
          say(c, `${what} limit ${fmt(limit)} = its request (no limit; Topo needs one)`);
        }
      }
      each.set(c, { request, limit });
    }
    const sum = (pick: (a: Amount) => number): number => {
      let running = 0; // app containers and sidecars
      let initPeak = 0; // the largest init container, with the sidecars started before it
      let sidecarsSoFar = 0;
      for (const c of containers) {
        const a = each.get(c);
        if (!a) continue;
        if (c.role === 'init') initPeak = Math.max(initPeak, pick(a) + sidecarsSoFar);
        else {
          running += pick(a);
          if (c.role === 'sidecar') sidecarsSoFar += pick(a);
        }
      }
      return Math.max(running, initPeak) + extra;
    };
    let request = sum((a) => a.request);
    let limit = sum((a) => a.limit);
    if (request === 0) {
      request = 1;
      if (limit === 0) limit = 1;
      say(null, `${what} request ${what === 'cpu' ? '1m' : '1B'} (the pod requests 0; Topo needs more)`);
    }
    // a limit under its request stays: the check reports it (T303)
    if (what === 'cpu') [result.cpuRequest, result.cpuLimit] = [request, limit];
    else [result.memoryRequest, result.memoryLimit] = [request, limit];
  }
  const filled = [...phrases].map(([c, ps]) => `${c && named ? `${c.name}: ` : ''}${ps.join(', ')}`);
  return {
    resources: { cpuRequest: result.cpuRequest ?? DEFAULT_CPU_MILLIS, cpuLimit: result.cpuLimit ?? DEFAULT_CPU_MILLIS, memoryRequest: result.memoryRequest ?? DEFAULT_MEMORY_BYTES, memoryLimit: result.memoryLimit ?? DEFAULT_MEMORY_BYTES },
    filled,
  };
}

/** `overhead` of a pod spec (RuntimeClass overhead, as admitted): added to its requests and limits. */
export function podOverhead(src: LocatedDoc, pod: Record<string, unknown>, podPath: Path, errors: InteropMessage[]): { cpu?: number; memory?: number } {
  const o = isRecord(pod.overhead) ? pod.overhead : {};
  const out: { cpu?: number; memory?: number } = {};
  for (const [k, parse] of [['cpu', cpuMillis], ['memory', memoryBytes]] as const) {
    const v = o[k];
    if (v === undefined) continue;
    const n = typeof v === 'string' || typeof v === 'number' ? parse(v) : undefined;
    if (n === undefined) errors.push(src.at([...podPath, 'overhead', k], `invalid overhead ${k} \`${String(v)}\``));
    else out[k] = n;
  }
  return out;
}
