// Whether the language has `spread nodes even` yet (branch placement, issue 15), for the import tests.
import { checkText } from '../../../server/src/core/check';

/**
 * True once the language has `spread nodes even` (branch placement, issue 15). Until then the
 * imported text is checked with ` even` taken off (a stricter spread), so that everything else
 * in it is still checked; after, exactly as imported.
 */
export const EVEN_SUPPORTED = !checkText('rack r { node n1..n2 { cores 4 memory 8GiB } }\ncontainer c { replicas 3 cpu 100m memory 64MiB spread nodes even place on r }\n').diagnostics.some((d) => d.severity === 'error');

/** The imported text as the check should see it (see EVEN_SUPPORTED). */
export function topo(text: string): string {
  return EVEN_SUPPORTED ? text : text.replace(/^( {2}spread (?:nodes|racks)) even$/gm, '$1');
}

