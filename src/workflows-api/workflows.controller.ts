import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { latestWorkflow, listWorkflows, toMermaid, UnknownWorkflowError } from '../../workflows';
import { DomainError } from '../common/errors/domain-error';

@ApiTags('workflows 流程定义')
@ApiBearerAuth()
@Controller('workflows')
export class WorkflowsController {
  @ApiOperation({ summary: '流程定义（问题、专项行动）及其版本' })
  @Get()
  list() {
    return listWorkflows().map((w) => ({ ...w, mermaid: toMermaid(latestWorkflow(w.id).machine) }));
  }

  @ApiOperation({ summary: '一个流程定义及其 Mermaid 状态图' })
  @Get(':id')
  get(@Param('id') id: string) {
    try {
      const def = latestWorkflow(id);
      const summary = listWorkflows().find((w) => w.id === id)!;
      return { ...summary, mermaid: toMermaid(def.machine) };
    } catch (e) {
      if (e instanceof UnknownWorkflowError) throw DomainError.notFound('流程定义');
      throw e;
    }
  }
}
