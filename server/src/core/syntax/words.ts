/**
 * The language's enumerations, each declared once as a `const` array with its derived type and
 * the documentation of each value (a `Record` over the type, so a new value without its entry
 * is a compile error). The schema, the binder, completion, hover and the model's types all
 * take them from here.
 */

/** The kinds of quantity a value may be; each has its units (model/units.ts) and its name in messages. */
export const UNIT_KINDS = ['bytes', 'cpu', 'bandwidth', 'duration', 'power', 'percent', 'ratio', 'count'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Simulator mobility policies (shared/spec/simulator.md). */
export const POLICIES = ['static', 'page', 'vcpu', 'cost'] as const;
export type Policy = (typeof POLICIES)[number];
/** The policy when nothing sets one (the snippets offer it first). */
export const DEFAULT_POLICY: Policy = 'cost';
export const POLICY_DOCS: Readonly<Record<Policy, string>> = {
  static: 'Nothing moves: accesses to remote memory stay remote.',
  page: 'Memory pages move to the node that touches them.',
  vcpu: 'vCPUs move to the node that holds their memory.',
  cost: 'Moves pages or vCPUs, whichever the cost model says is cheaper (default).',
};

export const ROLES = ['active', 'spare'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_DOCS: Readonly<Record<Role, string>> = {
  active: 'Holds containers (default).',
  spare: 'Holds nothing until a scenario adds it to an SDS.',
};

export const PRIORITIES = ['low', 'normal', 'high'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_DOCS: Readonly<Record<Priority, string>> = {
  low: 'Placed last.', normal: 'Default priority.', high: 'Placed first.',
};

export const SPREADS = ['nodes', 'racks'] as const;
export type Spread = (typeof SPREADS)[number];
/** The word after `spread nodes` / `spread racks`. */
export const SPREAD_EVEN = 'even';
export const SPREAD_DOCS: Readonly<Record<Spread | typeof SPREAD_EVEN, string>> = {
  nodes: 'Replicas on distinct nodes.', racks: 'Replicas on distinct racks.',
  [SPREAD_EVEN]: 'Several replicas per node (rack) are fine; their counts differ by at most one (Kubernetes `maxSkew: 1`).',
};

/** How replicas are packed onto the nodes of a rack: `spread` balances them, `tight` fills few nodes (for sizing). */
export const PACK_MODES = ['spread', 'tight'] as const;
export type PackMode = (typeof PACK_MODES)[number];
export const PACK_MODE_DOCS: Readonly<Record<PackMode, string>> = {
  spread: 'Balances replicas over the nodes (default), as kube-scheduler does.',
  tight: 'Fills as few nodes as it can (first-fit decreasing), for sizing.',
};

/** How a tenant is kept apart from the others (`tenant T { isolation vm }`). */
export const ISOLATIONS = ['shared', 'vm', 'dedicated'] as const;
export type Isolation = (typeof ISOLATIONS)[number];
export const ISOLATION_DOCS: Readonly<Record<Isolation, string>> = {
  shared: 'Its containers may share nodes and SDSs with any other tenant (default).',
  vm: 'Where its containers share a node with another tenant\'s, they run in a VM of their own (one per node), whose `overhead` counts against the node. An SDS runs no VMs.',
  dedicated: 'A node or SDS that hosts it hosts no other tenant.',
};

/** Scenario events (`at T KIND ...`). */
export const EVENT_KINDS = ['fail', 'add', 'scale', 'load'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
/**
 * How each event is written: after `at T` as the spec names it (messages), and in full
 * (completion); what its subject is (`at T fail NODE`), what follows `to` (`add N to SDS`,
 * `scale C to COUNT`; null: no `to`), and the unit of its number.
 */
export type EventSubject = 'node' | 'container';
export const EVENT_SYNTAX: Readonly<Record<EventKind, {
  readonly written: string; readonly detail: string; readonly doc: string;
  /** A whole event of the kind, for messages (`at 5s fail r1.n3`). */
  readonly example: string;
  readonly subject: EventSubject; readonly to: 'sds' | 'count' | null; readonly unit: UnitKind | null;
}>> = {
  fail: { written: 'fail NODE', detail: 'at T fail RACK.NODE', doc: 'the node is lost; its memory and vCPUs must move.', example: 'at 5s fail r1.n3', subject: 'node', to: null, unit: null },
  add: { written: 'add NODE to SDS', detail: 'at T add RACK.NODE to SDS', doc: 'a spare node joins a running SDS.', example: 'at 8s add r1.n5 to pod1', subject: 'node', to: 'sds', unit: null },
  scale: { written: 'scale CONTAINER to COUNT', detail: 'at T scale CONTAINER to COUNT', doc: 'the replica count changes.', example: 'at 5s scale api to 10', subject: 'container', to: 'count', unit: 'count' },
  load: { written: 'load CONTAINER PERCENT', detail: 'at T load CONTAINER PERCENT', doc: 'the container\'s load changes.', example: 'at 5s load api 80%', subject: 'container', to: null, unit: 'percent' },
};
/** The word before an event's second argument (`add N to SDS`, `scale C to COUNT`). */
export const EVENT_TO = 'to';

export function isOneOf<T extends string>(values: readonly T[], word: string): word is T {
  return (values as readonly string[]).includes(word);
}
