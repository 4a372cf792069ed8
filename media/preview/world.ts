// What every view draws, derived once per update from the placement, the simulation (possibly
// stale: an earlier text's) and the facts: nodes with their numbers and pressure, containers with
// theirs, racks and SDSs summarised, and the problems list. Pure: no DOM.
import type { CpuMemory, FactDiagnostic, PlacementResult, ProgramFacts, SimulationResult, ContainerResult, ContainerFacts } from './messages';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface WNode {
  readonly ref: string;
  readonly rack: string;
  /** The ref without its rack (`n3`). */
  readonly label: string;
  readonly sds: string | null;
  /** The placement target whose nodes include it. */
  readonly target: string | null;
  readonly spare: boolean;
  readonly capacity: CpuMemory;
  /** Capacity x oversubscription (placement); null when the placement does not list the node. */
  readonly allowance: CpuMemory | null;
  /** Sums over the replicas placed here (packed targets); null on an SDS (the simulator places them). */
  readonly requested: CpuMemory | null;
  readonly limited: CpuMemory | null;
  /** From the simulation: cores busy, bytes used. */
  readonly used: CpuMemory | null;
  readonly failed: boolean;
  /** The largest of the shares below that exist, 0..(over 1 when overcommitted). */
  readonly pressure: number;
  /** What the pressure is, e.g. "CPU 97% used". */
  readonly pressureText: string;
  /** The sum of the shares: orders nodes of equal pressure. */
  readonly load: number;
  /** Containers with a replica, or a share of memory or vCPUs, here (declaration order). */
  readonly containers: readonly string[];
  /** Pseudo-nodes: `pool` holds an SDS's containers before it is simulated, `unplaced` those on no node. */
  readonly kind: 'node' | 'pool' | 'unplaced';
}

/** A container on a node: a replica (packed) or a share of its memory and vCPUs (SDS). */
export interface Presence {
  readonly node: string;
  readonly memory: number;
  readonly vcpus: number;
  /** Replicas there (packed targets); 0 on an SDS. */
  readonly replicas: number;
}

export interface WContainer {
  readonly name: string;
  readonly target: string | null;
  readonly targetKind: 'sds' | 'rack' | 'nodes' | null;
  readonly replicas: number;
  readonly image: string | null;
  /** Its tenant (facts); null: the default tenant, or no facts. */
  readonly tenant: { readonly name: string; readonly isolation: 'shared' | 'vm' | 'dedicated' } | null;
  /** Per replica (facts); null without facts. */
  readonly request: CpuMemory | null;
  readonly limit: CpuMemory | null;
  readonly locality: number | null;
  readonly localityError: number | null;
  readonly slowdown: number | null;
  readonly slowdownError: number | null;
  /** Bytes of all its replicas: the simulation's, else requests x replicas. */
  readonly memory: number | null;
  /** Largest memory share first. */
  readonly presence: readonly Presence[];
  readonly talks: readonly { readonly to: string; readonly weight: number }[];
  readonly io: readonly { readonly node: string; readonly device: string; readonly weight: number }[];
  readonly unplaced: number;
  /** Declaration line in the previewed file (facts), or null. */
  readonly line: number | null;
}

export interface Summary {
  readonly kind: 'rack' | 'sds';
  readonly name: string;
  readonly nodes: number;
  readonly containers: number;
  readonly cpuRequested: number;
  readonly cpuLimited: number;
  readonly cpuAllowance: number;
  readonly memoryRequested: number;
  readonly memoryAllowance: number;
  /** From the simulation. */
  readonly cpuUsed: number | null;
  readonly memoryUsed: number | null;
  readonly memoryCapacity: number;
  readonly cpuCapacity: number;
  readonly worst: Problem | null;
  /** The node with the highest pressure. */
  readonly hottest: string | null;
}

