import { z } from 'zod'
import {
  audienceList,
  audienceSizeAnswer,
  campaign,
  campaignAnalytics,
  campaignAudienceList,
  campaignPage,
  conversionAnswer,
  createdSecretKey,
  createdSite,
  customAudience,
  installCheck,
  overview,
  pageOf,
  reachAnswer,
  recomputeAnswer,
  secretKeyList,
  session,
  site,
  testEventsAnswer,
  transitionAction,
} from '../../../schema/api'
import { campaignCreate, campaignPatch, campaignType } from '../../../schema/campaign'
import { serverEventBatch } from '../../../schema/conversions'
import { segmentCreate, segmentPatch } from '../../../schema/segments'
import { noContent, operation, type RouteDoc } from '../contract/docs'
import { analyticsQuery, overviewQuery, rangeFields } from './analytics'
import { exportQuery as audienceExportQuery, listQuery as audienceQuery, sizeQuery } from './audiences'
import { loginBody } from './auth'
import { listQuery as campaignQuery } from './campaigns'
import { testEventsQuery } from './conversions'
import { recomputeBody, secretKeyCreate, siteCreate, sitePatch } from './sites'

/** The campaign routes, mounted twice: at `/campaigns` and at the blueprint's `/campaigns/{type}`. */
function campaignDocs(base: string, typed: boolean): RouteDoc[] {
  const params = typed ? z.object({ type: campaignType }) : undefined
  const scope = typed ? ' of this type' : ''
  return [
    operation('get', base, {
      summary: `List campaigns${scope}`,
      tag: 'Campaigns',
      access: 'admin',
      params,
      query: campaignQuery,
      answers: { 200: { description: 'A page of campaigns, newest first', schema: campaignPage } },
    }),
    operation('post', base, {
      summary: `Create a campaign${scope}`,
      description: '`config` is checked against the type’s schema; a draft until activated.',
      tag: 'Campaigns',
      access: 'admin',
      params,
      body: campaignCreate,
      answers: { 201: { description: 'The created campaign', schema: campaign } },
    }),
    operation('get', `${base}/{id}`, {
      summary: 'Read a campaign',
      tag: 'Campaigns',
      access: 'admin',
      params,
      answers: { 200: { description: 'The campaign', schema: campaign } },
    }),
    operation('patch', `${base}/{id}`, {
      summary: 'Change a campaign',
      description: 'Any subset of fields; `config` is merged into the stored one and checked whole.',
      tag: 'Campaigns',
      access: 'admin',
      params,
      body: campaignPatch,
      answers: { 200: { description: 'The changed campaign', schema: campaign } },
      errors: [409],
    }),
    operation('delete', `${base}/{id}`, {
      summary: 'Delete a campaign',
      tag: 'Campaigns',
      access: 'admin',
      params,
      answers: { 204: noContent },
      errors: [409],
    }),
    operation('post', `${base}/{id}/{action}`, {
      summary: 'Move a campaign through its status machine',
      description:
        'activate, pause, complete or archive; a move the status machine refuses answers 409, activating a type ' +
        'this server cannot serve 422.',
      tag: 'Campaigns',
      access: 'admin',
      params: z.object({ ...(typed ? { type: campaignType } : {}), id: z.uuid(), action: transitionAction }),
      answers: { 200: { description: 'The campaign in its new status', schema: campaign } },
      errors: [409, 422],
    }),
    operation('get', `${base}/{id}/analytics`, {
      summary: 'A campaign’s KPIs over a range',
      description:
        'Totals, a series, per-variant rows and the experiment readout; `format=csv` for a spreadsheet.',
      tag: 'Analytics',
      access: 'admin',
      params,
      query: analyticsQuery,
      answers: { 200: { description: 'The KPIs', schema: campaignAnalytics } },
    }),
    operation('get', `${base}/{id}/reach`, {
      summary: 'A campaign’s reach and frequency',
      tag: 'Analytics',
      access: 'admin',
      params,
      query: z.strictObject(rangeFields),
      answers: { 200: { description: 'Unique visitors reached', schema: reachAnswer } },
    }),
  ]
}

