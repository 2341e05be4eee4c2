import type { Template } from '../../../admin/promotion-type'

/** Starting points for app installs: the banner phones expect, and a QR code for desktop visitors. */
export const appPromotionTemplates: readonly Template[] = [
  {
    id: 'smart-app-banner',
    name: 'Smart app banner',
    summary: 'A slim banner at the top of the page on phones, opening the app or its store page.',
    config: {
      appName: 'Example Shop',
      appStoreUrl: 'https://apps.apple.com/app/id0000000000',
      playStoreUrl: 'https://play.google.com/store/apps/details?id=com.example.shop',
      format: 'smart_banner',
      position: 'top',
      platforms: ['ios', 'android'],
      rating: 4.7,
      ratingCount: 1200,
    },
    creative: { headline: 'Shop faster in the app', ctaText: 'Get the app' },
  },
  {
    id: 'desktop-qr',
    name: 'QR code for desktop',
    summary: 'A popup on desktop with a QR code to scan with the phone.',
    config: {
      appName: 'Example Shop',
      appStoreUrl: 'https://apps.apple.com/app/id0000000000',
      playStoreUrl: 'https://play.google.com/store/apps/details?id=com.example.shop',
      format: 'popup',
      platforms: ['desktop'],
      qr: { enabled: true, sizePx: 160 },
    },
    creative: { headline: 'Take the shop with you', body: 'Scan the code with your phone’s camera.' },
  },
]
