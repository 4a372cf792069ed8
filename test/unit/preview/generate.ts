// Seeded generator of placement and simulation results that follow server/src/core/result.ts
// exactly (test inputs for the preview until real simulator output is available).
import type {
  PlacementResult, SimulationResult, TargetPlacement, NodePlacement, ContainerResult, NodeResult, EdgeResult,
  EventResult, NodeTimeline, ContainerTimeline,
} from '../../../server/src/core/result';
import type { Policy } from '../../../server/src/core/model/types';

import { seeded as rng } from '../../seeded';

export { rng };

export interface GenOptions {
  seed: number;
  racks: number;
  nodesPerRack: number;
  /** How many racks' nodes form SDSes: the first `sdsRacks` racks are split into SDSes of `sdsSize` nodes. */
  sdsRacks: number;
  sdsSize: number;
  containers: number;
  edges: number;
  samples: number;
  policy?: Policy;
  scenario?: string | null;
  nodeTimeline?: boolean;
  containerTimeline?: boolean;
}

export interface Generated {
  placement: PlacementResult;
  simulation: SimulationResult;
  scenarios: string[];
}

const GiB = 1024 ** 3;

export function generate(o: GenOptions): Generated {
  const r = rng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const file = '/work/examples/generated.topo';
  const policy = o.policy ?? 'cost';
  const nodeRefs: { ref: string; rack: number; sds: string | null }[] = [];
  const sdsNodes = new Map<string, string[]>();
  for (let k = 0; k < o.racks; k++) {
    for (let n = 0; n < o.nodesPerRack; n++) {
      const ref = `r${k + 1}.n${n + 1}`;
      let sds: string | null = null;
      if (k < o.sdsRacks) {
        sds = `sds${k + 1}${String.fromCharCode(97 + Math.floor(n / o.sdsSize))}`;
        (sdsNodes.get(sds) ?? sdsNodes.set(sds, []).get(sds)!).push(ref);
      }
      nodeRefs.push({ ref, rack: k, sds });
    }
  }
  const packed = nodeRefs.filter((n) => n.sds === null).map((n) => n.ref);
  const targets = [...sdsNodes.keys(), ...(packed.length ? ['rackpool'] : [])];
  const cores = 32;
  const memory = 256 * GiB;

  // Containers: target, memory, shares.
  const containers: ContainerResult[] = [];
  const replicasOn = new Map<string, { container: string; replica: number }[]>();
  const memUsed = new Map<string, number>();
  const cpuUsed = new Map<string, number>();
  const byTarget = new Map<string, string[]>();
  for (let i = 0; i < o.containers; i++) {
    const name = `svc-${i.toString(36)}`;
    const target = pick(targets);
    (byTarget.get(target) ?? byTarget.set(target, []).get(target)!).push(name);
    const replicas = 1 + Math.floor(r() * 3);
    const mem = Math.round((0.5 + r() * 8) * GiB) * replicas;
    const nodes: Record<string, number> = {};
    const vcpus: Record<string, number> = {};
    if (target === 'rackpool') {
      for (let k = 0; k < replicas; k++) {
        const ref = pick(packed);
        (replicasOn.get(ref) ?? replicasOn.set(ref, []).get(ref)!).push({ container: name, replica: k });
        nodes[ref] = (nodes[ref] ?? 0) + 1 / replicas;
        vcpus[ref] = (vcpus[ref] ?? 0) + 1 / replicas;
      }
    } else {
      const refs = sdsNodes.get(target)!;
      const weights = refs.map(() => r() ** 3);
      const total = weights.reduce((a, b) => a + b, 0) || 1;
      refs.forEach((ref, k) => {
        const share = weights[k]! / total;
        if (share > 0.005) nodes[ref] = Number(share.toFixed(4));
      });
      const main = refs[weights.indexOf(Math.max(...weights))]!;
      vcpus[main] = 0.8;
      const other = pick(refs);
      vcpus[other] = (vcpus[other] ?? 0) + 0.2;
    }
    for (const [ref, s] of Object.entries(nodes)) memUsed.set(ref, (memUsed.get(ref) ?? 0) + mem * s);
    for (const [ref, s] of Object.entries(vcpus)) cpuUsed.set(ref, (cpuUsed.get(ref) ?? 0) + replicas * 0.5 * s);
    const locality = Math.min(1, Math.max(0, 0.35 + r() * 0.7));
    containers.push({ name, replicas, target, locality: Number(locality.toFixed(4)), localityError: Number((r() * 0.01).toFixed(4)), slowdown: Number((1 + (1 - locality) * r()).toFixed(3)), slowdownError: Number((r() * 0.02).toFixed(4)), nodes, vcpus, memory: mem });
  }

  const cm = (cpu: number, mem: number) => ({ cpu, memory: mem });
  const placementTargets: TargetPlacement[] = targets.map((t) => {
    const refs = t === 'rackpool' ? packed : sdsNodes.get(t)!;
    const names = byTarget.get(t) ?? [];
    const nodes: NodePlacement[] = refs.map((ref, k) => {
      const reps = t === 'rackpool' ? replicasOn.get(ref) ?? [] : [];
      const reqCpu = reps.length * 0.5;
      const reqMem = reps.reduce((a, x) => a + (containers.find((c) => c.name === x.container)!.memory ?? 0) / 3, 0);
      return {
        ref, role: t === 'rackpool' && k === refs.length - 1 ? 'spare' : 'active', capacity: cm(cores, memory), allowance: cm(cores * 2, memory),
        requested: cm(reqCpu, Math.round(reqMem)), limited: cm(reqCpu * 2, Math.round(reqMem)), replicas: reps,
      };
    });
    return {
      target: t, kind: t === 'rackpool' ? 'nodes' : 'sds', capacity: cm(cores * refs.length, memory * refs.length),
      allowance: cm(cores * refs.length * 2, memory * refs.length), requested: cm(names.length, names.length * GiB),
      limited: cm(names.length * 2, names.length * GiB), containers: names, nodes, unplaced: [],
      headroom: { failures: 1, ok: true, lost: [] },
    };
  });

  const failedRef = nodeRefs.length > 2 ? nodeRefs[1]!.ref : null;
  const nodes: NodeResult[] = nodeRefs.map((n) => ({
    ref: n.ref, sds: n.sds, cores, memory,
    cpuUtil: n.ref === failedRef ? 0 : Number(Math.min(1, (cpuUsed.get(n.ref) ?? 0) / cores).toFixed(4)),
    memoryUsed: n.ref === failedRef ? 0 : Math.round(Math.min(memory * 1.05, memUsed.get(n.ref) ?? 0)),
    failed: n.ref === failedRef,
  }));

  const edges: EdgeResult[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < o.edges && containers.length > 1; i++) {
    const a = pick(containers).name;
    const b = pick(containers).name;
    if (a === b || seen.has(`${a}|${b}`)) continue;
    seen.add(`${a}|${b}`);
    edges.push({ from: a, to: b, weight: Number((r() ** 2 * 1000).toFixed(2)), locality: Number(r().toFixed(3)) });
  }

  const tick = 0.5;
  const t = Array.from({ length: o.samples }, (_, i) => i * tick);
  const failAt = t[Math.floor(o.samples * 0.4)] ?? 0;
  const total = t.map((x) => Number(Math.min(1, Math.max(0, 0.55 + 0.35 * (1 - Math.exp(-x / 5)) - (x >= failAt && x < failAt + 4 ? 0.2 : 0) + (r() - 0.5) * 0.04)).toFixed(4)));
  const events: EventResult[] = failedRef
    ? [{ t: failAt, kind: 'fail', target: failedRef, absorbed: true }, { t: t[Math.floor(o.samples * 0.7)] ?? 0, kind: 'load', target: containers[0]?.name ?? 'x', absorbed: false }]
    : [];
  const nodeTimeline: NodeTimeline[] = nodes.map((n) => ({
    ref: n.ref,
    cpuUtil: t.map((x) => (n.ref === failedRef && x >= failAt ? 0 : Number(Math.min(1, Math.max(0, n.cpuUtil + (r() - 0.5) * 0.3)).toFixed(3)))),
    memoryUsed: t.map((x) => (n.ref === failedRef && x >= failAt ? 0 : Math.round(Math.max(0, n.memoryUsed * (0.7 + 0.3 * Math.min(1, x / 10)))))),
  }));
  const containerTimeline: ContainerTimeline[] = containers.map((c) => ({
    name: c.name,
    locality: t.map((x) => Number(Math.min(1, Math.max(0, (c.locality ?? 1) - 0.3 * Math.exp(-x / 4) + (r() - 0.5) * 0.05)).toFixed(3))),
  }));
  const simulation: SimulationResult = {
    version: '2',
    input: { file, seed: o.seed, policy, duration: o.samples * tick, tick, scenario: o.scenario ?? 'rack-failure', samples: 32, exact: false, accessRate: 1e6 },
    summary: {
      localityError: 0.004, slowdown: 1.2, slowdownError: 0.01, sampledAccesses: 1000, simulatedSeconds: o.samples * tick,
      locality: Number((total.slice(Math.floor(total.length / 2)).reduce((a, b) => a + b, 0) / Math.max(1, total.length - Math.floor(total.length / 2))).toFixed(4)),
      stallSeconds: Number((r() * 20).toFixed(3)), vcpuMigrations: Math.floor(r() * 500), chunkMigrations: Math.floor(r() * 20000),
      replications: Math.floor(r() * 100), networkBytes: Math.floor(r() * 50 * GiB), wallMillis: 12,
    },
    containers, nodes, edges,
    timeline: {
      t, locality: total,
      vcpuMigrations: t.map(() => Math.floor(r() * 10)),
      chunkMigrations: t.map(() => Math.floor(r() * 300)),
      networkBytes: t.map(() => Math.floor(r() * 200 * 1024 ** 2)),
    },
    events,
    diagnostics: [],
    ...(o.nodeTimeline === false ? {} : { nodeTimeline }),
    ...(o.containerTimeline === false ? {} : { containerTimeline }),
  };
  return { placement: { version: '1', file, targets: placementTargets }, simulation, scenarios: ['rack-failure', 'peak-load'] };
}

