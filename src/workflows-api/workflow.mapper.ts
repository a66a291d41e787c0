import { latestWorkflow, toMermaid, type WorkflowSummary } from '../../workflows';
import { WorkflowResponse } from './workflow.response';

/** A definition's summary with the state chart of its latest version. */
export function mapWorkflow(w: WorkflowSummary): WorkflowResponse {
  return { id: w.id, version: w.version, description: w.description, states: w.states, events: w.events, mermaid: toMermaid(latestWorkflow(w.id).machine) };
}
