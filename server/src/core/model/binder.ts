import type { Arg, Block, BlockKind, Property, RangeRef, Ref, SourceFile, Word } from '../syntax/ast';
import { PACK_MODES, POLICIES, PRIORITIES, PROPERTIES, ROLES, SPREAD_EVEN, SPREADS, everyPropertyRead, isPropertyOf, propertiesOf, propertySpec, type PropertySpec } from '../syntax/schema';
import { propertyDeletionSpan, propertyInsertion } from '../syntax/edits';
import { EVENT_KINDS, EVENT_SYNTAX, EVENT_TO, ISOLATIONS, isOneOf, type EventKind } from '../syntax/words';
import type { Diagnostic, Fix } from '../diagnostics';
import type { Location, Span } from '../text';
import { didYouMean } from '../suggest';
import { DiagnosticSink, ValueReader } from './values';
import { formatBytes, formatDuration, UNITS } from './units';
import { expandNameRange, MAX_RANGE_NODES, type RangeRewrite } from './ranges';
import { LazyNameTable, type DeclaredName, type NameTable, type SharedKind } from './names';
import { onlyItsWords } from '../syntax/own-words';
import { defaultChoice, defaultNumber } from './defaults';
import type { BlockLocation, Container, Defaults, Device, IoAffinity, Link, Model, Node, Rack, Role, Scenario, ScenarioEvent, Sds, Talk, Target, Tenant } from './types';

/** Most replicas of one container (and of a `scale` event): every replica is placed and shown one by one. */
export const MAX_REPLICAS = 1_000_000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A named declaration in the shared namespace of racks, SDSs, tenants and containers (`order`: the how-manieth). */
interface Symbol extends DeclaredName {
  readonly kind: SharedKind;
  readonly index: number;
  readonly at: Location;
}

/** What an event reader gets: the property, its time, and the words read so far. */
interface EventArgs {
  readonly p: Property;
  readonly file: string;
  readonly r: ValueReader;
  readonly t: number;
  readonly at: Location;
  readonly kindWord: Word;
  readonly subject: Arg | undefined;
  readonly named: ReadonlySet<string>;
}

/** `a`, `a or b`, `a, b or c`. */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The value of each property left out: the schema's defaults (syntax/schema.ts), read once. */
const D = {
  cpuRatio: defaultNumber('defaults', 'oversubscribe', 'cpu'),
  memoryRatio: defaultNumber('defaults', 'oversubscribe', 'memory'),
  policy: defaultChoice('defaults', 'policy', POLICIES),
  seed: defaultNumber('defaults', 'seed'),
  duration: defaultNumber('defaults', 'duration'),
  tick: defaultNumber('defaults', 'tick'),
  localityThreshold: defaultNumber('defaults', 'threshold', 'locality'),
  headroom: defaultNumber('defaults', 'headroom'),
  pack: defaultChoice('defaults', 'pack', PACK_MODES),
  lifetime: defaultNumber('defaults', 'lifetime'),
  nic: defaultNumber('node', 'nic'),
  role: defaultChoice('node', 'role', ROLES),
  reserveCores: defaultNumber('sds', 'reserve', 'cores'),
  reserveMemory: defaultNumber('sds', 'reserve', 'memory'),
  granularity: defaultNumber('sds', 'granularity'),
  overheadVcpu: defaultNumber('sds', 'overhead', 'vcpu'),
  overheadChunk: defaultNumber('sds', 'overhead', 'chunk'),
  replicas: defaultNumber('container', 'replicas'),
  load: defaultNumber('container', 'load'),
  skew: defaultNumber('container', 'skew'),
  writes: defaultNumber('container', 'writes'),
  priority: defaultChoice('container', 'priority', PRIORITIES),
  talksWeight: defaultNumber('container', 'talks', 'weight'),
  ioWeight: defaultNumber('container', 'io', 'weight'),
  isolation: defaultChoice('tenant', 'isolation', ISOLATIONS),
  vmCpu: defaultNumber('tenant', 'overhead', 'cpu'),
  vmMemory: defaultNumber('tenant', 'overhead', 'memory'),
};
const DEFAULT_RACK_LINK: Link = { latency: defaultNumber('rack', 'latency'), bandwidth: defaultNumber('rack', 'bandwidth') };
const DEFAULT_FABRIC_LINK: Link = { latency: defaultNumber('fabric', 'latency'), bandwidth: defaultNumber('fabric', 'bandwidth') };

/**
 * Binds the syntax trees of a program into a Model: resolves names, node ranges, devices and
 * units, with T104 (from the parser), T200–T207 and T300–T305. Pure: no global state, the same
 * trees always give the same model and diagnostics.
 */
const subKeywords = new WeakMap<PropertySpec, readonly string[]>();

/** The sub-keywords of a property (`cpu`, `memory` of `oversubscribe`), from the schema, listed once per property. */
function subKeywordsOf(block: BlockKind, name: string): readonly string[] {
  const spec = propertySpec(block, name);
  if (!spec) return [];
  let keys = subKeywords.get(spec);
  if (!keys) subKeywords.set(spec, (keys = Object.keys(spec.keys ?? {})));
  return keys;
}

export function bindProgram(trees: ReadonlyMap<string, SourceFile>, declarationOrder: readonly string[]): { model: Model; diagnostics: Diagnostic[]; names: NameTable } {
  return new Binder(trees, declarationOrder).bind();
}

class Binder {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly sink = new DiagnosticSink(this.diagnostics);
  private readonly symbols = new Map<string, Symbol>();
  private readonly scenarioNames = new Map<string, Location>();
  private readonly racks: Mutable<Rack>[] = [];
  private readonly nodes: Mutable<Node>[] = [];
  private readonly nodesByRack: Map<string, Node>[] = [];
  private readonly sdses: Mutable<Sds>[] = [];
  private readonly tenants: Mutable<Tenant>[] = [];
  private readonly containers: Mutable<Container>[] = [];
  private readonly scenarios: Mutable<Scenario>[] = [];
  private defaults: Mutable<Defaults> = {
    cpuRatio: D.cpuRatio, memoryRatio: D.memoryRatio, policy: D.policy, seed: D.seed, duration: D.duration, tick: D.tick, localityThreshold: D.localityThreshold, headroom: D.headroom, pack: D.pack, energy: null, lifetime: D.lifetime, block: null, at: {},
  };
  private fabric: Mutable<Link> = { ...DEFAULT_FABRIC_LINK };
  /** Blocks whose references are resolved once every name is known. */
  private readonly pendingSds: { block: Block; file: string; sds: Mutable<Sds> }[] = [];
  private readonly pendingContainers: { block: Block; file: string; container: Mutable<Container> }[] = [];
  /** T305s for a repeated property whose fix removes the earlier one: kept only if the later one reads without error (see withdrawnRepeatFixes). */
  private readonly repeatFixes: { index: number; file: string; later: Span }[] = [];
  private readonly pendingScenarios: { block: Block; file: string; scenario: Mutable<Scenario> }[] = [];
  /** Nodes a rack or node-set target may pack replicas onto, by the container first placed there (for `add`). */
  private packedNodes = new Map<number, Container>();
  /** `RACK.NODE` of the nodes a scenario adds to an SDS, as written (known before SDSs are bound). */
  private readonly scenarioAdds = new Set<string>();
  /** The blocks declared but not bound (no name, or a taken one), with the number of names declared before each (names.ts reads their names as of then). */
  private readonly unbound = new Map<Block, number>();

  constructor(
    private readonly trees: ReadonlyMap<string, SourceFile>,
    private readonly order: readonly string[],
  ) {}

  bind(): { model: Model; diagnostics: Diagnostic[]; names: NameTable } {
    for (const file of this.order) {
      const tree = this.trees.get(file);
      if (!tree) continue;
      for (const item of tree.items) if (item.kind === 'block') this.declare(item, file);
    }
    for (const p of this.pendingScenarios) {
      for (const m of p.block.members) {
        if (m.kind !== 'property' || m.name.text !== 'at') continue;
        const [, kind, subject] = m.args;
        if (kind?.kind === 'ref' && kind.parts[0]?.text === 'add' && subject?.kind === 'ref' && subject.parts.length === 2) this.scenarioAdds.add(`${subject.parts[0].text}.${subject.parts[1].text}`);
      }
    }
    for (const p of this.pendingSds) this.bindSds(p.block, p.file, p.sds);
    for (const p of this.pendingContainers) this.bindContainer(p.block, p.file, p.container);
    this.resolveImplicitTargets();
    this.packedNodes = this.nodesOfPackedTargets();
    for (const p of this.pendingScenarios) this.bindScenario(p.block, p.file, p.scenario);
    this.withdrawRepeatFixes();
    const model: Model = {
      files: [...this.trees.keys()],
      defaults: this.defaults,
      fabric: this.fabric,
      racks: this.racks,
      nodes: this.nodes,
      sdses: this.sdses,
      tenants: this.tenants,
      containers: this.containers,
      scenarios: this.scenarios,
    };
    return { model, diagnostics: this.diagnostics, names: new LazyNameTable(this.trees, new Set(this.order), this.symbols, this.unbound) };
  }

  // ------------------------------------------------------------------ declarations

