'use strict'
// cozy-ui imports { BottomSheet } from this package. The app never renders one, so a
// plain container that renders its children keeps the import graph whole.
const React = require('react')
function BottomSheet(props) {
  return React.createElement('div', { className: 'mui-bottom-sheet-standin' }, props.children)
}
module.exports = { BottomSheet: BottomSheet, default: BottomSheet }