/** The same world simulated under each policy (different seeds perturb the numbers). */
export function generateComparison(o: GenOptions): Record<Policy, SimulationResult> {
  const out = {} as Record<Policy, SimulationResult>;
  (['static', 'page', 'vcpu', 'cost'] as const).forEach((p, i) => {
    const g = generate({ ...o, policy: p });
    const factor = [0.62, 0.8, 0.76, 0.93][i]!;
    out[p] = { ...g.simulation, input: { ...g.simulation.input, policy: p, seed: o.seed }, summary: { ...g.simulation.summary, locality: factor, localityError: 0.004 + i * 0.001, slowdown: [1.9, 1.32, 1.45, 1.21][i]!, slowdownError: [0.01, 0.03, 0.02, 0.01][i]!, stallSeconds: (1 - factor) * 40 + i, vcpuMigrations: i * 120, chunkMigrations: [0, 9000, 300, 4000][i]!, networkBytes: [1, 40, 8, 18][i]! * GiB } };
  });
  return out;
}

export const SMALL: GenOptions = { seed: 7, racks: 2, nodesPerRack: 4, sdsRacks: 1, sdsSize: 4, containers: 12, edges: 10, samples: 60 };
export const LARGE: GenOptions = { seed: 11, racks: 8, nodesPerRack: 12, sdsRacks: 4, sdsSize: 6, containers: 2000, edges: 3000, samples: 400 };

