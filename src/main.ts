import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { loadConfig } from './config/app-config';
import { openDatabase } from './database/embedded-postgres';

async function bootstrap(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfig(process.env);
  const db = await openDatabase(config.DATABASE_URL, config.PGLITE_DATA_DIR);
  const app = configureApp(await NestFactory.create(AppModule.forRoot(config, db.url), { bufferLogs: true }));
  const shutdown = async (): Promise<void> => {
    await app.close();
    await db.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown).once('SIGTERM', shutdown);
  await app.listen(config.PORT, '0.0.0.0');
  const where = config.embedded ? `embedded PGlite (${config.PGLITE_DATA_DIR})` : 'PostgreSQL';
  console.log(`qingling ready on http://localhost:${config.PORT}/api (docs /api/docs) on ${where} in ${Date.now() - startedAt} ms`);
}

bootstrap().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
