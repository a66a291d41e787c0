import { Controller, Get, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { UuidParamPipe } from '../common/pipes/uuid.pipe';
import { AttachmentsService, mapAttachment, UploadedFileLike } from './attachments.service';

@ApiTags('attachments 佐证材料')
@ApiBearerAuth()
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @ApiOperation({ summary: '上传佐证材料（JPEG/PNG/WebP/PDF），返回 id 与 SHA-256' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @Post()
  @UseInterceptors(FileInterceptor('file'))
  async upload(@CurrentUser() user: AuthUser, @UploadedFile() file: UploadedFileLike | undefined) {
    return mapAttachment(await this.attachments.upload(user, file));
  }

  @ApiOperation({ summary: '下载佐证材料' })
  @Get(':id')
  async download(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string, @Res() res: Response): Promise<void> {
    const { row, data } = await this.attachments.findOrThrow(user.countyId, id);
    res.setHeader('content-type', row.mimeType);
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(row.filename)}`);
    res.send(data);
  }
}
