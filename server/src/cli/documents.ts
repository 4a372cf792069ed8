// The versioned JSON documents the CLI prints. Each has a JSON Schema in schemas/ (shipped in
// the npm package), generated from the document's type below by `npm run schemas`
// (scripts/schemas.ts); test/unit/cli/schemas.test.ts fails when a schema is not what its type
// generates, and validates real outputs against it. Every document carries `$schema`, the
// address of its schema, and `version`.
//
// To add a document (`size`, `diff`): declare its type here (`{ $schema } & Result`),
// add a line to DOCUMENTS, print it with `documentJson(name, doc)`, run `npm run schemas` and
// commit the new schemas/NAME.vN.schema.json. A new version of a document is a new file name.
import { RESULT_VERSION, SIMULATION_VERSION, type PlacementResult, type SimulationResult } from '../core/result';
import type { Policy } from '../core/model/types';
import type { DiagnosticJson } from './diagnosticsOutput';
import type { SizeTarget } from '../core/sizing/index';

/** Where the schemas are published: the repository's schemas/ folder (the package has the same files in schemas/). */
export const SCHEMA_BASE_URL = 'https://raw.githubusercontent.com/topo-dev/topo/main/schemas/';

/** The version of the `topo check --format json` document. */
export const CHECK_VERSION = '1';

/** `topo check --format json`. */
export interface CheckDocument {
  /** The address of this document's JSON Schema. */
  readonly $schema: string;
  readonly version: typeof CHECK_VERSION;
  /** Every diagnostic of the files checked, each once (a file imported by several is checked once). */
  readonly diagnostics: readonly DiagnosticJson[];
}

/** `topo place --format json`: the placement result. */
export interface PlaceDocument extends PlacementResult {
  /** The address of this document's JSON Schema. */
  readonly $schema: string;
}

/** `topo simulate --format json`: the simulation result of ../shared/spec/simulator.md ("Outputs"). */
export interface SimulateDocument extends SimulationResult {
  /** The address of this document's JSON Schema. */
  readonly $schema: string;
}

/** The version of the `topo simulate --compare --format json` document. */
export const COMPARE_VERSION = '1';

/** `topo simulate --compare --format json`: one run per policy, each a simulation result (version 2). */
export interface CompareDocument {
  /** The address of this document's JSON Schema. */
  readonly $schema: string;
  readonly version: typeof COMPARE_VERSION;
  /** The policies in the order their slowdowns rank them, best first (ties in the order of POLICIES). */
  readonly ranking: readonly Policy[];
  /** The run of each policy. */
  readonly runs: Readonly<Record<Policy, SimulationResult>>;
}

/** The version of the `topo size --format json` document. */
export const SIZE_VERSION = '1';

/** `topo size --format json`: per target, the nodes it has and the fewest it needs. */
export interface SizeDocument {
  /** The address of this document's JSON Schema. */
  readonly $schema: string;
  readonly version: typeof SIZE_VERSION;
  /** Every rack, node set and SDS that containers are placed on, in order of first use. Money fields (`purchase`, `energy`, `total`) are present only where every node counted has a `price` (energy also needs every node's `power` and the defaults' `energy` price). */
  readonly targets: readonly SizeTarget[];
}

/** The version of the `topo diff --format json` document. */
export const DIFF_VERSION = '1';

export type { DiffTargetState, DiffTarget, DiffDiagnostic, DiffMove, DiffPrediction, DiffContainer } from '../core/diff';
import type { DiffResult } from '../core/diff';

/** `topo diff --format json`: what a change does. */
export interface DiffDocument extends DiffResult {
  /** The address of this document's JSON Schema. */
  readonly $schema: string;
  readonly version: typeof DIFF_VERSION;
}

/** The type of each document (its schema is generated from the type of the name in DOCUMENTS). */
interface DocumentTypes {
  readonly check: CheckDocument;
  readonly place: PlaceDocument;
  readonly simulate: SimulateDocument;
  readonly compare: CompareDocument;
  readonly size: SizeDocument;
  readonly diff: DiffDocument;
}

export type DocumentName = keyof DocumentTypes;

/** Every document: its version, the name of its type in this file and the command that prints it. */
export const DOCUMENTS = {
  check: { version: CHECK_VERSION, type: 'CheckDocument', command: 'topo check --format json' },
  place: { version: RESULT_VERSION, type: 'PlaceDocument', command: 'topo place --format json' },
  simulate: { version: SIMULATION_VERSION, type: 'SimulateDocument', command: 'topo simulate --format json' },
  compare: { version: COMPARE_VERSION, type: 'CompareDocument', command: 'topo simulate --compare --format json' },
  size: { version: SIZE_VERSION, type: 'SizeDocument', command: 'topo size --format json' },
  diff: { version: DIFF_VERSION, type: 'DiffDocument', command: 'topo diff --format json' },
} as const satisfies Record<DocumentName, { version: string; type: string; command: string }>;

/** The file name of a document's schema, in schemas/: `check.v1.schema.json`. */
export function schemaFileName(name: DocumentName): string {
  return `${name}.v${DOCUMENTS[name].version}.schema.json`;
}

export function schemaUrl(name: DocumentName): string {
  return `${SCHEMA_BASE_URL}${schemaFileName(name)}`;
}

/** The document with its `$schema` first. */
export function withSchema<T extends object>(name: DocumentName, doc: T): { readonly $schema: string } & T {
  return { $schema: schemaUrl(name), ...doc };
}

/** The document as the CLI prints it: `$schema` first, indented JSON, no raw control character. */
export function documentJson<N extends DocumentName>(name: N, doc: Omit<DocumentTypes[N], '$schema'>): string {
  return jsonText(withSchema(name, doc));
}

/**
 * A value as indented JSON that holds no raw control character: JSON.stringify escapes
 * U+0000-U+001F itself; DEL, C1 controls and bidirectional overrides become `\u007f` etc.
 */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
