import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiError, api, type Session, type Site } from './api'
import { lazyScreen } from './lazy'
import { AcceptPage } from './pages/accept'
import { CampaignsPage } from './pages/campaigns'
import { LoginPage } from './pages/login'
import { RoleProvider } from './permissions'
import { typeScreens } from './promotions'
import { focusScreenHeading } from './route-focus'
import { Link, matchRoute, navigate, type Route, root, useLocation } from './router'
import { useTitle } from './title'

/* The screens a visit may never open load on first use, each from its own chunk (lazy.tsx). */
const AccountPage = lazyScreen(() => import('./pages/account').then((page) => page.AccountPage))
const AudiencesPage = lazyScreen(() => import('./pages/audiences').then((page) => page.AudiencesPage))
const AuditPage = lazyScreen(() => import('./pages/audit').then((page) => page.AuditPage))
const CampaignEditorPage = lazyScreen(() =>
  import('./pages/campaign-editor').then((page) => page.CampaignEditorPage),
)
const ExperimentsPage = lazyScreen(() => import('./pages/experiments').then((page) => page.ExperimentsPage))
const NewCampaignPage = lazyScreen(() => import('./pages/new-campaign').then((page) => page.NewCampaignPage))
const ResultsPage = lazyScreen(() => import('./pages/results').then((page) => page.ResultsPage))
const SitePage = lazyScreen(() => import('./pages/site').then((page) => page.SitePage))
const SitesPage = lazyScreen(() => import('./pages/sites').then((page) => page.SitesPage))
const TeamPage = lazyScreen(() => import('./pages/team').then((page) => page.TeamPage))
const TestEventsPage = lazyScreen(() => import('./pages/test-events').then((page) => page.TestEventsPage))

/**
 * The main navigation: the generic screens, then those the campaign types bring. Each entry is current on its
 * own screens (a lead's page belongs to Leads).
 */
const mainNav: { label: string; path: string }[] = [
  { label: 'Campaigns', path: 'campaigns' },
  { label: 'Audiences', path: 'audiences' },
  { label: 'Experiments', path: 'experiments' },
  ...typeScreens.flatMap(({ nav, path }) => (nav ? [{ label: nav, path }] : [])),
  { label: 'Sites', path: 'sites' },
  { label: 'Team', path: 'team' },
  { label: 'Audit log', path: 'audit' },
]

/** Screens that are their own section in the navigation (the campaign screens belong to Campaigns). */
const ownSections = new Set<Route['name']>(['campaigns', 'audiences', 'team', 'audit', 'account'])

/** The top-level path a route belongs to, for the navigation. */
function sectionOf(route: Route): string {
  if (route.name === 'screen') return route.path
  if (route.name === 'sites' || route.name === 'site' || route.name === 'test-events') return 'sites'
  if (route.name === 'experiments') return route.name
  return ownSections.has(route.name) ? route.name : ''
}

type Auth = { state: 'checking' } | { state: 'signed-out' } | { state: 'signed-in'; session: Session }

const siteKey = 'promo.admin.site'

function rememberedSite(): string {
  try {
    return localStorage.getItem(siteKey) ?? ''
  } catch {
    return ''
  }
}

/** Only paths inside the admin are followed after login, so `?next=` cannot send anyone elsewhere. */
export function safeNext(next: string | null): string {
  if (!next?.startsWith(`${root}/`) || next.startsWith('//') || next.includes('\\'))
    return `${root}/campaigns`
  return matchRoute(new URL(next, 'http://admin.invalid').pathname).name === 'login'
    ? `${root}/campaigns`
    : next
}

function NotFound() {
  useTitle('Not found')
  return (
    <div class="page">
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        There is nothing at this address. <Link href={`${root}/campaigns`}>Go to the campaigns</Link>.
      </p>
    </div>
  )
}

function Screen({
  route,
  sites,
  site,
  onSiteChange,
  onSitesChange,
  session,
  onSession,
}: {
  route: Route
  sites: Site[]
  site: Site | undefined
  onSiteChange: (id: string) => void
  onSitesChange: (sites: Site[]) => void
  session: Session
  onSession: (session: Session) => void
}) {
  switch (route.name) {
    case 'campaigns':
      return <CampaignsPage sites={sites} site={site} onSiteChange={onSiteChange} />
    case 'new-campaign':
      return <NewCampaignPage site={site} sites={sites} />
    case 'campaign':
      return <CampaignEditorPage id={route.id} site={site} sites={sites} />
    case 'results':
      return <ResultsPage id={route.id} />
    case 'audiences':
      return <AudiencesPage sites={sites} site={site} onSiteChange={onSiteChange} />
    case 'experiments':
      return <ExperimentsPage sites={sites} site={site} onSiteChange={onSiteChange} />
    case 'screen': {
      const screen = typeScreens.find((option) => option.path === route.path)
      if (!screen) return <NotFound />
      if (route.id !== undefined) return screen.Item ? <screen.Item id={route.id} /> : <NotFound />
      return <screen.Screen sites={sites} site={site} onSiteChange={onSiteChange} />
    }
    case 'sites':
      return <SitesPage sites={sites} onSitesChange={onSitesChange} />
    case 'site':
      return (
        <SitePage
          id={route.id}
          onSiteChange={(changed) =>
            onSitesChange(sites.map((other) => (other.id === changed.id ? changed : other)))
          }
        />
      )
    case 'test-events':
      return <TestEventsPage sites={sites} site={site} onSiteChange={onSiteChange} />
    case 'team':
      return <TeamPage session={session} />
    case 'account':
      return <AccountPage session={session} />
    case 'audit':
      return <AuditPage />
    case 'accept':
      return (
        <AcceptPage token={new URLSearchParams(location.search).get('token') ?? ''} onAccepted={onSession} />
      )
    case 'login':
      // Already signed in: the app is on its way to where the login would have led.
      return null
    default:
      return <NotFound />
  }
}