  private declare(block: Block, file: string): void {
    switch (block.blockKind) {
      case 'defaults': this.bindDefaults(block, file); break;
      case 'fabric': this.fabric.at = { block: { file, span: block.keyword.span }, ...this.fabric.at }; this.bindLink(block, file, this.fabric); break;
      case 'rack': this.declareRack(block, file); break;
      case 'sds': {
        const name = this.declareName(block, file, 'sds', this.sdses.length);
        if (name === null) { this.unbound.set(block, this.symbols.size); return; }
        const sds: Mutable<Sds> = {
          id: this.sdses.length, name: name.text, nameAt: { file, span: name.span }, block: blockLocation(block, file), nodes: [],
          nodesComplete: true, reserveCores: D.reserveCores, reserveMemory: D.reserveMemory, cpuRatio: Number.NaN, memoryRatio: Number.NaN, policy: D.policy, granularity: D.granularity, overheadVcpu: D.overheadVcpu, overheadChunk: D.overheadChunk, at: {},
        };
        this.sdses.push(sds);
        this.pendingSds.push({ block, file, sds });
        break;
      }
      case 'tenant': {
        const name = this.declareName(block, file, 'tenant', this.tenants.length);
        if (name === null) return;
        const tenant: Mutable<Tenant> = {
          id: this.tenants.length, name: name.text, nameAt: { file, span: name.span }, block: blockLocation(block, file), isolation: D.isolation,
          overhead: { cpu: D.vmCpu, memory: D.vmMemory }, quota: null, oversubscribe: null, at: {},
        };
        this.tenants.push(tenant);
        this.bindTenant(block, file, tenant);
        break;
      }
      case 'container': {
        const name = this.declareName(block, file, 'container', this.containers.length);
        if (name === null) { this.unbound.set(block, this.symbols.size); return; }
        const container: Mutable<Container> = {
          id: this.containers.length, name: name.text, nameAt: { file, span: name.span }, block: blockLocation(block, file), image: null,
          replicas: D.replicas, cpuRequest: 0, cpuLimit: 0, memoryRequest: 0, memoryLimit: 0, load: D.load, workingSet: 0, skew: D.skew, writes: D.writes,
          talks: [], io: [], target: null, targetImplicit: false, spread: null, spreadEven: false, colocate: null, priority: D.priority, tenant: null, network: 0, at: {},
        };
        this.containers.push(container);
        this.pendingContainers.push({ block, file, container });
        break;
      }
      case 'scenario': {
        if (!block.name) return;
        const name = block.name.kind === 'word' ? block.name.text : block.name.value;
        const at = { file, span: block.name.span };
        const previous = this.scenarioNames.get(name);
        if (previous) {
          this.sink.report('T201', file, block.name.span, `duplicate scenario name \`${name}\`: rename one of them`, [{ location: previous, message: `first scenario \`${name}\`` }]);
          this.unbound.set(block, this.symbols.size);
          return;
        }
        this.scenarioNames.set(name, at);
        const scenario: Mutable<Scenario> = { id: this.scenarios.length, name, nameAt: at, block: blockLocation(block, file), duration: null, seed: null, policy: null, events: [] };
        this.scenarios.push(scenario);
        this.pendingScenarios.push({ block, file, scenario });
        break;
      }
      case 'node':
        break; // only inside racks (the parser guarantees it)
    }
  }

  /** Registers a name in the shared namespace; null (after T201) when it is taken. */
  private declareName(block: Block, file: string, kind: Symbol['kind'], index: number): Word | null {
    const name = block.name;
    if (!name || name.kind !== 'word') return null;
    const previous = this.symbols.get(name.text);
    if (previous) {
      this.sink.report('T201', file, name.span, `duplicate name \`${name.text}\`: a ${previous.kind} already has it; rename this ${kind}`, [{ location: previous.at, message: `\`${name.text}\` is first declared here (${previous.kind})` }]);
      return null;
    }
    this.symbols.set(name.text, { kind, index, order: this.symbols.size, at: { file, span: name.span } });
    return name;
  }

  // ------------------------------------------------------------------ property plumbing

  /**
   * The properties of a block, last one winning, with T305 for a repeated non-repeatable one.
   * Returns them in order, repeated ones included (for repeatable properties).
   */
  private properties(block: Block, file: string): readonly Property[] {
    if (onlyPropertiesOnce(block)) return block.members;
    const out: Property[] = [];
    for (const m of block.members) {
      if (m.kind !== 'property') continue;
      const spec = propertySpec(block.blockKind, m.name.text);
      if (!spec) continue;
      if (!spec.repeatable) {
        // Blocks have a handful of properties: a backwards scan beats a Map per block.
        let prev: Property | undefined;
        for (let i = out.length - 1; i >= 0; i--) if (out[i].name.text === m.name.text) { prev = out[i]; break; }
        if (prev) {
          // (while the later one has no value yet, the earlier one is what holds: no fix removes it)
          // (nor when the earlier one has words its property does not take: they may be a property the user meant, T104)
          this.sink.report('T305', file, m.name.span, `\`${m.name.text}\` is given twice in this ${block.blockKind}; the last one wins. Remove one of them`, [{ location: { file, span: prev.name.span }, message: `\`${m.name.text}\` first given here` }], m.args.length === 0 || !onlyItsWords(spec, prev) ? [] : [
            { title: `Remove the earlier \`${m.name.text}\``, edits: [{ file, span: propertyDeletionSpan(this.trees.get(file)?.text ?? '', prev.span.start, prev.span.end), newText: '' }] },
          ]);
          if (this.diagnostics[this.diagnostics.length - 1].fixes.length) this.repeatFixes.push({ index: this.diagnostics.length - 1, file, later: m.span });
        }
      }
      out.push(m);
    }
    return out;
  }

  /**
   * A later value that reads with an error leaves the earlier one in force (`cores 4 cores x`
   * keeps 4), so removing the earlier one would change the model: no fix is offered then.
   */
  private withdrawRepeatFixes(): void {
    if (this.repeatFixes.length === 0) return;
    const inside = (d: Diagnostic, r: { file: string; later: Span }): boolean => d.severity === 'error' && d.file === r.file && d.span.start >= r.later.start && d.span.end <= r.later.end;
    for (const r of this.repeatFixes) {
      if (this.diagnostics.some((d) => inside(d, r))) this.diagnostics[r.index] = { ...this.diagnostics[r.index], fixes: [] };
    }
  }

  /** The value readers of each file, one per block kind (`''`: none), made on first use. */
  private readonly readers = new Map<string, Partial<Record<BlockKind | '', ValueReader>>>();

  private reader(file: string, block?: BlockKind): ValueReader {
    let ofFile = this.readers.get(file);
    if (!ofFile) this.readers.set(file, (ofFile = {}));
    return (ofFile[block ?? ''] ??= new ValueReader(this.sink, file, block, this.trees.get(file)?.text));
  }