export interface Problem {
  readonly id: string;
  /** 'pressure': no diagnostic, one of the most loaded nodes. */
  readonly severity: Severity | 'pressure';
  readonly code: string | null;
  readonly subject: { readonly kind: 'container' | 'node' | 'sds' | 'rack' | 'target' | 'scenario' | 'file'; readonly name: string };
  readonly text: string;
  /** Where to focus in the graph. */
  readonly node: string | null;
  readonly container: string | null;
  readonly target: string | null;
  /** A place in the previewed file (zero-based), when the problem has one there. */
  readonly line: { readonly line: number; readonly character: number } | null;
  readonly pressure: number | null;
}

export interface World {
  readonly file: string;
  readonly nodes: readonly WNode[];
  readonly nodeIndex: ReadonlyMap<string, WNode>;
  readonly containers: readonly WContainer[];
  readonly containerIndex: ReadonlyMap<string, WContainer>;
  readonly racks: readonly { readonly name: string; readonly nodes: readonly string[] }[];
  readonly rackSummaries: ReadonlyMap<string, Summary>;
  readonly sdsSummaries: ReadonlyMap<string, Summary>;
  readonly problems: readonly Problem[];
  readonly simulated: boolean;
  /** The simulation shown is an earlier text's (why), or null. */
  readonly stale: string | null;
  /** Changes only with the structure: racks, nodes, SDS membership, containers and their targets. */
  readonly structureKey: string;
  /** The highest node pressure (for the colour scale's legend). */
  readonly maxPressure: number;
  /** The most loaded node: highest pressure, then the highest of the other shares (ties at 100% are common). */
  readonly hottest: string | null;
  /** The tenants of its containers, by name (facts); a tenant's colour is its index here. Empty: no tenants. */
  readonly tenants: readonly { readonly name: string; readonly isolation: 'shared' | 'vm' | 'dedicated' }[];
}

