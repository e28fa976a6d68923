/**
 * The move wizard service (README, "Move wizard for hosting providers"): `loadConfig` reads the
 * MOVE_WIZARD_* environment variables, `startWizard` listens (port 0 picks a free one).
 */
export { loadConfig, ConfigError, DEFAULT_PROVIDERS } from './config'
export type { WizardConfig, HostingProvider } from './config'
export { createWizardServer, startWizard } from './server'
export type { RunningWizard, WizardOptions } from './server'
