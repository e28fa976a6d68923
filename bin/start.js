'use strict'
require('tsx/cjs')
require('./start.ts')
