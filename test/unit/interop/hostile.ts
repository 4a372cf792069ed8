// Hostile inputs for the CLI's terminal output: files, file names, scenario names and YAML that
// carry terminal controls (CSI and OSC sequences, BEL, CR, DEL, C1 controls, bidirectional
// overrides) and binary garbage. Shared by the in-process test (test/unit/interop/terminal.test.ts)
// and the process test (test/protocol/cli-terminal.test.ts).
import { seeded } from '../../seeded';

/** Sequences a terminal acts on. */
export const PAYLOADS: readonly string[] = [
  '\x1b[31m', // SGR red
  '\x1b]0;pwned\x07', // OSC: set the window title, BEL-terminated
  '\x1b]8;;https://example.invalid\x1b\\link\x1b]8;;\x1b\\', // OSC 8 hyperlink, ST-terminated
  '\x1b[2J\x1b[H', // clear screen, cursor home
  '\x1bc', // full reset
  '\u009b31m', // C1 CSI
  '\u009d0;pwned\u009c', // C1 OSC ... ST
  '\x07', // BEL
  '\x08\x08\x08', // backspaces
  '\r', // carriage return: rewrites the line
  '\x0b\x0c', // VT, FF
  '\x00', // NUL
  '\x7f', // DEL
  '\u202eevil\u202c', // right-to-left override
  '\u2066x\u2069', // isolate
  '\t', // tab
];

/** What no text output of the CLI may hold: C0 controls but `\n`, DEL, C1, bidi overrides and isolates. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const FORBIDDEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The first forbidden character of a text with its context, or undefined. */
export function firstForbidden(text: string): string | undefined {
  const m = FORBIDDEN.exec(text);
  if (!m) return undefined;
  const at = m.index;
  return `U+${text.charCodeAt(at).toString(16).padStart(4, '0')} at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 40))}`;
}

/** Bytes of a raw output that a terminal would act on (checked on the bytes, before decoding). */
export function forbiddenBytes(out: Buffer): string | undefined {
  for (let i = 0; i < out.length; i++) {
    const b = out[i];
    if ((b < 0x20 && b !== 0x0a) || b === 0x7f) return `byte 0x${b.toString(16)} at ${i}: ${JSON.stringify(out.subarray(Math.max(0, i - 40), i + 40).toString('utf8'))}`;
  }
  return firstForbidden(out.toString('utf8'));
}

export interface HostileTopo {
  readonly name: string;
  readonly text: string | Buffer;
  /** A scenario the file declares (the decoded name), for `simulate --scenario`. */
  readonly scenario?: string;
}

/** A Topo string literal holding `s` raw, except the characters the lexer cannot hold (line breaks). */
function rawString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '')}"`;
}

/** `count` hostile .topo files from a seed: payloads in comments, strings, names and at random places; and binary garbage. */
export function hostileTopos(seed: number, count: number): HostileTopo[] {
  const rnd = seeded(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const out: HostileTopo[] = [];
  for (let k = 0; k < count; k++) {
    const p = (): string => pick(PAYLOADS);
    const scenario = `s${k}${p()}${rnd() < 0.5 ? '\t' : ''}${p()}`;
    const lines = [
      `rack r1 { node n1..n3 { cores 8 memory 32GiB } }`,
      `# ${p()} a comment ${p()}`,
      `container web { image ${rawString(`img${p()}`)} replicas 2 cpu 1 memory 1GiB place on r1 }`,
      `container api {\tcpu 1 memory 1GiB talks web place on r1 }`,
      `scenario ${rawString(scenario)} { at 1s fail r1.n1 }`,
    ];
    let text = lines.join('\n');
    const kind = k % 4;
    if (kind === 1) {
      // a payload at a random place: syntax errors whose echoed line holds it
      const at = Math.floor(rnd() * text.length);
      text = text.slice(0, at) + p() + text.slice(at);
    } else if (kind === 2) {
      // references that do not resolve, with payloads next to them
      text += `\ncontainer bad { cpu 1 memory 1GiB place on ${p()}nowhere${p()} }\ncontainer worse { cpu 1 memory 1GiB place on r1 colocate web${p()} }`;
    } else if (kind === 3) {
      // an import whose path holds payloads, and a string escape Topo knows (\t)
      text = `import "x${p()}.topo"\nimport "tab\\there.topo"\n${text}`;
    }
    out.push({ name: `h${k}.topo`, text: `${text}\n`, scenario: kind === 0 ? scenario : undefined });
  }
  // binary garbage: every byte value, then random bytes
  const bytes = Buffer.alloc(4096);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i < 256 ? i : Math.floor(rnd() * 256);
  out.push({ name: 'binary.topo', text: bytes });
  return out;
}

/** File names that carry payloads (the CLI prints them in every message). NUL and '/' cannot be in a name. */
export function hostileFileNames(): string[] {
  return ['name\x1b[31mred.topo', 'title\x1b]0;pwned\x07.topo', 'c1\u009b2J.topo', 'cr\rover.topo', 'bidi\u202etxt.topo', 'tab\there.topo'];
}

/** A Compose file with payloads in service names, images, keys and values. */
export function hostileCompose(): string {
  return [
    'services:',
    '  "we\\e[31mb":',
    '    image: "nginx\\e]0;pwned\\a"',
    '    deploy: { resources: { limits: { cpus: "0.5", memory: 256m } } }',
    '    "po\\x9brts": ["80:80"]',
    '    depends_on: ["d\\u202eb"]',
    '  "d\\u202eb":',
    '    image: "pg\\x7f"',
    '    environment: { PASS: "x\\e[2J\\r" }',
    '"top\\e[31m": {}',
    '',
  ].join('\n');
}

/** Kubernetes manifests with payloads in names, images, kinds, env values and unknown keys. */
export function hostileKubernetes(): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: { name: "we\\e[31mb" }',
    'spec:',
    '  replicas: 2',
    '  template:',
    '    metadata: { labels: { app: "a\\x9b" } }',
    '    spec:',
    '      containers:',
    '        - name: "c\\e]0;t\\a"',
    '          image: "img\\u202e"',
    '          "x\\ekey": 1',
    '          env: [{ name: A, value: "http://d\\rb:80" }]',
    '          resources: { requests: { cpu: "1", "gp\\eu": 1 } }',
    '---',
    'apiVersion: v1',
    'kind: "Wid\\e[2Jget"',
    'metadata: { name: "w\\x7f" }',
    '---',
    'apiVersion: v1',
    'kind: Node',
    'metadata: { name: "n\\e[31m1", labels: { topology.kubernetes.io/zone: "z\\x9b" } }',
    'status: { allocatable: { cpu: "8", memory: 32Gi } }',
    '',
  ].join('\n');
}
