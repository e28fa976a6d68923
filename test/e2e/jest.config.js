// Browser tests: real Chromium driven by playwright-core against the built app.
const path = require('path')
module.exports = {
  rootDir: path.resolve(__dirname, '../..'),
  displayName: 'e2e',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }] },
  testTimeout: 120000
}