/**
 * A real .topo file for the preview at scale (issue 19): `racks` racks of `nodesPerRack` nodes
 * (the first two racks each hold an SDS over 8 of their nodes), `containers` containers of a
 * dozen teams with images, requests and limits, `talks` chains inside each team, some `io`
 * affinities, and one node loaded more than the others (containers pinned to it). Seeded.
 */
export function generateTopoFile(o: { seed?: number; racks?: number; nodesPerRack?: number; containers?: number } = {}): string {
  const r = rng(o.seed ?? 5);
  const racks = o.racks ?? 5;
  const perRack = o.nodesPerRack ?? 20;
  const total = o.containers ?? 2000;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const out: string[] = [
    `# Generated: ${racks * perRack} nodes in ${racks} racks, ${total} containers (the preview at scale, issue 19).`,
    'defaults {', '  oversubscribe cpu 2.0 memory 1.0', '  headroom 0', '  duration 4s', '  tick 10ms', '  threshold locality 60%', '}', '',
  ];
  for (let k = 1; k <= racks; k++) {
    out.push(`rack r${k} {`, '  latency 2us', '  bandwidth 100Gbps');
    out.push(`  node n01..n${pad(perRack - 4)} { cores 64 memory 512GiB nic 100Gbps disk nvme0 3.84TB }`);
    out.push(`  node n${pad(perRack - 3)}..n${pad(perRack - 1)} { cores 32 memory 256GiB nic 25Gbps disk nvme0 1.92TB }`);
    out.push(`  node n${pad(perRack)} { cores 64 memory 512GiB nic 100Gbps role spare }`);
    out.push('}', '');
  }
  const sds = ['pod-a', 'pod-b'].slice(0, Math.min(2, racks));
  sds.forEach((name, i) => out.push(`sds ${name} {`, `  nodes r${i + 1}.n01..n08`, '  reserve cores 2 memory 16GiB', '  policy cost', '}', ''));
  const teams = ['checkout', 'search', 'ledger', 'media', 'identity', 'ads', 'feeds', 'billing', 'maps', 'chat', 'mail', 'ml'];
  // Packed targets, weighted by their cores: the rest of the SDS racks, the other racks whole.
  const hotRack = Math.min(4, racks);
  const hot = `r${hotRack}.n07`;
  // The hot node is only the pinned containers' (targets do not overlap).
  const packed = Array.from({ length: racks }, (_, k) => (k < sds.length ? `r${k + 1}.n09..n${pad(perRack - 1)}` : k + 1 === hotRack ? `r${k + 1}.n01..n06, r${k + 1}.n08..n${pad(perRack - 1)}` : `r${k + 1}`));
  const weights = packed.map((_, k) => (k < sds.length ? 608 : 1120));
  const sum = weights.reduce((a, b) => a + b, 0);
  const pickPacked = (): string => {
    let x = r() * sum;
    for (let k = 0; k < packed.length; k++) if ((x -= weights[k]!) < 0) return packed[k]!;
    return packed[packed.length - 1]!;
  };
  const byTeam = new Map<string, string[]>();
  for (let i = 0; i < total; i++) {
    const team = teams[i % teams.length]!;
    const list = byTeam.get(team) ?? byTeam.set(team, []).get(team)!;
    const name = `${team}-${['api', 'worker', 'cache', 'db', 'gateway', 'indexer'][Math.floor(r() * 6)]}-${list.length + 1}`;
    const onSds = sds.length > 0 && i % 20 === 0;
    const pinned = !onSds && i % 100 === 3;
    const target = onSds ? sds[(i / 20) % sds.length]! : pinned ? hot : pickPacked();
    const replicas = onSds || pinned ? 1 : 1 + Math.floor(r() * 2);
    const cpu = onSds ? [4, 8, 16][Math.floor(r() * 3)]! : pinned ? 3 : [0.5, 1, 2][Math.floor(r() * 3)]!;
    const mem = onSds ? [32, 64, 128][Math.floor(r() * 3)]! : pinned ? 20 : [2, 4, 8, 16][Math.floor(r() * 4)]!;
    const lines = [`container ${name} {`, `  image "registry.example/${team}/${name.split('-')[1]}:${1 + Math.floor(r() * 4)}.${Math.floor(r() * 10)}"`];
    if (replicas > 1) lines.push(`  replicas ${replicas}`);
    lines.push(`  cpu request ${cpu} limit ${cpu * 2}`, `  memory request ${mem}GiB limit ${mem * (r() < 0.3 ? 2 : 1)}GiB`, `  writes ${10 + Math.floor(r() * 50)}%`);
    if (list.length && r() < 0.6) lines.push(`  talks ${list[Math.floor(r() * list.length)]} weight ${10 + Math.floor(r() * 30)}%`);
    if (!onSds && !pinned && r() < 0.05) {
      const rack = target.split('.')[0]!;
      lines.push(`  io ${rack}.n${pad(1 + Math.floor(r() * (perRack - 4)))}.nvme0 weight 20%`);
    }
    lines.push(`  place on ${target}`, '}');
    out.push(...lines);
    list.push(name);
  }
  out.push('', 'scenario "lose a node under load" {', `  at 1s fail r${Math.min(3, racks)}.n05`, `  at 2s load ${byTeam.get('search')?.[0] ?? 'search-api-1'} 90%`, '}');
  return `${out.join('\n')}\n`;
}
