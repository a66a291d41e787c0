import { Controller, Get, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiDefaultResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { SIGNING_ROLES } from '../auth/roles';
import { Roles } from '../common/decorators/roles.decorator';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ErrorResponse } from '../common/errors/error.response';
import { UuidParamPipe } from '../common/pipes/uuid.pipe';
import { AttachmentResponse } from './attachment.response';
import { AttachmentsService, mapAttachment, UploadedFileLike } from './attachments.service';

const EVIDENCE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];
const BINARY = { type: 'string', format: 'binary' } as const;

@ApiTags('attachments 佐证材料')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @ApiOperation({ summary: '上传佐证材料（JPEG/PNG/WebP/PDF），返回 id 与 SHA-256' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiCreatedResponse({ type: AttachmentResponse })
  @Post()
  @Roles(...SIGNING_ROLES)
  @UseInterceptors(FileInterceptor('file'))
  async upload(@CurrentUser() user: AuthUser, @UploadedFile() file: UploadedFileLike | undefined): Promise<AttachmentResponse> {
    return mapAttachment(await this.attachments.upload(user, file));
  }

  @ApiOperation({ summary: '下载佐证材料' })
  @ApiOkResponse({ description: '文件内容，类型为上传时识别的类型', content: Object.fromEntries(EVIDENCE_TYPES.map((t) => [t, { schema: BINARY }])) })
  @Get(':id')
  async download(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Res() res: Response): Promise<void> {
    const { row, data } = await this.attachments.findOrThrow(user, id);
    res.setHeader('content-type', row.mimeType);
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(row.filename)}`);
    res.send(data);
  }
}
