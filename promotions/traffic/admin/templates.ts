import type { Template } from '../../../admin/promotion-type'

/** Starting points for a rail: related reading after an article, and hand-picked guides. */
export const trafficTemplates: readonly Template[] = [
  {
    id: 'related-articles',
    name: 'Related articles rail',
    summary: 'Three articles from your content catalog, picked per reader, under each article.',
    config: {
      layout: 'list',
      placements: ['recommendation'],
      destinationType: 'article',
      heading: 'Related articles',
      maxCards: 3,
    },
    placements: ['article-end'],
    creative: { headline: 'Keep reading' },
  },
  {
    id: 'guides-carousel',
    name: 'Guides carousel',
    summary: 'A carousel of hand-picked guides, for a blog home or a sidebar.',
    config: {
      layout: 'carousel',
      placements: ['inline', 'sidebar'],
      destinationType: 'resource',
      heading: 'Start here',
      maxCards: 3,
      cards: [
        { title: 'Getting started', url: 'https://example.com/guides/getting-started', badge: 'New' },
        { title: 'Ten tips for better results', url: 'https://example.com/guides/tips' },
        { title: 'Frequently asked questions', url: 'https://example.com/guides/faq' },
      ],
    },
    placements: ['blog-sidebar'],
    creative: { headline: 'Guides' },
  },
]
