import type { BlockKind } from './ast';
import { lex, Tok } from './lexer';
import { DEFAULT_POLICY, EVENT_KINDS, EVENT_SYNTAX, EVENT_TO, ISOLATIONS, PACK_MODES, POLICIES, PRIORITIES, ROLES, SPREAD_EVEN, SPREADS, type UnitKind } from './words';

export type { UnitKind };

/**
 * The property table of the language contract (shared/spec/language.md, section 2; users read
 * docs/language.md, which a test keeps in step with this table), as data. The parser uses it to know
 * where a property ends, the binder to interpret values, and the ide layer for completion,
 * hover and snippets. One table, so they never disagree.
 */


export interface PropertySpec {
  readonly name: string;
  /** How the values are written, for completion details and messages. */
  readonly syntax: string;
  /** What it means and its default (hover and completion show it; docs/language.md has the full entry). */
  readonly doc: string;
  /** A snippet body (LSP snippet syntax) that writes the property with placeholders. */
  readonly snippet: string;
  /** May appear more than once (otherwise a repeat is T305). */
  readonly repeatable?: boolean;
  /** Required (T304 when missing). */
  readonly required?: boolean;
  /**
   * Typical values per kind of quantity the property takes, in canonical units (bytes, seconds,
   * bytes per second, fractions): a value written without its unit, or with an unknown one, is
   * offered the units that make it typical first (`latency 2` -> `2us`, `tick 10` -> `10ms`), and
   * completion offers typical values (`latency |` -> `2us`…; a count's, `replicas |` -> `2`…).
   */
  readonly typical?: Partial<Record<UnitKind, Typical>>;
  /** The quantity its value is (`cores 32`, `cpu 2`, the size of `disk NAME SIZE`): unit kind and limits. */
  readonly quantity?: Quantity;
  /** The words it takes as its value (an enumeration: `policy cost`). */
  readonly values?: readonly string[];
  /** The value it has when left out, one of `values` (`policy cost`); a quantity's default is on its `Quantity`. */
  readonly default?: string;
  /** A word that may follow the value (`spread nodes even`). */
  readonly modifiers?: readonly string[];
  /**
   * Its sub-keywords (`oversubscribe cpu R memory R`, `cpu request C limit C`, `talks C weight P`,
   * `place on T`), each with the quantity that follows it (null: a name or target follows).
   */
  readonly keys?: Readonly<Record<string, Quantity | null>>;
  /** Its first argument is a name (a reference or a device name), never the start of a property (`talks memory`). */
  readonly takesName?: true;
}

/** Limits of a numeric value, checked as T302. */
export interface ValueRange {
  readonly min?: number;
  /** Exclusive minimum: the value must be greater. */
  readonly above?: number;
  readonly max?: number;
  /** Words that describe the limit for the message, e.g. "at least 1 core". */
  readonly describe: string;
}

/** A quantity a property (or a sub-keyword) takes: its kind of unit and its limits. */
export interface Quantity {
  readonly unit: UnitKind;
  readonly range: ValueRange;
  /** The value when it is left out, as written (`4GiB`, `1.0`, `10%`); the binder reads it (model/defaults.ts). */
  readonly default?: string;
}

/** The quantity with a default (as written). */
const orElse = (q: Quantity, written: string): Quantity => ({ ...q, default: written });