/** The tenants named by the containers, sorted by name (one entry each). */
export function tenantsOf(containers: readonly WContainer[]): World['tenants'] {
  const by = new Map<string, World['tenants'][number]>();
  for (const c of containers) if (c.tenant && !by.has(c.tenant.name)) by.set(c.tenant.name, c.tenant);
  return [...by.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export const UNPLACED = '(unplaced)';
/** A node gets a part of a container (SDS) when it holds at least this share of its memory or vCPUs. */
export const PART_SHARE = 0.1;
/** Nodes listed under "highest pressure" in the problems. */
const PRESSURE_ROWS = 5;

const RANK: Record<Problem['severity'], number> = { error: 0, warning: 1, pressure: 2, information: 3, hint: 4 };

function splitRef(ref: string): { rack: string; label: string } {
  const dot = ref.indexOf('.');
  return dot < 0 ? { rack: ref, label: ref } : { rack: ref.slice(0, dot), label: ref.slice(dot + 1) };
}

const share = (a: number, b: number): number => (b > 0 ? a / b : 0);

function pressureOf(capacity: CpuMemory, allowance: CpuMemory | null, requested: CpuMemory | null, used: CpuMemory | null): [number, string, number] {
  const parts: [number, string][] = [];
  if (used) {
    parts.push([share(used.cpu, capacity.cpu), 'CPU used'], [share(used.memory, capacity.memory), 'memory used']);
  }
  if (requested && allowance) {
    parts.push([share(requested.cpu, allowance.cpu), 'of the CPU allowance requested'], [share(requested.memory, allowance.memory), 'of the memory allowance requested']);
  }
  let best: [number, string] = [0, ''];
  for (const p of parts) if (p[0] > best[0]) best = p;
  return [best[0], best[1] ? `${Math.round(best[0] * 100)}% ${best[1]}` : 'idle', parts.reduce((a, p) => a + p[0], 0)];
}

export interface WorldInput {
  readonly placement: PlacementResult;
  readonly simulation: SimulationResult | null;
  readonly facts: ProgramFacts | null;
  readonly stale: string | null;
  readonly file: string;
}

type PlacedNode = PlacementResult['targets'][number]['nodes'][number];

/** Where each node's data comes from: the placement's entry and the simulation's, in display order. */
interface NodeSources {
  readonly targetOf: ReadonlyMap<string, string>;
  readonly sdsOf: ReadonlyMap<string, string>;
  readonly np: ReadonlyMap<string, PlacedNode>;
  readonly simNodes: ReadonlyMap<string, NonNullable<WorldInput['simulation']>['nodes'][number]>;
  readonly order: readonly string[];
  readonly seen: ReadonlySet<string>;
}

function nodeSources(placement: WorldInput['placement'], sim: WorldInput['simulation']): NodeSources {
  const targetOf = new Map<string, string>();
  const sdsOf = new Map<string, string>();
  const np = new Map<string, PlacedNode>();
  for (const t of placement.targets) {
    for (const n of t.nodes) {
      if (!targetOf.has(n.ref)) targetOf.set(n.ref, t.target);
      if (t.kind === 'sds') sdsOf.set(n.ref, t.target);
      // A node in two targets (a rack and a node set on it) is listed by each with all its replicas.
      if (!np.has(n.ref)) np.set(n.ref, n);
    }
  }
  const simNodes = new Map((sim?.nodes ?? []).map((n) => [n.ref, n]));
  const order: string[] = [];
  const seen = new Set<string>();
  const addRef = (r: string): void => { if (!seen.has(r)) { seen.add(r); order.push(r); } };
  for (const n of sim?.nodes ?? []) addRef(n.ref);
  for (const t of placement.targets) for (const n of t.nodes) addRef(n.ref);

  return { targetOf, sdsOf, np, simNodes, order, seen };
}

/** The containers with their presence on nodes; SDS pools and whether some are on no node. */
function buildContainers(input: WorldInput, src: NodeSources): { containers: WContainer[]; pools: Map<string, string>; homeless: boolean } {
  const { placement, simulation: sim, facts } = input;
  const { np, seen } = src;
  const factsBy = new Map<string, ContainerFacts>((facts?.containers ?? []).map((c) => [c.name, c]));
  const simBy = new Map<string, ContainerResult>((sim?.containers ?? []).map((c) => [c.name, c]));
  const replicasOn = new Map<string, Map<string, number>>();
  for (const n of np.values()) {
    for (const r of n.replicas) {
      let m = replicasOn.get(r.container);
      if (!m) replicasOn.set(r.container, (m = new Map()));
      m.set(n.ref, (m.get(n.ref) ?? 0) + 1);
    }
  }
  const unplacedOf = new Map<string, number>();
  for (const t of placement.targets) for (const u of t.unplaced) unplacedOf.set(u.container, (unplacedOf.get(u.container) ?? 0) + 1);

  const containers: WContainer[] = [];
  const pools = new Map<string, string>(); // sds -> pool ref
  const names: string[] = [];
  const nameSeen = new Set<string>();
  const targetOfContainer = new Map<string, PlacementResult['targets'][number]>();
  for (const t of placement.targets) for (const c of t.containers) {
    if (!nameSeen.has(c)) { nameSeen.add(c); names.push(c); }
    if (!targetOfContainer.has(c)) targetOfContainer.set(c, t);
  }
  for (const c of sim?.containers ?? []) if (!nameSeen.has(c.name)) { nameSeen.add(c.name); names.push(c.name); }
  let homeless = false;
  for (const name of names) {
    const t = targetOfContainer.get(name) ?? null;
    const s = simBy.get(name) ?? null;
    const f = factsBy.get(name) ?? null;
    let presence: Presence[] = [];
    const reps = replicasOn.get(name);
    if (s && (t === null || t.kind === 'sds' || !reps)) {
      const refs = new Set([...Object.keys(s.nodes), ...Object.keys(s.vcpus)]);
      presence = [...refs].filter((r) => seen.has(r)).map((r) => ({ node: r, memory: s.nodes[r] ?? 0, vcpus: s.vcpus[r] ?? 0, replicas: 0 }));
    } else if (reps) {
      const total = [...reps.values()].reduce((a, b) => a + b, 0);
      presence = [...reps].map(([r, k]) => ({ node: r, memory: k / total, vcpus: k / total, replicas: k }));
    } else if (t?.kind === 'sds') {
      const ref = pools.get(t.target) ?? `${t.target}:pool`;
      pools.set(t.target, ref);
      presence = [{ node: ref, memory: 1, vcpus: 1, replicas: 0 }];
    }
    presence.sort((a, b) => b.memory - a.memory || b.vcpus - a.vcpus || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
    if (presence.length === 0) {
      homeless = true;
      presence = [{ node: UNPLACED, memory: 1, vcpus: 1, replicas: 0 }];
    }
    const replicas = s?.replicas ?? f?.replicas ?? (reps ? [...reps.values()].reduce((a, b) => a + b, 0) : 1);
    const talks = f ? f.talks : (sim?.edges ?? []).filter((e) => e.from === name).map((e) => ({ to: e.to, weight: e.weight }));
    containers.push({
      name, target: t?.target ?? s?.target ?? null, targetKind: t?.kind ?? null, replicas,
      image: f?.image ?? null, tenant: f?.tenant ?? null, request: f?.request ?? null, limit: f?.limit ?? null,
      locality: s ? s.locality : null, localityError: s?.localityError ?? null,
      slowdown: s ? s.slowdown : null, slowdownError: s?.slowdownError ?? null,
      memory: s?.memory ?? (f ? f.request.memory * f.replicas : null),
      presence, talks, io: f?.io ?? [], unplaced: unplacedOf.get(name) ?? 0,
      line: f && facts && f.file === facts.file ? f.line : null,
    });
  }
  return { containers, pools, homeless };
}

function buildNodes(src: NodeSources, containers: readonly WContainer[], pools: ReadonlyMap<string, string>, homeless: boolean): WNode[] {
  const { np, simNodes, sdsOf, targetOf, order } = src;
  const onNode = new Map<string, string[]>();
  for (const c of containers) {
    for (const p of c.presence) {
      if (p.node !== c.presence[0]!.node && p.replicas === 0 && Math.max(p.memory, p.vcpus) < PART_SHARE) continue;
      (onNode.get(p.node) ?? onNode.set(p.node, []).get(p.node)!).push(c.name);
    }
  }

  const nodes: WNode[] = [];
  for (const ref of order) {
    const p = np.get(ref);
    const s = simNodes.get(ref);
    const capacity = p?.capacity ?? { cpu: s?.cores ?? 0, memory: s?.memory ?? 0 };
    const sds = s?.sds ?? sdsOf.get(ref) ?? null;
    const onSds = sds !== null;
    const requested = p && !onSds ? p.requested : null;
    const used = s ? { cpu: s.cpuUtil * s.cores, memory: s.memoryUsed } : null;
    const [pressure, pressureText, load] = pressureOf(capacity, p?.allowance ?? null, requested, used);
    nodes.push({
      ref, ...splitRef(ref), sds, target: targetOf.get(ref) ?? null, spare: p?.role === 'spare', capacity,
      allowance: p?.allowance ?? null, requested, limited: p && !onSds ? p.limited : null, used,
      failed: s?.failed ?? false, pressure, pressureText, load, containers: onNode.get(ref) ?? [], kind: 'node',
    });
  }
  for (const [sds, ref] of pools) {
    const first = nodes.find((n) => n.sds === sds);
    nodes.push({
      ref, rack: first?.rack ?? sds, label: 'placed by the simulator', sds, target: sds, spare: false, capacity: { cpu: 0, memory: 0 },
      allowance: null, requested: null, limited: null, used: null, failed: false, pressure: 0, pressureText: '', load: 0, containers: onNode.get(ref) ?? [], kind: 'pool',
    });
  }
  if (homeless) {
    nodes.push({
      ref: UNPLACED, rack: UNPLACED, label: 'on no node', sds: null, target: null, spare: false, capacity: { cpu: 0, memory: 0 },
      allowance: null, requested: null, limited: null, used: null, failed: false, pressure: 0, pressureText: '', load: 0, containers: onNode.get(UNPLACED) ?? [], kind: 'unplaced',
    });
  }
  return nodes;
}

export function buildWorld(input: WorldInput): World {
  const { placement, simulation: sim } = input;
  const src = nodeSources(placement, sim);
  const { containers, pools, homeless } = buildContainers(input, src);
  const containerIndex = new Map(containers.map((c) => [c.name, c]));
  const nodes = buildNodes(src, containers, pools, homeless);
  const nodeIndex = new Map(nodes.map((n) => [n.ref, n]));
  const rackOrder: string[] = [];
  const rackNodes = new Map<string, string[]>();
  for (const n of nodes) {
    if (!rackNodes.has(n.rack)) { rackNodes.set(n.rack, []); rackOrder.push(n.rack); }
    rackNodes.get(n.rack)!.push(n.ref);
  }
  const racks = rackOrder.map((name) => ({ name, nodes: rackNodes.get(name)! }));

  const problems = collectProblems(input, nodes, nodeIndex, containerIndex);
  const { rackSummaries, sdsSummaries } = summarise(placement, nodes, containers, racks, problems);
  const structureKey = [
    racks.map((r) => `${r.name}:${r.nodes.join(',')}`).join(';'),
    nodes.map((n) => `${n.ref}@${n.sds ?? ''}`).join(','),
    containers.map((c) => `${c.name}>${c.target ?? ''}`).join(','),
  ].join('|');
  const real = nodes.filter((n) => n.kind === 'node');
  const ranked = byLoad(real.filter((n) => !n.failed));
  return {
    file: input.file, nodes, nodeIndex, containers, containerIndex, racks, rackSummaries, sdsSummaries, problems,
    simulated: sim !== null, stale: input.stale, structureKey,
    maxPressure: real.reduce((a, n) => Math.max(a, n.pressure), 0),
    hottest: ranked[0] && ranked[0].pressure > 0 ? ranked[0].ref : null,
    tenants: tenantsOf(containers),
  };
}

/** Most loaded first: pressure, then the sum of the shares, then declaration order. */
export function byLoad(nodes: readonly WNode[]): WNode[] {
  return nodes.map((n, i) => [n, i] as const).sort(([a, i], [b, j]) => b.pressure - a.pressure || b.load - a.load || i - j).map(([n]) => n);
}

function nodeOfEvent(subject: string, nodes: ReadonlyMap<string, WNode>): string | null {
  for (const w of subject.split(/\s+/)) if (nodes.has(w)) return w;
  return null;
}

function collectProblems(input: WorldInput, nodes: readonly WNode[], nodeIndex: ReadonlyMap<string, WNode>, containers: ReadonlyMap<string, WContainer>): Problem[] {
  const out: Problem[] = [];
  const { facts, simulation: sim, placement } = input;
  const root = facts?.file ?? input.file;
  const where = (subject: { kind: string; name: string }): { node: string | null; container: string | null; target: string | null } => {
    if (subject.kind === 'container') {
      const c = containers.get(subject.name);
      return { node: c?.presence[0]?.node ?? null, container: subject.name, target: c?.target ?? null };
    }
    if (subject.kind === 'node') return { node: subject.name, container: null, target: nodeIndex.get(subject.name)?.target ?? null };
    if (subject.kind === 'sds' || subject.kind === 'rack') {
      const isTarget = placement.targets.some((t) => t.target === subject.name);
      const first = nodes.find((n) => (subject.kind === 'sds' ? n.sds === subject.name : n.rack === subject.name));
      return { node: first?.ref ?? null, container: null, target: isTarget ? subject.name : null };
    }
    return { node: null, container: null, target: null };
  };
  const fromFacts = (d: FactDiagnostic, i: number): Problem => ({
    id: `c${i}`, severity: d.severity, code: d.code, subject: { kind: d.subject.kind === 'defaults' ? 'file' : d.subject.kind, name: d.subject.name },
    text: d.message, ...where(d.subject),
    line: d.file === root ? d.range.start : null, pressure: null,
  });
  (facts?.diagnostics ?? []).forEach((d, i) => out.push(fromFacts(d, i)));
  if (!facts) {
    // Without facts, what the placement says on its own.
    for (const t of placement.targets) {
      const lost = new Map<string, number>();
      for (const u of t.unplaced) lost.set(u.container, (lost.get(u.container) ?? 0) + 1);
      for (const [c, k] of lost) {
        out.push({ id: `u${t.target}/${c}`, severity: 'error', code: null, subject: { kind: 'container', name: c }, text: `${k} replica${k === 1 ? '' : 's'} of ${c} fit nowhere on ${t.target}`, ...where({ kind: 'container', name: c }), line: null, pressure: null });
      }
      if (!t.headroom.ok) out.push({ id: `h${t.target}`, severity: 'warning', code: null, subject: { kind: 'target', name: t.target }, text: `failure headroom short on ${t.target}: losing ${t.headroom.lost.join(', ')} leaves replicas without room`, node: nodes.find((n) => n.target === t.target)?.ref ?? null, container: null, target: t.target, line: null, pressure: null });
    }
  }
  (sim?.diagnostics ?? []).forEach((d, i) => {
    const c = containers.get(d.subject);
    const subject: Problem['subject'] = c ? { kind: 'container', name: d.subject }
      : placement.targets.some((t) => t.target === d.subject) ? { kind: 'target', name: d.subject }
        : nodeIndex.has(d.subject) ? { kind: 'node', name: d.subject } : { kind: 'scenario', name: d.subject };
    const w = subject.kind === 'target' ? where({ kind: 'sds', name: d.subject }) : subject.kind === 'scenario' ? { node: nodeOfEvent(d.subject, nodeIndex), container: null, target: null } : where(subject);
    out.push({ id: `s${i}`, severity: d.severity, code: d.code, subject, text: d.message, ...w, line: d.file === root ? d.range.start : null, pressure: null });
  });
  for (const n of nodes) {
    if (n.failed) out.push({ id: `f${n.ref}`, severity: 'warning', code: null, subject: { kind: 'node', name: n.ref }, text: `${n.ref} fails in this scenario`, node: n.ref, container: null, target: n.target, line: null, pressure: null });
  }
  const hot = byLoad(nodes.filter((n) => n.kind === 'node' && !n.failed && n.pressure > 0)).slice(0, PRESSURE_ROWS);
  for (const n of hot) {
    out.push({ id: `p${n.ref}`, severity: 'pressure', code: null, subject: { kind: 'node', name: n.ref }, text: n.pressureText, node: n.ref, container: null, target: n.target, line: null, pressure: n.pressure });
  }
  return out
    .map((p, i) => [p, i] as const)
    .sort(([a, i], [b, j]) => RANK[a.severity] - RANK[b.severity] || i - j)
    .map(([p]) => p);
}

function summarise(
  placement: PlacementResult, nodes: readonly WNode[], containers: readonly WContainer[],
  racks: readonly { name: string; nodes: readonly string[] }[], problems: readonly Problem[],
): { rackSummaries: Map<string, Summary>; sdsSummaries: Map<string, Summary> } {
  const byRef = new Map(nodes.map((n) => [n.ref, n]));
  const worstOf = (pred: (p: Problem) => boolean): Problem | null => problems.find((p) => p.severity !== 'pressure' && pred(p)) ?? null;
  const targetNodes = new Map<string, number>();
  for (const t of placement.targets) targetNodes.set(t.target, t.nodes.filter((n) => n.role === 'active').length || t.nodes.length);
  const targetBy = new Map(placement.targets.map((t) => [t.target, t]));
  const containersOn = (refs: ReadonlySet<string>): number => containers.filter((c) => c.presence.some((p) => refs.has(p.node))).length;
  const simSum = (ns: readonly WNode[], f: (n: WNode) => number | undefined): number | null => (ns.some((n) => n.used) ? ns.reduce((a, n) => a + (f(n) ?? 0), 0) : null);
  const hottest = (ns: readonly WNode[]): string | null => byLoad(ns.filter((n) => n.kind === 'node' && !n.failed))[0]?.ref ?? null;

  const rackSummaries = new Map<string, Summary>();
  for (const r of racks) {
    const ns = r.nodes.map((x) => byRef.get(x)!).filter((n) => n.kind === 'node');
    const refs = new Set(r.nodes);
    let cpuReq = 0, cpuLim = 0, memReq = 0, cpuAllow = 0, memAllow = 0;
    const sdsShare = new Map<string, number>();
    for (const n of ns) {
      cpuAllow += n.allowance?.cpu ?? n.capacity.cpu;
      memAllow += n.allowance?.memory ?? n.capacity.memory;
      if (n.requested) { cpuReq += n.requested.cpu; memReq += n.requested.memory; }
      if (n.limited) cpuLim += n.limited.cpu;
      if (n.sds && !n.spare) sdsShare.set(n.sds, (sdsShare.get(n.sds) ?? 0) + 1);
    }
    // An SDS's requests count in each rack in proportion to its nodes there.
    for (const [sds, k] of sdsShare) {
      const t = targetBy.get(sds);
      if (!t) continue;
      const f = k / (targetNodes.get(sds) || 1);
      cpuReq += t.requested.cpu * f; cpuLim += t.limited.cpu * f; memReq += t.requested.memory * f;
    }
    rackSummaries.set(r.name, {
      kind: 'rack', name: r.name, nodes: ns.length, containers: containersOn(refs),
      cpuRequested: cpuReq, cpuLimited: cpuLim, cpuAllowance: cpuAllow, memoryRequested: memReq, memoryAllowance: memAllow,
      cpuUsed: simSum(ns, (n) => n.used?.cpu), memoryUsed: simSum(ns, (n) => n.used?.memory),
      cpuCapacity: ns.reduce((a, n) => a + n.capacity.cpu, 0), memoryCapacity: ns.reduce((a, n) => a + n.capacity.memory, 0),
      worst: worstOf((p) => (p.node !== null && refs.has(p.node)) || (p.subject.kind === 'rack' && p.subject.name === r.name)),
      hottest: hottest(ns),
    });
  }
  const sdsSummaries = new Map<string, Summary>();
  for (const t of placement.targets) {
    if (t.kind !== 'sds') continue;
    const ns = nodes.filter((n) => n.sds === t.target && n.kind === 'node');
    const refs = new Set(nodes.filter((n) => n.sds === t.target).map((n) => n.ref));
    sdsSummaries.set(t.target, {
      kind: 'sds', name: t.target, nodes: ns.length, containers: t.containers.length,
      cpuRequested: t.requested.cpu, cpuLimited: t.limited.cpu, cpuAllowance: t.allowance.cpu,
      memoryRequested: t.requested.memory, memoryAllowance: t.allowance.memory,
      cpuUsed: simSum(ns, (n) => n.used?.cpu), memoryUsed: simSum(ns, (n) => n.used?.memory),
      cpuCapacity: t.capacity.cpu, memoryCapacity: t.capacity.memory,
      worst: worstOf((p) => p.target === t.target || (p.node !== null && refs.has(p.node))),
      hottest: hottest(ns),
    });
  }
  return { rackSummaries, sdsSummaries };
}
