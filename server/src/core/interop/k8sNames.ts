/**
 * Kubernetes names for Topo things, unique by construction. Topo names are case-sensitive
 * identifiers (`[A-Za-z_][A-Za-z0-9_-]*`); Kubernetes names are DNS-1123 labels (lower case,
 * digits and `-`, at most 63 characters) and label values (at most 63 characters of
 * `[A-Za-z0-9._-]`, starting and ending with a letter or digit). Two Topo names may map to
 * the same Kubernetes text (`Web` and `web`, `a_b` and `a-b`) and long ones must be cut: every
 * name that would be ambiguous, cut or altered beyond case gets a hash of the exact Topo name
 * as a suffix, so that two different things never share a name, a file or a selector value.
 */

/** FNV-1a (32 bits) of a string's UTF-16 code units, as 8 hex digits: short, stable, no dependency. */
export function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The readable DNS-1123 label of a text: lower case, other characters as `-`, no `-` at the ends. */
export function dnsText(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '');
}

const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** True when a text is a valid Kubernetes label value. */
export function isLabelValue(v: string): boolean {
  return v.length <= 63 && LABEL_VALUE.test(v);
}

export interface NameRequest {
  /** What the name stands for, exactly (the hash is of this): `rack:r1`, `node:r1.n3`. */
  readonly id: string;
  /** The readable text the name is made from. */
  readonly text: string;
}

/**
 * One name per request, pairwise distinct and distinct from `reserved`, at most `max`
 * characters. `form` makes the readable name (dnsText for DNS labels); a request keeps its
 * readable name when no other request (or reserved name) has the same one and it fits;
 * otherwise its name is the readable name cut to fit and `-<hash of id>`. The result does not
 * depend on the order of the requests.
 */
export function uniqueNames(requests: readonly NameRequest[], max: number, reserved: ReadonlySet<string> = new Set(), form: (text: string) => string = dnsText): Map<string, string> {
  const readable = new Map<string, string>();
  const count = new Map<string, number>();
  for (const r of requests) {
    const base = form(r.text);
    readable.set(r.id, base);
    count.set(base, (count.get(base) ?? 0) + 1);
  }
  const out = new Map<string, string>();
  const taken = new Set(reserved);
  const hashed: NameRequest[] = [];
  for (const r of requests) {
    const base = readable.get(r.id) ?? '';
    if (base !== '' && base.length <= max && count.get(base) === 1 && !reserved.has(base)) {
      out.set(r.id, base);
      taken.add(base);
    } else hashed.push(r);
  }
  // Sorted by id so that a hash collision (never seen; 32 bits) resolves the same way whatever the order.
  for (const r of [...hashed].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const stem = (readable.get(r.id) ?? '').slice(0, Math.max(0, max - 9)).replace(/[-_.]+$/, '');
    let name = stem ? `${stem}-${shortHash(r.id)}` : `x${shortHash(r.id)}`;
    for (let k = 2; taken.has(name); k++) name = `${stem.slice(0, Math.max(0, max - 9 - String(k).length - 1))}-${shortHash(`${r.id}#${k}`)}`;
    out.set(r.id, name);
    taken.add(name);
  }
  return out;
}

/** The readable label value of a text: as it is when valid, else its valid characters with the ends trimmed. */
export function labelText(raw: string): string {
  if (isLabelValue(raw)) return raw;
  return raw.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** Label values, unique and valid (`r1.n3` stays `r1.n3`; `_r.n1` becomes `r.n1` unless another value is `r.n1`). */
export function uniqueLabelValues(requests: readonly NameRequest[]): Map<string, string> {
  return uniqueNames(requests, 63, new Set(), labelText);
}
