// Validation of every message the preview receives. Messages come from the host page (or any
// frame that can postMessage to us): nothing is trusted until its whole shape has been checked.
import type { IncomingMessage } from './messages';
import { DIAGNOSTIC_SEVERITY, type DiagnosticCode } from '../../server/src/core/diagnostics';
import { EVENT_KINDS, PRIORITIES, ROLES } from '../../server/src/core/syntax/words';
import { POLICIES } from './messages';

/** Limits that keep a hostile or broken message from exhausting the page. */
export const LIMITS = {
  string: 4096,
  array: 200_000,
  samples: 100_000,
  recordKeys: 10_000,
} as const;

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

class Invalid extends Error {}

/** Where a value is: built as a string only when it is reported (checking a large document builds none). */
class Path {
  constructor(private readonly parent: Path | string, private readonly key: string | number) {}
  toString(): string {
    return typeof this.key === 'number' ? `${String(this.parent)}[${this.key}]` : `${String(this.parent)}${this.key}`;
  }
}
type Where = string | Path;

type Check<T> = (v: unknown, path: Where) => T;

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

function fail(path: Where, what: string): never {
  const p = String(path);
  throw new Invalid(`${p || 'message'}: ${what}`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const str: Check<string> = (v, p) => {
  if (typeof v !== 'string') fail(p, 'expected a string');
  if (v.length > LIMITS.string) fail(p, 'string too long');
  return v;
};

const num: Check<number> = (v, p) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(p, 'expected a finite number');
  return v;
};

const nonNeg: Check<number> = (v, p) => {
  const n = num(v, p);
  if (n < 0) fail(p, 'expected a number >= 0');
  return n;
};

const unit: Check<number> = (v, p) => {
  const n = num(v, p);
  if (n < -1e-9 || n > 1 + 1e-9) fail(p, 'expected a number in 0..1');
  return n;
};

const bool: Check<boolean> = (v, p) => {
  if (typeof v !== 'boolean') fail(p, 'expected a boolean');
  return v;
};

function oneOf<T extends string>(values: readonly T[]): Check<T> {
  return (v, p) => {
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) fail(p, `expected one of ${values.join(', ')}`);
    return v as T;
  };
}

function nullable<T>(c: Check<T>): Check<T | null> {
  return (v, p) => (v === null ? null : c(v, p));
}

function arr<T>(c: Check<T>, max: number = LIMITS.array): Check<T[]> {
  return (v, p) => {
    if (!Array.isArray(v)) fail(p, 'expected an array');
    if (v.length > max) fail(p, `array longer than ${max}`);
    // Every index, holes included: a posted (structured-cloned) array can be sparse, and
    // `map` would pass its holes through unchecked for the views to trip over.
    const out: T[] = [];
    for (let i = 0; i < v.length; i++) out.push(c(v[i], new Path(p, i)));
    return out;
  };
}

/**
 * An array of numbers in lo..hi (the long series of a simulation): checked in one loop; the first
 * value that fails is checked again by `slow` for its message.
 */
function numbers(lo: number, hi: number, slow: Check<number>, max: number = LIMITS.array): Check<number[]> {
  return (v, p) => {
    if (!Array.isArray(v)) fail(p, 'expected an array');
    if (v.length > max) fail(p, `array longer than ${max}`);
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      // x - x is 0 only for finite numbers; holes and other types fail typeof.
      if (typeof x !== 'number' || x - x !== 0 || x < lo - 1e-9 || x > hi + 1e-9) slow(x, new Path(p, i));
      out[i] = x as number;
    }
    return out;
  };
}

/** A string-keyed record, rebuilt without a prototype so no key can reach Object.prototype. */
function record<T>(c: Check<T>): Check<Record<string, T>> {
  return (v, p) => {
    if (!isPlainObject(v)) fail(p, 'expected an object');
    const keys = Object.keys(v);
    if (keys.length > LIMITS.recordKeys) fail(p, 'too many keys');
    const out = Object.create(null) as Record<string, T>;
    for (const k of keys) {
      if (FORBIDDEN_KEYS.has(k)) fail(p, `forbidden key ${k}`);
      str(k, new Path(p, ' key'));
      out[k] = c(v[k], new Path(p, `.${k}`));
    }
    return out;
  };
}

type Shape = Record<string, Check<unknown>>;
type FromShape<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

/** An object with exactly the listed required fields checked; unknown fields are dropped. */
function obj<S extends Shape>(shape: S, optional: readonly (keyof S)[] = []): Check<FromShape<S>> {
  return (v, p) => {
    if (!isPlainObject(v)) fail(p, 'expected an object');
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) {
      if (!(key in v) || v[key] === undefined) {
        if (optional.includes(key)) continue;
        fail(`${p}.${key}`, 'missing');
      }
      out[key] = shape[key]!(v[key], new Path(p, `.${key}`));
    }
    return out as FromShape<S>;
  };
}

