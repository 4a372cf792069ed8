import type { BlockKind } from './ast';
import { lex, Tok } from './lexer';

/**
 * The property table of the language contract (shared/spec/language.md, section 2; users read
 * docs/language.md, which a test keeps in step with this table), as data. The parser uses it to know
 * where a property ends, the binder to interpret values, and the ide layer for completion,
 * hover and snippets. One table, so they never disagree.
 */

export type UnitKind = 'bytes' | 'cpu' | 'bandwidth' | 'duration' | 'percent' | 'ratio' | 'count';

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
}

export const DECLARATION_KEYWORDS = ['import', 'defaults', 'rack', 'fabric', 'sds', 'container', 'scenario'] as const;

export const BLOCK_DOCS: Record<BlockKind | 'import', string> = {
  import: 'Imports the declarations of another `.topo` file (path relative to this file, inside the workspace).',
  defaults: 'File-wide defaults: oversubscription ratios, simulation policy, seed, duration, tick, locality threshold and failure headroom.',
  rack: 'A rack of physical nodes sharing a top-of-rack network with its own latency and bandwidth.',
  node: 'A physical node (or a range of identical nodes, `node n1..n8`) with cores, memory, NIC and disks.',
  fabric: 'The network between racks: latency and bandwidth across racks.',
  sds: 'A software-defined server: several nodes aggregated by a distributed hypervisor into one machine whose vCPUs and memory move between nodes.',
  container: 'A containerised workload: replicas, CPU and memory requests and limits, its access behaviour, and where it is placed.',
  scenario: 'A what-if scenario simulated from the base deployment: nodes fail or join, replicas and load change.',
};

const ratio = 'RATIO';