const quantity = (unit: UnitKind, describe: string, limits: Omit<ValueRange, 'describe'> = {}): Quantity => ({ unit, range: { ...limits, describe } });
const POSITIVE_RATIO = quantity('ratio', 'greater than 0', { above: 0 });
const SHARE_0_100 = quantity('percent', 'from 0% to 100%', { min: 0, max: 1 });
const SEED = quantity('count', 'a whole number from 0 to 4294967295', { min: 0, max: 2 ** 32 - 1 });
const RATIOS = { cpu: POSITIVE_RATIO, memory: POSITIVE_RATIO };
const DEFAULT_RATIOS = { cpu: orElse(POSITIVE_RATIO, '1.0'), memory: orElse(POSITIVE_RATIO, '1.0') };
const CPU = quantity('cpu', 'more than 0 cores (at least `1m`) and at most 1000000; leave `cpu` out for a container that requests none', { above: 0, max: 1e6 });
const MEMORY = quantity('bytes', 'more than 0 bytes and at most 1048576PiB; leave `memory` out for a container that requests none', { above: 0, max: 2 ** 70 });
const WEIGHT = { weight: orElse(SHARE_0_100, '10%') };
const POSITIVE_BANDWIDTH = quantity('bandwidth', 'greater than 0', { above: 0 });
const OVERHEAD = quantity('duration', 'from 0 to 1s', { min: 0, max: 1 });
const QUOTA_CPU = quantity('cpu', 'more than 0 cores (at least `1m`) and at most 1000000000', { above: 0, max: 1e9 });
const QUOTA_MEMORY = quantity('bytes', 'more than 0 bytes and at most 1048576PiB', { above: 0, max: 2 ** 70 });
const VM_CPU = quantity('cpu', '0 cores or more, at most 1000000', { min: 0, max: 1e6 });
const VM_MEMORY = quantity('bytes', '0 bytes or more, at most 1048576PiB', { min: 0, max: 2 ** 70 });

/** A range of typical values and the most usual one (canonical units). */
export interface Typical {
  readonly low: number;
  readonly usual: number;
  readonly high: number;
}

const KIB = 1024, MIB = 1024 ** 2, GIB = 1024 ** 3, TIB = 1024 ** 4, PIB = 1024 ** 5;
const GBPS = 1e9 / 8;
const typical = (low: number, usual: number, high: number): Typical => ({ low, usual, high });
const SIM_DURATION = { duration: typical(1, 30, 3600) };
/** Any seed will do: completion offers the default. */
const SEED_TYPICAL = { count: typical(1, 1, 1) };
const SHARE = (usual: number): Partial<Record<UnitKind, Typical>> => ({ percent: typical(0.001, usual, 1) });

export const DECLARATION_KEYWORDS = ['import', 'defaults', 'rack', 'fabric', 'sds', 'tenant', 'container', 'scenario'] as const;

/** Top-level declarations that carry a name (`rack r1 { }`); `defaults` and `fabric` have none, and a `node` is named inside its rack. */
export const NAMED_DECLARATIONS = ['rack', 'sds', 'tenant', 'container', 'scenario'] as const satisfies readonly BlockKind[];
export type NamedDeclaration = (typeof NAMED_DECLARATIONS)[number];

export const BLOCK_DOCS: Record<BlockKind | 'import', string> = {
  import: 'Imports the declarations of another `.topo` file (path relative to this file, inside the workspace).',
  defaults: 'File-wide defaults: oversubscription ratios, simulation policy, seed, duration, tick, locality threshold and failure headroom.',
  rack: 'A rack of physical nodes sharing a top-of-rack network with its own latency and bandwidth.',
  node: 'A physical node (or a range of identical nodes, `node n1..n8`) with cores, memory, NIC and disks.',
  fabric: 'The network between racks: latency and bandwidth across racks.',
  sds: 'A software-defined server: several nodes aggregated by a distributed hypervisor into one machine whose vCPUs and memory move between nodes.',
  tenant: 'A tenant: an organisation whose containers are kept apart from the others\' (`isolation shared|vm|dedicated`), with a quota and an oversubscription cap. Containers name it with `tenant`.',
  container: 'A containerised workload: replicas, CPU and memory requests and limits, its access behaviour, and where it is placed.',
  scenario: 'A what-if scenario simulated from the base deployment: nodes fail or join, replicas and load change.',
};

/** A snippet's choice of `values`, `first` offered first: `${1|cost,static,page,vcpu|}`. */
function choice(tab: number, values: readonly string[], first: string = values[0]): string {
  return `\${${tab}|${[first, ...values.filter((v) => v !== first)].join(',')}|}`;
}

const POLICY_SYNTAX = `policy ${POLICIES.join('|')}`;
const POLICY_SNIPPET = `policy ${choice(1, POLICIES, DEFAULT_POLICY)}`;
const EVENT_SYNTAXES = `at DURATION ${EVENT_KINDS.map((k) => EVENT_SYNTAX[k].written).join(' | ')}`;

