import { Module } from '@nestjs/common';
import { UnitOfWork } from '../database/unit-of-work';
import { IdempotencyService } from './idempotency.service';

@Module({ providers: [IdempotencyService, UnitOfWork], exports: [IdempotencyService, UnitOfWork] })
export class IdempotencyModule {}
