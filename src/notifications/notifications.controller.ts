import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiDefaultResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParamPipe } from '../common/pipes/uuid.pipe';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ErrorResponse } from '../common/errors/error.response';
import { mapNotification } from './notification.mapper';
import { NotificationResponse, UnreadCountResponse } from './notification.response';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications 消息')
@ApiBearerAuth()
@ApiDefaultResponse({ type: ErrorResponse })
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @ApiOperation({ summary: '我的消息（最近 100 条）' })
  @ApiOkResponse({ type: [NotificationResponse] })
  @Get()
  async list(@CurrentUser() user: AuthUser): Promise<NotificationResponse[]> {
    return (await this.notifications.list(user)).map(mapNotification);
  }

  @ApiOperation({ summary: '未读消息数（消息铃铛）' })
  @ApiOkResponse({ type: UnreadCountResponse })
  @Get('unread-count')
  async unreadCount(@CurrentUser() user: AuthUser): Promise<UnreadCountResponse> {
    return { unread: await this.notifications.unreadCount(user) };
  }

  @ApiOperation({ summary: '标记一条消息为已读' })
  @ApiNoContentResponse({ description: '已标记' })
  @Post(':id/read')
  @HttpCode(204)
  async markRead(@CurrentUser() user: AuthUser, @Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.notifications.markRead(user, id);
  }

  @ApiOperation({ summary: '全部标为已读' })
  @ApiNoContentResponse({ description: '已标记' })
  @Post('read-all')
  @HttpCode(204)
  async markAllRead(@CurrentUser() user: AuthUser): Promise<void> {
    await this.notifications.markAllRead(user);
  }
}