/** What completion inserts for a whole declaration (LSP snippet syntax): the server's only snippets. */
export const BLOCK_SNIPPETS: Readonly<Record<BlockKind | 'import', string>> = {
  import: 'import "${1:common.topo}"',
  defaults: 'defaults {\n\toversubscribe cpu ${1:2.0} memory ${2:1.0}\n\tpolicy ' + choice(3, POLICIES, DEFAULT_POLICY) + '\n}',
  rack: 'rack ${1:r1} {\n\tnode ${2:n1..n4} { cores ${3:32} memory ${4:256GiB} }\n}',
  fabric: 'fabric {\n\tlatency ${1:10us}\n\tbandwidth ${2:400Gbps}\n}',
  sds: 'sds ${1:pod1} {\n\tnodes ${2:r1.*}\n\treserve cores ${3:1} memory ${4:4GiB}\n}',
  tenant: 'tenant ${1:name} {\n\tisolation ' + choice(2, ISOLATIONS, 'shared') + '\n\tquota cpu ${3:16} memory ${4:64GiB}\n}',
  container: 'container ${1:name} {\n\treplicas ${2:1}\n\tcpu request ${3:500m} limit ${4:1}\n\tmemory request ${5:1GiB} limit ${6:2GiB}\n\tplace on ${7:target}\n}',
  scenario: 'scenario "${1:what if}" {\n\tat ${2:5s} fail ${3:r1.n1}\n}',
  node: 'node ${1:n1} { cores ${2:32} memory ${3:256GiB} }',
};

const ratio = 'RATIO';

const PACK_DOC = 'How replicas are packed onto the nodes of racks and node sets: `spread` (default) balances them over the nodes, as kube-scheduler\'s LeastAllocated scoring does; `tight` fills as few nodes as it can (first-fit decreasing, for sizing). What fits, `headroom` and the T4xx checks are the same in both.';

