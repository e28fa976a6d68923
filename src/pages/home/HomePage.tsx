import React from 'react'
import { Link } from 'react-router-dom'
import List from 'cozy-ui/transpiled/react/List'
import ListItem from 'cozy-ui/transpiled/react/ListItem'
import ListItemIcon from 'cozy-ui/transpiled/react/ListItemIcon'
import ListItemText from 'cozy-ui/transpiled/react/ListItemText'
import Icon from 'cozy-ui/transpiled/react/Icon'
import { useI18n } from 'twake-i18n'
import { appRoutes } from '../../app/routes'
import { PageIntro } from '../../components/PageIntro'

/** Landing page: one entry per section, with what it does, so a phone user needs no menu. */
export function HomePage(): JSX.Element {
  const { t } = useI18n()
  return (
    <>
      <PageIntro i18nKey="home" />
      <List>
        {appRoutes.map(route => (
          <ListItem key={route.path} button component={Link} to={route.path} divider>
            <ListItemIcon>
              <Icon icon={route.icon} />
            </ListItemIcon>
            <ListItemText
              primary={t(`app.nav.${route.navKey}`)}
              secondary={t(`pages.${route.navKey}.description`)}
            />
          </ListItem>
        ))}
      </List>
    </>
  )
}
