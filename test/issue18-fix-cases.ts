// The quick fixes of issue 18, as data: the text, the code, the title of the fix, and the text
// after applying it. The core API test (test/unit/ide/quick-fixes.test.ts) and the language
// server test (test/protocol/issue18-fixes.test.ts) both run them.

export const RACK = 'rack r1 {\n  node n1..n4 { cores 32 memory 256GiB }\n}\n';

export interface FixCase { readonly name: string; readonly text: string; readonly code: string; readonly title: RegExp; readonly after: string }

export const FIX_CASES: readonly FixCase[] = [
  {
    name: 'T203 a backwards range reference is turned around',
    text: `${RACK}sds pod1 {\n  nodes r1.n4..n1\n}\n`, code: 'T203', title: /^Write `n1\.\.n4`$/,
    after: `${RACK}sds pod1 {\n  nodes r1.n1..n4\n}\n`,
  },
  {
    name: 'T203 a range of one node becomes the node',
    text: `${RACK}sds pod1 {\n  nodes r1.n2..r1.n2\n}\n`, code: 'T203', title: /^Write the one node `n2`$/,
    after: `${RACK}sds pod1 {\n  nodes r1.n2\n}\n`,
  },
  {
    name: 'T100 a node range written with brackets is written with `..`',
    text: 'rack r1 {\n  node n[1..4] { cores 32 memory 256GiB }\n}\n', code: 'T100', title: /^Write `n1\.\.n4`$/,
    after: RACK,
  },
  {
    name: 'T101 a one-line block is closed on its line',
    text: 'rack r1 {\n  node n1 { cores 8 memory 16GiB\n  node n2 { cores 8 memory 16GiB }\n}\n', code: 'T101', title: /^Close `node n1 \{`$/,
    after: 'rack r1 {\n  node n1 { cores 8 memory 16GiB }\n  node n2 { cores 8 memory 16GiB }\n}\n',
  },
  {
    name: 'T101 a block is closed before the next declaration, after a comment, at its indentation',
    text: 'rack r1 {\n  node n1 { cores 8 memory 16GiB }  # one node\n\ncontainer c {\n  cpu 1\n  memory 1GiB\n}\n', code: 'T101', title: /^Close `rack r1 \{`$/,
    after: 'rack r1 {\n  node n1 { cores 8 memory 16GiB }  # one node\n}\n\ncontainer c {\n  cpu 1\n  memory 1GiB\n}\n',
  },
  {
    name: 'T301 a unit of the wrong kind becomes the typical unit of the right kind',
    text: 'rack r1 {\n  latency 2GiB\n  node n1 { cores 8 memory 16GiB }\n}\n', code: 'T301', title: /^Change to 2us$/,
    after: 'rack r1 {\n  latency 2us\n  node n1 { cores 8 memory 16GiB }\n}\n',
  },
  {
    name: 'T303 a CPU request above its limit is lowered to the limit',
    text: `${RACK}container c {\n  cpu request 4 limit 2\n  memory 1GiB\n}\n`, code: 'T303', title: /^Lower the request to `2`$/,
    after: `${RACK}container c {\n  cpu request 2 limit 2\n  memory 1GiB\n}\n`,
  },
  {
    name: 'T303 or the limit is raised to the request, written as the request is',
    text: `${RACK}container c {\n  cpu 1\n  memory request 8GiB limit 4096MiB\n}\n`, code: 'T303', title: /^Raise the limit to `8GiB`$/,
    after: `${RACK}container c {\n  cpu 1\n  memory request 8GiB limit 8GiB\n}\n`,
  },
  {
    name: 'T302 an event after the end raises the duration',
    text: `${RACK}container web {\n  cpu 1\n  memory 1GiB\n}\nscenario s {\n  duration 20s\n  at 80s load web 50%\n}\n`, code: 'T302',
    title: /^Raise `duration` to `100s` \(20s after the event at 80s\)$/,
    after: `${RACK}container web {\n  cpu 1\n  memory 1GiB\n}\nscenario s {\n  duration 100s\n  at 80s load web 50%\n}\n`,
  },
  {
    name: 'T302 a scenario without a duration gets one',
    text: `${RACK}defaults {\n  duration 30s\n}\ncontainer web {\n  cpu 1\n  memory 1GiB\n}\nscenario s {\n  at 2min load web 50%\n}\n`, code: 'T302',
    title: /^Raise `duration` to `150s`/,
    after: `${RACK}defaults {\n  duration 30s\n}\ncontainer web {\n  cpu 1\n  memory 1GiB\n}\nscenario s {\n  at 2min load web 50%\n  duration 150s\n}\n`,
  },
];
