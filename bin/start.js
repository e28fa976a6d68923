'use strict'
// Loaded natively before tsx: see bin/mes-donnees.js.
require('get-intrinsic')
require('tsx/cjs')
require('./start.ts')
