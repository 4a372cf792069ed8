import type { DiagnosticCode } from './diagnostics';
import type { BlockKind } from './syntax/ast';

/**
 * Where users read the language reference, `docs/language.md` of the repository. This is the one
 * place its address is written: the server's diagnostic links (LSP `codeDescription`) and the
 * hover links are built here, and a test checks that the walkthrough links to the same address
 * and that every anchor below exists in the document.
 *
 * Anchors are stable by construction: a code's section is headed `### T400` (anchor `#t400`), a
 * block's `## \`rack\`` (`#rack`), a property's `### rack \`latency\`` (`#rack-latency`).
 */
export const LANGUAGE_REFERENCE_URL = 'https://github.com/topo-dev/topo/blob/main/docs/language.md';

/** The reference entry of a diagnostic code: `…/language.md#t400`. */
export function codeReference(code: DiagnosticCode): string {
  return `${LANGUAGE_REFERENCE_URL}#${codeAnchor(code)}`;
}

/** The reference section of a block (or of `import`): `…/language.md#rack`. */
export function blockReference(block: BlockKind | 'import'): string {
  return `${LANGUAGE_REFERENCE_URL}#${block}`;
}

/** The reference entry of a property of a block: `…/language.md#rack-latency`. */
export function propertyReference(block: BlockKind, property: string): string {
  return `${LANGUAGE_REFERENCE_URL}#${propertyAnchor(block, property)}`;
}

export function codeAnchor(code: DiagnosticCode): string {
  return code.toLowerCase();
}

export function propertyAnchor(block: BlockKind, property: string): string {
  return `${block}-${property}`;
}