  /** Reads `KEY value KEY value ...` sub-keyword options (oversubscribe, reserve, request/limit): the keys are the schema's. */
  private options(prop: Property, file: string, block: BlockKind, read: (key: string, arg: Arg | undefined, keySpan: Span) => void): void {
    const keys = subKeywordsOf(block, prop.name.text);
    if (prop.args.length === 0) {
      this.reader(file).missing(prop, prop.name.span, keys.map((k) => `\`${k}\``).join(' and/or '));
      return;
    }
    const seen: string[] = [];
    for (let i = 0; i < prop.args.length; i += 2) {
      const found = prop.args[i];
      const w = found.kind === 'ref' && found.parts.length === 1 && found.star === null ? found.parts[0] : undefined;
      if (!w || !keys.includes(w.text)) {
        const hint = w ? didYouMean(w.text, keys).text : '';
        this.sink.report('T100', file, found.span, `expected ${keys.map((k) => `\`${k}\``).join(' or ')} in \`${prop.name.text}\`.${hint}`);
        return;
      }
      if (seen.includes(w.text)) this.sink.report('T305', file, w.span, `\`${w.text}\` is given twice in this \`${prop.name.text}\`; the last one wins`);
      seen.push(w.text);
      read(w.text, prop.args[i + 1], w.span);
    }
  }

  // ------------------------------------------------------------------ defaults, links

  /** `oversubscribe cpu R memory R` of the defaults or an SDS: the ratios and where they are written. */
  private oversubscribe(p: Property, file: string, r: ValueReader, to: { cpuRatio: number; memoryRatio: number }, at: { cpuRatio?: Location; memoryRatio?: Location }): void {
    this.options(p, file, r.block ?? 'defaults', (key, arg, keySpan) => {
      const v = r.keyed(p, key, arg, keySpan);
      if (v === undefined || !arg) return;
      if (key === 'cpu') { to.cpuRatio = v; at.cpuRatio = r.loc(arg.span); } else { to.memoryRatio = v; at.memoryRatio = r.loc(arg.span); }
    });
  }

  private bindDefaults(block: Block, file: string): void {
    const d = this.defaults;
    if (!d.block) d.block = blockLocation(block, file);
    const r = this.reader(file, 'defaults');
    const at = { ...d.at };
    for (const p of this.properties(block, file)) {
      const name = p.name.text;
      if (!isPropertyOf('defaults', name)) continue;
      switch (name) {
        case 'oversubscribe': this.oversubscribe(p, file, r, d, at); break;
        case 'policy': { const v = r.pick(p, POLICIES); if (v !== undefined) { d.policy = v; at.policy = r.at(p); } } break;
        case 'seed': { const v = r.scalar(p); if (v !== undefined) { d.seed = v; at.seed = r.at(p); } } break;
        case 'duration': { const v = r.scalar(p); if (v !== undefined) { d.duration = v; at.duration = r.at(p); } } break;
        case 'tick': { const v = r.scalar(p); if (v !== undefined) { d.tick = v; at.tick = r.at(p); } } break;
        case 'threshold':
          this.options(p, file, 'defaults', (key, arg, keySpan) => {
            const v = r.keyed(p, key, arg, keySpan);
            if (v !== undefined && arg) { d.localityThreshold = v; at.localityThreshold = r.loc(arg.span); }
          });
          break;
        case 'headroom': { const v = r.scalar(p); if (v !== undefined) { d.headroom = v; at.headroom = r.at(p); } } break;
        case 'pack': { const v = r.pick(p, PACK_MODES); if (v !== undefined) { d.pack = v; at.pack = r.at(p); } } break;
        case 'energy': { const v = r.scalar(p); if (v !== undefined) { d.energy = v; at.energy = r.at(p); } } break;
        case 'lifetime': { const v = r.scalar(p); if (v !== undefined) { d.lifetime = v; at.lifetime = r.at(p); } } break;
        default: everyPropertyRead(name);
      }
    }
    d.at = at;
  }

  private bindLink(block: Block, file: string, link: Mutable<Link>, rack?: Mutable<Rack>): void {
    const r = this.reader(file, block.blockKind);
    for (const p of this.properties(block, file)) {
      const name = p.name.text;
      if (!isPropertyOf(rack ? 'rack' : 'fabric', name)) continue;
      switch (name) {
        case 'pack': if (rack) { const v = r.pick(p, PACK_MODES); if (v !== undefined) { rack.pack = v; rack.at = { ...rack.at, pack: r.at(p) }; } } break;
        case 'latency': link.latency = r.scalar(p) ?? link.latency; break;
        case 'bandwidth': { const v = r.scalar(p); if (v !== undefined) { link.bandwidth = v; link.at = { ...link.at, bandwidth: r.at(p) }; } } break;
        default: everyPropertyRead(name);
      }
    }
  }

  // ------------------------------------------------------------------ racks and nodes

  private declareRack(block: Block, file: string): void {
    const word = block.name?.kind === 'word' ? block.name : null;
    if (!word) { this.unbound.set(block, this.symbols.size); return; }
    const name = this.declareName(block, file, 'rack', this.racks.length);
    if (name === null) { this.unbound.set(block, this.symbols.size); return; }
    const rackId = this.racks.length;
    const rack: Mutable<Rack> = { id: rackId, name: name.text, nameAt: { file, span: name.span }, block: blockLocation(block, file), nodes: [], pack: null, at: {}, ...DEFAULT_RACK_LINK };
    this.racks.push(rack);
    const byName = new Map<string, Node>();
    this.nodesByRack.push(byName);
    this.bindLink(block, file, rack, rack);
    const r = this.reader(file, 'node');
    const nodeIds: number[] = [];
    for (const m of block.members) {
      if (m.kind !== 'block' || m.blockKind !== 'node' || !m.name || m.name.kind !== 'word') continue;
      // Properties shared by every node of the declaration.
      let cores: number | undefined;
      let memory: number | undefined;
      let nic = D.nic;
      let price: number | null = null;
      let power: number | null = null;
      let role: Role = D.role;
      const disks: Device[] = [];
      const at: Mutable<Node['at']> = {};
      for (const p of this.properties(m, file)) {
        const a0 = p.args[0];
        const name = p.name.text;
        if (!isPropertyOf('node', name)) continue;
        switch (name) {
          case 'cores': { const v = r.scalar(p); if (v !== undefined) { cores = v; at.cores = r.at(p); } } break;
          case 'memory': { const v = r.scalar(p); if (v !== undefined) { memory = v; at.memory = r.at(p); } } break;
          case 'nic': { const v = r.scalar(p); if (v !== undefined) { nic = v; at.nic = r.at(p); } } break;
          case 'price': price = r.scalar(p) ?? price; break;
          case 'power': power = r.scalar(p) ?? power; break;
          case 'role': { const v = r.pick(p, ROLES); if (v !== undefined) { role = v; at.role = r.at(p); } } break;
          case 'disk': {
            const dn = r.word(a0);
            if (!dn) { if (a0) r.unexpectedArg(p, a0, 'a device name'); else r.missing(p, p.name.span, 'a device name and a size'); break; }
            const q = propertySpec('node', 'disk')?.quantity;
            const bytes = q ? r.quantity(p, p.args[1], q.unit, q.range, dn.span) : undefined;
            const dup = disks.find((d) => d.name === dn.text);
            if (dup) this.sink.report('T201', file, dn.span, `duplicate device name \`${dn.text}\` on this node: rename one of them`, [{ location: dup.at, message: `\`${dn.text}\` first declared here` }]);
            // A size with an error (reported) still declares the device, so its uses resolve.
            else disks.push({ name: dn.text, bytes: bytes ?? 0, at: r.loc(dn.span) });
            r.extra(p, 2);
            break;
          }
          default: everyPropertyRead(name);
        }
      }
      for (const req of ['cores', 'memory'] as const) {
        if ((req === 'cores' ? cores : memory) === undefined && !m.members.some((x) => x.kind === 'property' && x.name.text === req)) {
          this.sink.report('T304', file, m.rangeEnd ? { start: m.name.span.start, end: m.rangeEnd.span.end } : m.name.span, `node \`${m.name.text}${m.rangeEnd ? `..${m.rangeEnd.text}` : ''}\` has no \`${req}\`: add \`${req === 'cores' ? 'cores 32' : 'memory 256GiB'}\``, [], insertFix(this.trees.get(file)?.text ?? '', m, file, req === 'cores' ? 'cores 32' : 'memory 256GiB', `Add \`${req}\``));
        }
      }
      // The names this declaration introduces.
      let names: string[];
      let nameSpan: Span = m.name.span;
      if (m.rangeDots) {
        if (!m.rangeEnd) continue; // the parser reported the missing end
        nameSpan = { start: m.name.span.start, end: m.rangeEnd.span.end };
        const expanded = expandNameRange(m.name.text, m.rangeEnd.text);
        if ('error' in expanded) {
          // (no fix: a declaration's rewrite can make the rack a new target, and other errors appear)
          this.sink.report('T203', file, nameSpan, `malformed node range \`${m.name.text}..${m.rangeEnd.text}\`: ${expanded.error}`);
          continue;
        }
        names = expanded.names;
      } else names = [m.name.text];
      const block0 = blockLocation(m, file);
      for (const nodeName of names) {
        const prev = byName.get(nodeName);
        if (prev) {
          this.sink.report('T201', file, nameSpan, `duplicate node \`${nodeName}\` in rack \`${rack.name}\`: rename or remove one of them`, [{ location: prev.nameAt, message: `\`${rack.name}.${nodeName}\` first declared here` }]);
          continue;
        }
        const node: Mutable<Node> = {
          id: this.nodes.length, ref: `${rack.name}.${nodeName}`, name: nodeName, rack: rackId, cores: cores ?? 0, memory: memory ?? 0, nic,
          disks, role, price, power, sds: null, nameAt: { file, span: nameSpan }, block: block0, at,
        };
        this.nodes.push(node);
        byName.set(nodeName, node);
        nodeIds.push(node.id);
      }
    }
    rack.nodes = nodeIds;
  }

  // ------------------------------------------------------------------ node references

  private nodeCandidates(rackName?: string): string[] {
    if (rackName !== undefined) {
      const sym = this.symbols.get(rackName);
      if (sym?.kind === 'rack') return [...this.nodesByRack[sym.index].keys()].map((n) => `${rackName}.${n}`);
    }
    return this.nodes.map((n) => n.ref);
  }

  /** The rack named by a word, or undefined after T200/T202; `suggestible` limits the racks a typo is corrected to. */
  private rackOf(word: Word, file: string, alsoRename: readonly Span[] = [], suggestible?: (r: Rack) => boolean): Rack | undefined {
    const sym = this.symbols.get(word.text);
    if (!sym) {
      const { text: hint, suggestion } = didYouMean(word.text, this.racks.filter((r) => !suggestible || suggestible(r)).map((r) => r.name));
      const fixes = renameFix(file, word.span, suggestion).map((f) => ({ ...f, edits: [...f.edits, ...alsoRename.map((span) => ({ file, span, newText: suggestion ?? '' }))] }));
      this.sink.report('T200', file, word.span, `unknown rack \`${word.text}\`.${hint}`, [], fixes);
      return undefined;
    }
    if (sym.kind !== 'rack') {
      this.sink.report('T202', file, word.span, `\`${word.text}\` is ${article(sym.kind)} ${sym.kind}, not a rack`, [{ location: sym.at, message: `\`${word.text}\` is declared here` }]);
      return undefined;
    }
    return this.racks[sym.index];
  }

  /** A single `RACK.NODE` reference; `suggestible` limits the names a typo is corrected to. */
  private nodeRef(ref: Ref, file: string, suggestible?: (n: Node) => boolean): Node | undefined {
    if (ref.star || ref.parts.length !== 2) {
      if (ref.parts.length === 1 && !ref.star) {
        const word = ref.parts[0];
        const sym = this.symbols.get(word.text);
        if (sym) {
          this.sink.report('T202', file, ref.span, `\`${word.text}\` is ${article(sym.kind)} ${sym.kind}, not a node: refer to a node as \`RACK.NODE\`${sym.kind === 'rack' ? ` (e.g. \`${word.text}.${this.nodesByRack[sym.index].keys().next().value ?? 'n1'}\`)` : ''}`, [{ location: sym.at, message: `\`${word.text}\` is declared here` }]);
          return undefined;
        }
        const matches = this.nodes.filter((n) => n.name === word.text && (!suggestible || suggestible(n)));
        const hint = matches.length ? ` Refer to a node as \`RACK.NODE\`: did you mean \`${matches[0].ref}\`?` : ` Refer to a node as \`RACK.NODE\`.${didYouMean(word.text, this.nodes.filter((n) => !suggestible || suggestible(n)).map((n) => n.ref)).text}`;
        this.sink.report('T200', file, ref.span, `unknown node \`${word.text}\`.${hint}`, [], matches.length ? renameFix(file, ref.span, matches[0].ref) : []);
        return undefined;
      }
      this.sink.report('T202', file, ref.span, 'expected a single node `RACK.NODE` here');
      return undefined;
    }
    // a typo in the rack is corrected to one where the node, if it exists, may join
    const rack = this.rackOf(ref.parts[0], file, [], suggestible && ((rk) => {
      const n = this.nodesByRack[rk.id].get(ref.parts[1].text);
      return n === undefined || suggestible(n);
    }));
    if (!rack) return undefined;
    return this.nodeInRack(rack, ref.parts[1], file, suggestible);
  }

  private nodeInRack(rack: Rack, word: Word, file: string, suggestible?: (n: Node) => boolean): Node | undefined {
    const node = this.nodesByRack[rack.id].get(word.text);
    if (node) return node;
    const names = [...this.nodesByRack[rack.id].values()].filter((n) => !suggestible || suggestible(n)).map((n) => n.name);
    const { text: hint, suggestion } = didYouMean(word.text, names);
    this.sink.report('T200', file, word.span, `unknown node \`${word.text}\` in rack \`${rack.name}\`.${hint}`, [{ location: rack.nameAt, message: `rack \`${rack.name}\` is declared here` }], renameFix(file, word.span, suggestion));
    return undefined;
  }

  /** A node set: `r1.n3`, `r1.*`, `r1.n1..n4`, `r1.n1..r1.n4`, or a list of these. Undefined on any error. */
  private nodeSet(arg: Arg, file: string): number[] | undefined {
    const set = this.nodeSetItems(arg, file, (n) => n.sds === null && !this.scenarioAdds.has(n.ref));
    return set?.complete ? set.items.map((x) => x.id) : undefined;
  }

  /**
   * A node set with, for each node, the span of the list item that named it. `complete` is false
   * when an item did not resolve (reported): `items` then holds the nodes of the items that did.
   */
  private nodeSetItems(arg: Arg, file: string, suggestible?: (n: Node) => boolean): { items: { id: number; span: Span }[]; complete: boolean } | undefined {
    const items = arg.kind === 'list' ? arg.items : arg.kind === 'ref' || arg.kind === 'range' ? [arg] : null;
    if (!items) {
      this.sink.report('T100', file, arg.span, 'expected a node set such as `r1.n1..n4`, `r1.*` or `r1.n1, r2.n3`');
      return undefined;
    }
    const out: { id: number; span: Span }[] = [];
    const seen = new Map<number, Span>();
    let ok = true;
    items.forEach((item, k) => {
      const ids = item.kind === 'range' ? this.nodeRange(item, file) : this.nodeStarOrRef(item, file, suggestible);
      if (!ids) { ok = false; return; }
      const again: number[] = [];
      for (const id of ids) {
        if (!seen.has(id)) { seen.set(id, item.span); out.push({ id, span: item.span }); } else again.push(id);
      }
      if (again.length) this.repeatedInSet(file, items, k, again, seen.get(again[0])!, again.length === ids.length);
    });
    return { items: out, complete: ok };
  }

  /** T305: nodes a set names twice (`r1.n1..n4, r1.n2`); when the whole item is a repeat, a fix removes it. */
  private repeatedInSet(file: string, items: readonly (Ref | RangeRef)[], k: number, again: readonly number[], first: Span, whole: boolean): void {
    const item = items[k];
    const text = this.trees.get(file)?.text ?? '';
    const refs = again.slice(0, 4).map((id) => `\`${this.nodes[id].ref}\``).join(', ') + (again.length > 4 ? `, and ${again.length - 4} more` : '');
    const firstText = text.slice(first.start, first.end);
    // the item and the comma before it (after it, for the first item)
    const span: Span | null = !whole ? null : k > 0 ? { start: items[k - 1].span.end, end: item.span.end } : items.length > 1 ? { start: item.span.start, end: items[1].span.start } : null;
    this.sink.report('T305', file, item.span,
      `${refs} ${again.length === 1 ? 'is' : 'are'} already in this node set (from \`${firstText}\`): a node counts once; remove ${whole ? 'this item' : 'the repeat'}${whole ? '' : ' or name the nodes you meant'}`,
      [{ location: { file, span: first }, message: `\`${firstText}\` names ${again.length === 1 ? 'it' : 'them'} first` }],
      span ? [{ title: `Remove the repeated \`${text.slice(item.span.start, item.span.end)}\``, edits: [{ file, span, newText: '' }], preferred: true }] : []);
  }

  private nodeStarOrRef(ref: Ref, file: string, suggestible?: (n: Node) => boolean): number[] | undefined {
    if (ref.star) {
      if (ref.parts.length !== 1) {
        this.sink.report('T202', file, ref.span, 'write `RACK.*` for every node of a rack');
        return undefined;
      }
      // a typo is corrected to a rack whose nodes may all join (else T207 or T202)
      const rack = this.rackOf(ref.parts[0], file, [], suggestible && ((rk) => rk.nodes.every((id) => suggestible(this.nodes[id]))));
      return rack ? [...rack.nodes] : undefined;
    }
    const node = this.nodeRef(ref, file, suggestible);
    return node ? [node.id] : undefined;
  }

  private nodeRange(range: RangeRef, file: string): number[] | undefined {
    const { from, to } = range;
    if (!to) return undefined; // parser reported it
    if (from.star || to.star || from.parts.length !== 2 || to.parts.length > 2) {
      this.sink.report('T203', file, range.span, 'malformed node range: write `RACK.FIRST..LAST` (e.g. `r1.n1..n4`) or `RACK.FIRST..RACK.LAST`');
      return undefined;
    }
    if (to.parts.length === 2 && to.parts[0].text !== from.parts[0].text) {
      this.sink.report('T203', file, range.span, `malformed node range: both ends must be in the same rack (\`${from.parts[0].text}\` and \`${to.parts[0].text}\`)`);
      return undefined;
    }
    // the range's form first: a malformed range is reported with an unknown rack, not after it is fixed
    const first = from.parts[1];
    const last = to.parts[to.parts.length - 1];
    const expanded = expandNameRange(first.text, last.text);
    if ('error' in expanded) {
      // the fix only where the nodes it names exist (the rack is resolved after the range's form)
      const sym = this.symbols.get(from.parts[0].text);
      const known = sym?.kind === 'rack' ? this.nodesByRack[sym.index] : undefined;
      const names = rewrittenNames(expanded.rewrite);
      const sure = known !== undefined && names.length > 0 && names.every((x) => known.has(x));
      this.sink.report('T203', file, range.span, `malformed node range \`${first.text}..${last.text}\`: ${expanded.error}`, [], sure ? rangeFix(file, first, last, expanded.rewrite, range.span.end) : []);
      return undefined;
    }
    // `r1.n1..r1.n4`: a rename of the rack renames both ends
    const rack = this.rackOf(from.parts[0], file, to.parts.length === 2 ? [to.parts[0].span] : []);
    if (!rack) return undefined;
    const ids: number[] = [];
    const byName = this.nodesByRack[rack.id];
    const missing = expanded.names.filter((n) => !byName.has(n));
    if (missing.length) {
      const shown = missing.slice(0, 5).map((n) => `\`${n}\``).join(', ');
      this.sink.report('T200', file, range.span, `the range names node${missing.length > 1 ? 's' : ''} that rack \`${rack.name}\` does not declare: ${shown}${missing.length > 5 ? `, and ${missing.length - 5} more` : ''}`, [{ location: rack.nameAt, message: `rack \`${rack.name}\` is declared here` }]);
      return undefined;
    }
    for (const n of expanded.names) ids.push(byName.get(n)!.id);
    return ids;
  }

  // ------------------------------------------------------------------ SDS

  private bindSds(block: Block, file: string, sds: Mutable<Sds>): void {
    const r = this.reader(file, 'sds');
    const at: Mutable<Sds['at']> = {};
    let nodesGiven = false;
    const reserveAt: { cores?: Location; memory?: Location } = {};
    for (const p of this.properties(block, file)) {
      const a0 = p.args[0];
      const name = p.name.text;
      if (!isPropertyOf('sds', name)) continue;
      switch (name) {
        case 'nodes': {
          nodesGiven = true;
          if (!a0) { r.missing(p, p.name.span, 'a node set such as `r1.n1..n4`'); sds.nodesComplete = false; at.nodes = r.loc(p.name.span); break; }
          at.nodes = r.loc({ start: a0.span.start, end: p.args[p.args.length - 1].span.end });
          // a typo is corrected to a node outside any SDS that no scenario adds (else T207 or T202)
          const set = this.nodeSetItems(a0, file, (n) => (n.sds === null || n.sds === sds.id) && !this.scenarioAdds.has(n.ref));
          r.extra(p, 1);
          if (!set) { sds.nodesComplete = false; break; }
          sds.nodesComplete = set.complete;
          const mine: number[] = [];
          for (const { id, span } of set.items) {
            const node = this.nodes[id];
            if (node.sds !== null && node.sds !== sds.id) {
              const other = this.sdses[node.sds];
              this.sink.report('T207', file, span, `node \`${node.ref}\` is already in SDS \`${other.name}\`: a node belongs to at most one SDS; remove it from one of them`, [{ location: other.at.nodes ?? other.nameAt, message: `\`${node.ref}\` is in \`${other.name}\` here` }]);
              continue;
            }
            node.sds = sds.id;
            mine.push(id);
          }
          sds.nodes = mine;
          break;
        }
        case 'reserve':
          this.options(p, file, 'sds', (key, arg, keySpan) => {
            const v = r.keyed(p, key, arg, keySpan);
            if (v === undefined || !arg) return;
            if (key === 'cores') { sds.reserveCores = v; reserveAt.cores = r.loc(arg.span); } else { sds.reserveMemory = v; reserveAt.memory = r.loc(arg.span); }
          });
          at.reserve = r.loc(p.span);
          break;
        case 'oversubscribe': this.oversubscribe(p, file, r, sds, at); break;
        case 'policy': { const v = r.pick(p, POLICIES); if (v !== undefined) { sds.policy = v; at.policy = r.at(p); } } break;
        case 'granularity': { const v = r.scalar(p); if (v !== undefined) { sds.granularity = v; at.granularity = r.at(p); } } break;
        case 'overhead':
          this.options(p, file, 'sds', (key, arg, keySpan) => {
            const v = r.keyed(p, key, arg, keySpan);
            if (v === undefined) return;
            if (key === 'vcpu') sds.overheadVcpu = v; else sds.overheadChunk = v;
          });
          at.overhead = r.loc(p.span);
          break;
        default: everyPropertyRead(name);
      }
    }
    // without `nodes`: T304 from the analysis, whose fix is checked by placing the model again
    if (!nodesGiven) sds.nodesComplete = false;
    this.checkReserve(sds, reserveAt);
    if (!at.policy) sds.policy = this.defaults.policy;
    if (Number.isNaN(sds.cpuRatio)) sds.cpuRatio = this.defaults.cpuRatio;
    if (Number.isNaN(sds.memoryRatio)) sds.memoryRatio = this.defaults.memoryRatio;
    sds.at = at;
  }

  /**
   * T302 on a `reserve` value that takes a whole node: the hypervisor would keep all of its cores
   * or memory, and the SDS would count nothing of it. Related: the nodes it empties.
   */
  private checkReserve(sds: Mutable<Sds>, at: { cores?: Location; memory?: Location }): void {
    const nodes = sds.nodes.map((id) => this.nodes[id]).filter((n) => n.at.cores !== undefined && n.at.memory !== undefined);
    for (const res of ['cores', 'memory'] as const) {
      const loc = at[res];
      if (!loc) continue;
      const reserve = res === 'cores' ? sds.reserveCores : sds.reserveMemory;
      const emptied = nodes.filter((n) => reserve >= (res === 'cores' ? n.cores : n.memory));
      if (emptied.length === 0) continue;
      const show = (v: number): string => (res === 'cores' ? `${v} core${v === 1 ? '' : 's'}` : formatBytes(v));
      const sizeOf = (n: Node): number => (res === 'cores' ? n.cores : n.memory);
      const smallest = Math.min(...emptied.map(sizeOf));
      const all = emptied.length === nodes.length;
      // As with any value in error, the default is used instead (no capacity errors built on it).
      if (res === 'cores') sds.reserveCores = D.reserveCores; else sds.reserveMemory = D.reserveMemory;
      const written = this.trees.get(loc.file)?.text.slice(loc.span.start, loc.span.end) ?? show(reserve);
      const which = all ? (nodes.length === 1 ? `the node \`${nodes[0].ref}\`` : `all ${nodes.length} nodes`) : `${emptied.length} of its ${nodes.length} nodes`;
      // one related location per node declaration (a range declares many nodes at one place)
      const related = new Map<string, { location: Location; refs: string[]; size: number }>();
      for (const n of emptied) {
        const key = `${n.nameAt.file}:${n.nameAt.span.start}`;
        const e = related.get(key);
        if (e) e.refs.push(n.ref); else related.set(key, { location: n.nameAt, refs: [n.ref], size: sizeOf(n) });
      }
      this.sink.report('T302', loc.file, loc.span,
        `\`reserve ${res} ${written}\` is per node and takes ${which} of SDS \`${sds.name}\` whole (${emptied.length === 1 ? `it has` : 'the smallest has'} ${show(smallest)}), leaving the SDS nothing of ${res === 'cores' ? 'their cores' : 'their memory'}: keep it below ${show(smallest)} (the default is ${show(res === 'cores' ? D.reserveCores : D.reserveMemory)})`,
        [...related.values()].slice(0, 8).map((e) => ({ location: e.location, message: `${e.refs.length === 1 ? `\`${e.refs[0]}\`` : `\`${e.refs[0]}\` … \`${e.refs[e.refs.length - 1]}\`, each`}: ${show(e.size)}` })));
    }
  }

  // ------------------------------------------------------------------ containers

  private containerRef(ref: Ref, file: string, self: Container, verb: string): number | undefined {
    if (ref.parts.length !== 1 || ref.star) {
      this.sink.report('T202', file, ref.span, `\`${verb}\` takes a container name, not a node or device reference`);
      return undefined;
    }
    const w = ref.parts[0];
    const sym = this.symbols.get(w.text);
    if (!sym) {
      const { text: hint, suggestion } = didYouMean(w.text, this.containers.filter((c) => c.id !== self.id).map((c) => c.name));
      this.sink.report('T200', file, w.span, `unknown container \`${w.text}\`.${hint}`, [], renameFix(file, w.span, suggestion));
      return undefined;
    }
    if (sym.kind !== 'container') {
      this.sink.report('T202', file, w.span, `\`${w.text}\` is ${article(sym.kind)} ${sym.kind}: \`${verb}\` takes a container`, [{ location: sym.at, message: `\`${w.text}\` is declared here` }]);
      return undefined;
    }
    if (sym.index === self.id) {
      this.sink.report('T202', file, w.span, `a container cannot \`${verb}\` itself: name another container`);
      return undefined;
    }
    return sym.index;
  }

  /** The tenant `tenant NAME` names, or undefined after T200/T202. */
  private tenantRef(ref: Ref, file: string): number | undefined {
    if (ref.parts.length !== 1 || ref.star) {
      this.sink.report('T202', file, ref.span, '`tenant` takes the name of a `tenant` block, not a node or device reference');
      return undefined;
    }
    const w = ref.parts[0];
    const sym = this.symbols.get(w.text);
    if (!sym) {
      const { text: hint, suggestion } = didYouMean(w.text, this.tenants.map((t) => t.name));
      const known = this.tenants.length === 0 ? ' The file declares no tenant: add a `tenant` block.' : '';
      this.sink.report('T200', file, w.span, `unknown tenant \`${w.text}\`.${hint || known}`, [], renameFix(file, w.span, suggestion));
      return undefined;
    }
    if (sym.kind !== 'tenant') {
      this.sink.report('T202', file, w.span, `\`${w.text}\` is ${article(sym.kind)} ${sym.kind}, not a tenant: \`tenant\` names a \`tenant\` block`, [{ location: sym.at, message: `\`${w.text}\` is declared here` }]);
      return undefined;
    }
    return sym.index;
  }

  // ------------------------------------------------------------------ tenants

  private bindTenant(block: Block, file: string, t: Mutable<Tenant>): void {
    const r = this.reader(file, 'tenant');
    const at: Mutable<Tenant['at']> = {};
    for (const p of this.properties(block, file)) {
      const name = p.name.text;
      if (!isPropertyOf('tenant', name)) continue;
      switch (name) {
        case 'isolation': { const v = r.pick(p, ISOLATIONS); if (v !== undefined) { t.isolation = v; at.isolation = r.at(p); } } break;
        case 'overhead': {
          const o = { ...t.overhead };
          this.options(p, file, 'tenant', (key, arg, keySpan) => {
            const v = r.keyed(p, key, arg, keySpan);
            if (v !== undefined) o[key === 'cpu' ? 'cpu' : 'memory'] = v;
          });
          t.overhead = o;
          at.overhead = r.loc(p.span);
          break;
        }
        case 'quota': {
          const q: { cpu: number | null; memory: number | null } = { cpu: null, memory: null };
          this.options(p, file, 'tenant', (key, arg, keySpan) => {
            const v = r.keyed(p, key, arg, keySpan);
            if (v === undefined || !arg) return;
            if (key === 'cpu') { q.cpu = v; at.quotaCpu = r.loc(arg.span); } else { q.memory = v; at.quotaMemory = r.loc(arg.span); }
          });
          t.quota = q.cpu === null && q.memory === null ? null : q;
          at.quota = r.loc(p.span);
          break;
        }
        case 'oversubscribe': {
          const ratios = { cpuRatio: Number.NaN, memoryRatio: Number.NaN };
          this.oversubscribe(p, file, r, ratios, at);
          const cpu = Number.isNaN(ratios.cpuRatio) ? null : ratios.cpuRatio;
          const memory = Number.isNaN(ratios.memoryRatio) ? null : ratios.memoryRatio;
          t.oversubscribe = cpu === null && memory === null ? null : { cpu, memory };
          break;
        }
        default: everyPropertyRead(name);
      }
    }
    t.at = at;
  }

  /** `weight PERCENT` after a talks/io reference. */
  private weight(p: Property, file: string, from: number, fallback: number): number | undefined {
    const r = this.reader(file, 'container');
    const w = r.word(p.args[from]);
    if (!p.args[from]) return fallback;
    if (!w || w.text !== 'weight') {
      r.unexpectedArg(p, p.args[from], '`weight PERCENT`');
      return undefined;
    }
    const v = r.keyed(p, w.text, p.args[from + 1], w.span);
    r.extra(p, from + 2);
    return v;
  }

  private bindContainer(block: Block, file: string, c: Mutable<Container>): void {
    const r = this.reader(file, 'container');
    const at: Mutable<Container['at']> = {};
    const talks: Talk[] = [];
    const io: IoAffinity[] = [];
    let workingSet: number | undefined;
    let workingSetSpan: Span | undefined;
    for (const p of this.properties(block, file)) {
      const a0 = p.args[0];
      const name = p.name.text;
      if (!isPropertyOf('container', name)) continue;
      switch (name) {
        case 'image':
          if (a0?.kind === 'string') c.image = a0.value;
          else if (a0) r.unexpectedArg(p, a0, 'the image as a string, e.g. `"nginx:1.27"`');
          else r.missing(p, p.name.span, 'a string');
          r.extra(p, 1);
          break;
        case 'replicas': { const v = r.scalar(p); if (v !== undefined) { c.replicas = v; at.replicas = r.at(p); } } break;
        case 'cpu': this.cpuOrMemory(p, file, r, c, at, 'cpu'); break;
        case 'memory': this.cpuOrMemory(p, file, r, c, at, 'bytes'); break;
        case 'load': { const v = r.scalar(p); if (v !== undefined) { c.load = v; at.load = r.at(p); } } break;
        case 'workingset': { const v = r.scalar(p); if (v !== undefined) { const l = r.at(p); workingSet = v; workingSetSpan = l.span; at.workingSet = l; } } break;
        case 'skew': c.skew = r.scalar(p) ?? c.skew; break;
        case 'writes': c.writes = r.scalar(p) ?? c.writes; break;
        case 'talks': {
          const ref = r.ref(p, a0, 'a container name', p.name.span);
          if (!ref) break;
          const peer = ref.kind === 'ref' ? this.containerRef(ref, file, c, 'talks') : undefined;
          const weight = this.weight(p, file, 1, D.talksWeight);
          if (peer !== undefined && weight !== undefined) {
            const dup = talks.find((t) => t.container === peer);
            if (dup) this.sink.report('T305', file, ref.span, `\`talks ${this.containers[peer].name}\` is given twice; the last one wins`, [{ location: dup.at, message: 'first given here' }]);
            const entry = { container: peer, weight, at: r.loc(ref.span) };
            if (dup) talks[talks.indexOf(dup)] = entry; else talks.push(entry);
          }
          break;
        }
        case 'io': {
          const ref = r.ref(p, a0, 'a device `RACK.NODE.DEVICE`', p.name.span);
          if (!ref) break;
          const aff = this.deviceRef(ref, file);
          const weight = this.weight(p, file, 1, D.ioWeight);
          if (aff && weight !== undefined) io.push({ ...aff, weight, at: r.loc(ref.span) });
          break;
        }
        case 'place': this.place(p, file, r, c, at); break;
        case 'spread': this.spread(p, file, r, c, at); break;
        case 'colocate': {
          const ref = r.ref(p, a0, 'a container name', p.name.span);
          if (!ref) break;
          const peer = ref.kind === 'ref' ? this.containerRef(ref, file, c, 'colocate') : undefined;
          if (peer !== undefined) c.colocate = { container: peer, at: r.loc(ref.span) };
          r.extra(p, 1);
          break;
        }
        case 'priority': { const v = r.pick(p, PRIORITIES); if (v !== undefined) { c.priority = v; at.priority = r.at(p); } } break;
        case 'tenant': {
          const ref = r.ref(p, a0, 'a tenant name', p.name.span);
          if (!ref) break;
          const t = this.tenantRef(ref, file);
          if (t !== undefined) { c.tenant = t; at.tenant = r.loc(ref.span); }
          r.extra(p, 1);
          break;
        }
        case 'network': { const v = r.scalar(p); if (v !== undefined) { c.network = v; at.network = r.at(p); } } break;
        default: everyPropertyRead(name);
      }
    }
    this.checkContainer(file, c, at, workingSet, workingSetSpan);
    c.talks = talks;
    c.io = io;
    c.at = at;
  }

  /** `cpu C` / `memory M` (request and limit alike) or `cpu request C limit C`: only one given, the other equals it (as in Kubernetes). */
  private cpuOrMemory(p: Property, file: string, r: ValueReader, c: Mutable<Container>, at: Mutable<Container['at']>, kind: 'cpu' | 'bytes'): void {
    const isCpu = kind === 'cpu';
    const reqKey = isCpu ? 'cpuRequest' : 'memoryRequest';
    const limKey = isCpu ? 'cpuLimit' : 'memoryLimit';
    const a0 = p.args[0];
    if (a0 && a0.kind === 'number') {
      { const v = r.scalar(p); if (v !== undefined) { const l = r.at(p); c[reqKey] = v; c[limKey] = v; at[reqKey] = l; at[limKey] = l; } }
      return;
    }
    let req: number | undefined;
    let lim: number | undefined;
    this.options(p, file, 'container', (key, arg, keySpan) => {
      const v = r.keyed(p, key, arg, keySpan);
      if (v === undefined || !arg) return;
      if (key === 'request') { req = v; at[reqKey] = r.loc(arg.span); } else { lim = v; at[limKey] = r.loc(arg.span); }
    });
    // Only a request: the limit equals it. Only a limit: the request equals it (as in Kubernetes).
    c[reqKey] = req ?? lim ?? 0;
    c[limKey] = lim ?? req ?? 0;
    if (req === undefined && lim !== undefined) at[reqKey] = at[limKey];
    if (lim === undefined && req !== undefined) at[limKey] = at[reqKey];
  }

  /** `place on TARGET`. */
  private place(p: Property, file: string, r: ValueReader, c: Mutable<Container>, at: Mutable<Container['at']>): void {
    const a0 = p.args[0];
    at.place = r.loc(p.name.span);
    const on = r.word(a0);
    if (!on || on.text !== 'on') {
      if (a0) this.sink.report('T100', file, a0.span, `expected \`on\` after \`place\`: write \`place on TARGET\``, [], [{ title: 'Insert `on`', edits: [{ file, span: { start: a0.span.start, end: a0.span.start }, newText: 'on ' }], preferred: true }]);
      else r.missing(p, p.name.span, '`on TARGET`');
      return;
    }
    const targetArg = p.args[1];
    if (!targetArg) { r.missing(p, on.span, 'a target: an SDS, a rack, or a node set'); return; }
    const target = this.target(targetArg, file);
    if (target) c.target = target;
    r.extra(p, 2);
  }

  /** `spread nodes|racks [even]`. */
  private spread(p: Property, file: string, r: ValueReader, c: Mutable<Container>, at: Mutable<Container['at']>): void {
    const a0 = p.args[0];
    const v = r.choice(p, a0, SPREADS, p.name.span);
    if (!v) return;
    c.spread = v;
    at.spread = r.loc(a0!.span);
    const even = r.word(p.args[1]);
    if (even?.text === SPREAD_EVEN) { c.spreadEven = true; at.spread = r.loc({ start: a0!.span.start, end: even.span.end }); r.extra(p, 2); return; }
    if (even) {
      const { text: hint, suggestion } = didYouMean(even.text, [SPREAD_EVEN]);
      // `pack` (or another block's property) written in a container
      const elsewhere = (Object.keys(PROPERTIES) as BlockKind[]).filter((k) => k !== 'container' && propertySpec(k, even.text));
      const where = !hint && elsewhere.length ? ` \`${even.text}\` is a property of ${elsewhere.map((k) => `\`${k}\``).join(' and ')}, not of a container.` : '';
      const last = p.args[p.args.length - 1];
      this.sink.report('T100', file, where ? { start: even.span.start, end: last.span.end } : even.span, `expected \`${SPREAD_EVEN}\` or nothing after \`spread ${v}\`.${hint}${where}`, [], renameFix(file, even.span, suggestion));
      if (!where) r.extra(p, 2);
      return;
    }
    r.extra(p, 1);
  }

  /** T303 (a request above its limit) and T302 (a working set above the memory limit); sets the working set. */
  private checkContainer(file: string, c: Mutable<Container>, at: Container['at'], workingSet: number | undefined, workingSetSpan: Span | undefined): void {
    const text = this.trees.get(file)?.text ?? '';
    if (c.cpuRequest > c.cpuLimit && at.cpuRequest && at.cpuLimit) {
      this.sink.report('T303', file, at.cpuRequest.span, `CPU request (${c.cpuRequest} cores) is greater than the limit (${c.cpuLimit}): raise the limit or lower the request`, [{ location: at.cpuLimit, message: 'the limit' }],
        levelFixes(text, file, { span: at.cpuRequest.span, value: c.cpuRequest }, { span: at.cpuLimit.span, value: c.cpuLimit }, 'cpu', ['request', 'limit']));
    }
    if (c.memoryRequest > c.memoryLimit && at.memoryRequest && at.memoryLimit) {
      this.sink.report('T303', file, at.memoryRequest.span, `memory request is greater than the limit: raise the limit or lower the request`, [{ location: at.memoryLimit, message: 'the limit' }],
        levelFixes(text, file, { span: at.memoryRequest.span, value: c.memoryRequest }, { span: at.memoryLimit.span, value: c.memoryLimit }, 'bytes', ['request', 'limit']));
    }
    c.workingSet = workingSet ?? c.memoryRequest;
    if (workingSet !== undefined && workingSetSpan && at.memoryLimit && workingSet > c.memoryLimit) {
      this.sink.report('T302', file, workingSetSpan, 'the working set is larger than the memory limit: a container cannot touch more memory than it may hold; lower `workingset` or raise the memory limit', [{ location: at.memoryLimit, message: 'the memory limit' }],
        levelFixes(text, file, { span: workingSetSpan, value: workingSet }, { span: at.memoryLimit.span, value: c.memoryLimit }, 'bytes', ['working set', 'memory limit']));
      c.workingSet = c.memoryLimit;
    }
  }

  private deviceRef(ref: Ref | RangeRef | Arg, file: string): { node: number; device: string } | undefined {
    if (ref.kind !== 'ref' || ref.star || ref.parts.length !== 3) {
      this.sink.report('T202', file, ref.span, 'expected a device `RACK.NODE.DEVICE`, e.g. `r1.n2.nvme0`');
      return undefined;
    }
    const rack = this.rackOf(ref.parts[0], file);
    if (!rack) return undefined;
    const node = this.nodeInRack(rack, ref.parts[1], file);
    if (!node) return undefined;
    const dev = ref.parts[2];
    if (!node.disks.some((d) => d.name === dev.text)) {
      const { text: hint, suggestion } = didYouMean(dev.text, node.disks.map((d) => d.name));
      this.sink.report('T200', file, dev.span, `unknown device \`${dev.text}\` on node \`${node.ref}\`.${hint || (node.disks.length ? ` It has: ${node.disks.map((d) => d.name).join(', ')}.` : ' It declares no `disk`.')}`, [{ location: node.nameAt, message: `node \`${node.ref}\` is declared here` }], renameFix(file, dev.span, suggestion));
      return undefined;
    }
    return { node: node.id, device: dev.text };
  }

  private target(arg: Arg, file: string): Target | undefined {
    const at = { file, span: arg.span };
    if (arg.kind === 'ref' && arg.parts.length === 1 && !arg.star) {
      const w = arg.parts[0];
      const sym = this.symbols.get(w.text);
      if (!sym) {
        const names = [...this.sdses.map((s) => s.name), ...this.racks.map((r) => r.name)];
        const { text: hint, suggestion } = didYouMean(w.text, names);
        this.sink.report('T200', file, w.span, `unknown target \`${w.text}\`: place on an SDS, a rack or a node set.${hint || (names.length ? ` Known: ${names.slice(0, 8).join(', ')}.` : '')}`, [], renameFix(file, w.span, suggestion));
        return undefined;
      }
      switch (sym.kind) {
        case 'sds': return { kind: 'sds', sds: sym.index, at };
        case 'rack': return { kind: 'rack', rack: sym.index, at };
        case 'container':
          this.sink.report('T202', file, w.span, `\`${w.text}\` is a container, not a place to run on: place on an SDS, a rack or a node set (to run next to \`${w.text}\`, use \`colocate ${w.text}\`)`, [{ location: sym.at, message: `container \`${w.text}\` is declared here` }]);
          return undefined;
        case 'tenant':
          this.sink.report('T202', file, w.span, `\`${w.text}\` is a tenant, not a place to run on: place on an SDS, a rack or a node set (to put this container in tenant \`${w.text}\`, write \`tenant ${w.text}\`)`, [{ location: sym.at, message: `tenant \`${w.text}\` is declared here` }]);
          return undefined;
      }
    }
    const ids = this.nodeSet(arg, file);
    if (!ids) return undefined;
    return { kind: 'nodes', nodes: ids, at };
  }

  /** `place on` may be left out when the file has exactly one SDS or packing rack. */
  private resolveImplicitTargets(): void {
    // a rack is a packing target when it has an active node outside any SDS (spares hold nothing)
    const packingRacks = this.racks.filter((r) => r.nodes.some((id) => this.nodes[id].sds === null && this.nodes[id].role === 'active'));
    const candidates: { name: string; target: Target }[] = [
      ...this.sdses.map((s) => ({ name: s.name, target: { kind: 'sds' as const, sds: s.id, at: s.nameAt } })),
      ...packingRacks.map((r) => ({ name: r.name, target: { kind: 'rack' as const, rack: r.id, at: r.nameAt } })),
    ];
    for (const p of this.pendingContainers) {
      const c = p.container;
      if (c.target || p.block.members.some((m) => m.kind === 'property' && m.name.text === 'place')) continue;
      if (candidates.length === 1) {
        c.target = candidates[0].target;
        c.targetImplicit = true;
        continue;
      }
      // T304 is reported by the analysis, whose "Place on" fixes are checked by placing the model again
    }
  }

  // ------------------------------------------------------------------ scenarios

  private bindScenario(block: Block, file: string, s: Mutable<Scenario>): void {
    const r = this.reader(file, 'scenario');
    const events: { e: ScenarioEvent; subject: Location }[] = [];
    // nodes the scenario's events name: a typo is not corrected to one of them (it would fail or join twice)
    const named = new Set<string>();
    for (const m of block.members) {
      const a = m.kind === 'property' && m.name.text === 'at' ? m.args[2] : undefined;
      if (a?.kind === 'ref' && a.parts.length === 2) named.add(`${a.parts[0].text}.${a.parts[1].text}`);
    }
    for (const p of this.properties(block, file)) {
      const name = p.name.text;
      if (!isPropertyOf('scenario', name)) continue;
      switch (name) {
        case 'duration': s.duration = r.scalar(p) ?? s.duration; break;
        case 'seed': s.seed = r.scalar(p) ?? s.seed; break;
        case 'policy': s.policy = r.pick(p, POLICIES) ?? s.policy; break;
        case 'at': { const e = this.event(p, file, named); if (e) events.push(e); break; }
        default: everyPropertyRead(name);
      }
    }
    const duration = s.duration ?? this.defaults.duration;
    for (const { e } of events) {
      if (e.t > duration) this.sink.report('T302', file, e.at.span, `this event at ${e.t}s is after the end of the simulation (${duration}s): it would never happen; raise \`duration\` or move the event earlier`, [], this.durationFix(block, file, e.t + duration, e.t));
    }
    const ordered = events.map((x, i) => ({ ...x, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i);
    s.events = this.possibleEvents(ordered);
  }

  /**
   * Raises the scenario's `duration` to `to` seconds (the late event, then as long as the
   * simulation ran before), rewriting its value, or adding `duration` when the scenario has none.
   */
  private durationFix(block: Block, file: string, after: number, eventAt: number): Fix[] {
    // whole seconds, so the value written reads back at least as late as the event
    const to = Math.ceil(after);
    const max = propertySpec('scenario', 'duration')?.quantity?.range.max ?? Infinity;
    if (!(to <= max)) return [];
    const text = this.trees.get(file)?.text ?? '';
    const written = formatDuration(to);
    const title = `Raise \`duration\` to \`${written}\` (${formatDuration(to - eventAt)} after the event at ${formatDuration(eventAt)})`;
    // the last `duration` is the one that holds (an earlier one is T305)
    const prop = block.members.filter((m): m is Property => m.kind === 'property' && m.name.text === 'duration').pop();
    if (!prop) return insertFix(text, block, file, `duration ${written}`, title);
    const value = prop.args[0];
    return value ? [{ title, edits: [{ file, span: value.span, newText: written }] }] : [];
  }

  /**
   * The events in time order that can happen, T202 on the subject of each that cannot: a node
   * fails once, a failed node does not join an SDS, a node joins once.
   */
  private possibleEvents(ordered: readonly { e: ScenarioEvent; subject: Location }[]): ScenarioEvent[] {
    const failed = new Map<number, { t: number; at: Location }>();
    const added = new Map<number, { t: number; at: Location; sds: number }>();
    const out: ScenarioEvent[] = [];
    const when = (t: number): string => formatDuration(t);
    for (const { e, subject } of ordered) {
      if (e.kind === 'fail' || e.kind === 'add') {
        const n = this.nodes[e.node];
        const f = failed.get(e.node);
        if (f) {
          this.sink.report('T202', subject.file, subject.span, e.kind === 'fail'
            ? `\`${n.ref}\` already fails at ${when(f.t)} in this scenario: a node fails once; remove this event or name another node`
            : `\`${n.ref}\` fails at ${when(f.t)} in this scenario: a failed node cannot join an SDS; add another spare, or add it before it fails`,
          [{ location: f.at, message: `\`${n.ref}\` fails here` }]);
          continue;
        }
        const a = added.get(e.node);
        if (e.kind === 'add' && a) {
          this.sink.report('T202', subject.file, subject.span, `\`${n.ref}\` already joins \`${this.sdses[a.sds].name}\` at ${when(a.t)} in this scenario: a node joins once; remove this event or add another spare`,
            [{ location: a.at, message: `\`${n.ref}\` joins here` }]);
          continue;
        }
        if (e.kind === 'fail') failed.set(e.node, { t: e.t, at: subject }); else added.set(e.node, { t: e.t, at: subject, sds: e.sds });
      }
      if (e.kind === 'scale' && e.replicas === 0) {
        const c = this.containers[e.container];
        this.sink.report('T306', subject.file, subject.span, `\`scale ${c.name} to 0\` stops \`${c.name}\` at ${when(e.t)}: from then on it runs nowhere, and the simulation predicts no locality for it. If that is the what-if, keep it; to keep it running, scale it to 1 or more`);
      }
      out.push(e);
    }
    return out;
  }

  /** Every node that a rack or node-set target may pack onto, with the first container placed there. */
  private nodesOfPackedTargets(): Map<number, Container> {
    const out = new Map<number, Container>();
    for (const c of this.containers) {
      const t = c.target;
      if (!t || t.kind === 'sds') continue;
      const ids = t.kind === 'rack' ? this.racks[t.rack]?.nodes ?? [] : t.nodes;
      for (const id of ids) if (!out.has(id) && this.nodes[id]?.sds === null) out.set(id, c);
    }
    return out;
  }

  /** Nodes that may join an SDS in a scenario: spares and active nodes no container may be packed onto, outside any SDS. */
  private mayJoin(n: Node): boolean {
    return n.sds === null && (n.role === 'spare' || !this.packedNodes.has(n.id));
  }

  /** How each event kind's arguments are read after `at T KIND` (a new kind must get a reader). */
  private readonly eventReaders: Record<EventKind, (x: EventArgs) => { e: ScenarioEvent; subject: Location } | undefined> = {
    fail: (x) => this.failEvent(x),
    add: (x) => this.addEvent(x),
    scale: (x) => this.scaleEvent(x),
    load: (x) => this.loadEvent(x),
  };

  private event(p: Property, file: string, named: ReadonlySet<string>): { e: ScenarioEvent; subject: Location } | undefined {
    const r = this.reader(file, 'scenario');
    const tq = propertySpec('scenario', 'at')?.quantity;
    const t = tq ? r.quantity(p, p.args[0], tq.unit, tq.range, p.name.span) : undefined;
    if (t === undefined) return undefined;
    const at = { file, span: p.span };
    const kindArg = p.args[1];
    const kindWord = r.word(kindArg);
    if (!kindWord || !isOneOf(EVENT_KINDS, kindWord.text)) {
      if (!kindArg) {
        const end = p.args[0].span.end;
        this.sink.report('T100', file, { start: end, end }, `\`at\` needs an event after the time: ${orList(EVENT_KINDS.map((k) => `\`${EVENT_SYNTAX[k].written}\``))}, as in \`${EVENT_SYNTAX.fail.example}\``);
      }
      else {
        const { text: hint, suggestion } = kindWord ? didYouMean(kindWord.text, EVENT_KINDS) : { text: '', suggestion: undefined };
        this.sink.report('T100', file, kindArg.span, `expected ${orList(EVENT_KINDS.map((k) => `\`${k}\``))} after the time.${hint}`, [], renameFix(file, kindArg.span, suggestion));
      }
      return undefined;
    }
    return this.eventReaders[kindWord.text]({ p, file, r, t, at, kindWord, subject: p.args[2], named });
  }

  private failEvent({ p, file, r, t, at, kindWord, subject, named }: EventArgs): { e: ScenarioEvent; subject: Location } | undefined {
    const ref = r.ref(p, subject, 'the node that fails, `RACK.NODE`', kindWord.span);
    const node = ref?.kind === 'ref' ? this.nodeRef(ref, file, (n) => !named.has(n.ref)) : ref ? (this.sink.report('T202', file, ref.span, 'one node fails per event: write `at T fail RACK.NODE`'), undefined) : undefined;
    r.extra(p, 3);
    return node && ref ? { e: { kind: 'fail', t, node: node.id, at }, subject: r.loc(ref.span) } : undefined;
  }

  private addEvent({ p, file, r, t, at, kindWord, subject, named }: EventArgs): { e: ScenarioEvent; subject: Location } | undefined {
    const ref = r.ref(p, subject, 'the spare node that joins, `RACK.NODE`', kindWord.span);
    const node = ref?.kind === 'ref' ? this.nodeRef(ref, file, (n) => this.mayJoin(n) && !named.has(n.ref)) : undefined;
    const to = r.word(p.args[3]);
    if (!to || to.text !== EVENT_TO) {
      if (p.args[3]) r.unexpectedArg(p, p.args[3], '`to SDS`'); else if (subject) r.missing(p, subject.span, '`to SDS`');
      return undefined;
    }
    const sdsRef = r.ref(p, p.args[4], 'the SDS it joins', to.span);
    r.extra(p, 5);
    if (!sdsRef || !node || !ref) return undefined;
    const sdsId = this.sdsRef(sdsRef, file);
    if (sdsId === undefined) return undefined;
    if (node.sds === sdsId) {
      this.sink.report('T202', file, sdsRef.span, `node \`${node.ref}\` is already part of \`${this.sdses[sdsId].name}\`: only a node outside it (a spare) can join`);
      return undefined;
    }
    if (node.sds !== null) {
      this.sink.report('T207', file, ref.span, `node \`${node.ref}\` belongs to SDS \`${this.sdses[node.sds].name}\`: it cannot join \`${this.sdses[sdsId].name}\` as well`);
      return undefined;
    }
    const user = this.packedNodes.get(node.id);
    if (node.role === 'active' && user) {
      const spares = this.nodes.filter((n) => n.role === 'spare' && n.sds === null).map((n) => `\`${n.ref}\``);
      this.sink.report('T202', file, ref.span,
        `\`${node.ref}\` is an active node that containers are packed onto (\`${user.name}\` is placed on \`${user.target?.kind === 'rack' ? this.racks[user.target.rack].name : 'a node set'}\`, which includes it): only a spare (\`role spare\`) or a node no container is placed on can join an SDS.${spares.length ? ` Spares: ${spares.slice(0, 5).join(', ')}.` : ' Declare a spare node with `role spare`.'}`,
        [{ location: user.target?.at ?? user.nameAt, message: `\`${user.name}\` is placed here` }]);
      return undefined;
    }
    return { e: { kind: 'add', t, node: node.id, sds: sdsId, at }, subject: r.loc(ref.span) };
  }

  private scaleEvent({ p, file, r, t, at, kindWord, subject }: EventArgs): { e: ScenarioEvent; subject: Location } | undefined {
    const ref = r.ref(p, subject, 'the container to scale', kindWord.span);
    const cid = ref?.kind === 'ref' ? this.anyContainer(ref, file) : undefined;
    const to = r.word(p.args[3]);
    if (!to || to.text !== EVENT_TO) {
      if (p.args[3]) r.unexpectedArg(p, p.args[3], '`to COUNT`'); else if (subject) r.missing(p, subject.span, '`to COUNT`');
      return undefined;
    }
    const n = r.quantity(p, p.args[4], 'count', { min: 0, max: MAX_REPLICAS, describe: 'a whole number from 0 to 1000000' }, to.span);
    r.extra(p, 5);
    return cid !== undefined && n !== undefined ? { e: { kind: 'scale', t, container: cid, replicas: n, at }, subject: r.loc(p.args[4].span) } : undefined;
  }

  private loadEvent({ p, file, r, t, at, kindWord, subject }: EventArgs): { e: ScenarioEvent; subject: Location } | undefined {
    const ref = r.ref(p, subject, 'the container whose load changes', kindWord.span);
    if (!subject) return undefined; // one message for an unfinished event, not one per missing part
    const cid = ref?.kind === 'ref' ? this.anyContainer(ref, file) : undefined;
    const load = r.quantity(p, p.args[3], 'percent', { min: 0, max: 1, describe: `from 0% to 100%, the share of its CPU limit the container uses (for more, raise its \`cpu\` limit or add replicas: \`scale ${ref?.kind === 'ref' ? ref.parts.map((x) => x.text).join('.') : 'NAME'} to N\`)` }, subject?.span ?? kindWord.span);
    r.extra(p, 4);
    return cid !== undefined && load !== undefined ? { e: { kind: 'load', t, container: cid, load, at }, subject: r.loc(p.args[3].span) } : undefined;
  }

  private anyContainer(ref: Ref, file: string): number | undefined {
    const self = { id: -1 } as Container;
    return this.containerRef(ref, file, self, 'scale or load');
  }

  private sdsRef(ref: Ref, file: string): number | undefined {
    const w = ref.parts[0];
    const sym = ref.parts.length === 1 && !ref.star ? this.symbols.get(w.text) : undefined;
    if (sym?.kind === 'sds') return sym.index;
    if (sym) {
      this.sink.report('T202', file, ref.span, `\`${w.text}\` is ${article(sym.kind)} ${sym.kind}, not an SDS: a spare joins a software-defined server`, [{ location: sym.at, message: `\`${w.text}\` is declared here` }]);
      return undefined;
    }
    const { text: hint, suggestion } = didYouMean(w.text, this.sdses.map((s) => s.name));
    this.sink.report('T200', file, ref.span, `unknown SDS \`${ref.parts.map((x) => x.text).join('.')}\`.${hint}`, [], renameFix(file, ref.span, suggestion));
    return undefined;
  }
}

