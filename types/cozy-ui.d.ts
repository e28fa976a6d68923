// cozy-ui's generated typings mark every prop as required (they come from JSDoc-less JS).
// These ambient declarations take precedence and type the components we use loosely;
// the props are checked by the component tests and by the browser tests instead.
type LooseComponent = React.ComponentType<Record<string, any>> // eslint-disable-line @typescript-eslint/no-explicit-any

declare module 'cozy-ui/transpiled/react/Icons/*' {
  const icon: LooseComponent
  export default icon
}
declare module 'cozy-ui/transpiled/react/Layout' {
  export const Layout: LooseComponent
  export const Main: LooseComponent
  export const Content: LooseComponent
}
declare module 'cozy-ui/transpiled/react/Nav' {
  const Nav: LooseComponent
  export default Nav
  export const NavItem: LooseComponent
  export const NavIcon: LooseComponent
  export const NavText: LooseComponent
  export function genNavLinkForV6(link: unknown): LooseComponent
}
declare module '*.css'
declare module 'cozy-ui/transpiled/react/Sidebar' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/Typography' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/List' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/ListItem' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/ListItemIcon' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/ListItemText' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/Icon' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/providers/Breakpoints' {
  export default function useBreakpoints(): { isMobile: boolean; isTablet: boolean; isDesktop: boolean }
  export const BreakpointsProvider: LooseComponent
}
declare module 'cozy-ui/transpiled/react/Buttons' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/Alert' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/AlertTitle' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/Spinner' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/Checkbox' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/FormControlLabel' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/RadioGroup' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/Radios' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/LinearProgress' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/TextField' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/Divider' {
  const component: LooseComponent
  export default component
}
declare module 'cozy-ui/transpiled/react/CozyDialogs' {
  export const Dialog: LooseComponent
  export const ConfirmDialog: LooseComponent
}
declare module 'cozy-ui/transpiled/react/Paper' {
  const component: LooseComponent
  export default component
}
