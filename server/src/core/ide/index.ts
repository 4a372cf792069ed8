// The ide layer's public functions (see types.ts). Each feature lives in its own module.
export { codeActions } from './code-actions';
export { format, formatRange, applyEdits } from './format';
export { documentSymbols, foldingRanges } from './symbols';
export { completion } from './completion';
export { definition, references, documentHighlights, prepareRename, rename, renameTarget } from './references';
export { semanticTokens } from './semantic-tokens';
export { hover } from './hover';
export { workspaceSymbols } from './symbols';
export { selectionRanges } from './selection';
export { inlayHints } from './inlay-hints';
