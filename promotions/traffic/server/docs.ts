import { z } from 'zod'
import { noContent, operation, type RouteDoc } from '../../../api/http/contract/docs'
import { pageOf } from '../../../schema/api'
import { contentItem, contentUpsertMany, importResult } from '../answers'
import { listQuery, putMany, putOne, siteQuery } from './routes'

export const trafficDocs: RouteDoc[] = [
  operation('get', '/api/v1/content', {
    summary: 'List the content catalog',
    description: '`format=csv` answers the same rows as a spreadsheet.',
    tag: 'Content',
    access: 'admin',
    query: listQuery,
    answers: { 200: { description: 'A page of items', schema: pageOf(contentItem) } },
  }),
  operation('get', '/api/v1/content/{id}', {
    summary: 'Read a catalog item',
    tag: 'Content',
    access: 'admin',
    answers: { 200: { description: 'The item', schema: contentItem } },
  }),
  operation('put', '/api/v1/content', {
    summary: 'Create or update catalog items by URL',
    description: 'One item, or `{siteId, items: [...]}` for up to 500.',
    tag: 'Content',
    access: 'admin',
    body: z.union([putOne, putMany]),
    answers: {
      200: {
        description: 'The updated item, or the counts of a list',
        schema: z.union([contentItem, contentUpsertMany]),
      },
      201: { description: 'The created item', schema: contentItem },
    },
  }),
  operation('post', '/api/v1/content/import', {
    summary: 'Import a CSV file',
    tag: 'Content',
    access: 'admin',
    query: siteQuery,
    body: z.string(),
    bodyMedia: 'csv',
    answers: {
      200: { description: 'Rows created and updated, and refused rows by line', schema: importResult },
    },
  }),
  operation('post', '/api/v1/content/{id}/approve', {
    summary: 'Let rails recommend an item',
    tag: 'Content',
    access: 'admin',
    answers: { 200: { description: 'The item', schema: contentItem } },
  }),
  operation('post', '/api/v1/content/{id}/reject', {
    summary: 'Keep an item out of rails',
    tag: 'Content',
    access: 'admin',
    answers: { 200: { description: 'The item', schema: contentItem } },
  }),
  operation('delete', '/api/v1/content/{id}', {
    summary: 'Delete a catalog item',
    tag: 'Content',
    access: 'admin',
    answers: { 204: noContent },
  }),
]
