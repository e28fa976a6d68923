/** cozy-realtime ships no types; only the plugin class cozy-client registers is used. */
declare module 'cozy-realtime' {
  export class RealtimePlugin {
    static pluginName: 'realtime'
  }
}
