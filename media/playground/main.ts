// The Topo playground page: monaco with the Topo language (language server in a web worker),
// the preview beside it fed by the simulator worker, examples, persistence and share links.
import { monaco } from './monaco';
import { LANGUAGE_ID, registerTopo } from './language';
import { startLsp, type LspClient } from './lsp';
import { filterFromHash, hashFor, loadStored, store, textFromHash } from './persist';
import { createPreview, type Preview } from '../preview/app';
import type { OutgoingMessage, Policy } from '../preview/messages';
import type { NameLocation, SimulateAnswer, SimulateRequest } from './simulatorProtocol';
import examples from 'topo-examples';
import '../preview/preview.css';
import './playground.css';

const FILE = '/playground/main.topo';
const DEFAULT_EXAMPLE = 'spec-example.topo';

interface PlaygroundState {
  readonly editor: ReturnType<typeof monaco.editor.create>;
  readonly monaco: typeof monaco;
  lsp: LspClient | null;
  /** Runs so far (answers whose `done` was true). */
  simulations: number;
}
declare global {
  interface Window {
    /** For tests driving the page (the same state the page uses). */
    topoPlayground?: PlaygroundState;
  }
}

const $ = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing from index.html`);
  return e as T;
};

const status = (text: string): void => {
  const e = $('status');
  e.textContent = text;
  e.title = text;
};

const serverState = (s: 'ready' | 'unavailable'): void => {
  const e = $('server-state');
  e.dataset.state = s;
  e.textContent = s === 'ready' ? 'server: ready' : 'server: unavailable';
};

/** The problems counter: errors and warnings of the last diagnostics publication. */
function showProblems(diagnostics: readonly { severity?: number }[]): void {
  const errors = diagnostics.filter((d) => d.severity === 1 || d.severity === undefined).length;
  const warnings = diagnostics.filter((d) => d.severity === 2).length;
  const b = $<HTMLButtonElement>('problems');
  b.hidden = false;
  b.replaceChildren();
  const part = (n: number, cls: string, word: string): HTMLSpanElement => {
    const s = document.createElement('span');
    s.className = cls;
    s.textContent = `${n} ${word}${n === 1 ? '' : 's'}`;
    return s;
  };
  if (!errors && !warnings) b.textContent = 'No problems';
  else b.append(part(errors, 'errors', 'error'), ' · ', part(warnings, 'warnings', 'warning'));
}

// ---- theme: follows prefers-color-scheme; monaco and the preview's variables together.
const dark = window.matchMedia('(prefers-color-scheme: dark)');
const applyTheme = (): void => {
  document.body.classList.toggle('vscode-dark', dark.matches);
  document.body.classList.toggle('vscode-light', !dark.matches);
  monaco.editor.setTheme(dark.matches ? 'topo-dark' : 'topo-light');
};

async function initialText(): Promise<string> {
  return (await textFromHash(location.hash)) ?? loadStored() ?? examples[DEFAULT_EXAMPLE] ?? Object.values(examples)[0] ?? '';
}

/** What the page's parts share: the editor, the simulation asked for, the preview's filter, the latest declarations. */
interface Page {
  readonly editor: ReturnType<typeof monaco.editor.create>;
  readonly model: ReturnType<typeof monaco.editor.createModel>;
  readonly state: PlaygroundState;
  selection: { scenario: string | null; policy: Policy | null };
  /** The preview's filter: it travels in the link with the text. */
  filter: string;
  persistTimer: number;
  declarations: SimulateAnswer['declarations'];
  /** Stores the text and puts it (with the filter) in the link. */
  persist(): Promise<void>;
  /** Persists a little after typing stops. */
  persistSoon(): void;
  runSimulation(): void;
}

function createEditor(text: string): { model: ReturnType<typeof monaco.editor.createModel>; editor: ReturnType<typeof monaco.editor.create> } {
  const model = monaco.editor.createModel(text, LANGUAGE_ID, monaco.Uri.file(FILE));
  const editor = monaco.editor.create($('editor'), {
    model,
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    tabSize: 2,
    insertSpaces: true,
    scrollBeyondLastLine: false,
    renderWhitespace: 'none',
    fixedOverflowWidgets: true,
    'semanticHighlighting.enabled': true,
    quickSuggestions: { other: true, comments: false, strings: false },
    // Suggestions come from the language server only, not from words of the text.
    wordBasedSuggestions: 'off',
  });
  return { model, editor };
}

/** The examples picker: picking one replaces the text (undoably) and simulates it. */
function wireExamples(page: Page, text: string): HTMLSelectElement {
  const { editor, model } = page;
  const picker = $<HTMLSelectElement>('examples');
  for (const name of Object.keys(examples)) picker.add(new Option(name.replace(/\.topo$/, ''), name));
  picker.value = Object.keys(examples).find((n) => examples[n] === text) ?? '';
  picker.addEventListener('change', () => {
    const t = examples[picker.value];
    if (t === undefined) return;
    editor.pushUndoStop();
    editor.executeEdits('example', [{ range: model.getFullModelRange(), text: t }]);
    editor.pushUndoStop();
    editor.setPosition({ lineNumber: 1, column: 1 });
    editor.revealLine(1);
    page.selection = { scenario: null, policy: null };
    page.runSimulation();
  });
  return picker;
}

/** Persistence (hash + localStorage, a little after typing stops) and the link's text and filter coming back. */
function wirePersistence(page: Page, picker: HTMLSelectElement, preview: Preview): void {
  const { model } = page;
  model.onDidChangeContent(() => {
    page.persistSoon();
    if (picker.value && examples[picker.value] !== model.getValue()) picker.value = '';
  });
  window.addEventListener('pagehide', () => store(model.getValue()));
  window.addEventListener('hashchange', () => {
    void textFromHash(location.hash).then((t) => {
      if (t !== null && t !== model.getValue()) model.setValue(t);
    });
    const f = filterFromHash(location.hash);
    if (f !== page.filter) {
      page.filter = f;
      preview.setFilter(f);
    }
  });
}

/** The toolbar: share, problems, format, run (and Ctrl/Cmd+S). */
function wireToolbar(page: Page): void {
  const { editor } = page;
  $('share').addEventListener('click', () => {
    clearTimeout(page.persistTimer);
    void page.persist().then(async () => {
      const url = location.href;
      const field = $<HTMLInputElement>('share-url');
      field.value = url;
      field.hidden = false;
      field.select();
      try {
        await navigator.clipboard.writeText(url);
        status('Link copied to the clipboard');
      } catch {
        status('Copy the link from the field');
      }
    });
  });
  $('problems').addEventListener('click', () => {
    editor.focus();
    void editor.getAction('editor.action.marker.next')?.run();
  });
  $('format').addEventListener('click', () => {
    void editor.getAction('editor.action.formatDocument')?.run();
  });
  $('run').addEventListener('click', () => page.runSimulation());
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => {
    void page.persist();
    page.runSimulation();
  });
  window.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's' && !editor.hasTextFocus()) {
      e.preventDefault();
      void page.persist();
      page.runSimulation();
    }
  });
}

function download(format: 'svg' | 'png' | 'csv', data: string): void {
  const a = document.createElement('a');
  const type = format === 'svg' ? 'image/svg+xml' : 'text/csv';
  a.href = format === 'png' ? data : URL.createObjectURL(new Blob([data], { type }));
  a.download = format === 'csv' ? 'topo-table.csv' : `topo-placement.${format}`;
  a.click();
  if (format !== 'png') setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** The preview beside the editor: its intents (reveal, simulate, export) act on the page. */
function openPreview(page: Page): Preview {
  const { editor, model } = page;
  const reveal = (at: NameLocation | undefined): void => {
    if (!at || at.file !== FILE || at.end > model.getValueLength()) return;
    const s = model.getPositionAt(at.start);
    const e = model.getPositionAt(at.end);
    const range = new monaco.Range(s.lineNumber, s.column, e.lineNumber, e.column);
    editor.setSelection(range);
    editor.revealRangeInCenterIfOutsideViewport(range);
    editor.focus();
  };
  return createPreview($('preview'), {
    initialFilter: page.filter,
    onStateChange: (s) => {
      if (s.filter === page.filter) return;
      page.filter = s.filter;
      page.persistSoon();
    },
    post: (msg: OutgoingMessage) => {
      if (msg.type === 'reveal') reveal(page.declarations[msg.kind][msg.name]);
      else if (msg.type === 'revealLine') {
        const line = Math.min(msg.line + 1, model.getLineCount());
        const pos = { lineNumber: line, column: Math.min(msg.character + 1, model.getLineMaxColumn(line)) };
        editor.setPosition(pos);
        editor.revealPositionInCenterIfOutsideViewport(pos);
        editor.focus();
      } else if (msg.type === 'simulate') {
        page.selection = { scenario: msg.scenario, policy: msg.policy };
        page.runSimulation();
      } else if (msg.type === 'export') download(msg.format, msg.data);
    },
  });
}

/** The simulator worker: each answer updates the preview and the status line. Returns the function that starts a run. */
function wireSimulator(page: Page, simulator: Worker, preview: Preview): () => void {
  let runId = 0;
  let answered = 0;
  let runStart = 0;
  simulator.onerror = (e) => {
    status(`The simulator worker failed: ${e.message}`);
  };
  simulator.onmessage = (e: MessageEvent<SimulateAnswer>) => {
    const a = e.data;
    if (a.type !== 'result' || a.id !== runId) return;
    page.declarations = a.declarations;
    if (a.placement) {
      preview.handle({
        type: 'update', placement: a.placement, simulation: a.simulation, results: a.results, scenarios: a.scenarios, source: { file: 'main.topo' }, facts: a.facts,
        ...(a.simulation ? {} : { reason: a.note ?? (a.errors ? 'the file has errors' : 'not simulated') }),
      });
    }
    const ms = Math.round(performance.now() - runStart);
    const problems = a.errors ? ` · ${a.errors} error${a.errors === 1 ? '' : 's'} in the file` : '';
    const what = `${page.selection.scenario ? `scenario ${page.selection.scenario}` : 'the base deployment'} (${a.policy})`;
    if (a.id !== answered) {
      // The first answer of a run: the asked scenario and policy.
      answered = a.id;
      page.state.simulations++;
      if (page.state.simulations === 1) performance.mark('topo-first-preview');
      document.body.dataset.simulations = String(page.state.simulations);
      status(a.note ? `Placed in ${ms} ms (${a.note})${problems}` : `Simulated ${what} in ${ms} ms${a.done ? '' : ', comparing policies…'}${problems}`);
    } else if (a.done && !a.note) {
      status(`Simulated ${what} in ${ms} ms, ${Object.keys(a.results).length} policies compared${problems}`);
    }
    if (a.done) document.body.dataset.compared = String(a.id);
  };
  return () => {
    runStart = performance.now();
    const req: SimulateRequest = { type: 'run', id: ++runId, text: page.model.getValue(), path: FILE, scenario: page.selection.scenario, policy: page.selection.policy, compare: true };
    status('Simulating…');
    simulator.postMessage(req);
  };
}

/** The container under the cursor is highlighted in the preview. */
function followCursor(page: Page, preview: Preview): void {
  const { editor, model } = page;
  editor.onDidChangeCursorPosition((e) => {
    const offset = model.getOffsetAt(e.position);
    const word = model.getWordAtPosition(e.position)?.word ?? '';
    const inName = Object.entries(page.declarations.container).find(([, at]) => at.start <= offset && offset <= at.end)?.[0];
    preview.handle({ type: 'highlight', container: inName ?? (page.declarations.container[word] ? word : '') });
  });
}

/** The language server in its worker: the page says whether it runs. */
async function startLanguageServer(page: Page, worker: Worker, workerFailed: Promise<never>): Promise<void> {
  try {
    const lsp = await Promise.race([startLsp(monaco, worker, page.model, { log: (m) => console.info(`[topo server] ${m}`), onDiagnostics: showProblems }), workerFailed]);
    page.state.lsp = lsp;
    document.body.dataset.lsp = 'ready';
    serverState('ready');
    await lsp.whenDiagnostics();
    document.body.dataset.diagnostics = 'ready';
    performance.mark('topo-first-diagnostics');
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    document.body.dataset.lsp = 'unavailable';
    document.body.dataset.lspError = why;
    serverState('unavailable');
    $('server-state').title = why;
    status(`The language server is unavailable: ${why}`);
  }
}

async function main(): Promise<void> {
  // The workers load and start while the editor is being created.
  const worker = new Worker(new URL('server.worker.js', document.baseURI), { name: 'topo-language-server' });
  const workerFailed = new Promise<never>((_, fail) => {
    worker.addEventListener('error', (e) => fail(new Error(e.message || 'the worker did not start')));
  });
  workerFailed.catch(() => undefined);
  const simulator = new Worker(new URL('simulator.worker.js', document.baseURI), { name: 'topo-simulator' });
  registerTopo(monaco);
  applyTheme();
  dark.addEventListener('change', applyTheme);

  const text = await initialText();
  const { model, editor } = createEditor(text);
  const state: PlaygroundState = { editor, monaco, lsp: null, simulations: 0 };
  window.topoPlayground = state;

  const page: Page = {
    editor, model, state,
    selection: { scenario: null, policy: null },
    filter: filterFromHash(location.hash),
    persistTimer: 0,
    declarations: { container: {}, node: {}, sds: {}, rack: {} },
    persist: () => {
      const t = model.getValue();
      store(t);
      return hashFor(t, page.filter).then((h) => history.replaceState(null, '', h));
    },
    persistSoon: () => {
      clearTimeout(page.persistTimer);
      page.persistTimer = window.setTimeout(() => void page.persist(), 250);
    },
    runSimulation: () => undefined,
  };
  const picker = wireExamples(page, text);
  wireToolbar(page);
  const preview = openPreview(page);
  wirePersistence(page, picker, preview);
  page.runSimulation = wireSimulator(page, simulator, preview);
  followCursor(page, preview);
  page.runSimulation();

  document.body.dataset.editor = 'ready';
  performance.mark('topo-editor-ready');
  await startLanguageServer(page, worker, workerFailed);
}

void main().catch((e: unknown) => {
  document.body.dataset.failed = 'true';
  status(`The playground failed to start: ${e instanceof Error ? e.message : String(e)}`);
  throw e;
});