// ------------------------------------------------------------------ helpers

/**
 * Whether every member of a block is one of its properties, none of them repeated that may not
 * be: then its members are its properties as `Binder.properties` gives them (most blocks, so
 * most blocks need no array of their own).
 */
function onlyPropertiesOnce(block: Block): block is Block & { readonly members: readonly Property[] } {
  const specs = propertiesOf(block.blockKind);
  const members = block.members;
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    if (m.kind !== 'property') return false;
    const spec = specs.get(m.name.text);
    if (!spec) return false;
    if (spec.repeatable) continue;
    for (let j = 0; j < i; j++) {
      const before = members[j];
      if (before.kind === 'property' && before.name.text === m.name.text) return false;
    }
  }
  return true;
}

export function blockLocation(block: Block, file: string): BlockLocation {
  return { file, span: block.span, bodyStart: block.open ? block.open.end : -1, bodyEnd: block.close ? block.close.start : -1 };
}

function article(kind: string): string {
  return /^[aeiou]/i.test(kind) ? 'an' : 'a';
}

function renameFix(file: string, span: Span, suggestion: string | undefined): Fix[] {
  return suggestion ? [{ title: `Change to \`${suggestion}\``, edits: [{ file, span, newText: suggestion }], preferred: true }] : [];
}

/** A fix that inserts a property line at the end of a block, indented like its other lines. */
/** The node names a range's fix would write. */
function rewrittenNames(rewrite: RangeRewrite | undefined): string[] {
  if (!rewrite) return [];
  if ('single' in rewrite) return [rewrite.single];
  const e = expandNameRange(rewrite.first, rewrite.last);
  return 'names' in e ? e.names : [];
}

