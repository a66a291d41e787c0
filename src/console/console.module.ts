import { DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppConfig } from '../config/app-config';

/** Every path but /api and /api/… gets index.html when no file matches (the console's own routes). */
const NOT_API = /^(?!\/api(?:\/|$))/;

/** Vite puts content-hashed files under assets/; everything else (index.html, sw.js, manifest) must be revalidated. */
const HASHED = /[\\/]assets[\\/]/;

/**
 * Serves the built web console (web/ → dist/web) at `/`. Non-API paths that are
 * not files fall back to index.html so the console's own routes load on reload;
 * `/api/*` is never served from here and keeps its JSON 404.
 */
@Module({})
export class ConsoleModule {
  static forRoot(config: AppConfig): DynamicModule {
    const root = resolve(config.WEB_DIR);
    // Without a built console (e.g. API-only tests before `npm run build:web`) the API still runs.
    if (!existsSync(join(root, 'index.html'))) return { module: ConsoleModule };
    return {
      module: ConsoleModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath: root,
          // Not `exclude`: serve-static's error handler turns every error on an excluded path into a 404,
          // so a malformed JSON body sent to the API would answer 404 instead of our 400.
          renderPath: NOT_API,
          serveStaticOptions: {
            index: false,
            fallthrough: true,
            setHeaders: (res: Response, path: string) => {
              res.setHeader('Cache-Control', HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
            },
          },
        }),
      ],
    };
  }
}
