import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiDefaultResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { SIGNING_ROLES } from '../auth/roles';
import { SignsWithGrant } from '../auth/signing-grant.guard';
import { isSignedItemEvent } from '../../workflows';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ApiIdempotencyKey, Idempotent } from '../common/decorators/idempotent-request.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { ErrorResponse } from '../common/errors/error.response';
import { UuidParamPipe } from '../common/pipes/uuid.pipe';
import type { IdempotentRequest } from '../idempotency/idempotency.service';
import { mapSignature } from '../signatures/signature.mapper';
import { ChainVerificationResponse, SignatureResponse } from '../signatures/signature.response';
import { ITEM_BATCH_EVENT_TYPES, ITEM_BATCH_MAX } from './dto/item-batch-events';
import {
  CreateItemDto,
  HouseholdLookupDto,
  InboxQuery,
  INBOX_NEXT_CURSOR,
  ItemBatchEventDto,
  ItemEventDto,
  ListItemsQuery,
  UpdateItemDto,
} from './dto/item.dto';
import type { ItemEventPayload } from './dto/item-event.payloads';
import { ItemBatchEventPipe, ItemEventPipe, type ItemBatchEvent } from './item-event.pipe';
import { CreatedItemResponse, DiscardedItemResponse, InboxItemResponse, ItemBatchResponse, ItemPageResponse, ItemWithActionsResponse } from './item.response';
import { ItemBatchService } from './item-batch.service';
import { ItemReadService } from './item-read.service';
import { ItemWriteService } from './item-write.service';
import { ReadsFromStandby } from '../database/standby-reads';

/** Signed events need the signing grant; unsigned ones (EDIT, WITHDRAW, DISCARD, REPORT_PROGRESS) do not. One grant serves a whole batch. */
const signsItemEvent = (req: Request): boolean => isSignedItemEvent((req.body as { type?: unknown } | undefined)?.type);

@ApiTags('items 问题')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@ApiExtraModels(ItemWithActionsResponse, DiscardedItemResponse)
@Controller()
export class ItemsController {
  constructor(
    private readonly reads: ItemReadService,
    private readonly writes: ItemWriteService,
    private readonly batches: ItemBatchService,
  ) {}

