/**
 * Tenants on Kubernetes (export side). A tenant is a Namespace (labelled `topo.dev/tenant`)
 * holding its containers' workloads, with a ResourceQuota `topo-quota` on `requests.cpu` and
 * `requests.memory` from its `quota`. `isolation dedicated` is a node label and a NoSchedule
 * taint `topo.dev/tenant=NAME` on the nodes the placement gives it, with the matching required
 * node affinity and toleration on its pods. `isolation vm` is a RuntimeClass named as its namespace
 * (handler `kata`: Kata Containers runs each pod in a lightweight VM) whose `overhead.podFixed`
 * is the tenant's `overhead`, named by `runtimeClassName` on its pods. What Kubernetes cannot
 * hold is an annotation: the tenant's `oversubscribe` on the Namespace, a container's `network`
 * on its Deployment (docs/interop.md lists them).
 */
import type { Container, Model, Tenant } from '../model/types';
import { planModel } from '../placement/plan';
import { formatCpuK8s, formatMemoryK8s } from './quantity';

type KObject = Record<string, unknown>;

/** The label and taint key of a dedicated tenant's nodes, and the Namespace label naming the tenant. */
export const TENANT_KEY = 'topo.dev/tenant';
/** The Namespace annotation holding a tenant's `oversubscribe` (Kubernetes has no such cap). */
export const OVERSUBSCRIBE_ANNOTATION = 'topo.dev/oversubscribe';
/** The Namespace annotation saying a tenant's isolation (`vm`, `dedicated`): import reads the pods first, this when it has none. */
export const ISOLATION_ANNOTATION = 'topo.dev/isolation';
/** The Deployment annotation holding a container's `network` request (Kubernetes has no such resource). */
export const NETWORK_ANNOTATION = 'topo.dev/network';
/** The name of the quota a tenant's Namespace gets (a target's own quota is `topo-capacity`). */
export const TENANT_QUOTA = 'topo-quota';
/** The RuntimeClass handler of `isolation vm`. */
export const VM_HANDLER = 'kata';

/** The model nodes each dedicated tenant's replicas were placed on, by tenant id (sorted). */
export function dedicatedNodes(model: Model): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const dedicated = model.tenants.filter((t) => t.isolation === 'dedicated');
  if (dedicated.length === 0) return out;
  const plan = planModel(model);
  for (const t of dedicated) {
    const nodes = new Set<number>();
    for (const cp of plan.containers.values()) {
      if (model.containers[cp.container]?.tenant !== t.id) continue;
      for (const n of cp.nodes) if (n >= 0) nodes.add(n);
    }
    out.set(t.id, [...nodes].sort((a, b) => a - b));
  }
  return out;
}

/** A tenant's RuntimeClass is named as its namespace: a DNS label already, unique among the export's. */
export function runtimeClassName(ns: string): string {
  return ns;
}

/** The Namespace, its quota and (for `vm`) the RuntimeClass of one tenant. */
export function tenantObjects(t: Tenant, ns: string, label: string): KObject[] {
  const annotations: Record<string, string> = {};
  if (label !== t.name) annotations['topo.dev/name'] = t.name;
  if (t.isolation !== 'shared') annotations[ISOLATION_ANNOTATION] = t.isolation;
  if (t.oversubscribe) {
    annotations[OVERSUBSCRIBE_ANNOTATION] = [t.oversubscribe.cpu === null ? '' : `cpu ${ratio(t.oversubscribe.cpu)}`, t.oversubscribe.memory === null ? '' : `memory ${ratio(t.oversubscribe.memory)}`].filter(Boolean).join(' ');
  }
  const out: KObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { [TENANT_KEY]: label }, ...(Object.keys(annotations).length ? { annotations } : {}) } }];
  const hard: Record<string, string> = {};
  if (t.quota?.cpu != null) hard['requests.cpu'] = formatCpuK8s(t.quota.cpu);
  if (t.quota?.memory != null) hard['requests.memory'] = formatMemoryK8s(t.quota.memory);
  if (Object.keys(hard).length > 0) out.push({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: TENANT_QUOTA, namespace: ns }, spec: { hard } });
  if (t.isolation === 'vm') {
    const podFixed: Record<string, string> = {};
    if (t.overhead.cpu > 0) podFixed.cpu = formatCpuK8s(t.overhead.cpu);
    if (t.overhead.memory > 0) podFixed.memory = formatMemoryK8s(t.overhead.memory);
    out.push({
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: runtimeClassName(ns) },
      handler: VM_HANDLER,
      ...(Object.keys(podFixed).length ? { overhead: { podFixed } } : {}),
    });
  }
  return out;
}

/** A ratio as Topo writes it (`1.0`, `1.5`). */
function ratio(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/**
 * Adds a tenant's isolation to a pod spec: `runtimeClassName` (vm), or the toleration of its
 * nodes' taint and the required affinity to their label, ANDed with the target's (dedicated).
 */
export function isolatePod(t: Tenant, label: string, ns: string, pod: KObject, targetExpr: KObject | null): void {
  if (t.isolation === 'vm') pod.runtimeClassName = runtimeClassName(ns);
  if (t.isolation !== 'dedicated') return;
  pod.tolerations = [{ key: TENANT_KEY, operator: 'Equal', value: label, effect: 'NoSchedule' }];
  const own = { key: TENANT_KEY, operator: 'In', values: [label] };
  const affinity = (pod.affinity as KObject | undefined) ?? {};
  affinity.nodeAffinity = { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: targetExpr ? [targetExpr, own] : [own] }] } };
  pod.affinity = affinity;
}

/** Header lines: the commands that label and taint a dedicated tenant's nodes. */
export function tenantHeader(model: Model, t: Tenant, label: string, nodes: readonly number[]): string[] {
  if (t.isolation !== 'dedicated') return [];
  if (nodes.length === 0) return [`Tenant ${t.name} is dedicated, but the placement gave it no node: label and taint its nodes with ${TENANT_KEY}=${label}.`];
  const lines = [`Tenant ${t.name} is dedicated: its pods tolerate only its own nodes' taint. Label and taint the nodes the placement gave it:`];
  for (const id of nodes) {
    const ref = model.nodes[id]?.ref ?? String(id);
    lines.push(`  kubectl label node <${ref}'s name> ${TENANT_KEY}=${label}`, `  kubectl taint node <${ref}'s name> ${TENANT_KEY}=${label}:NoSchedule`);
  }
  return lines;
}

/** A container's `network` request as a Topo bandwidth literal (bytes per second in). */
export function formatBandwidthTopo(bytesPerSecond: number): string {
  const bits = bytesPerSecond * 8;
  for (const [suffix, unit] of [['Tbps', 1e12], ['Gbps', 1e9], ['Mbps', 1e6], ['Kbps', 1e3]] as const) {
    if (bits >= unit && Math.abs(bits / unit - Math.round(bits / unit)) < 1e-9) return `${Math.round(bits / unit)}${suffix}`;
  }
  return `${bits / 1e6}Mbps`;
}

/** The Deployment annotations a container's tenant-related values need. */
export function networkAnnotation(c: Container): Record<string, string> {
  return c.network > 0 ? { [NETWORK_ANNOTATION]: formatBandwidthTopo(c.network) } : {};
}
