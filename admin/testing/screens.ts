import { adminTypes, typeLabel, typeScreens } from '../promotions'
import { root } from '../router'

/** One admin screen to open in a browser: what to call it and where it is. */
export interface AdminScreen {
  name: string
  path: string
  /** Opened without a session (the login screen). */
  signedOut?: boolean
  /** The list's first item: open `path`, then follow its first link to `path/<id>`. */
  firstItem?: boolean
}

/**
 * The admin's generic screens, one line each. A page added to the router is added here too, and the
 * accessibility, keyboard and phone-width tests (admin/a11y.browser.test.ts) and the screenshots cover it.
 */
export const genericScreens: AdminScreen[] = [
  { name: 'Sign in', path: `${root}/login`, signedOut: true },
  { name: 'Campaigns', path: `${root}/campaigns` },
  { name: 'New campaign', path: `${root}/campaigns/new` },
  { name: 'Audiences', path: `${root}/audiences` },
  { name: 'Experiments', path: `${root}/experiments` },
  { name: 'Sites', path: `${root}/sites` },
  { name: 'Sites: one site', path: `${root}/sites`, firstItem: true },
  { name: 'Test events', path: `${root}/test-events` },
  { name: 'Team', path: `${root}/team` },
  { name: 'Account', path: `${root}/account` },
  { name: 'Audit log', path: `${root}/audit` },
  { name: 'Not found', path: `${root}/no-such-page` },
]

/**
 * Every screen of the admin: the generic ones, a new campaign's editor of each type, the editor and results of
 * each campaign given (the seeded ones), and the screens the types bring, from the registries so a type or
 * screen added later is covered without touching this.
 */
export function adminScreens(campaigns: readonly { id: string; name: string }[]): AdminScreen[] {
  return [
    ...genericScreens,
    ...Object.keys(adminTypes).map((type) => ({
      name: `New ${typeLabel(type)} campaign`,
      path: `${root}/campaigns/new?type=${encodeURIComponent(type)}`,
    })),
    ...campaigns.flatMap(({ id, name }) => [
      { name: `Campaign “${name}”`, path: `${root}/campaigns/${id}` },
      { name: `Results of “${name}”`, path: `${root}/campaigns/${id}/results` },
    ]),
    ...typeScreens.flatMap(({ path, nav, Item }) => {
      const list = { name: nav ?? path, path: `${root}/${path}` }
      return Item ? [list, { ...list, name: `${list.name}: one item`, firstItem: true }] : [list]
    }),
  ]
}