export const PROPERTIES: Record<BlockKind, readonly PropertySpec[]> = {
  defaults: [
    { name: 'oversubscribe', syntax: `oversubscribe cpu ${ratio} memory ${ratio}`, doc: 'How far limits may exceed physical capacity: allowed CPU = cores x cpu ratio, allowed memory = memory x memory ratio. Default cpu 1.0, memory 1.0.', snippet: 'oversubscribe cpu ${1:2.0} memory ${2:1.0}' },
    { name: 'policy', syntax: 'policy static|page|vcpu|cost', doc: 'The mobility policy the simulator uses for software-defined servers. Default `cost`.', snippet: 'policy ${1|cost,page,vcpu,static|}' },
    { name: 'seed', syntax: 'seed COUNT', doc: 'Seed of the simulator\'s random generator. Default 1.', snippet: 'seed ${1:1}' },
    { name: 'duration', syntax: 'duration DURATION', doc: 'Simulated time. Default `30s`.', snippet: 'duration ${1:30s}' },
    { name: 'tick', syntax: 'tick DURATION', doc: 'Length of one simulation tick. Default `10ms`.', snippet: 'tick ${1:10ms}' },
    { name: 'threshold', syntax: 'threshold locality PERCENT', doc: 'Predicted locality below this is reported (T500). Default `80%`.', snippet: 'threshold locality ${1:80%}' },
    { name: 'headroom', syntax: 'headroom COUNT', doc: 'Node failures each target must survive with all requests still fitting (T404). `0` turns the check off. Default `1`.', snippet: 'headroom ${1:1}' },
  ],
  rack: [
    { name: 'latency', syntax: 'latency DURATION', doc: 'Latency between nodes of this rack. Default `2us`.', snippet: 'latency ${1:2us}' },
    { name: 'bandwidth', syntax: 'bandwidth BANDWIDTH', doc: 'Bandwidth between nodes of this rack. Default `100Gbps`.', snippet: 'bandwidth ${1:100Gbps}' },
  ],
  fabric: [
    { name: 'latency', syntax: 'latency DURATION', doc: 'Latency between racks. Default `10us`.', snippet: 'latency ${1:10us}' },
    { name: 'bandwidth', syntax: 'bandwidth BANDWIDTH', doc: 'Bandwidth between racks. Default `400Gbps`.', snippet: 'bandwidth ${1:400Gbps}' },
  ],
  node: [
    { name: 'cores', syntax: 'cores COUNT', doc: 'Physical cores of the node. Required.', snippet: 'cores ${1:32}', required: true },
    { name: 'memory', syntax: 'memory BYTES', doc: 'Physical memory of the node. Required.', snippet: 'memory ${1:256GiB}', required: true },
    { name: 'nic', syntax: 'nic BANDWIDTH', doc: 'Network interface bandwidth. Default `25Gbps`.', snippet: 'nic ${1:25Gbps}' },
    { name: 'disk', syntax: 'disk NAME BYTES', doc: 'A named device on the node (`disk nvme0 2TB`), referenced as `RACK.NODE.DEVICE`. Repeatable.', snippet: 'disk ${1:nvme0} ${2:2TB}', repeatable: true },
    { name: 'role', syntax: 'role active|spare', doc: '`active` (default) or `spare`: spares hold nothing until a scenario needs them.', snippet: 'role ${1|spare,active|}' },
  ],
  sds: [
    { name: 'nodes', syntax: 'nodes NODESET', doc: 'The nodes aggregated into this software-defined server: `r1.n1..n4`, `r1.*`, or a comma-separated list. Required; a node belongs to at most one SDS.', snippet: 'nodes ${1:r1.*}', required: true },
    { name: 'reserve', syntax: 'reserve cores COUNT memory BYTES', doc: 'Per node, kept for the hypervisor. Default `1` core and `4GiB`.', snippet: 'reserve cores ${1:1} memory ${2:4GiB}' },
    { name: 'oversubscribe', syntax: `oversubscribe cpu ${ratio} memory ${ratio}`, doc: 'Oversubscription ratios for this SDS. Inherits `defaults`.', snippet: 'oversubscribe cpu ${1:2.0} memory ${2:1.0}' },
    { name: 'policy', syntax: 'policy static|page|vcpu|cost', doc: 'Mobility policy for this SDS. Inherits `defaults`.', snippet: 'policy ${1|cost,page,vcpu,static|}' },
    { name: 'granularity', syntax: 'granularity BYTES', doc: 'The unit of memory that moves between nodes. Default `2MiB`.', snippet: 'granularity ${1:2MiB}' },
    { name: 'overhead', syntax: 'overhead vcpu DURATION chunk DURATION', doc: 'The fixed cost of one move besides the transfer (the hypervisor\'s work, a TLB shootdown, cold caches): per vCPU move and per chunk move. Default `vcpu 20us chunk 5us`.', snippet: 'overhead vcpu ${1:20us} chunk ${2:5us}' },
  ],
  container: [
    { name: 'image', syntax: 'image STRING', doc: 'The container image (informational).', snippet: 'image "${1:registry/app:1.0}"' },
    { name: 'replicas', syntax: 'replicas COUNT', doc: 'Number of replicas. Default 1.', snippet: 'replicas ${1:2}' },
    { name: 'cpu', syntax: 'cpu CPU | cpu request CPU limit CPU', doc: 'CPU per replica in cores (`2`) or millicores (`500m`). A bare `cpu 2` sets request and limit.', snippet: 'cpu request ${1:500m} limit ${2:2}' },
    { name: 'memory', syntax: 'memory BYTES | memory request BYTES limit BYTES', doc: 'Memory per replica. A bare `memory 4GiB` sets request and limit.', snippet: 'memory request ${1:1GiB} limit ${2:2GiB}' },
    { name: 'load', syntax: 'load PERCENT', doc: 'Average CPU use as a share of the limit. Default `50%`. Sets the number of vCPUs the simulator runs: ceil(cpu limit x load).', snippet: 'load ${1:50%}' },
    { name: 'workingset', syntax: 'workingset BYTES', doc: 'Memory the container actively touches. Default: the memory request.', snippet: 'workingset ${1:1GiB}' },
    { name: 'skew', syntax: 'skew RATIO', doc: 'Zipf exponent of accesses over the working set, 0..3 (0 = uniform). Default `0.8`.', snippet: 'skew ${1:0.8}' },
    { name: 'writes', syntax: 'writes PERCENT', doc: 'Share of accesses that are writes. Default `30%`.', snippet: 'writes ${1:30%}' },
    { name: 'talks', syntax: 'talks CONTAINER [weight PERCENT]', doc: 'Shares memory with (talks to) another container; `weight` is the share of accesses to that shared memory. Default weight `10%`. Repeatable.', snippet: 'talks ${1:name} weight ${2:10%}', repeatable: true },
    { name: 'io', syntax: 'io RACK.NODE.DEVICE [weight PERCENT]', doc: 'Share of time bound to a device\'s node. Repeatable.', snippet: 'io ${1:r1.n1.nvme0} weight ${2:20%}', repeatable: true },
    { name: 'place', syntax: 'place on TARGET', doc: 'Where the replicas run: an SDS, a rack, or a node set. Required unless the file has exactly one SDS or rack.', snippet: 'place on ${1:target}' },
    { name: 'spread', syntax: 'spread nodes|racks', doc: 'Replicas on distinct nodes or distinct racks.', snippet: 'spread ${1|nodes,racks|}' },
    { name: 'colocate', syntax: 'colocate CONTAINER', doc: 'Run on the same node (or the same SDS) as that container.', snippet: 'colocate ${1:name}' },
    { name: 'priority', syntax: 'priority low|normal|high', doc: 'Placement priority: high is placed first. Default `normal`.', snippet: 'priority ${1|high,normal,low|}' },
  ],
  scenario: [
    { name: 'duration', syntax: 'duration DURATION', doc: 'Simulated time for this scenario (overrides defaults).', snippet: 'duration ${1:30s}' },
    { name: 'seed', syntax: 'seed COUNT', doc: 'Seed for this scenario (overrides defaults).', snippet: 'seed ${1:1}' },
    { name: 'policy', syntax: 'policy static|page|vcpu|cost', doc: 'Policy for this scenario (overrides defaults).', snippet: 'policy ${1|cost,page,vcpu,static|}' },
    { name: 'at', syntax: 'at DURATION fail NODE | add NODE to SDS | scale CONTAINER to COUNT | load CONTAINER PERCENT', doc: 'An event at a simulated time: a node fails, a spare joins an SDS, replicas or load change.', snippet: 'at ${1:5s} ${2|fail,add,scale,load|} ${3}', repeatable: true },
  ],
};

