/** Most nodes one range may name: beyond this a range is almost certainly a typo. */
export const MAX_RANGE_NODES = 10000;

/**
 * The names of a range `n1..n8`: both ends share a prefix and end in integers; leading zeros
 * are kept (`n01..n16` gives n01, n02, ..., n16).
 */
/** What a malformed range should have been, when that is certain: its ends swapped, or one name. */
export type RangeRewrite = { readonly first: string; readonly last: string } | { readonly single: string };

export function expandNameRange(first: string, last: string): { names: string[] } | { error: string; rewrite?: RangeRewrite } {
  const a = /^(.*?)(\d+)$/.exec(first);
  const b = /^(.*?)(\d+)$/.exec(last);
  if (!a || !b) return { error: 'both ends must end in a number, as in `n1..n8`' };
  if (a[1] !== b[1]) return { error: `both ends must share a prefix (\`${a[1]}\` and \`${b[1]}\`)` };
  const from = Number(a[2]);
  const to = Number(b[2]);
  if (to < from) {
    const rewrite = { first: first.replace(/\d+$/, b[2]), last: last.replace(/\d+$/, a[2]) };
    return { error: `the range runs backwards (${from} > ${to}): write \`${rewrite.first}..${rewrite.last}\``, rewrite };
  }
  if (to === from) return { error: `a range needs two different ends; for one node write \`${first}\``, rewrite: { single: first } };
  const count = to - from + 1;
  if (count > MAX_RANGE_NODES) return { error: `${count} nodes in one range is more than the ${MAX_RANGE_NODES} supported; split it or check the numbers` };
  const names: string[] = [];
  const name = namer(a[1], a[2]);
  for (let i = from; i <= to; i++) names.push(name(i));
  return { names };
}

/** The name numbered i in a range whose first name is `prefix` + `digits` (leading zeros kept). */
function namer(prefix: string, digits: string): (i: number) => string {
  const width = digits.length > 1 && digits.startsWith('0') ? digits.length : 0;
  return (i) => prefix + String(i).padStart(width, '0');
}

/**
 * The names a range starting at `first` runs through, in order, `first` included: the
 * possible ends of `first..END` after it (at most MAX_RANGE_NODES names; none when `first`
 * does not end in a number). Lets a caller walk the ends once instead of expanding each.
 */
export function* namesFrom(first: string): Generator<string> {
  const a = /^(.*?)(\d+)$/.exec(first);
  if (!a) return;
  const from = Number(a[2]);
  const name = namer(a[1], a[2]);
  for (let i = from; i < from + MAX_RANGE_NODES; i++) yield name(i);
}
