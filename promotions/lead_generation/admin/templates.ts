import type { Template } from '../../../admin/promotion-type'

/** Starting points for a form: a newsletter popup on exit, an event sign-up and a gated guide. */
export const leadGenerationTemplates: readonly Template[] = [
  {
    id: 'exit-intent-newsletter',
    name: 'Exit-intent newsletter popup',
    summary: 'A popup with one email field, shown when the visitor is about to leave.',
    config: {
      display: 'popup',
      trigger: { on: 'exit' },
      fields: [
        { name: 'email', type: 'email', label: 'Email', required: true, placeholder: 'you@example.com' },
        {
          name: 'consent',
          type: 'consent',
          label: 'I agree to receive the newsletter and can unsubscribe at any time.',
          required: true,
        },
      ],
      submitButtonText: 'Subscribe',
      successMessage: 'Thanks! Check your inbox to confirm.',
      offer: { type: 'newsletter', title: 'Our weekly newsletter' },
    },
    creative: {
      headline: 'Before you go: 10% off your first order',
      body: 'Join the newsletter for new arrivals and members-only offers.',
    },
  },
  {
    id: 'webinar-rsvp',
    name: 'Webinar RSVP',
    summary: 'An inline sign-up form for a webinar: name, work email, company and role.',
    config: {
      display: 'inline',
      fields: [
        { name: 'first_name', type: 'text', label: 'First name', required: true },
        { name: 'email', type: 'email', label: 'Work email', required: true },
        { name: 'company', type: 'text', label: 'Company' },
        {
          name: 'role',
          type: 'select',
          label: 'Role',
          options: [
            { value: 'marketing', label: 'Marketing' },
            { value: 'product', label: 'Product' },
            { value: 'engineering', label: 'Engineering' },
            { value: 'other', label: 'Something else' },
          ],
        },
      ],
      submitButtonText: 'Save my seat',
      successMessage: 'You are registered. The link to join follows by email.',
      offer: { type: 'webinar', title: 'Live webinar: growing a list that buys' },
    },
    placements: ['webinar-signup'],
    creative: {
      headline: 'Join the live webinar',
      body: 'Thursday at 17:00 CET, 45 minutes with questions at the end.',
    },
  },
  {
    id: 'gated-guide',
    name: 'Guide download on scroll',
    summary: 'A slide-in offering a free guide for an email, once the visitor has read half the page.',
    config: {
      display: 'slide_in',
      trigger: { on: 'scroll', percent: 50 },
      fields: [{ name: 'email', type: 'email', label: 'Email', required: true }],
      submitButtonText: 'Send me the guide',
      offer: {
        type: 'ebook',
        title: 'The on-site promotion playbook',
        assetUrl: 'https://example.com/downloads/playbook.pdf',
      },
    },
    creative: {
      headline: 'Get the free playbook',
      body: '24 pages of examples you can copy.',
    },
  },
]
