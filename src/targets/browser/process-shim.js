// Some dependencies of cozy-ui look up `process.env` or `process.browser` at run time.
module.exports = { env: { NODE_ENV: process.env.NODE_ENV, LOG_LEVEL: 'info' }, browser: true, version: '', versions: {}, nextTick: (fn, ...args) => Promise.resolve().then(() => fn(...args)) }
