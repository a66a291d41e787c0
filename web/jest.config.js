/**
 * Unit specs for the console's own logic (pure modules under web/src: ID check,
 * offline queue, form mapping). Part of `npm test` through the root jest.config.js.
 */
module.exports = {
  displayName: 'web',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: {
    '^.+\\.tsx?$': [
      'ts-jest',
      {
        tsconfig: {
          target: 'ES2022',
          module: 'commonjs',
          moduleResolution: 'node10',
          jsx: 'react-jsx',
          strict: true,
          esModuleInterop: true,
          skipLibCheck: true,
          isolatedModules: true,
          lib: ['ES2023', 'DOM'],
          types: ['jest', 'node'],
        },
      },
    ],
  },
};
