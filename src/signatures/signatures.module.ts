import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Signature } from './signature.entity';
import { SignaturesService } from './signatures.service';

@Module({ imports: [TypeOrmModule.forFeature([Signature])], providers: [SignaturesService], exports: [SignaturesService] })
export class SignaturesModule {}
