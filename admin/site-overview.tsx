import { useEffect, useState } from 'preact/hooks'
import { api, type Overview, type Site } from './api'
import { rangeDates } from './date-range'
import { formatAmount, formatCount, formatDecimal, formatRate } from './format'
import { type Kpi, KpiCards } from './kpi-cards'
import { LiftReadout } from './lift-readout'

const days = 30

function overviewKpis({ totals }: Overview): Kpi[] {
  return [
    {
      label: 'Visitors',
      value: formatCount(totals.visitors),
      ...(totals.visitorsExact ? {} : { detail: 'an estimate, within about 1.6%' }),
    },
    { label: 'Page views', value: formatCount(totals.pageViews) },
    { label: 'Impressions', value: formatCount(totals.impressions), detail: 'all campaigns' },
    {
      label: 'Clicks',
      value: formatCount(totals.clicks),
      detail: `${formatRate(totals.impressions > 0 ? totals.clicks / totals.impressions : 0)} CTR`,
    },
    {
      label: 'Conversions',
      value: formatDecimal(totals.attributedConversions),
      detail: 'credited to a campaign, last touch',
    },
    { label: 'Revenue', value: formatAmount(totals.attributedRevenue), detail: 'from those conversions' },
  ]
}

/** The site's last 30 days at a glance, above its campaigns. */
export function SiteOverview({ site }: { site: Site }) {
  const [overview, setOverview] = useState<Overview>()
  const [failed, setFailed] = useState(false)

  useEffect(() => {
    let current = true
    setOverview(undefined)
    setFailed(false)
    api.overview({ siteId: site.id, ...rangeDates(days) }).then(
      (loaded) => current && setOverview(loaded),
      () => current && setFailed(true),
    )
    return () => {
      current = false
    }
  }, [site.id])

  return (
    <section class="overview" aria-labelledby="overview-title">
      <h2 id="overview-title">Last {days} days</h2>
      {overview && <KpiCards label={`${site.name}, last ${days} days`} kpis={overviewKpis(overview)} />}
      {overview?.lift && (
        <LiftReadout lift={overview.lift} scope="site" titleId="site-lift-title" Heading="h3" />
      )}
      {failed && (
        <p class="muted">The site’s totals could not be loaded; the campaigns below are unaffected.</p>
      )}
    </section>
  )
}