const PROPERTY_TABLE = {
  defaults: [
    { name: 'oversubscribe', syntax: `oversubscribe cpu ${ratio} memory ${ratio}`, doc: 'How far limits may exceed physical capacity: allowed CPU = cores x cpu ratio, allowed memory = memory x memory ratio. Default cpu 1.0, memory 1.0.', snippet: 'oversubscribe cpu ${1:2.0} memory ${2:1.0}', keys: DEFAULT_RATIOS },
    { name: 'policy', syntax: POLICY_SYNTAX, doc: 'The mobility policy the simulator uses for software-defined servers. Default `cost`.', snippet: POLICY_SNIPPET, values: POLICIES, default: 'cost' },
    { name: 'seed', syntax: 'seed COUNT', doc: 'Seed of the simulator\'s random generator. Default 1.', snippet: 'seed ${1:1}', typical: SEED_TYPICAL, quantity: orElse(SEED, '1') },
    { name: 'duration', syntax: 'duration DURATION', doc: 'Simulated time. Default `30s`.', snippet: 'duration ${1:30s}', typical: SIM_DURATION, quantity: orElse(quantity('duration', 'more than 0 and at most 24h of simulated time', { above: 0, max: 86400 }), '30s') },
    { name: 'tick', syntax: 'tick DURATION', doc: 'Length of one simulation tick. Default `10ms`.', snippet: 'tick ${1:10ms}', typical: { duration: typical(10e-6, 0.01, 1) }, quantity: orElse(quantity('duration', 'from 1us to 1min', { min: 1e-6, max: 60 }), '10ms') },
    { name: 'threshold', syntax: 'threshold locality PERCENT', doc: 'Predicted locality below this is reported (T500). Default `80%`.', snippet: 'threshold locality ${1:80%}', typical: { percent: typical(0.1, 0.8, 1) }, keys: { locality: orElse(SHARE_0_100, '80%') } },
    { name: 'headroom', syntax: 'headroom COUNT', doc: 'Node failures each target must survive with all requests still fitting (T404). `0` turns the check off. Default `1`.', snippet: 'headroom ${1:1}', quantity: orElse(quantity('count', 'a whole number of node failures from 0 to 1000', { min: 0, max: 1000 }), '1') },
    { name: 'pack', syntax: 'pack spread|tight', doc: PACK_DOC, snippet: 'pack ${1|spread,tight|}', values: PACK_MODES, default: 'spread' },
    { name: 'energy', syntax: `energy ${ratio}`, doc: 'The price of one kWh, in the currency of the nodes\' `price`: `topo size` then adds the energy the nodes draw over `lifetime` to what they cost to buy. No default.', snippet: 'energy ${1:0.25}', quantity: quantity('ratio', '0 or more', { min: 0, max: 1e9 }) },
    { name: 'lifetime', syntax: 'lifetime DURATION', doc: 'The period over which `topo size` counts the energy the nodes draw (`3y`; a year is 365 days). Default `3y`.', snippet: 'lifetime ${1:3y}', typical: { duration: typical(30 * 86400, 3 * 365 * 86400, 20 * 365 * 86400) }, quantity: orElse(quantity('duration', 'more than 0 and at most 100y', { above: 0, max: 100 * 365 * 86400 }), '3y') },
  ],
  rack: [
    { name: 'latency', syntax: 'latency DURATION', doc: 'Latency between nodes of this rack. Default `2us`.', snippet: 'latency ${1:2us}', typical: { duration: typical(100e-9, 2e-6, 1e-3) }, quantity: orElse(quantity('duration', 'from 0 to 10s', { min: 0, max: 10 }), '2us') },
    { name: 'bandwidth', syntax: 'bandwidth BANDWIDTH', doc: 'Bandwidth between nodes of this rack. Default `100Gbps`.', snippet: 'bandwidth ${1:100Gbps}', typical: { bandwidth: typical(1 * GBPS, 100 * GBPS, 10000 * GBPS) }, quantity: orElse(POSITIVE_BANDWIDTH, '100Gbps') },
    { name: 'pack', syntax: 'pack spread|tight', doc: `${PACK_DOC} A rack's own \`pack\` overrides the defaults.`, snippet: 'pack ${1|spread,tight|}', values: PACK_MODES },
  ],
  fabric: [
    { name: 'latency', syntax: 'latency DURATION', doc: 'Latency between racks. Default `10us`.', snippet: 'latency ${1:10us}', typical: { duration: typical(500e-9, 10e-6, 10e-3) }, quantity: orElse(quantity('duration', 'from 0 to 10s', { min: 0, max: 10 }), '10us') },
    { name: 'bandwidth', syntax: 'bandwidth BANDWIDTH', doc: 'Bandwidth between racks. Default `400Gbps`.', snippet: 'bandwidth ${1:400Gbps}', typical: { bandwidth: typical(10 * GBPS, 400 * GBPS, 100000 * GBPS) }, quantity: orElse(POSITIVE_BANDWIDTH, '400Gbps') },
  ],
  node: [
    { name: 'cores', syntax: 'cores COUNT', doc: 'Physical cores of the node. Required.', snippet: 'cores ${1:32}', required: true, quantity: quantity('count', 'a whole number of cores, at least 1', { min: 1, max: 1e6 }) },
    { name: 'memory', syntax: 'memory BYTES', doc: 'Physical memory of the node. Required.', snippet: 'memory ${1:256GiB}', required: true, typical: { bytes: typical(1 * GIB, 256 * GIB, 64 * TIB) }, quantity: quantity('bytes', 'more than 0 bytes', { above: 0, max: 2 ** 70 }) },
    { name: 'nic', syntax: 'nic BANDWIDTH', doc: 'Network interface bandwidth. Default `25Gbps`.', snippet: 'nic ${1:25Gbps}', typical: { bandwidth: typical(1 * GBPS, 25 * GBPS, 800 * GBPS) }, quantity: orElse(POSITIVE_BANDWIDTH, '25Gbps') },
    { name: 'disk', syntax: 'disk NAME BYTES', doc: 'A named device on the node (`disk nvme0 2TB`), referenced as `RACK.NODE.DEVICE`. Repeatable.', snippet: 'disk ${1:nvme0} ${2:2TB}', repeatable: true, typical: { bytes: typical(1 * GIB, 2e12, 1 * PIB) }, quantity: quantity('bytes', 'more than 0 bytes', { above: 0 }), takesName: true },
    { name: 'role', syntax: 'role active|spare', doc: '`active` (default) or `spare`: spares hold nothing until a scenario needs them.', snippet: 'role ${1|spare,active|}', values: ROLES, default: 'active' },
    { name: 'price', syntax: `price ${ratio}`, doc: 'What one node costs to buy, as a plain number in the file\'s currency: `topo size` then reports the purchase now and as sized. No default.', snippet: 'price ${1:12000}', quantity: quantity('ratio', '0 or more', { min: 0, max: 1e15 }) },
    { name: 'power', syntax: 'power POWER', doc: 'The average draw of one node (`450W`, `1.2kW`): with `energy` in `defaults`, `topo size` adds its energy over `lifetime`. No default.', snippet: 'power ${1:450W}', typical: { power: typical(50, 450, 20000) }, quantity: quantity('power', 'more than 0W and at most 1MW', { above: 0, max: 1e6 }) },
  ],
  sds: [
    { name: 'nodes', syntax: 'nodes NODESET', doc: 'The nodes aggregated into this software-defined server: `r1.n1..n4`, `r1.*`, or a comma-separated list. Required; a node belongs to at most one SDS.', snippet: 'nodes ${1:r1.*}', required: true },
    { name: 'reserve', syntax: 'reserve cores COUNT memory BYTES', doc: 'Per node, kept for the hypervisor. Default `1` core and `4GiB`.', snippet: 'reserve cores ${1:1} memory ${2:4GiB}', typical: { bytes: typical(256 * MIB, 4 * GIB, 256 * GIB) }, keys: { cores: orElse(quantity('count', 'a whole number of cores, 0 or more', { min: 0 }), '1'), memory: orElse(quantity('bytes', '0 bytes or more', { min: 0 }), '4GiB') } },
    { name: 'oversubscribe', syntax: `oversubscribe cpu ${ratio} memory ${ratio}`, doc: 'Oversubscription ratios for this SDS. Inherits `defaults`.', snippet: 'oversubscribe cpu ${1:2.0} memory ${2:1.0}', keys: RATIOS },
    { name: 'policy', syntax: POLICY_SYNTAX, doc: 'Mobility policy for this SDS. Inherits `defaults`.', snippet: POLICY_SNIPPET, values: POLICIES },
    { name: 'granularity', syntax: 'granularity BYTES', doc: 'The unit of memory that moves between nodes. Default `2MiB`.', snippet: 'granularity ${1:2MiB}', typical: { bytes: typical(4 * KIB, 2 * MIB, 1 * GIB) }, quantity: orElse(quantity('bytes', 'from 4KiB to 1TiB', { min: 4096, max: 2 ** 40 }), '2MiB') },
    { name: 'overhead', syntax: 'overhead vcpu DURATION chunk DURATION', doc: 'The fixed cost of one move besides the transfer (the hypervisor\'s work, a TLB shootdown, cold caches): per vCPU move and per chunk move. Default `vcpu 20us chunk 5us`.', snippet: 'overhead vcpu ${1:20us} chunk ${2:5us}', typical: { duration: typical(100e-9, 20e-6, 10e-3) }, keys: { vcpu: orElse(OVERHEAD, '20us'), chunk: orElse(OVERHEAD, '5us') } },
  ],
  tenant: [
    { name: 'isolation', syntax: `isolation ${ISOLATIONS.join('|')}`, doc: 'How the tenant is kept apart: `shared` (default) shares nodes with anyone; `vm` runs its containers in a VM of their own on each node it shares with another tenant, paying the VM\'s `overhead` there (an SDS runs no VMs); `dedicated` gets nodes and SDSs of its own.', snippet: `isolation ${choice(1, ISOLATIONS, 'vm')}`, values: ISOLATIONS, default: 'shared' },
    { name: 'overhead', syntax: 'overhead cpu CPU memory BYTES', doc: 'The cost of one VM of an `isolation vm` tenant, counted as a request and a limit on every node it shares with another tenant. Default `cpu 250m memory 512MiB`.', snippet: 'overhead cpu ${1:250m} memory ${2:512MiB}', typical: { bytes: typical(16 * MIB, 512 * MIB, 16 * GIB) }, keys: { cpu: orElse(VM_CPU, '250m'), memory: orElse(VM_MEMORY, '512MiB') } },
    { name: 'quota', syntax: 'quota cpu CPU memory BYTES', doc: 'The most the requests of all the tenant\'s replicas may add up to (T409), as a Kubernetes ResourceQuota. No default: no quota.', snippet: 'quota cpu ${1:16} memory ${2:64GiB}', typical: { bytes: typical(1 * GIB, 64 * GIB, 64 * TIB) }, keys: { cpu: QUOTA_CPU, memory: QUOTA_MEMORY } },
    { name: 'oversubscribe', syntax: `oversubscribe cpu ${ratio} memory ${ratio}`, doc: 'The most a node or SDS that hosts the tenant may be oversubscribed: allowed CPU there is cores x the smallest ratio among the target and its tenants (T401 names the tenant). No default.', snippet: 'oversubscribe cpu ${1:1.0} memory ${2:1.0}', keys: RATIOS },
  ],
  container: [
    { name: 'image', syntax: 'image STRING', doc: 'The container image (informational).', snippet: 'image "${1:registry/app:1.0}"' },
    { name: 'replicas', syntax: 'replicas COUNT', doc: 'Number of replicas. Default 1.', snippet: 'replicas ${1:2}', typical: { count: typical(1, 2, 100) }, quantity: orElse(quantity('count', 'a whole number from 1 to 1000000 (a scenario can `scale` it to 0)', { min: 1, max: 1_000_000 }), '1') },
    { name: 'cpu', syntax: 'cpu CPU | cpu request CPU limit CPU', doc: 'CPU per replica in cores (`2`) or millicores (`500m`). A bare `cpu 2` sets request and limit.', snippet: 'cpu request ${1:500m} limit ${2:2}', quantity: CPU, keys: { request: CPU, limit: CPU } },
    { name: 'memory', syntax: 'memory BYTES | memory request BYTES limit BYTES', doc: 'Memory per replica. A bare `memory 4GiB` sets request and limit.', snippet: 'memory request ${1:1GiB} limit ${2:2GiB}', typical: { bytes: typical(1 * MIB, 2 * GIB, 4 * TIB) }, quantity: MEMORY, keys: { request: MEMORY, limit: MEMORY } },
    { name: 'load', syntax: 'load PERCENT', doc: 'Average CPU use as a share of the limit. Default `50%`. Sets the number of vCPUs the simulator runs: ceil(cpu limit x load).', snippet: 'load ${1:50%}', typical: SHARE(0.5), quantity: orElse(SHARE_0_100, '50%') },
    { name: 'workingset', syntax: 'workingset BYTES', doc: 'Memory the container actively touches. Default: the memory request.', snippet: 'workingset ${1:1GiB}', typical: { bytes: typical(1 * MIB, 2 * GIB, 4 * TIB) }, quantity: quantity('bytes', '0 bytes or more', { min: 0, max: 2 ** 70 }) },
    { name: 'skew', syntax: 'skew RATIO', doc: 'Zipf exponent of accesses over the working set, 0..3 (0 = uniform). Default `0.8`.', snippet: 'skew ${1:0.8}', quantity: orElse(quantity('ratio', 'from 0 to 3', { min: 0, max: 3 }), '0.8') },
    { name: 'writes', syntax: 'writes PERCENT', doc: 'Share of accesses that are writes. Default `30%`.', snippet: 'writes ${1:30%}', typical: SHARE(0.3), quantity: orElse(SHARE_0_100, '30%') },
    { name: 'talks', syntax: 'talks CONTAINER [weight PERCENT]', doc: 'Shares memory with (talks to) another container; `weight` is the share of accesses to that shared memory. Default weight `10%`. Repeatable.', snippet: 'talks ${1:name} weight ${2:10%}', repeatable: true, typical: SHARE(0.1), keys: WEIGHT, takesName: true },
    { name: 'io', syntax: 'io RACK.NODE.DEVICE [weight PERCENT]', doc: 'Share of time bound to a device\'s node. Repeatable.', snippet: 'io ${1:r1.n1.nvme0} weight ${2:20%}', repeatable: true, typical: SHARE(0.2), keys: WEIGHT, takesName: true },
    { name: 'place', syntax: 'place on TARGET', doc: 'Where the replicas run: an SDS, a rack, or a node set. Required unless the file has exactly one SDS or rack.', snippet: 'place on ${1:target}', keys: { on: null } },
    { name: 'spread', syntax: 'spread nodes|racks [even]', doc: 'Replicas on distinct nodes or distinct racks (at most one per node or rack). With `even`, several per node or rack are fine as long as the counts differ by at most one (Kubernetes `topologySpreadConstraints` with `maxSkew: 1`).', snippet: 'spread ${1|nodes,racks|}', values: SPREADS, modifiers: [SPREAD_EVEN] },
    { name: 'colocate', syntax: 'colocate CONTAINER', doc: 'Run on the same node (or the same SDS) as that container.', snippet: 'colocate ${1:name}', takesName: true },
    { name: 'tenant', syntax: 'tenant TENANT', doc: 'The tenant the container belongs to (a `tenant` block). Containers without one form the default tenant, which is `shared`.', snippet: 'tenant ${1:name}', takesName: true },
    { name: 'network', syntax: 'network BANDWIDTH', doc: 'Network bandwidth each replica requests, packed against the node\'s `nic` like CPU and memory. No default: none.', snippet: 'network ${1:1Gbps}', typical: { bandwidth: typical(1e6 / 8, 1 * GBPS, 100 * GBPS) }, quantity: POSITIVE_BANDWIDTH },
    { name: 'priority', syntax: 'priority low|normal|high', doc: 'Placement priority: high is placed first. Default `normal`.', snippet: 'priority ${1|high,normal,low|}', values: PRIORITIES, default: 'normal' },
  ],
  scenario: [
    { name: 'duration', syntax: 'duration DURATION', doc: 'Simulated time for this scenario (overrides defaults).', snippet: 'duration ${1:30s}', typical: SIM_DURATION, quantity: quantity('duration', 'more than 0 and at most 24h', { above: 0, max: 86400 }) },
    { name: 'seed', syntax: 'seed COUNT', doc: 'Seed for this scenario (overrides defaults).', snippet: 'seed ${1:1}', typical: SEED_TYPICAL, quantity: SEED },
    { name: 'policy', syntax: POLICY_SYNTAX, doc: 'Policy for this scenario (overrides defaults).', snippet: POLICY_SNIPPET, values: POLICIES },
    { name: 'at', syntax: EVENT_SYNTAXES, doc: 'An event at a simulated time: a node fails, a spare joins an SDS, replicas or load change.', snippet: `at \${1:5s} ${choice(2, EVENT_KINDS)} \${3}`, repeatable: true, typical: { duration: typical(0.1, 10, 3600), percent: typical(0.01, 0.5, 1) }, quantity: quantity('duration', '0s or later', { min: 0 }) },
  ],
} as const satisfies Record<BlockKind, readonly PropertySpec[]>;

