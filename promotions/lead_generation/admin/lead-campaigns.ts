import { useEffect, useState } from 'preact/hooks'
import { api } from '../../../admin/api'

export interface LeadCampaign {
  id: string
  name: string
}

/** Pages of 100 read at most: a site with more lead forms than that still gets the newest 1,000 by name. */
const maxPages = 10

/**
 * A site's lead forms, by name: for the campaign filter and to name the campaign a lead came through. Leads only
 * carry campaign ids; while this loads, or if it fails, an id stands in for its name.
 */
export function useLeadCampaigns(siteId: string | undefined): LeadCampaign[] {
  const [campaigns, setCampaigns] = useState<LeadCampaign[]>([])
  useEffect(() => {
    setCampaigns([])
    if (!siteId) return
    let current = true
    void (async () => {
      const found: LeadCampaign[] = []
      let cursor: string | undefined
      try {
        for (let page = 0; page < maxPages; page += 1) {
          const answer = await api.listCampaigns({ siteId, type: 'lead_generation', limit: 100, cursor })
          found.push(...answer.data.map(({ id, name }) => ({ id, name })))
          if (!answer.nextCursor) break
          cursor = answer.nextCursor
        }
      } catch {
        // Names are a convenience here: the leads show without them.
      }
      if (current) setCampaigns(found)
    })()
    return () => {
      current = false
    }
  }, [siteId])
  return campaigns
}

/** A campaign's name, or its id where the name is not known. */
export function campaignName(campaigns: LeadCampaign[], id: string | null): string {
  if (!id) return '—'
  return campaigns.find((campaign) => campaign.id === id)?.name ?? id
}
