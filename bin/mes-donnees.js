#!/usr/bin/env node
'use strict'
// The command line is written in TypeScript; tsx compiles it on the fly so that
// `mes-donnees` works straight after `npm ci`, with no build step.
// get-intrinsic (under express, among others) requires packages whose "module-sync" export is
// an .mjs file that tsx 4.19 miscompiles; loaded natively first, it is served from the cache.
require('get-intrinsic')
require('tsx/cjs')
// Before the command's modules load: how far the heap may grow (src/import/heap.ts).
require('../src/import/heap.ts').boundHeapGrowth()
require('./cli.ts').main(process.argv).then(
  code => {
    process.exitCode = code
  },
  err => {
    process.stderr.write(`mes-donnees: ${err && err.message ? err.message : String(err)}\n`)
    process.exitCode = 1
  }
)