  @ApiOperation({ summary: '登记问题（草稿），登记人为排查人' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({
    type: CreatedItemResponse,
    description: '`duplicates`：同一专项行动中同一户（按身份证号码）同一问题类型尚未销号的问题（疑似重复，仍然登记）',
  })
  @Roles('investigator', 'department_staff')
  @Post('items')
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateItemDto, @Idempotent() req: IdempotentRequest): Promise<CreatedItemResponse> {
    return this.writes.create(user, dto, req);
  }

  @ApiOperation({ summary: '问题列表（按范围、专项行动、单位、状态、类型、超期、整改责任人、重新打开、关键词筛选；游标分页）' })
  @ApiOkResponse({ type: ItemPageResponse })
  @ReadsFromStandby()
  @Get('items')
  list(@CurrentUser() user: AuthUser, @Query() q: ListItemsQuery): Promise<ItemPageResponse> {
    return this.reads.listPage(user, q);
  }

  @ApiOperation({ summary: '按身份证号码查找一户的问题（号码放在请求体中，不进入 URL 与日志；只列出本人范围内的问题，查询记入审计）' })
  @ApiOkResponse({ type: [ItemWithActionsResponse] })
  @Roles('investigator', 'township_leader', 'county_office', 'department_staff', 'inspector')
  @HttpCode(200)
  @Post('items/household-lookup')
  householdLookup(@CurrentUser() user: AuthUser, @Body() dto: HouseholdLookupDto): Promise<ItemWithActionsResponse[]> {
    return this.reads.householdItems(user, dto);
  }

  @ApiOperation({
    summary: '待我处理：我现在可以操作的问题，整改时限最早的在前；每页 limit 条（默认 50），下一页用应答头 X-Next-Cursor 的值作 cursor',
  })
  @ApiOkResponse({
    type: [InboxItemResponse],
    headers: { 'X-Next-Cursor': { description: '下一页的 cursor；没有这个头表示已是最后一页', schema: { type: 'string' } } },
  })
  @ReadsFromStandby()
  @Get('inbox')
  async inbox(@CurrentUser() user: AuthUser, @Query() q: InboxQuery, @Res({ passthrough: true }) res: Response): Promise<InboxItemResponse[]> {
    const page = await this.reads.inboxView(user, q);
    if (page.nextCursor) res.setHeader(INBOX_NEXT_CURSOR, page.nextCursor);
    return page.items;
  }

  @ApiOperation({ summary: '问题详情，含当前用户可执行的操作 availableActions' })
  @ApiOkResponse({ type: ItemWithActionsResponse })
  @Get('items/:id')
  get(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string): Promise<ItemWithActionsResponse> {
    return this.reads.getOne(user, id);
  }

  @ApiOperation({ summary: '修改草稿或被退回的问题（排查人）' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: ItemWithActionsResponse })
  @Roles(...SIGNING_ROLES)
  @Patch('items/:id')
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParamPipe) id: string,
    @Body() dto: UpdateItemDto,
    @Idempotent() req: IdempotentRequest,
  ): Promise<ItemWithActionsResponse> {
    return this.writes.update(user, id, dto, req);
  }

  @ApiOperation({ summary: '对问题执行一个流程事件（提交、审核、退回、整改、验收、督查……），需要签字的事件写入签字链' })
  @ApiIdempotencyKey()
  @ApiOkResponse({
    description: '执行后的问题；草稿作废（DISCARD）时问题被删除，返回 deleted: true',
    schema: { oneOf: [{ $ref: getSchemaPath(ItemWithActionsResponse) }, { $ref: getSchemaPath(DiscardedItemResponse) }] },
  })
  @ApiBody({ type: ItemEventDto })
  @SignsWithGrant(signsItemEvent)
  @Roles(...SIGNING_ROLES)
  @Post('items/:id/events')
  @HttpCode(200)
  event(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParamPipe) id: string,
    @Body(ItemEventPipe) event: ItemEventPayload,
    @Idempotent() req: IdempotentRequest,
  ): Promise<ItemWithActionsResponse | DiscardedItemResponse> {
    return this.writes.applyEvent(user, id, event, req);
  }

  @ApiOperation({
    summary: '批量审批：对多个问题执行同一个流程事件（同样的字段），每个问题单独签字、单独提交',
    description:
      `可批量执行：${ITEM_BATCH_EVENT_TYPES.join('、')}；itemIds 1–${ITEM_BATCH_MAX} 个且不重复。` +
      '返回 200，results 按请求顺序列出每个问题的结果：成功为 { itemId, status: 200, item }，失败为 { itemId, status, error }（与单独执行该事件时的错误相同）。' +
      '整批在一个 Idempotency-Key 下幂等：重试返回第一次的结果，不再签字。',
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: ItemBatchResponse })
  @ApiBody({ type: ItemBatchEventDto })
  @SignsWithGrant(signsItemEvent)
  @Roles(...SIGNING_ROLES)
  @Post('items/batch-events')
  @HttpCode(200)
  batchEvent(@CurrentUser() user: AuthUser, @Body(ItemBatchEventPipe) batch: ItemBatchEvent, @Idempotent() req: IdempotentRequest): Promise<ItemBatchResponse> {
    return this.batches.apply(user, batch, req);
  }

  @ApiOperation({ summary: '问题的签字链：谁排查、谁审核、谁整改、谁验收、谁督查' })
  @ApiOkResponse({ type: [SignatureResponse] })
  @Get('items/:id/signatures')
  async signatures(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string): Promise<SignatureResponse[]> {
    return (await this.reads.signatureChain(user, id)).map(mapSignature);
  }

  @ApiOperation({ summary: '重新计算签字链的哈希，指出第一个断开的环节' })
  @ApiOkResponse({ type: ChainVerificationResponse })
  @Get('items/:id/signatures/verify')
  verify(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string): Promise<ChainVerificationResponse> {
    return this.reads.verifyChain(user, id);
  }
}
