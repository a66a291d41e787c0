import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { WorkflowRunner } from './workflow-runner';

/** The engine every signed lifecycle runs on (see WorkflowRunner). */
@Module({ imports: [SignaturesModule, NotificationsModule], providers: [WorkflowRunner], exports: [WorkflowRunner] })
export class WorkflowEngineModule {}
