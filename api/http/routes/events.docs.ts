import { z } from 'zod'
import { batchAnswer } from '../../../schema/api'
import { eventBatch, eventItem } from '../../../schema/events'
import { limits } from '../../../schema/limits'
import { operation, type RouteDoc } from '../contract/docs'

// Documentation only: the events handler stays as it is (hot path); this names the schema it validates with.
export const eventDocs: RouteDoc[] = [
  operation('post', '/api/v1/events', {
    summary: 'Send a batch of events',
    description:
      'Up to 50 events a batch. The envelope is checked as a whole, then each item alone: a bad item is ' +
      'rejected by its index and the rest are stored. One row per event id: a resent event is a duplicate.',
    tag: 'Events',
    access: 'public',
    // The handler checks the envelope with `eventBatch` and then each item alone with `eventItem`.
    body: eventBatch.extend({ batch: z.array(eventItem).min(1).max(limits.batch) }),
    bodyMedia: 'json-or-text',
    answers: {
      200: { description: 'What was accepted, deduplicated, filtered and rejected', schema: batchAnswer },
    },
    errors: [403, 404],
  }),
]
