// Two projects: React components run in jsdom, everything else (archive reader, stand-in,
// konnector, CLI) in plain Node, where streams, sockets and the file system are real.
// ts-jest in transpile-only mode also turns the ESM of cozy-ui and zip.js into CommonJS.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }]
const common = {
  transform: { '^.+\\.(ts|tsx|js|jsx|mjs)$': tsJest },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'jsx', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/build/', '/test/e2e/']
}
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'web',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/src/**/*.spec.tsx', '<rootDir>/move-wizard/**/*.spec.tsx'],
      setupFilesAfterEnv: ['<rootDir>/test/jest/setup-web.ts'],
      // cozy-ui ships ESM in transpiled/; let ts-jest/babel see it.
      transformIgnorePatterns: ['/node_modules/(?!(cozy-ui|twake-i18n|cozy-client|@zip.js)/)'],
      moduleNameMapper: {
        '^cozy-client$': 'cozy-client/dist/index.js',
        '\\.(css|styl)$': 'identity-obj-proxy',
        '\\.(svg|png|jpg)$': '<rootDir>/test/jest/file-mock.js'
      }
    },
    {
      ...common,
      displayName: 'node',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/**/*.spec.ts'],
      transformIgnorePatterns: ['/node_modules/(?!(@zip.js)/)']
    }
  ]
}
