import type { BlockKind } from './ast';
import { CHILD_BLOCKS, PROPERTIES } from './schema';
import { didYouMean } from '../suggest';

/**
 * The T104 message for a word where a property of `block` was expected (`gpu 4` in a node):
 * the closest valid property, or all of them. The parser says it where a statement starts, the
 * binder where a word follows a complete property on its line (`memory 8GiB gpu 4`).
 */
export function unknownPropertyMessage(block: BlockKind, word: string): { message: string; suggestion?: string } {
  const valid = [...PROPERTIES[block].map((p) => p.name), ...(CHILD_BLOCKS[block] ?? [])];
  const { text: hint, suggestion } = didYouMean(word, valid);
  const article = /^[aeiou]/.test(block) ? 'an' : 'a';
  return { message: `unknown property \`${word}\` in ${article} ${block} block.${hint || ` Valid here: ${valid.join(', ')}.`}`, suggestion };
}
