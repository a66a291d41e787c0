import type { ProblemTypeNode } from './campaign-preset.types';

/** One node of a problem-type tree, with where it sits in the tree. */
export interface FlatProblemType {
  code: string;
  name: string;
  /** Names from the top-level type down to this node, inclusive. */
  path: string[];
  /** Codes from the top-level type down to this node, inclusive. */
  codePath: string[];
  /** 0 for a top-level type. */
  depth: number;
  parentCode: string | null;
  isLeaf: boolean;
  node: ProblemTypeNode;
}

/** Every node of the tree, inner nodes and leaves, in document (pre-)order. */
export function flattenProblemTypes(nodes: readonly ProblemTypeNode[]): FlatProblemType[] {
  const out: FlatProblemType[] = [];
  const walk = (list: readonly ProblemTypeNode[], parent: FlatProblemType | null): void => {
    for (const node of list) {
      const isLeaf = !node.children || node.children.length === 0;
      const flat: FlatProblemType = {
        code: node.code,
        name: node.name,
        path: parent ? [...parent.path, node.name] : [node.name],
        codePath: parent ? [...parent.codePath, node.code] : [node.code],
        depth: parent ? parent.depth + 1 : 0,
        parentCode: parent ? parent.code : null,
        isLeaf,
        node,
      };
      out.push(flat);
      if (!isLeaf) walk(node.children!, flat);
    }
  };
  walk(nodes, null);
  return out;
}

// Spreadsheets mix full-width and ASCII quotes and stray spaces; none of them
// distinguishes one type from another.
const IGNORED_IN_LABELS = /[\s“”„‟"'‘’「」『』]/g;

function normalizeLabel(label: string): string {
  return label.normalize('NFKC').replace(IGNORED_IN_LABELS, '');
}

/**
 * The node whose code, name or one of whose aliases matches a label typed in a
 * ledger (e.g. “三保障”和饮水安全方面 → HQ-01), ignoring quotes and whitespace;
 * undefined when none does. The first match in document order wins.
 */
export function matchProblemType(nodes: readonly ProblemTypeNode[], label: string): FlatProblemType | undefined {
  const wanted = normalizeLabel(label);
  if (wanted === '') return undefined;
  return flattenProblemTypes(nodes).find(
    (flat) => flat.code === label.trim() || [flat.name, ...(flat.node.aliases ?? [])].some((candidate) => normalizeLabel(candidate) === wanted),
  );
}
