// cozy-konnector-libs ships no typings; only its errors module is used.
declare module 'cozy-konnector-libs/dist/helpers/errors' {
  const errors: Record<string, string>
  export default errors
}
