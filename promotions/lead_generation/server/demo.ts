import type { DemoCampaign } from '../../../api/promotion'

/** The demo site's lead form: a gated guide in the article's inline slot. */
export const leadGenerationDemo = (origin: string): DemoCampaign[] => [
  {
    name: 'Winter guide form',
    status: 'active',
    objective: 'lead_generation',
    placements: ['article-inline'],
    config: {
      fields: [
        { name: 'email', type: 'email', label: 'Email', required: true },
        { name: 'first_name', type: 'text', label: 'First name' },
        {
          name: 'consent',
          type: 'consent',
          label: 'Email me the guide and occasional offers',
          required: true,
        },
      ],
      submitButtonText: 'Send me the guide',
      successMessage: 'Thank you! The guide is on its way to your inbox.',
      offer: {
        type: 'ebook',
        title: 'The winter layering guide',
        assetUrl: `${origin}/demo/assets/winter.svg`,
      },
    },
    creative: {
      headline: 'Free: the winter layering guide',
      body: 'Twelve pages on staying warm without the bulk.',
    },
  },
]
