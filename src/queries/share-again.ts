/** What the Share again page reads, as cozy-client query definitions (see ./ent-import.ts). */
import { Q, fetchPolicies } from 'cozy-client'
import { PENDING_SHARES_DOCTYPE } from '../import/records'

const defaultFetchPolicy = fetchPolicies.olderThan(30 * 1000)

/**
 * Every share found in imported ENT data, waiting to be made again (or made, or dismissed), all
 * at once: with `limitBy(null)` cozy-client reads `_all_docs`, where `_normal_docs` would stop
 * at its default 100 (a class makes 600).
 */
export const buildPendingSharesQuery = () => ({
  definition: () => Q(PENDING_SHARES_DOCTYPE).limitBy(null),
  options: { as: PENDING_SHARES_DOCTYPE, fetchPolicy: defaultFetchPolicy }
})

export const CONTACTS_DOCTYPE = 'io.cozy.contacts'
export const CONTACT_GROUPS_DOCTYPE = 'io.cozy.contacts.groups'

/** The address book, offered to map an ENT recipient (trashed ones are left out by the page). */
export const buildContactsQuery = () => ({
  definition: () => Q(CONTACTS_DOCTYPE).limitBy(null),
  options: { as: CONTACTS_DOCTYPE, fetchPolicy: defaultFetchPolicy }
})

export const buildContactGroupsQuery = () => ({
  definition: () => Q(CONTACT_GROUPS_DOCTYPE).limitBy(null),
  options: { as: CONTACT_GROUPS_DOCTYPE, fetchPolicy: defaultFetchPolicy }
})