export const adminDocs: RouteDoc[] = [
  operation('post', '/api/v1/auth/login', {
    summary: 'Sign in',
    description: 'Sets the session cookie; the answer’s `csrfToken` goes in `X-CSRF-Token` on every write.',
    tag: 'Auth',
    access: 'none',
    body: loginBody,
    answers: { 200: { description: 'The session', schema: session } },
    errors: [401, 429],
  }),
  operation('post', '/api/v1/auth/logout', {
    summary: 'Sign out',
    tag: 'Auth',
    access: 'none',
    answers: { 204: noContent },
  }),
  operation('get', '/api/v1/auth/me', {
    summary: 'The current session',
    tag: 'Auth',
    access: 'admin',
    answers: { 200: { description: 'The session', schema: session } },
  }),
  operation('get', '/api/v1/sites', {
    summary: 'List sites',
    tag: 'Sites',
    access: 'admin',
    answers: { 200: { description: 'The principal’s sites', schema: pageOf(site) } },
  }),
  operation('post', '/api/v1/sites', {
    summary: 'Create a site',
    tag: 'Sites',
    access: 'admin',
    body: siteCreate,
    answers: { 201: { description: 'The site and its first secret key (shown once)', schema: createdSite } },
  }),
  operation('get', '/api/v1/sites/{id}', {
    summary: 'Read a site',
    tag: 'Sites',
    access: 'admin',
    answers: { 200: { description: 'The site', schema: site } },
  }),
  operation('patch', '/api/v1/sites/{id}', {
    summary: 'Change a site',
    tag: 'Sites',
    access: 'admin',
    body: sitePatch,
    answers: { 200: { description: 'The changed site', schema: site } },
  }),
  operation('post', '/api/v1/sites/{id}/attribution/recompute', {
    summary: 'Recompute attribution over a range',
    tag: 'Sites',
    access: 'admin',
    body: recomputeBody,
    answers: { 200: { description: 'What was recomputed', schema: recomputeAnswer } },
  }),
  operation('get', '/api/v1/sites/{id}/secret-keys', {
    summary: 'List secret keys',
    description:
      'Every key of the site, revoked ones too, newest first (at most 100); never the keys themselves.',
    tag: 'Sites',
    access: 'admin',
    answers: { 200: { description: 'The site’s keys', schema: secretKeyList } },
  }),
  operation('get', '/api/v1/sites/{id}/install', {
    summary: 'Is the tag installed?',
    description:
      'The latest event the site’s pages sent in the last 30 days, or `lastEvent: null` while none came.',
    tag: 'Sites',
    access: 'admin',
    answers: { 200: { description: 'The latest event', schema: installCheck } },
  }),
  operation('post', '/api/v1/sites/{id}/secret-keys', {
    summary: 'Create a secret key',
    description: 'The body, and its `name`, are optional.',
    tag: 'Sites',
    access: 'admin',
    body: secretKeyCreate,
    answers: { 201: { description: 'The key (shown once)', schema: createdSecretKey } },
  }),
  operation('delete', '/api/v1/sites/{id}/secret-keys/{keyId}', {
    summary: 'Revoke a secret key',
    tag: 'Sites',
    access: 'admin',
    answers: { 204: noContent },
    errors: [409],
  }),
  operation('post', '/api/v1/sites/{id}/publishable-key/rotate', {
    summary: 'Rotate the publishable key',
    tag: 'Sites',
    access: 'admin',
    answers: { 200: { description: 'The site with its new key', schema: site } },
  }),
  ...campaignDocs('/api/v1/campaigns', false),
  ...campaignDocs('/api/v1/campaigns/{type}', true),
  operation('get', '/api/v1/audiences', {
    summary: 'List audiences',
    description: 'The built-in audiences, then the site’s own.',
    tag: 'Audiences',
    access: 'admin',
    query: audienceQuery,
    answers: { 200: { description: 'Every audience', schema: audienceList } },
  }),
  operation('post', '/api/v1/audiences', {
    summary: 'Create an audience',
    tag: 'Audiences',
    access: 'admin',
    body: segmentCreate,
    answers: { 201: { description: 'The audience', schema: customAudience } },
    errors: [409],
  }),
  operation('get', '/api/v1/audiences/campaigns', {
    summary: 'List campaign audiences',
    description:
      'The audiences campaigns keep for themselves (types with an audience, e.g. remarketing): kind, exclusions, ' +
      'the segment key their members carry, members now and the last scheduled refresh.',
    tag: 'Audiences',
    access: 'admin',
    query: audienceQuery,
    answers: { 200: { description: 'Every campaign audience', schema: campaignAudienceList } },
  }),
  operation('get', '/api/v1/audiences/{id}/size', {
    summary: 'Read an audience’s size over time',
    description:
      '`id` is a saved audience’s id or a campaign’s id (its own audience). Members now, the last scheduled ' +
      'refresh, and the size at the end of each UTC day from `from` to `to` (the last 30 days by default, at ' +
      'most 366).',
    tag: 'Audiences',
    access: 'admin',
    query: sizeQuery,
    answers: { 200: { description: 'The size now and per day', schema: audienceSizeAnswer } },
  }),
  operation('get', '/api/v1/audiences/{id}/export', {
    summary: 'Export an audience for Meta or Google',
    description:
      'The current members whose stored consent (a lead’s) allows marketing, as a customer list: `meta` has ' +
      'EMAIL, PHONE and EXTERN_ID, `google` Email and Phone, each normalised as the platform documents and ' +
      'SHA-256 hashed (hex). No plain value is ever in the file. Each export is written to the audit log.',
    tag: 'Audiences',
    access: 'admin',
    query: audienceExportQuery,
    answers: { 200: { description: 'The customer list (CSV)', schema: z.string(), media: 'csv' } },
  }),
  operation('get', '/api/v1/audiences/{id}', {
    summary: 'Read an audience',
    tag: 'Audiences',
    access: 'admin',
    answers: { 200: { description: 'The audience', schema: customAudience } },
  }),
  operation('patch', '/api/v1/audiences/{id}', {
    summary: 'Change an audience',
    tag: 'Audiences',
    access: 'admin',
    body: segmentPatch,
    answers: { 200: { description: 'The changed audience', schema: customAudience } },
    errors: [409],
  }),
  operation('delete', '/api/v1/audiences/{id}', {
    summary: 'Delete an audience',
    tag: 'Audiences',
    access: 'admin',
    answers: { 204: noContent },
    errors: [409],
  }),
  operation('post', '/api/v1/conversions', {
    summary: 'Send server-side conversions',
    description:
      'Meta standard events from your server (secret key), matched to visitors and attributed. Takes what Meta’s ' +
      'Business SDKs send: nulls are fields left out, `access_token` and fields Promo does not use are ignored, ' +
      '`client_ip_address` is dropped unread. With `test_event_code` the events go to the test view only.',
    tag: 'Events',
    access: 'admin',
    body: serverEventBatch,
    answers: {
      200: { description: 'What was stored, kept as test events and rejected', schema: conversionAnswer },
    },
  }),
  operation('get', '/api/v1/conversions/test-events', {
    summary: 'Read recent test events',
    description:
      'Server conversions sent with a test event code in the last 7 days, newest first, never counted: name, ' +
      'time, code, source, value and which match keys were present.',
    tag: 'Events',
    access: 'admin',
    query: testEventsQuery,
    answers: { 200: { description: 'The site’s test events', schema: testEventsAnswer } },
  }),
  operation('get', '/api/v1/analytics/overview', {
    summary: 'A site at a glance',
    tag: 'Analytics',
    access: 'admin',
    query: overviewQuery,
    answers: {
      200: { description: 'Visitors, conversions and every campaign’s headline numbers', schema: overview },
    },
  }),
]
