import type { Template } from '../../../admin/promotion-type'

/** Starting points for engagement: a poll, and reactions with sharing under an article. */
export const engagementTemplates: readonly Template[] = [
  {
    id: 'poll',
    name: 'Poll',
    summary: 'One question with a few answers; voters see the results after voting.',
    config: {
      engagementTypes: ['vote'],
      contentType: 'article',
      poll: {
        question: 'What should we write about next?',
        options: [
          { id: 'guides', label: 'Step-by-step guides' },
          { id: 'interviews', label: 'Customer interviews' },
          { id: 'news', label: 'Product news' },
        ],
        showResults: 'after_vote',
      },
    },
    placements: ['article-end'],
    creative: { headline: 'Your turn', body: 'Tell us what you would like to read.' },
  },
  {
    id: 'reactions-share',
    name: 'Reactions and sharing',
    summary: 'Emoji reactions and share buttons under an article, with counts.',
    config: {
      engagementTypes: ['react', 'share'],
      contentType: 'article',
      reactions: ['like', 'love', 'wow'],
      share: { networks: ['facebook', 'linkedin', 'email', 'copy'] },
    },
    placements: ['article-end'],
    creative: { headline: 'Did you like this article?' },
  },
]
