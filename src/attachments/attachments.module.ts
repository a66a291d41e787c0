import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { memoryStorage } from 'multer';
import { AppConfig } from '../config/app-config';
import { OrgsModule } from '../orgs/orgs.module';
import { Attachment } from './attachment.entity';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';
import { FileStorage, LocalDiskStorage } from './file-storage';

@Module({
  imports: [
    TypeOrmModule.forFeature([Attachment]),
    OrgsModule,
    MulterModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        storage: memoryStorage(),
        // One file and nothing else: a text field, or a second file, is a 400 before anything is stored.
        limits: { fileSize: config.UPLOAD_MAX_MB * 1024 * 1024, files: 1, fields: 0, parts: 1, fieldNameSize: 100 },
      }),
    }),
  ],
  controllers: [AttachmentsController],
  providers: [AttachmentsService, { provide: FileStorage, inject: [AppConfig], useFactory: (c: AppConfig) => new LocalDiskStorage(c.UPLOAD_DIR) }],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
