import { encode } from 'uqr'
import { Preview } from '../../../admin/preview'
import type { Decision } from '../../../schema/serve'
import { mount } from '../widget'
import { withDefaults } from './editor'

/**
 * The unit as visitors see it, drawn by the app widget itself: as a phone sees it (the store link of the first
 * targeted phone platform), or, for a campaign that targets desktop alone, with the QR code of its link.
 */
export function AppPromotionPreview({ decision }: { decision: Decision }) {
  const config = withDefaults(decision.config)
  const platforms = Array.isArray(config.platforms) ? (config.platforms as string[]) : []
  const desktop = platforms.length > 0 && platforms.every((platform) => platform === 'desktop')
  const link = [config.appStoreUrl, config.playStoreUrl, config.fallbackUrl].find(
    (url) => typeof url === 'string',
  )
  const fields = desktop
    ? {
        platform: 'desktop',
        qr: {
          url: String(link ?? 'https://example.com'),
          rows: encode(String(link ?? 'https://example.com'), { border: 0 }).data.map((row) =>
            row.map((dark) => (dark ? '1' : '0')).join(''),
          ),
        },
      }
    : {
        platform: platforms.includes('android') && !platforms.includes('ios') ? 'android' : 'ios',
        storeUrl: link,
      }
  return <Preview decision={{ ...decision, config, ...fields } as Decision} mount={mount} />
}