/**
 * The fix of a malformed range whose intent is certain: swap the numbers of its ends
 * (`n4..n1` -> `n1..n4`), or keep the one node (`n1..n1` -> `n1`, up to `end`, the end of the
 * whole range as written: `r1.n1..r1.n1` -> `r1.n1`).
 */
function rangeFix(file: string, first: Word, last: Word, rewrite: RangeRewrite | undefined, end = last.span.end): Fix[] {
  if (!rewrite) return [];
  if ('single' in rewrite) return [{ title: `Write the one node \`${rewrite.single}\``, edits: [{ file, span: { start: first.span.end, end }, newText: '' }], preferred: true }];
  return [{
    title: `Write \`${rewrite.first}..${rewrite.last}\``,
    edits: [{ file, span: first.span, newText: rewrite.first }, { file, span: last.span, newText: rewrite.last }],
    preferred: true,
  }];
}

/**
 * The two fixes of a value above the one that bounds it (`cpu request 4 limit 2`): lower the
 * value to the bound, or raise the bound to the value, each written as the other is written.
 */
function levelFixes(text: string, file: string, over: Written, bound: Written, kind: 'cpu' | 'bytes', [overName, boundName]: readonly [string, string]): Fix[] {
  const overText = text.slice(over.span.start, over.span.end);
  const boundText = text.slice(bound.span.start, bound.span.end);
  // Only where each text says the value it stands for (a repeated property, or a limit taken from
  // the request, can put another value there): then copying one over the other fixes it.
  if (!overText || !boundText || overText === boundText || !says(overText, kind, over.value) || !says(boundText, kind, bound.value)) return [];
  return [
    { title: `Lower the ${overName} to \`${boundText}\``, edits: [{ file, span: over.span, newText: boundText }], preferred: true },
    { title: `Raise the ${boundName} to \`${overText}\``, edits: [{ file, span: bound.span, newText: overText }] },
  ];
}

/** A value and where it is written. */
interface Written { readonly span: Span; readonly value: number }

/** Whether `text` (`4GiB`, `500m`, `2`) is `value` in canonical units. */
function says(text: string, kind: 'cpu' | 'bytes', value: number): boolean {
  const m = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(text);
  const factor = m ? UNITS[kind][m[2]] : undefined;
  if (!m || factor === undefined) return false;
  const v = Number(m[1]) * factor;
  return Math.abs(v - value) <= 1e-9 * Math.max(1, Math.abs(value));
}

export function insertFix(text: string, block: Block, file: string, line: string, title: string): Fix[] {
  if (!block.close) return [];
  const { at, newText } = propertyInsertion(text, block.open ? block.open.end : -1, block.close.start, line);
  return [{ title, edits: [{ file, span: { start: at, end: at }, newText }] }];
}

export { MAX_RANGE_NODES };
