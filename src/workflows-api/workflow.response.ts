/** The process definition a record runs on; stored with the record. */
export class WorkflowRefResponse {
  id!: string;
  version!: number;
}

export class WorkflowResponse {
  /** `problem-item` or `campaign`. */
  id!: string;
  version!: number;
  description!: string;
  /** Dotted paths of every state node, e.g. `rectifying.extension.requested`. */
  states!: string[];
  events!: string[];
  /** The state chart as a Mermaid `stateDiagram-v2`. */
  mermaid!: string;
}
