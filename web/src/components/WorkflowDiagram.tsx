import { useQuery } from '@tanstack/react-query';
import { Alert, Grid, Skeleton } from 'antd';
import { useEffect, useId, useState } from 'react';
import { api, ok, type Schemas } from '../api/client';
import { messageOf } from '../lib/api-error';
import { highlightMermaid, localizeMermaid } from '../lib/workflow-diagram';

type Workflow = Schemas['WorkflowResponse'];
type WorkflowId = 'problem-item' | 'campaign';

interface Props {
  /** The record's `workflow.id`. */
  workflowId: WorkflowId | (string & {});
  /** Mermaid ids of the states to mark as current (see itemStateIds). */
  current?: string[];
}

let mermaidReady: Promise<typeof import('mermaid').default> | undefined;

/** Mermaid is large: loaded only when a diagram is shown, and configured once. */
function loadMermaid() {
  mermaidReady ??= import('mermaid').then(({ default: mermaid }) => {
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme: 'neutral',
      fontFamily: '-apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif',
    });
    return mermaid;
  });
  return mermaidReady;
}

/** Mermaid sizes the chart to its box (width 100%, max-width natural); phones would shrink it unreadably. */
function naturalSize(svg: string): string {
  const m = /max-width:\s*([\d.]+)px/.exec(svg);
  return m ? svg.replace(/width="100%"/, `width="${m[1]}"`) : svg;
}

/** A workflow's state chart (GET /api/workflows/{id}) in Chinese, with the record's current state marked. */
export function WorkflowDiagram({ workflowId, current = [] }: Props) {
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const domId = `wf-${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const workflow = useQuery({
    queryKey: ['workflow', workflowId],
    queryFn: () => ok(api.GET('/api/workflows/{id}', { params: { path: { id: workflowId as WorkflowId } } })) as Promise<Workflow>,
    staleTime: Infinity,
  });
  const [svg, setSvg] = useState<string>();
  const [error, setError] = useState<string>();
  const source = workflow.data ? highlightMermaid(localizeMermaid(workflow.data.mermaid), current) : undefined;

  useEffect(() => {
    if (!source) return;
    let cancelled = false;
    loadMermaid()
      .then((mermaid) => mermaid.render(domId, source))
      .then(({ svg }) => !cancelled && (setSvg(svg), setError(undefined)))
      .catch((e: unknown) => !cancelled && setError(messageOf(e)));
    return () => {
      cancelled = true;
    };
  }, [source, domId]);

  if (workflow.error) return <Alert type="error" showIcon title="流程图加载失败" description={messageOf(workflow.error)} />;
  if (error) return <Alert type="warning" showIcon title="流程图无法显示" description={error} />;
  if (!svg) return <Skeleton active paragraph={{ rows: 6 }} />;
  return (
    <div
      role="img"
      aria-label="流程图"
      data-testid="workflow-diagram"
      // On phones the chart keeps its natural size and scrolls inside its own box.
      style={{ overflow: 'auto', textAlign: 'center', maxWidth: '100%', ...(phone ? { maxHeight: '70vh' } : {}) }}
      dangerouslySetInnerHTML={{ __html: phone ? naturalSize(svg) : svg }}
    />
  );
}