const cpuMemory = obj({ cpu: nonNeg, memory: nonNeg });
const placedReplica = obj({ container: str, replica: nonNeg });

/** A document of version 1 about a file (the placement, the facts) with these fields besides. */
const document1 = <S extends Shape>(fields: S) => obj({ version: oneOf(['1'] as const), file: str, ...fields });

const isDiagnosticCode = (s: string): s is DiagnosticCode => Object.hasOwn(DIAGNOSTIC_SEVERITY, s);
/** The simulator's codes: those of diagnostics.ts in T5xx (language section 4). */
const SIMULATION_CODES = Object.keys(DIAGNOSTIC_SEVERITY).filter(isDiagnosticCode).filter((c): c is Extract<DiagnosticCode, `T5${string}`> => c.startsWith('T5'));

const placement = document1({
  targets: arr(
    obj({
      target: str,
      kind: oneOf(['sds', 'rack', 'nodes'] as const),
      capacity: cpuMemory,
      allowance: cpuMemory,
      requested: cpuMemory,
      limited: cpuMemory,
      containers: arr(str),
      nodes: arr(
        obj({
          ref: str,
          role: oneOf(ROLES),
          capacity: cpuMemory,
          allowance: cpuMemory,
          requested: cpuMemory,
          limited: cpuMemory,
          replicas: arr(placedReplica),
        }),
      ),
      unplaced: arr(obj({ container: str, replica: nonNeg, reason: str })),
      headroom: obj({ failures: nonNeg, ok: bool, lost: arr(str) }),
    }),
  ),
});

const position = obj({ line: nonNeg, character: nonNeg });
const lineRange = obj({ start: position, end: position });
const severity = oneOf(['error', 'warning', 'information', 'hint'] as const);

const simulationBase = obj(
  {
    version: oneOf(['2'] as const),
    input: obj({
      file: str,
      seed: num,
      policy: oneOf(POLICIES),
      duration: nonNeg,
      tick: nonNeg,
      scenario: nullable(str),
      samples: nonNeg,
      exact: bool,
      accessRate: nonNeg,
    }),
    summary: obj({
      locality: unit,
      localityError: nonNeg,
      slowdown: nonNeg,
      slowdownError: nonNeg,
      stallSeconds: nonNeg,
      vcpuMigrations: nonNeg,
      chunkMigrations: nonNeg,
      replications: nonNeg,
      networkBytes: nonNeg,
      wallMillis: nonNeg,
      sampledAccesses: nonNeg,
      simulatedSeconds: nonNeg,
    }),
    containers: arr(
      obj(
        {
          name: str,
          replicas: nonNeg,
          target: str,
          locality: nullable(unit),
          localityError: nonNeg,
          slowdown: nullable(nonNeg),
          slowdownError: nonNeg,
          nodes: record(unit),
          vcpus: record(unit),
          memory: nonNeg,
        },
        ['memory', 'localityError', 'slowdownError'],
      ),
    ),
    nodes: arr(
      obj({
        ref: str,
        sds: nullable(str),
        cores: nonNeg,
        memory: nonNeg,
        cpuUtil: unit,
        memoryUsed: nonNeg,
        failed: bool,
      }),
    ),
    edges: arr(obj({ from: str, to: str, weight: nonNeg, locality: unit })),
    timeline: obj({
      t: numbers(-Infinity, Infinity, num, LIMITS.samples),
      locality: numbers(0, 1, unit, LIMITS.samples),
      vcpuMigrations: numbers(0, Infinity, nonNeg, LIMITS.samples),
      chunkMigrations: numbers(0, Infinity, nonNeg, LIMITS.samples),
      networkBytes: numbers(0, Infinity, nonNeg, LIMITS.samples),
    }),
    events: arr(
      obj({ t: num, kind: oneOf(EVENT_KINDS), target: str, absorbed: bool, reached: bool }, ['reached']),
    ),
    diagnostics: arr(
      obj({
        code: oneOf(SIMULATION_CODES),
        severity,
        message: str,
        subject: str,
        file: str,
        range: lineRange,
      }),
    ),
    nodeTimeline: arr(obj({ ref: str, cpuUtil: numbers(0, 1, unit, LIMITS.samples), memoryUsed: numbers(0, Infinity, nonNeg, LIMITS.samples) })),
    containerTimeline: arr(obj({ name: str, locality: numbers(0, 1, unit, LIMITS.samples) })),
  },
  ['nodeTimeline', 'containerTimeline'],
);

