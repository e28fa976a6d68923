/**
 * The local stand-in for cozy-stack. See dev-stack/README.md for the programmatic API and how to
 * add a route module.
 */
export { startStack } from './stack'
export type { StartStackOptions, RunningStack, StackInstance } from './stack'
export type { RouteModule, StackContext, StackRuntime, StackConfig } from './context'
export type { OutboxMail, MailInput, Outbox } from './mail/outbox'
export { Instance } from './instance/instance'
export { ROUTE_MODULES } from './routes'
