import type { Connection } from 'vscode-languageserver';
import type * as lsp from 'vscode-languageserver-protocol';
import type { CheckResult } from '../core/check';
import { programFacts, type ProgramFacts } from '../core/facts';
import type { Policy } from '../core/model/types';
import { SimulateRequest, SimulationResultNotification, type SimulateParams, type SimulationPayload, type SimulationResultParams } from '../core/protocol';
import type { SimulationResult } from '../core/result';
import { POLICIES } from '../core/syntax/schema';
import { simulationDiagnostic } from './convert';
import type { ServerEnv, SimulationOutcome } from './env';
import type { OpenDocument, Workspace } from './workspace';

const HAS_ERRORS = 'the file has errors: fix them to simulate';

interface RunRequest {
  readonly scenario: string | null;
  readonly all: boolean;
  readonly policy?: Policy;
  readonly seed?: number;
}

/** The one place a simulation's answer is built (the topo/simulate response and the topo/simulationResult notification). */
function payload(check: CheckResult, facts: ProgramFacts, outcome: SimulationOutcome | null): SimulationPayload {
  return outcome
    ? { result: outcome.result, placement: outcome.placement, facts }
    : { result: null, placement: check.placement, facts, reason: HAS_ERRORS };
}

/** A `topo/simulate` request's params, from the wire: anything malformed is left out (as if not given). */
function readSimulateParams(raw: unknown): SimulateParams {
  const p = (raw ?? {}) as Record<string, unknown>;
  return {
    uri: typeof p.uri === 'string' ? p.uri : '',
    ...(typeof p.scenario === 'string' && p.scenario ? { scenario: p.scenario } : {}),
    ...(typeof p.policy === 'string' && (POLICIES as readonly string[]).includes(p.policy) ? { policy: p.policy as Policy } : {}),
    ...(typeof p.seed === 'number' && Number.isInteger(p.seed) && p.seed >= 0 ? { seed: p.seed } : {}),
  };
}

function locality(result: SimulationResult, container: string): number {
  return result.containers.find((c) => c.name === container)?.locality ?? 0;
}

/** Simulations of open documents: on save (all runs, notified) and on request (one run, answered). */
export class Simulations {
  constructor(private readonly connection: Connection, private readonly ws: Workspace, private readonly env: ServerEnv) {}

  private notify(o: OpenDocument, p: SimulationPayload): void {
    const params: SimulationResultParams = { uri: o.doc.uri, ...p };
    void this.connection.sendNotification(SimulationResultNotification.method, params);
  }

  /** The run's T5xx for Problems; none when the file was edited since (the ranges are the simulated text's). */
  private problems(o: OpenDocument, r: SimulationResult, edited: boolean): lsp.Diagnostic[] {
    // A `topo.localityThreshold` setting can only quieten T500s below the file's own threshold.
    const threshold = this.ws.settings.localityThreshold;
    return edited ? [] : r.diagnostics
      .filter((d) => d.file === o.path && (threshold === null || d.code !== 'T500' || locality(r, d.subject) < threshold))
      .map((d) => simulationDiagnostic(d, this.ws.uris));
  }

  /** Simulates the document; null when it has errors or the run was cancelled. A save's run (`all`) is notified. */
  async run(o: OpenDocument, req: RunRequest): Promise<(SimulationOutcome & { readonly facts: ProgramFacts }) | null> {
    const check = this.ws.checkOf(o);
    // The facts the results do not carry (images, requests, talks, io, the check's diagnostics), of the simulated text.
    const facts = programFacts(check);
    if (check.diagnostics.some((d) => d.severity === 'error')) {
      this.notify(o, payload(check, facts, null));
      return null;
    }
    if (req.all && o.run) o.run.signal.cancelled = true; // a newer save cancels the older run
    const signal = { cancelled: false };
    if (req.all) o.run = { signal };
    const progress = await this.connection.window.createWorkDoneProgress();
    progress.begin('Topo: simulating', 0, o.path.slice(o.path.lastIndexOf('/') + 1), true);
    progress.token.onCancellationRequested(() => { signal.cancelled = true; });
    try {
      const simulatedVersion = o.doc.version; // the text the overlay below carries
      const outcome = await this.env.simulate(
        {
          root: o.path, overlay: [...this.ws.overlay()], workspaceRoot: this.ws.rootFor(o), virtualRoots: this.ws.uris.virtualRoots(),
          scenario: req.scenario, all: req.all, policy: req.policy, defaultPolicy: this.ws.settings.defaultPolicy ?? undefined, seed: req.seed, budgetMs: this.ws.settings.maxMillis,
        },
        signal,
        (f, message) => progress.report(Math.round(f * 100), message),
      );
      if (signal.cancelled) return null;
      const edited = o.doc.version !== simulatedVersion;
      if (req.all) {
        o.simulation = outcome.result;
        o.simulationDiagnostics = new Map(outcome.runs.map((r) => [r.input.scenario, this.problems(o, r, edited)]));
      } else {
        // Whoever asked for the run, its T5xx are in Problems like those of a save.
        o.simulationDiagnostics.set(outcome.result.input.scenario, this.problems(o, outcome.result, edited));
      }
      if (this.ws.open.get(o.doc.uri) === o) this.ws.publish(o);
      if (req.all) this.notify(o, payload(check, facts, outcome));
      return { ...outcome, facts };
    } finally {
      progress.done();
      if (o.run?.signal === signal) o.run = undefined;
    }
  }

  /** topo/simulate: one run of an open document, answered with its payload. */
  register(): void {
    this.connection.onRequest(SimulateRequest.method, async (raw: unknown): Promise<SimulationPayload> => {
      const p = readSimulateParams(raw);
      const o = this.ws.open.get(p.uri);
      if (!o) throw new Error(`topo/simulate: ${p.uri || 'no uri given'} is not an open document`);
      const scenario = p.scenario ?? null;
      if (scenario && !this.ws.checkOf(o).model.scenarios.some((s) => s.name === scenario)) throw new Error(`topo/simulate: no scenario named "${scenario}" in ${o.path}`);
      const outcome = await this.run(o, { scenario, all: false, policy: p.policy, seed: p.seed });
      if (outcome) return payload(this.ws.checkOf(o), outcome.facts, outcome);
      const check = this.ws.checkOf(o);
      return payload(check, programFacts(check), null);
    });
  }
}
