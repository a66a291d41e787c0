import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { RequestContext } from './audit/request-context';
import { createValidationPipe } from './common/pipes/validation.pipe';

/** Everything main.ts and the e2e tests configure identically on the app. */
export function configureApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  app.use(helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"] } } }));
  app.use(RequestContext.middleware);
  app.useGlobalPipes(createValidationPipe());

  const doc = new DocumentBuilder()
    .setTitle('清零 qingling API')
    .setDescription('巩固拓展脱贫攻坚成果 排查、整改、提升、总结的工作流与责任追溯服务。所有错误返回 { statusCode, code, message, details }。')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
