import type { Template } from '../../../admin/promotion-type'

/** Starting points for a time-limited offer and an event to sign up for (dates to set to your own). */
export const offerEventTemplates: readonly Template[] = [
  {
    id: 'flash-sale-countdown',
    name: 'Flash sale with a countdown',
    summary: 'A bar at the top of every page counting down to the end of a sale, with its code.',
    config: {
      kind: 'flash_sale',
      format: 'sticky_top',
      countdown: { endsAt: '2027-11-29T23:59:00+01:00', endedText: 'The sale has ended' },
      offer: { discountPercent: 30, promoCode: 'FLASH30' },
    },
    creative: {
      headline: '30% off everything, today only',
      ctaText: 'Shop the sale',
      ctaUrl: 'https://example.com/sale',
    },
  },
  {
    id: 'evergreen-welcome',
    name: 'Welcome offer, 24 hours per visitor',
    summary:
      'A bar giving each new visitor 24 hours from their first view to use a code; kept only with their consent.',
    config: {
      kind: 'launch',
      format: 'sticky_bottom',
      countdown: { evergreenHours: 24 },
      offer: { discountPercent: 10, promoCode: 'WELCOME10' },
    },
    creative: {
      headline: '10% off your first order, for 24 hours',
      ctaText: 'Start shopping',
      ctaUrl: 'https://example.com/new',
    },
  },
  {
    id: 'webinar-rsvp',
    name: 'Webinar RSVP',
    summary: 'An online event visitors sign up for, with a waitlist once it is full.',
    config: {
      kind: 'event',
      format: 'hero',
      event: {
        startsAt: '2027-03-18T17:00:00+01:00',
        endsAt: '2027-03-18T18:00:00+01:00',
        isVirtual: true,
        onlineUrl: 'https://example.com/webinar',
        capacity: 300,
      },
    },
    placements: ['home-hero'],
    creative: { headline: 'Live: planning your spring collection', ctaText: 'Save my seat' },
  },
]
