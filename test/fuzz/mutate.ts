// Random byte and token mutation of the examples and fixtures (a seeded generator, so a seed
// gives the same inputs on every machine).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { lex } from '../../server/src/core/syntax/lexer';
import { PROPERTIES } from '../../server/src/core/syntax/schema';
import { WORKSPACE, type FuzzInput } from './invariants';

export const REPO = resolve(__dirname, '../..');

/** A seeded generator of floats in [0, 1) (xorshift128+ folded to 32 bits, seeded by splitmix32). */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next() | 1;
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** xoshiro128** step. */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  float(): number {
    return this.u32() / 4294967296;
  }

  int(n: number): number {
    return n <= 0 ? 0 : Math.floor(this.float() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function topoFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...topoFiles(p));
    else if (p.endsWith('.topo')) out.push(p);
  }
  return out;
}

export interface Corpus {
  /** Workspace paths of the files to mutate. */
  readonly paths: readonly string[];
  /** Every file of the corpus by workspace path (imports between fixtures resolve). */
  readonly files: Readonly<Record<string, string>>;
}

/** examples/*.topo and test/fixtures/**, mapped into the fuzz workspace under their repository paths. */
export function loadCorpus(): Corpus {
  const files: Record<string, string> = {};
  const paths: string[] = [];
  for (const f of [...topoFiles(join(REPO, 'examples')), ...topoFiles(join(REPO, 'test/fixtures'))]) {
    const p = `${WORKSPACE}/${relative(REPO, f).split('\\').join('/')}`;
    files[p] = readFileSync(f, 'utf8');
    paths.push(p);
  }
  return { paths, files };
}

const WORDS = [
  ...new Set(Object.values(PROPERTIES).flatMap((ps) => ps.map((p) => p.name))),
  'import', 'defaults', 'rack', 'fabric', 'sds', 'container', 'scenario', 'node', 'on', 'to', 'request', 'limit', 'weight',
  'fail', 'add', 'scale', 'locality', 'static', 'page', 'vcpu', 'cost', 'active', 'spare', 'nodes', 'racks', 'high', 'low',
];
const PUNCT = ['{', '}', '..', '.', ',', ';', '*', '"', '#', '-', '\\'];
// 1000000 is the most replicas the binder allows; 10000000 is out of range (T302).
const NUMBERS = ['0', '-1', '1', '2.5', '0.0001', '1.', '.5', '4Gi8B', '100000', '99999999999999999999999', '3', '1000000', '10000000', '1e9', '8GiB', '500m', '90%', '101%', '2us', '0s', '1PiB', '10PiB'];
const ODD = ['\u0000', '\u0007', '\u007f', '\r', '\t', '\u00a0', '\u2028', '\ufeff', '\u00e9', '\u{1F600}', '\ud800', '\udc00', '\u0301', 'Ω', '\\', '\\"', '\n\n\n', '\r\n'];

/** One mutation: byte-level (characters, slices) or token-level (delete, duplicate, replace, swap tokens). */
function mutateOnce(text: string, r: Rng): string {
  const len = text.length;
  const at = r.int(len + 1);
  const op = r.int(14);
  switch (op) {
    case 0: return text.slice(0, at) + text.slice(at + 1 + r.int(16)); // delete a run
    case 1: return text.slice(0, at) + r.pick(ODD) + text.slice(at); // an odd character
    case 2: return text.slice(0, at) + String.fromCharCode(r.int(0x10000)) + text.slice(at); // any code unit
    case 3: { // duplicate a slice somewhere
      const from = r.int(len);
      return text.slice(0, at) + text.slice(from, from + 1 + r.int(60)) + text.slice(at);
    }
    case 4: { // move a slice
      const from = r.int(len);
      const piece = text.slice(from, from + 1 + r.int(40));
      const rest = text.slice(0, from) + text.slice(from + piece.length);
      const to = r.int(rest.length + 1);
      return rest.slice(0, to) + piece + rest.slice(to);
    }
    case 5: return r.float() < 0.5 ? text.slice(0, at) : text.slice(at); // truncate either end
    default: return mutateTokens(text, r, op);
  }
}

function mutateTokens(text: string, r: Rng, op: number): string {
  const t = lex(text);
  if (t.count <= 1) return text + r.pick(WORDS);
  const i = r.int(t.count - 1);
  const s = t.start[i];
  const e = t.end[i];
  const tok = text.slice(s, e);
  switch (op) {
    case 6: return text.slice(0, s) + text.slice(e); // delete a token
    case 7: return `${text.slice(0, e)} ${tok}${text.slice(e)}`; // duplicate a token
    case 8: return text.slice(0, s) + r.pick(WORDS) + text.slice(e); // replace by a keyword
    case 9: return text.slice(0, s) + r.pick(NUMBERS) + text.slice(e); // replace by a number
    case 10: return `${text.slice(0, s)}${r.pick([...PUNCT, ...WORDS])} ${text.slice(s)}`; // insert a token
    case 11: { // replace by another token of the same text (names get mixed up)
      const j = r.int(t.count - 1);
      return text.slice(0, s) + text.slice(t.start[j], t.end[j]) + text.slice(e);
    }
    case 12: { // swap with the next token
      if (i + 2 >= t.count) return text;
      const s2 = t.start[i + 1];
      const e2 = t.end[i + 1];
      return text.slice(0, s) + text.slice(s2, e2) + text.slice(e, s2) + tok + text.slice(e2);
    }
    default: { // join with the previous line or break the line here
      const nl = text.lastIndexOf('\n', s);
      if (nl >= 0 && r.float() < 0.5) return `${text.slice(0, nl)} ${text.slice(nl + 1)}`;
      return `${text.slice(0, s)}\n${text.slice(s)}`;
    }
  }
}

/** A mutant of one corpus file with cursor offsets (some on token boundaries). */
export function mutant(corpus: Corpus, r: Rng): FuzzInput {
  const path = r.pick(corpus.paths);
  let text = corpus.files[path];
  const rounds = 1 + r.int(r.float() < 0.2 ? 24 : 6);
  for (let k = 0; k < rounds; k++) text = mutateOnce(text, r);
  const t = lex(text);
  const offsets: number[] = [];
  for (let k = 0; k < 6; k++) {
    if (k % 2 === 0 || t.count <= 1) offsets.push(r.int(text.length + 1));
    else {
      const i = r.int(t.count);
      offsets.push(r.float() < 0.5 ? t.start[i] : t.end[i]);
    }
  }
  const files: Record<string, string> = {};
  for (const [p, x] of Object.entries(corpus.files)) if (p !== path) files[p] = x;
  return { path, text, files, offsets };
}