export const PROPERTIES: Record<BlockKind, readonly PropertySpec[]> = PROPERTY_TABLE;

/** Per block kind, its properties by name (a plain record: the parser and the binder look a property up for every one they read). */
const propertyIndex: Readonly<Record<BlockKind, ReadonlyMap<string, PropertySpec>>> = {
  defaults: specsByName('defaults'), rack: specsByName('rack'), node: specsByName('node'), fabric: specsByName('fabric'),
  sds: specsByName('sds'), tenant: specsByName('tenant'), container: specsByName('container'), scenario: specsByName('scenario'),
};

function specsByName(kind: BlockKind): ReadonlyMap<string, PropertySpec> {
  return new Map(PROPERTIES[kind].map((p) => [p.name, p]));
}

/** The properties of a block kind by name. */
export function propertiesOf(kind: BlockKind): ReadonlyMap<string, PropertySpec> {
  return propertyIndex[kind];
}

/** The names of the properties of a block kind, as a type: the binder switches over them, so a property it does not read is a compile error. */
export type PropertyName<B extends BlockKind> = (typeof PROPERTY_TABLE)[B][number]['name'];

export function isPropertyOf<B extends BlockKind>(kind: B, name: string): name is PropertyName<B> {
  return propertyIndex[kind]?.has(name) === true;
}

