/** Valid declarations until the text is at least `bytes` long: racks of four nodes, each with a container placed on it. */
export function validFile(bytes: number): { text: string; racks: number } {
  const parts: string[] = [];
  let size = 0;
  let racks = 0;
  while (size < bytes) {
    const block = `rack r${racks} {\n  node n1..n4 { cores 32 memory 256GiB }\n}\ncontainer c${racks} {\n  cpu 1\n  memory 1GiB\n  place on r${racks}\n}\n`;
    parts.push(block);
    size += block.length;
    racks++;
  }
  return { text: parts.join(''), racks };
}
