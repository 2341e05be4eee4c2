import { noContent, operation, type RouteDoc } from '../../../api/http/contract/docs'
import { pageOf } from '../../../schema/api'
import { engagementAnswer, engagementComment, listedComment } from '../answers'
import { engagementQuery, engagementRequest } from '../config'
import { commentQuery } from './routes'

export const engagementDocs: RouteDoc[] = [
  operation('post', '/api/v1/engagements', {
    summary: 'React, vote, comment or share',
    description: 'From the SDK (`text/plain` JSON taken). Comments may be held for moderation.',
    tag: 'Engagement',
    access: 'public',
    body: engagementRequest,
    bodyMedia: 'json-or-text',
    answers: {
      200: {
        description: 'Already done, or from a crawler: the counts and this visitor’s state',
        schema: engagementAnswer,
      },
      201: { description: 'Stored: the counts and this visitor’s state', schema: engagementAnswer },
    },
    errors: [403, 404, 409],
  }),
  operation('get', '/api/v1/engagements', {
    summary: 'A campaign’s counts and this visitor’s state',
    description: 'Cacheable for a few seconds; answers 304 to a matching `If-None-Match`.',
    tag: 'Engagement',
    access: 'public',
    query: engagementQuery,
    answers: {
      200: { description: 'The counts and state', schema: engagementAnswer },
      304: { description: 'Unchanged', schema: null },
    },
    errors: [403, 404],
  }),
  operation('get', '/api/v1/engagements/comments', {
    summary: 'Comments for moderation',
    tag: 'Engagement',
    access: 'admin',
    query: commentQuery,
    answers: { 200: { description: 'A page of comments, newest first', schema: pageOf(listedComment) } },
  }),
  operation('post', '/api/v1/engagements/comments/{id}/approve', {
    summary: 'Publish a comment',
    tag: 'Engagement',
    access: 'admin',
    answers: { 200: { description: 'The comment', schema: engagementComment } },
  }),
  operation('post', '/api/v1/engagements/comments/{id}/reject', {
    summary: 'Take a comment down',
    tag: 'Engagement',
    access: 'admin',
    answers: { 200: { description: 'The comment', schema: engagementComment } },
  }),
  operation('delete', '/api/v1/engagements/comments/{id}', {
    summary: 'Delete a comment',
    tag: 'Engagement',
    access: 'admin',
    answers: { 204: noContent },
  }),
]
