import { plain } from '../../../admin/plain-types'

export const appPromotionAdmin = plain('App promotion', 'Get your app installed.', ['conversions', 'cpa'])
