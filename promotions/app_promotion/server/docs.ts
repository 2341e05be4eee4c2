import { operation, type RouteDoc } from '../../../api/http/contract/docs'
import { claimAnswer, claimRequest } from '../claims'

export const appPromotionDocs: RouteDoc[] = [
  operation('post', '/api/v1/app/claims', {
    summary: 'Claim a deferred deep link on the app’s first launch',
    description:
      'From the app (publishable key): the click id it read from the install referrer (Google Play’s `referrer` ' +
      'parameter `promo_click`, the App Store campaign token `ct`), or the id of the user signed in to it, matched ' +
      'through identities to that user’s latest click. Answers the deep link to open and records `install` or ' +
      '`first_open` for the click’s campaign and variant once; a replay answers the same with `recorded: false`. ' +
      'Never matched by address or device traits.',
    tag: 'App promotion',
    access: 'public',
    body: claimRequest,
    bodyMedia: 'json-or-text',
    answers: {
      201: { description: 'Recorded: the deep link to open', schema: claimAnswer },
      200: { description: 'Claimed before: the same answer, nothing recorded', schema: claimAnswer },
    },
    errors: [403, 404, 409],
  }),
]
