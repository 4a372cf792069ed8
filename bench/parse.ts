import { checkText } from '../server/src/core/check';
import { parseFile } from '../server/src/core/syntax/parser';
import { generateTopology } from './generate';

function best(runs: number, fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

/** Parse+bind throughput on a generated 100,000-line topology, next to JSON.parse of the same content. */
export async function benchParse(): Promise<string[]> {
  const { text, json } = generateTopology(100_000);
  const mb = text.length / 1e6;
  const jmb = json.length / 1e6;
  const check = checkText(text, '/bench/big.topo');
  const errors = check.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`generated topology has errors: ${errors[0].code} ${errors[0].message}`);
  const runs = 7;
  const tParse = best(runs, () => parseFile(text, '/bench/big.topo'));
  const tCheck = best(runs, () => checkText(text, '/bench/big.topo'));
  const tJson = best(runs, () => JSON.parse(json));
  const lines = text.split('\n').length;
  const parseBindMBs = mb / (tCheck / 1000);
  const jsonMBs = jmb / (tJson / 1000);
  return [
    `input: ${lines} lines, ${mb.toFixed(2)} MB .topo (${check.model.nodes.length} nodes, ${check.model.containers.length} containers); equivalent JSON ${jmb.toFixed(2)} MB`,
    `parse only:      ${tParse.toFixed(1)} ms  ${(mb / (tParse / 1000)).toFixed(1)} MB/s`,
    `parse+bind:      ${tCheck.toFixed(1)} ms  ${parseBindMBs.toFixed(1)} MB/s`,
    `JSON.parse:      ${tJson.toFixed(1)} ms  ${jsonMBs.toFixed(1)} MB/s`,
    `ratio (time per MB, parse+bind / JSON.parse): ${(jsonMBs / parseBindMBs).toFixed(2)}x  (aim: within 5x)`,
    `ratio (time per document): ${(tCheck / tJson).toFixed(2)}x`,
  ];
}
