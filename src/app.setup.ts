import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { Express, NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { RequestContext } from './audit/request-context';
import { useBodyParsers } from './common/http/body-limits';
import { rejectUnsafeText, SafeTextPipe } from './common/http/safe-text';
import { createValidationPipe } from './common/pipes/validation.pipe';
import { AppConfig } from './config/app-config';
import { DOCS_PATHS, docsForLoggedInUsers } from './openapi/docs-access';

/** Everything main.ts and the e2e tests configure identically on the app. */
export function configureApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  const config = app.get(AppConfig);
  if (config.TRUST_PROXY) (app.getHttpAdapter().getInstance() as Express).set('trust proxy', trustProxyValue(config.TRUST_PROXY));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'", "'unsafe-inline'"],
          // evidence thumbnails are fetched with the access token and shown as blob: URLs
          'img-src': ["'self'", 'data:', 'blob:'],
          // counties often serve the console over plain http on an intranet address; upgrading would break it
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  // Every API answer may carry personal data (names, ID numbers, the ledger): no cache keeps a copy.
  app.use('/api', (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  useBodyParsers(app, config.JSON_BODY_MAX_KB);
  app.use(cookieParser());
  app.use('/api', rejectUnsafeText);
  app.use(RequestContext.middleware);
  app.useGlobalPipes(new SafeTextPipe(), createValidationPipe());
  if (config.NODE_ENV === 'production') app.use(DOCS_PATHS, docsForLoggedInUsers);

  const doc = new DocumentBuilder()
    .setTitle('清零 qingling API')
    .setDescription('巩固拓展脱贫攻坚成果 排查、整改、提升、总结的工作流与责任追溯服务。所有错误返回 { statusCode, code, message, details }。')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup(
    'api/docs',
    app,
    () => SwaggerModule.createDocument(app, doc, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` }),
    { jsonDocumentUrl: 'api/docs-json' },
  );
  return app;
}

/** `true`/`false`, a hop count, or Express's address list (`loopback`, `10.0.0.0/8`, …). */
function trustProxyValue(v: string): boolean | number | string {
  if (v === 'true' || v === 'false') return v === 'true';
  return /^\d+$/.test(v) ? Number(v) : v;
}
