import { useState } from 'preact/hooks'
import type { TransitionAction } from '../schema/status'
import { ApiError, api, type Campaign } from './api'
import { useMay } from './permissions'
import { Link, root } from './router'
import { finalActions, StatusActions, StatusBadge, statusLabels } from './status'

/** What to tell the marketer when a campaign page cannot load its campaign. */
export function campaignLoadMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The campaign could not be loaded.'
  if (error.status === 404) return 'This campaign does not exist, or it belongs to another organization.'
  return error.message
}

const confirmations: Record<string, string> = {
  complete: 'It stops showing for good and cannot be resumed.',
  archive: 'It stops showing and leaves the list of current campaigns.',
}

interface CampaignHeaderProps {
  id: string
  campaign: Campaign | undefined
  current: 'settings' | 'results'
  onChange: (campaign: Campaign) => void
}

/** Name, status, the allowed status changes and the Settings/Results tabs of one campaign. */
export function CampaignHeader({ id, campaign, current, onChange }: CampaignHeaderProps) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')
  const canWrite = useMay('write')
  const base = `${root}/campaigns/${encodeURIComponent(id)}`

  const change = async (action: TransitionAction) => {
    if (!campaign) return
    if (
      finalActions.has(action) &&
      !window.confirm(
        `${action === 'complete' ? 'Complete' : 'Archive'} “${campaign.name}”? ${confirmations[action] ?? ''}`,
      )
    ) {
      return
    }
    setBusy(true)
    setError('')
    setNotice('')
    try {
      const updated = await api.transition(campaign.id, action)
      onChange(updated)
      setNotice(`Status is now ${statusLabels[updated.status].toLowerCase()}.`)
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'The status could not be changed.')
      // A 409 means someone else moved the campaign on: show where it is now, so the offered actions fit.
      if (caught instanceof ApiError && caught.status === 409) {
        api.getCampaign(campaign.id).then(onChange, () => {})
      }
    } finally {
      setBusy(false)
    }
  }

  return (
    <header class="campaign-header">
      <Link class="back" href={`${root}/campaigns`}>
        ← Campaigns
      </Link>
      <div class="page-header">
        <div class="title-row">
          <h1 tabIndex={-1}>{campaign ? campaign.name : 'Campaign'}</h1>
          {campaign && <StatusBadge status={campaign.status} />}
        </div>
        {campaign && canWrite && <StatusActions status={campaign.status} busy={busy} onAction={change} />}
      </div>
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <p class="visually-hidden" role="status">
        {notice}
      </p>
      <nav class="tabs" aria-label="Campaign">
        <Link href={base} aria-current={current === 'settings' ? 'page' : undefined}>
          Settings
        </Link>
        <Link href={`${base}/results`} aria-current={current === 'results' ? 'page' : undefined}>
          Results
        </Link>
      </nav>
    </header>
  )
}
