import type { AdminType } from '../../../admin/promotion-type'
import { defaultEngagementConfig, EngagementFields, engagementLabels } from './editor'
import { engagementKpis, engagementSteps } from './kpis'
import { CommentsPage } from './moderation'
import { EngagementPreview } from './preview'
import { engagementTemplates } from './templates'

/** Likes, reactions, shares, polls and comments on a piece of content, in a slot; comments have their queue. */
export const engagementAdmin: AdminType = {
  label: 'Engagement',
  description: 'Likes, reactions, shares, a poll or comments on your content, in a slot.',
  objective: {
    title: 'Start a conversation',
    when: 'Use it to get readers reacting, sharing, voting in a poll or commenting on your content.',
  },
  templates: engagementTemplates,
  defaultConfig: defaultEngagementConfig,
  ConfigEditor: EngagementFields,
  configLabels: engagementLabels,
  format: () => 'inline',
  // The widget shows the headline as the content's title and the body as its context; nothing else.
  creativeFields: ['headline', 'body'],
  Preview: EngagementPreview,
  kpis: engagementKpis,
  steps: engagementSteps,
  // The server adds these rates to every series bucket (server/kpis.ts).
  chartMetrics: [
    { key: 'engagementRate', label: 'Engagement rate', kind: 'rate' },
    { key: 'shareRate', label: 'Share rate', kind: 'rate' },
    { key: 'pollParticipation', label: 'Poll participation', kind: 'rate' },
  ],
  screens: [{ path: 'comments', nav: 'Comments', Screen: CommentsPage }],
}