/** The `default:` of a switch over a block's properties (PropertyName): a property the switch leaves out does not compile. */
export function everyPropertyRead(_name: never): void {}

/** The blocks a block may contain. */
export const CHILD_BLOCKS: Partial<Record<BlockKind, readonly BlockKind[]>> = { rack: ['node'] };

/**
 * Words after which the next word is a name (a reference or a device name), never the start
 * of a new property: this is how `talks memory` names a container called `memory`.
 */
export const NAME_TAKING_WORDS: ReadonlySet<string> = new Set([
  ...Object.values(PROPERTIES).flatMap((specs) => specs.flatMap((p) => [
    ...(p.takesName ? [p.name] : []),
    ...Object.entries(p.keys ?? {}).filter(([, q]) => q === null).map(([k]) => k),
  ])),
  ...EVENT_KINDS, EVENT_TO,
]);

/**
 * What to write before a property inserted at `offset`, after the text on the same line: a
 * space (none after a space), or `; ` where the text before would take the new property's
 * keyword as a name: after a word that takes a name (`node n { to }` + `cores 32`) and after
 * `.`, `..` or `,`, which continue a reference.
 */
export function propertySeparator(text: string, offset: number): string {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  if (i > 0 && (text[i - 1] === '.' || text[i - 1] === ',')) return '; ';
  let j = i;
  while (j > 0 && /[A-Za-z0-9_-]/.test(text[j - 1])) j--;
  if (NAME_TAKING_WORDS.has(text.slice(j, i))) return '; ';
  return offset > 0 && text[offset - 1] === ' ' ? '' : ' ';
}

