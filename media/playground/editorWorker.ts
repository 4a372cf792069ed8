// monaco's editor worker (diffs, word-based helpers), as a bundled file for the page's CSP.
import 'monaco-editor/editor/editor.worker';
