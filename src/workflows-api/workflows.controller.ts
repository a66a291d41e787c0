import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { latest, listWorkflows } from '../../workflows';
import { DomainError } from '../common/errors/domain-error';
import { ErrorResponse } from '../common/errors/error.response';
import { mapWorkflow } from './workflow.mapper';
import { WorkflowResponse } from './workflow.response';

@ApiTags('workflows 流程定义')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Controller('workflows')
export class WorkflowsController {
  @ApiOperation({ summary: '流程定义（问题、专项行动）及其版本' })
  @ApiOkResponse({ type: [WorkflowResponse] })
  @Get()
  list(): WorkflowResponse[] {
    return listWorkflows().map(mapWorkflow);
  }

  @ApiOperation({ summary: '一个流程定义及其 Mermaid 状态图' })
  @ApiParam({ name: 'id', enum: Object.keys(latest) })
  @ApiOkResponse({ type: WorkflowResponse })
  @Get(':id')
  get(@Param('id') id: string): WorkflowResponse {
    const summary = listWorkflows().find((w) => w.id === id);
    if (!summary) throw DomainError.notFound('流程定义');
    return mapWorkflow(summary);
  }
}
