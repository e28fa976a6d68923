// Builds the two installable bundles: the webapp (build/app) and the konnector
// (build/konnectors/ent-import), each with its manifest, locales and icon beside it.
const path = require('path')
const webpack = require('webpack')
const HtmlWebpackPlugin = require('html-webpack-plugin')
const MiniCssExtractPlugin = require('mini-css-extract-plugin')
const CopyPlugin = require('copy-webpack-plugin')

const root = __dirname
// Read by scripts/bundle-budget.ts; kept out of build/app so that it is not installed with the app.
const statsDir = path.join(root, 'build/stats')

/** Writes what the bundle budget needs (entry points, assets and whether Terser ran on them) as build/stats/<name>.json. */
class BudgetStatsPlugin {
  apply(compiler) {
    compiler.hooks.done.tap('BudgetStatsPlugin', stats => {
      const json = stats.toJson({ all: false, entrypoints: true, assets: true, cachedAssets: true, outputPath: true })
      const assets = json.assets.map(({ name, size, chunkNames, info }) => ({
        name,
        size,
        chunkNames,
        minimized: Boolean(info.minimized)
      }))
      const entrypoints = Object.fromEntries(
        Object.entries(json.entrypoints).map(([name, entry]) => [name, entry.assets.map(asset => asset.name)])
      )
      const report = { name: compiler.options.name, mode: compiler.options.mode, outputPath: json.outputPath, entrypoints, assets }
      require('fs').mkdirSync(statsDir, { recursive: true })
      require('fs').writeFileSync(path.join(statsDir, `${compiler.options.name}.json`), JSON.stringify(report, null, 2))
    })
  }
}
const tsRule = {
  test: /\.tsx?$/,
  exclude: /node_modules/,
  use: {
    loader: 'ts-loader',
    // Type errors are caught by `npm run typecheck`; the build only transpiles.
    options: { transpileOnly: true, compilerOptions: { module: 'es2020', noEmit: false } }
  }
}

const app = (_env, argv) => ({
  name: 'app',
  target: 'web',
  entry: { app: path.join(root, 'src/targets/browser/index.tsx') },
  output: {
    path: path.join(root, 'build/app'),
    filename: '[name].[contenthash:8].js',
    // build/app/services/ is written by the `services` config below.
    clean: { keep: /^services\// }
  },
  devtool: argv.mode === 'production' ? false : 'eval-cheap-module-source-map',
  resolve: {
    extensions: ['.tsx', '.ts', '.js', '.jsx', '.json'],
    // twake-i18n formats dates in en, fr and es only, but imports every date-fns locale (about 1 MB).
    alias: { 'date-fns/locale$': path.join(root, 'src/targets/browser/date-fns-locales.ts') },
    fallback: { path: false, fs: false, os: false, crypto: false, stream: false, url: false }
  },
  module: {
    rules: [
      tsRule,
      { test: /\.css$/, use: [MiniCssExtractPlugin.loader, 'css-loader'] },
      { test: /\.(png|jpe?g|gif|woff2?|ttf|eot)$/, type: 'asset/resource' },
      { test: /\.svg$/, type: 'asset/inline' }
    ]
  },
  performance: { hints: false },
  plugins: [
    new BudgetStatsPlugin(),
    new webpack.DefinePlugin({
      // cozy-logger reads process.env.LOG_LEVEL without checking that process exists.
      'process.env.LOG_LEVEL': JSON.stringify('info'),
      'process.env.NODE_ENV': JSON.stringify(argv.mode || 'production'),
      __DEV__: JSON.stringify(argv.mode !== 'production')
    }),
    new webpack.ProvidePlugin({ process: require.resolve('./src/targets/browser/process-shim.js') }),
    new MiniCssExtractPlugin({ filename: '[name].[contenthash:8].css' }),
    new HtmlWebpackPlugin({
      template: path.join(root, 'src/targets/browser/index.ejs'),
      filename: 'index.html',
      inject: 'body',
      minify: false
    }),
    new CopyPlugin({
      patterns: [
        { from: path.join(root, 'manifest.webapp'), to: 'manifest.webapp' },
        { from: path.join(root, 'locales'), to: 'locales' },
        { from: path.join(root, 'assets/icon.svg'), to: 'icon.svg' },
        { from: path.join(root, 'README.md'), to: 'README.md' }
      ]
    })
  ]
})

const konnector = (_env, argv) => ({
  name: 'konnector',
  target: 'node20',
  entry: { index: path.join(root, 'konnectors/ent-import/src/index.ts') },
  output: {
    path: path.join(root, 'build/konnectors/ent-import'),
    filename: '[name].js',
    libraryTarget: 'commonjs2',
    clean: true
  },
  devtool: false,
  resolve: { extensions: ['.ts', '.js', '.json'] },
  module: { rules: [tsRule] },
  // Minified like the services: the stack copies the bundle into every konnector job's jail.
  optimization: { minimize: argv.mode === 'production' },
  performance: { hints: false },
  plugins: [
    new BudgetStatsPlugin(),
    new CopyPlugin({
      patterns: [
        { from: path.join(root, 'konnectors/ent-import/manifest.konnector'), to: 'manifest.konnector' },
        { from: path.join(root, 'konnectors/ent-import/icon.svg'), to: 'icon.svg' },
        { from: path.join(root, 'locales'), to: 'locales' }
      ]
    })
  ]
})

// The webapp's services (manifest.webapp `services`): one node file each in build/app/services/,
// run by the stack with COZY_URL, COZY_CREDENTIALS and COZY_COUCH_DOC.
const services = (_env, argv) => ({
  name: 'services',
  dependencies: ['app'],
  target: 'node20',
  entry: {
    'export-notification': path.join(root, 'src/targets/services/export-notification.ts'),
    'import-notification': path.join(root, 'src/targets/services/import-notification.ts')
  },
  output: {
    path: path.join(root, 'build/app/services'),
    filename: '[name].js',
    libraryTarget: 'commonjs2',
    clean: true
  },
  devtool: false,
  resolve: { extensions: ['.ts', '.tsx', '.js', '.json'] },
  module: { rules: [tsRule] },
  // Minified in production like the webapp (2.4 MB each otherwise), checked by scripts/bundle-budget.ts.
  optimization: { minimize: argv.mode === 'production' },
  performance: { hints: false },
  plugins: [new BudgetStatsPlugin()]
})

module.exports = [app, konnector, services]
