// Stands for `date-fns/locale` in the webapp's build (webpack.config.js alias): twake-i18n's
// format.js only reads these three locales, and the full index would add every date-fns locale.
export { default as enGB } from 'date-fns/locale/en-GB'
export { default as fr } from 'date-fns/locale/fr'
export { default as es } from 'date-fns/locale/es'
