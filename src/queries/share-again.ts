/** What the Share again page reads, as cozy-client query definitions (see ./ent-import.ts). */
import { Q, fetchPolicies } from 'cozy-client'
import { PENDING_SHARES_DOCTYPE } from '../import/records'

const defaultFetchPolicy = fetchPolicies.olderThan(30 * 1000)

/** Every share found in imported ENT data, waiting to be made again (or made, or dismissed). */
export const buildPendingSharesQuery = () => ({
  definition: () => Q(PENDING_SHARES_DOCTYPE),
  options: { as: PENDING_SHARES_DOCTYPE, fetchPolicy: defaultFetchPolicy }
})

export const CONTACTS_DOCTYPE = 'io.cozy.contacts'
export const CONTACT_GROUPS_DOCTYPE = 'io.cozy.contacts.groups'

/** The address book, offered to map an ENT recipient (trashed ones are left out by the page). */
export const buildContactsQuery = () => ({
  definition: () => Q(CONTACTS_DOCTYPE),
  options: { as: CONTACTS_DOCTYPE, fetchPolicy: defaultFetchPolicy }
})

export const buildContactGroupsQuery = () => ({
  definition: () => Q(CONTACT_GROUPS_DOCTYPE),
  options: { as: CONTACT_GROUPS_DOCTYPE, fetchPolicy: defaultFetchPolicy }
})
