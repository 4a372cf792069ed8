// Browser entry of the preview (dist/media/preview.js). In a VS Code webview it talks to the
// extension through acquireVsCodeApi(); in an iframe (playground) to its parent; opened on its
// own (standalone.html) it loads `?data=<same-origin JSON URL>` and answers its own requests.
import { createPreview, VIEWS, type Preview } from './app';
import type { OutgoingMessage, Post, SimulationResult } from './messages';
import type { ViewId } from './views/context';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;
declare global {
  interface Window {
    /** For tests and the benchmark driving the page (the same object the page uses). */
    topoPreview?: Preview;
  }
}

const vscode: VsCodeApi | null = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null;
const params = new URLSearchParams(location.search);
const embedded = !vscode && window.parent !== window;

const theme = params.get('theme');
if (!vscode && (theme === 'dark' || theme === 'light' || theme === 'high-contrast')) {
  document.body.classList.add(`vscode-${theme}`);
}

/** Standalone data: the last loaded document, so pickers can switch among its results. */
let bundle: Record<string, unknown> | null = null;

const post: Post = (msg: OutgoingMessage) => {
  if (vscode) return vscode.postMessage(msg);
  if (embedded) return window.parent.postMessage(msg, location.origin === 'null' ? '*' : location.origin);
  standaloneAnswer(msg);
};

// VS Code keeps the webview's state across reloads (the panel moved, VS Code restarted): the view,
// the filter and whether the problems list is open. Outside VS Code: ?view=, ?filter=.
const saved = vscode?.getState() as { view?: unknown; filter?: unknown; problems?: unknown } | undefined;
const initialView = VIEWS.some((v) => v.id === saved?.view) ? (saved!.view as ViewId) : (VIEWS.find((v) => v.id === params.get('view'))?.id ?? 'placement');
const initialFilter = typeof saved?.filter === 'string' ? saved.filter : params.get('filter') ?? '';

const root = document.getElementById('topo-preview-root') ?? document.body;
const preview = createPreview(root, {
  post,
  initialView,
  initialFilter,
  initialProblems: typeof saved?.problems === 'boolean' ? saved.problems : true,
  onStateChange: (state) => vscode?.setState(state),
});
// For tests and the benchmark driving the page (the same object the page uses).
window.topoPreview = preview;

window.addEventListener('message', (event: MessageEvent) => {
  // In VS Code the host posts to us; elsewhere only our own origin or our parent may.
  if (!vscode && event.origin !== location.origin && event.source !== window.parent) return;
  preview.handle(event.data);
});

function toUpdate(doc: Record<string, unknown>): unknown {
  return doc.type === 'update' ? doc : { type: 'update', scenarios: [], ...doc };
}

function standaloneAnswer(msg: OutgoingMessage): void {
  document.dispatchEvent(new CustomEvent('topo-preview-post', { detail: msg }));
  if (msg.type !== 'simulate' || !bundle) return;
  const results = bundle.results as Record<string, SimulationResult> | undefined;
  const r = results?.[msg.policy];
  if (r && r.input.scenario === msg.scenario) preview.handle(toUpdate({ ...bundle, simulation: r }));
  else console.info(`[topo preview] no stored result for policy ${msg.policy} and scenario ${msg.scenario ?? 'none'}`);
}

const dataUrl = params.get('data');
if (!vscode && dataUrl) {
  const url = new URL(dataUrl, location.href);
  if (url.origin !== location.origin) {
    console.warn('[topo preview] data must come from this origin');
  } else {
    void fetch(url)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${r.status} ${r.statusText}`))))
      .then((doc: unknown) => {
        if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
          bundle = doc as Record<string, unknown>;
          if (preview.handle(toUpdate(bundle))) document.body.dataset.loaded = 'true';
          else document.body.dataset.loaded = 'invalid';
        }
      })
      .catch((e: unknown) => {
        console.warn(`[topo preview] could not load ${url.pathname}: ${String(e)}`);
        document.body.dataset.loaded = 'error';
      });
  }
}

post({ type: 'ready' });