const simulation: Check<ReturnType<typeof simulationBase>> = (v, p) => {
  const s = simulationBase(v, p);
  const n = s.timeline.t.length;
  const tl = s.timeline;
  for (const k of ['locality', 'vcpuMigrations', 'chunkMigrations', 'networkBytes'] as const) {
    if (tl[k].length !== n) fail(`${p}.timeline.${k}`, `length ${tl[k].length} differs from t (${n})`);
  }
  for (let i = 1; i < n; i++) if (tl.t[i]! < tl.t[i - 1]!) fail(`${p}.timeline.t[${i}]`, 'times must not decrease');
  s.nodeTimeline?.forEach((row, i) => {
    if (row.cpuUtil.length !== n || row.memoryUsed.length !== n) fail(`${p}.nodeTimeline[${i}]`, `series length differs from timeline.t (${n})`);
  });
  s.containerTimeline?.forEach((row, i) => {
    if (row.locality.length !== n) fail(`${p}.containerTimeline[${i}]`, `series length differs from timeline.t (${n})`);
  });
  return s;
};

const results: Check<Record<string, ReturnType<typeof simulation>>> = (v, p) => {
  const r = record(simulation)(v, p);
  for (const k of Object.keys(r)) if (!(POLICIES as readonly string[]).includes(k)) fail(`${p}.${k}`, 'not a policy');
  return r;
};

const DIAGNOSTIC_CODE = /^T\d{3}$/;
const code: Check<DiagnosticCode> = (v, p) => {
  const s = str(v, p);
  if (!DIAGNOSTIC_CODE.test(s)) fail(p, 'expected a diagnostic code like T400');
  return s as DiagnosticCode;
};

const facts = document1({
  containers: arr(
    obj({
      name: str,
      image: nullable(str),
      replicas: nonNeg,
      request: cpuMemory,
      limit: cpuMemory,
      priority: oneOf(PRIORITIES),
      tenant: nullable(obj({ name: str, isolation: oneOf(['shared', 'vm', 'dedicated'] as const) })),
      talks: arr(obj({ to: str, weight: unit }), 10_000),
      io: arr(obj({ node: str, device: str, weight: unit }), 10_000),
      file: str,
      line: nonNeg,
    }, ['tenant']),
  ),
  diagnostics: arr(
    obj({
      code,
      severity,
      message: str,
      file: str,
      range: lineRange,
      subject: obj({ kind: oneOf(['container', 'node', 'sds', 'rack', 'scenario', 'defaults', 'file'] as const), name: str }),
    }),
  ),
});

const targetState = nullable(obj({ nodes: nonNeg, capacity: cpuMemory, requested: cpuMemory, unplaced: nonNeg }));
const prediction = nullable(obj({ locality: nullable(unit), localityError: nonNeg, slowdown: nullable(nonNeg), slowdownError: nonNeg }));
const diffDiagnostic = obj({ code, severity, file: str, range: lineRange, message: str });
const changes = obj({
  old: str,
  new: str,
  targets: arr(obj({ name: str, kind: oneOf(['rack', 'nodes', 'sds'] as const), before: targetState, after: targetState }), 10_000),
  diagnostics: obj({ gained: arr(diffDiagnostic, 10_000), lost: arr(diffDiagnostic, 10_000) }),
  moves: arr(obj({ container: str, replica: nonNeg, from: nullable(str), to: nullable(str) })),
  containers: arr(obj({ name: str, before: prediction, after: prediction, changed: bool }), 100_000),
});

const update = obj(
  {
    type: oneOf(['update'] as const),
    placement,
    simulation: nullable(simulation),
    results,
    scenarios: arr(str, 1000),
    source: obj({ file: str }),
    facts,
    reason: str,
    changes,
  },
  ['results', 'source', 'facts', 'reason', 'changes'],
);

const highlight = obj({ type: oneOf(['highlight'] as const), container: str });
const stale = obj({ type: oneOf(['stale'] as const), reason: str });

/** Checks an incoming message; returns a clean copy (no unknown fields, no prototypes) or why not. */
export function validateMessage(v: unknown): Checked<IncomingMessage> {
  try {
    if (!isPlainObject(v)) fail('', 'expected an object');
    switch (v.type) {
      case 'update':
        { const value: IncomingMessage = update(v, 'update'); return { ok: true, value }; }
      case 'highlight':
        return { ok: true, value: highlight(v, 'highlight') };
      case 'stale':
        return { ok: true, value: stale(v, 'stale') };
      default:
        return { ok: false, error: `unknown message type ${typeof v.type === 'string' ? JSON.stringify(v.type.slice(0, 40)) : typeof v.type}` };
    }
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    if (e instanceof RangeError) return { ok: false, error: 'message too deeply nested' };
    throw e;
  }
}