/** The blocks a block may contain. */
export const CHILD_BLOCKS: Partial<Record<BlockKind, readonly BlockKind[]>> = { rack: ['node'] };

/**
 * Words after which the next word is a name (a reference or a device name), never the start
 * of a new property: this is how `talks memory` names a container called `memory`.
 */
export const NAME_TAKING_WORDS: ReadonlySet<string> = new Set([
  'talks', 'colocate', 'io', 'on', 'disk', 'fail', 'add', 'to', 'scale', 'load',
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

const propertyIndex = new Map<BlockKind, Map<string, PropertySpec>>();
for (const kind of Object.keys(PROPERTIES) as BlockKind[]) {
  propertyIndex.set(kind, new Map(PROPERTIES[kind].map((p) => [p.name, p])));
}

export function propertySpec(block: BlockKind, name: string): PropertySpec | undefined {
  return propertyIndex.get(block)?.get(name);
}

export function isPropertyKeyword(block: BlockKind, word: string): boolean {
  return propertyIndex.get(block)?.has(word) === true;
}

export const POLICIES = ['static', 'page', 'vcpu', 'cost'] as const;
export const ROLES = ['active', 'spare'] as const;
export const PRIORITIES = ['low', 'normal', 'high'] as const;
export const SPREADS = ['nodes', 'racks'] as const;
export const EVENT_KINDS = ['fail', 'add', 'scale', 'load'] as const;
