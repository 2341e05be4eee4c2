import {
  accountSessions,
  auditEntry,
  createdInvitation,
  invitationPreview,
  member,
  pageOf,
  revokedSessions,
  session,
  teamAnswer,
} from '../../../schema/api'
import { noContent, operation, type RouteDoc } from '../contract/docs'
import { passwordBody } from './account'
import { auditQuery } from './audit'
import { acceptBody, inviteBody, previewBody, roleBody } from './team'

const roles =
  'Roles: owner and admin may do everything (an admin never changes or removes an owner), editor all but sites, ' +
  'keys and the team, viewer only reads. '

/** The team (members, invitations, roles), the signed-in member's account, and the audit log. */
export const teamDocs: RouteDoc[] = [
  operation('get', '/api/v1/team', {
    summary: 'The organization’s members and pending invitations',
    tag: 'Team',
    access: 'admin',
    answers: { 200: { description: 'Members and invitations', schema: teamAnswer } },
  }),
  operation('post', '/api/v1/team/invitations', {
    summary: 'Invite someone by email',
    description: `${roles}Mails a single-use link (valid 7 days) through the mail port; the outbox keeps it.`,
    tag: 'Team',
    access: 'admin',
    body: inviteBody,
    answers: { 201: { description: 'The invitation and its link (shown once)', schema: createdInvitation } },
    errors: [409],
  }),
  operation('delete', '/api/v1/team/invitations/{id}', {
    summary: 'Withdraw a pending invitation',
    tag: 'Team',
    access: 'admin',
    answers: { 204: noContent },
  }),
  operation('patch', '/api/v1/team/members/{id}', {
    summary: 'Change a member’s role',
    description: `${roles}The last owner keeps the role.`,
    tag: 'Team',
    access: 'admin',
    body: roleBody,
    answers: { 200: { description: 'The member', schema: member } },
    errors: [409],
  }),
  operation('delete', '/api/v1/team/members/{id}', {
    summary: 'Remove a member',
    description: 'Their sessions end; the last owner cannot be removed.',
    tag: 'Team',
    access: 'admin',
    answers: { 204: noContent },
    errors: [409],
  }),
  operation('post', '/api/v1/auth/invitation', {
    summary: 'What an invitation is for',
    tag: 'Auth',
    access: 'none',
    body: previewBody,
    answers: { 200: { description: 'The invited email, role and organization', schema: invitationPreview } },
    errors: [404, 410],
  }),
  operation('post', '/api/v1/auth/accept', {
    summary: 'Accept an invitation',
    description: 'Creates the member with the invitation’s role and signs them in; the token works once.',
    tag: 'Auth',
    access: 'none',
    body: acceptBody,
    answers: { 201: { description: 'The new session', schema: session } },
    errors: [404, 409, 410],
  }),
  operation('get', '/api/v1/account/sessions', {
    summary: 'My sessions',
    tag: 'Account',
    access: 'admin',
    answers: {
      200: { description: 'Open sessions, newest first, this one marked', schema: accountSessions },
    },
  }),
  operation('delete', '/api/v1/account/sessions/{id}', {
    summary: 'Sign out one of my sessions',
    tag: 'Account',
    access: 'admin',
    answers: { 204: noContent },
  }),
  operation('post', '/api/v1/account/sessions/revoke-others', {
    summary: 'Sign out all my other sessions',
    tag: 'Account',
    access: 'admin',
    answers: { 200: { description: 'How many were ended', schema: revokedSessions } },
  }),
  operation('post', '/api/v1/account/password', {
    summary: 'Change my password',
    description: 'The current password is required; every other session of mine ends.',
    tag: 'Account',
    access: 'admin',
    body: passwordBody,
    answers: { 204: noContent },
  }),
  operation('get', '/api/v1/audit', {
    summary: 'The audit log',
    description:
      'Every admin write that went through: who, method and route, the entity, when, and a campaign’s JSON ' +
      'before and after. Newest first; a secret key reads its site’s entries only.',
    tag: 'Audit',
    access: 'admin',
    query: auditQuery,
    answers: { 200: { description: 'A page of entries', schema: pageOf(auditEntry) } },
  }),
]
