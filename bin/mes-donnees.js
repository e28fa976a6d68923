#!/usr/bin/env node
'use strict'
// The command line is written in TypeScript; tsx compiles it on the fly so that
// `mes-donnees` works straight after `npm ci`, with no build step.
require('tsx/cjs')
require('./cli.ts').main(process.argv).then(
  code => {
    process.exitCode = code
  },
  err => {
    process.stderr.write(`mes-donnees: ${err && err.message ? err.message : String(err)}\n`)
    process.exitCode = 1
  }
)
