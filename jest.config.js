/**
 * Three projects: pure unit specs (machines, validators), the console's own
 * unit specs (web/jest.config.js), and e2e specs that boot the real AppModule
 * on PostgreSQL (TEST_DATABASE_URL) or embedded PGlite, browser specs included.
 *
 * e2e specs compile with the @nestjs/swagger CLI plugin, as `nest build` does,
 * so the OpenAPI document under test is the one the service serves. The plugin
 * needs the type checker: ts-jest compiles with a program (its language
 * service), not file by file as `isolatedModules` asks; `npm test`
 * type-checks everything before jest runs anyway.
 */
const swaggerPlugin = require('./nest-cli.json').compilerOptions.plugins.find((p) => p.name === '@nestjs/swagger');

const e2eTsJest = [
  'ts-jest',
  {
    tsconfig: { isolatedModules: false },
    astTransformers: { before: [{ path: '<rootDir>/test/swagger-transformer.js', options: swaggerPlugin.options }] },
  },
];

module.exports = {
  maxWorkers: 2,
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/{src,workflows}/**/*.spec.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
    },
    '<rootDir>/web/jest.config.js',
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform: { '^.+\\.ts$': e2eTsJest },
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