export function App() {
  const { pathname, search } = useLocation()
  const route = matchRoute(pathname, typeScreens)
  const nextParam = search.get('next')
  const [auth, setAuth] = useState<Auth>({ state: 'checking' })
  const [sites, setSites] = useState<Site[]>()
  const [siteId, setSiteId] = useState(rememberedSite)
  const [problem, setProblem] = useState('')
  const [attempt, setAttempt] = useState(0)
  const mainRef = useRef<HTMLElement>(null)
  const firstScreen = useRef<string | undefined>(undefined)

  useEffect(() => {
    api.onUnauthorized(() => {
      setAuth({ state: 'signed-out' })
      setSites(undefined)
    })
  }, [])

  useEffect(() => {
    setProblem('')
    api.me().then(
      (session) => setAuth(session ? { state: 'signed-in', session } : { state: 'signed-out' }),
      (error) => setProblem(error instanceof ApiError ? error.message : 'The admin could not start.'),
    )
  }, [attempt])

  useEffect(() => {
    if (auth.state !== 'signed-in') return
    setProblem('')
    api.listSites().then(
      (page) => setSites(page.data),
      (error) => setProblem(error instanceof ApiError ? error.message : 'The sites could not be loaded.'),
    )
  }, [auth.state, attempt])

  useEffect(() => {
    if (auth.state === 'signed-out' && route.name !== 'login' && route.name !== 'accept') {
      const next = `${location.pathname}${location.search}`
      navigate(`${root}/login?next=${encodeURIComponent(next)}`, { replace: true })
    }
    if (auth.state === 'signed-in' && route.name === 'login') navigate(safeNext(nextParam), { replace: true })
  }, [auth.state, route.name, nextParam])

  const screen = problem
    ? 'problem'
    : auth.state === 'signed-in'
      ? sites
        ? pathname
        : 'loading'
      : auth.state === 'signed-out' && (route.name === 'login' || route.name === 'accept')
        ? route.name
        : 'loading'

  // When a new screen appears, move focus to its heading so it is read out; the first one keeps the page's focus.
  useEffect(() => {
    if (screen === 'loading') return
    if (firstScreen.current === undefined) {
      firstScreen.current = screen
      return
    }
    const main = mainRef.current
    return main ? focusScreenHeading(main) : undefined
  }, [screen])

  const chooseSite = (id: string) => {
    setSiteId(id)
    try {
      localStorage.setItem(siteKey, id)
    } catch {
      // Private mode: the choice lasts for this visit only.
    }
  }

  /** An invitation accepted: the new member is signed in, and starts at the campaigns. */
  const joined = (session: Session) => {
    navigate(`${root}/campaigns`, { replace: true })
    setSites(undefined)
    setAuth({ state: 'signed-in', session })
    setAttempt((n) => n + 1)
  }

  const signOut = async () => {
    try {
      await api.logout()
    } finally {
      navigate(`${root}/login`, { replace: true })
      setAuth({ state: 'signed-out' })
      setSites(undefined)
    }
  }

  if (problem) {
    return (
      <main id="main" class="centered" ref={mainRef} tabIndex={-1}>
        <div class="card">
          <h1 tabIndex={-1}>Promo is not answering</h1>
          <p class="alert alert-error" role="alert">
            {problem}
          </p>
          <button type="button" class="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      </main>
    )
  }

  if (auth.state !== 'signed-in') {
    return (
      <main id="main" ref={mainRef} tabIndex={-1}>
        {auth.state === 'signed-out' && route.name === 'login' ? (
          <LoginPage onLogin={(session) => setAuth({ state: 'signed-in', session })} />
        ) : auth.state === 'signed-out' && route.name === 'accept' ? (
          <AcceptPage token={search.get('token') ?? ''} onAccepted={joined} />
        ) : (
          <p class="centered muted" role="status">
            Loading…
          </p>
        )}
      </main>
    )
  }

  const { user, organization } = auth.session
  const site = sites?.find((option) => option.id === siteId) ?? sites?.[0]

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link class="brand" href={`${root}/campaigns`}>
          Promo
        </Link>
        <nav aria-label="Main">
          {mainNav.map(({ label, path }) => (
            <Link
              key={path}
              class="topbar-link"
              href={`${root}/${path}`}
              aria-current={sectionOf(route) === path ? 'page' : undefined}
            >
              {label}
            </Link>
          ))}
        </nav>
        <div class="account">
          <span class="account-name">
            <span>{user.name || user.email}</span>
            <span class="muted">{organization.name}</span>
          </span>
          <Link
            class="topbar-link"
            href={`${root}/account`}
            aria-current={route.name === 'account' ? 'page' : undefined}
          >
            Account
          </Link>
          <button type="button" class="button button-small" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {sites ? (
          <RoleProvider value={user.role}>
            <Screen
              key={pathname}
              route={route}
              sites={sites}
              site={site}
              onSiteChange={chooseSite}
              onSitesChange={setSites}
              session={auth.session}
              onSession={joined}
            />
          </RoleProvider>
        ) : (
          <p class="centered muted" role="status">
            Loading…
          </p>
        )}
      </main>
    </>
  )
}
