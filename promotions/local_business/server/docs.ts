import { z } from 'zod'
import { noContent, operation, type RouteDoc } from '../../../api/http/contract/docs'
import { pageOf } from '../../../schema/api'
import { locatorAnswer, storeAnswer, storeImportResult } from '../answers'
import { locatorQuery } from './locator'
import { storeListQuery, storePut, storeSiteQuery } from './routes'

export const localBusinessDocs: RouteDoc[] = [
  operation('get', '/api/v1/locator', {
    summary: 'The nearest stores of a store locator',
    description:
      'From a typed postcode or city (`q`), the browser position (`lat`/`lng`, after the visitor asked), or the ' +
      "request's network location. Each store says whether it is open now in its own time zone and, for a SKU, " +
      'whether it has it in stock. Nothing of the location is stored.',
    tag: 'Stores',
    access: 'public',
    query: locatorQuery,
    answers: { 200: { description: 'The nearest stores, nearest first', schema: locatorAnswer } },
    errors: [401, 403, 404],
  }),
  operation('get', '/api/v1/stores', {
    summary: 'List stores',
    description:
      'By ref; `after` is the last ref of the previous page. `format=csv` answers an importable file.',
    tag: 'Stores',
    access: 'admin',
    query: storeListQuery,
    answers: { 200: { description: 'A page of stores', schema: pageOf(storeAnswer) } },
  }),
  operation('get', '/api/v1/stores/{id}', {
    summary: 'Read a store',
    tag: 'Stores',
    access: 'admin',
    answers: { 200: { description: 'The store', schema: storeAnswer } },
  }),
  operation('put', '/api/v1/stores', {
    summary: 'Create or replace a store by its ref',
    tag: 'Stores',
    access: 'admin',
    body: storePut,
    answers: {
      200: { description: 'The replaced store', schema: storeAnswer },
      201: { description: 'The created store', schema: storeAnswer },
    },
  }),
  operation('post', '/api/v1/stores/import', {
    summary: 'Import stores from a CSV file',
    description:
      'Columns: ref, name, street, city, region, postal_code, country, lat, lng, phone, url, time_zone, hours ' +
      '(`Mo-Fr 09:00-18:00; Sa 10:00-13:00`), special_days (`2026-12-25 closed; 2026-12-24 09:00-16:00`), ' +
      'services (`;`-separated), inventory (`SKU:units;…`). All rows are stored, or none: a wrong line answers 400 ' +
      'with each wrong line and column.',
    tag: 'Stores',
    access: 'admin',
    query: storeSiteQuery,
    body: z.string(),
    bodyMedia: 'csv',
    answers: { 200: { description: 'Stores created and updated', schema: storeImportResult } },
  }),
  operation('delete', '/api/v1/stores/{id}', {
    summary: 'Delete a store',
    tag: 'Stores',
    access: 'admin',
    answers: { 204: noContent },
  }),
]
