/** Jest 30 + ts-jest 29 in ESM mode (TypeScript 5.9: TypeScript 7 has no transpileModule). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 60000,
  // One temporary directory per run, removed at its end (tests make hundreds).
  globalSetup: '<rootDir>/test/helpers/temp-setup.mjs',
  globalTeardown: '<rootDir>/test/helpers/temp-teardown.mjs',
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.cjs'],
};