/**
 * What to write before a property inserted as a line of its own at `lineStart`: `; ` when the
 * last line with code before it ends in `,` (a list goes on across line breaks, so
 * `nodes r1.n1,` would take the new property's keyword as its next item), else nothing.
 */
export function ownLineSeparator(text: string, lineStart: number): string {
  let end = lineStart;
  for (let lines = 0; lines < 64 && end > 0; lines++) {
    const start = Math.max(text.lastIndexOf('\n', end - 1), text.lastIndexOf('\r', end - 1)) + 1;
    const t = lex(text.slice(start, end));
    if (t.count > 1) return t.kind[t.count - 2] === Tok.Comma ? '; ' : '';
    end = start - 1;
  }
  return '';
}

/** Per property name (over every block): its sub-keywords, and the words it takes as values. */
function wordsByName(pick: (p: PropertySpec) => readonly string[]): ReadonlyMap<string, ReadonlySet<string>> {
  const out = new Map<string, Set<string>>();
  for (const specs of Object.values(PROPERTIES)) {
    for (const p of specs) {
      const words = pick(p);
      if (words.length === 0) continue;
      const set = out.get(p.name) ?? new Set<string>();
      for (const w of words) set.add(w);
      out.set(p.name, set);
    }
  }
  return out;
}
export const SUB_KEYWORDS = wordsByName((p) => Object.keys(p.keys ?? {}));
export const VALUE_WORDS_OF = wordsByName((p) => [...(p.values ?? []), ...(p.modifiers ?? [])]);

/**
 * A property's default as written after its name (`cpu 1.0 memory 1.0`, `30s`, `cost`), from
 * its value's, its quantity's or its sub-keywords' defaults; undefined when it has none.
 */
export function writtenDefault(spec: PropertySpec): string | undefined {
  if (spec.default !== undefined) return spec.default;
  if (spec.quantity?.default !== undefined) return spec.quantity.default;
  const keyed = Object.entries(spec.keys ?? {}).filter(([, q]) => q?.default !== undefined);
  // a name comes first (`talks C weight P`): the default is of the weight alone
  if (keyed.length === 0 || spec.takesName) return undefined;
  return keyed.map(([k, q]) => `${k} ${q?.default}`).join(' ');
}

export function propertySpec(block: BlockKind, name: string): PropertySpec | undefined {
  return propertyIndex[block]?.get(name);
}

export function isPropertyKeyword(block: BlockKind, word: string): boolean {
  return propertyIndex[block]?.has(word) === true;
}

export { ISOLATIONS, PACK_MODES, POLICIES, PRIORITIES, ROLES, SPREAD_EVEN, SPREADS };
export { EVENT_KINDS } from './words';
