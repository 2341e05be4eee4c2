import {
  Checks,
  numberText,
  numberValue,
  object,
  SelectField,
  setIn,
  strings,
  TextField,
  Toggle,
} from '../../../admin/config-fields'
import type { Config, ConfigEditorProps } from '../../../admin/promotion-type'
import { limits } from '../../../schema/limits'

const formatLabels = {
  smart_banner: 'Smart banner (a bar over the page)',
  inline: 'Inline, in a slot',
  popup: 'Popup',
}
const positionLabels = { top: 'Top of the page', bottom: 'Bottom of the page' }
const platformLabels = { ios: 'iPhone and iPad', android: 'Android', desktop: 'Desktop (QR code)' }

/** Labels of the config's error paths, for the error summary. */
export const appPromotionLabels: Record<string, string> = {
  'config.appName': 'App name',
  'config.iconUrl': 'Icon',
  'config.appStoreUrl': 'App Store link',
  'config.playStoreUrl': 'Google Play link',
  'config.appStoreProviderToken': 'App Store provider token',
  'config.deepLink': 'Deep link',
  'config.fallbackUrl': 'Fallback page',
  'config.deepLinkTimeoutMs': 'Deep link wait',
  'config.platforms': 'Platforms',
  'config.qr.url': 'QR code link',
  'config.qr.sizePx': 'QR code size',
  'config.rating': 'Rating',
  'config.ratingCount': 'Number of ratings',
  'config.price': 'Price',
}

export function defaultAppPromotionConfig(): Config {
  return {
    appName: '',
    format: 'smart_banner',
    position: 'top',
    platforms: ['ios', 'android', 'desktop'],
    deepLinkTimeoutMs: 1500,
    qr: { enabled: true, sizePx: 160 },
    price: 'Free',
    dismissible: true,
  }
}

/** The config with the schema's defaults filled in, as the API serves it. */
export function withDefaults(config: Config): Config {
  const defaults = defaultAppPromotionConfig()
  return { ...defaults, ...config, qr: { ...object(defaults.qr), ...object(config.qr) } }
}

/** The app promotion's fields: the app, its stores and deep link, the format and platforms, the QR code. */
export function AppPromotionFields({ config, errors, onChange }: ConfigEditorProps) {
  const set = (path: string, value: unknown) => onChange(setIn(config, path.split('.'), value))
  const qr = object(config.qr)
  const text = (
    path: string,
    label: string,
    max: number,
    kind: 'text' | 'url' | 'code' = 'text',
    hint?: string,
  ) => (
    <TextField
      path={`config.${path}`}
      label={label}
      errors={errors}
      value={path.split('.').reduce<unknown>((at, key) => object(at)[key], config)}
      max={max}
      kind={kind}
      {...(hint ? { hint } : {})}
      onChange={(value) => set(path, value)}
    />
  )
  const number = (path: string, label: string, value: unknown, hint?: string) => (
    <TextField
      path={`config.${path}`}
      label={label}
      errors={errors}
      value={numberText(value)}
      max={12}
      kind="code"
      {...(hint ? { hint } : {})}
      onChange={(typed) => set(path, numberValue(typed ?? ''))}
    />
  )
  return (
    <div class="config-fields">
      {text('appName', 'App name', limits.shortText)}
      {text('iconUrl', 'Icon (https image)', limits.url, 'url')}
      {number('rating', 'Rating (0 to 5)', config.rating)}
      {number('ratingCount', 'Number of ratings', config.ratingCount)}
      {text('price', 'Price', 24, 'text', 'Shown beside the rating, such as Free')}
      {text('appStoreUrl', 'App Store link', limits.url, 'url')}
      {text('appStoreProviderToken', 'App Store provider token (pt)', 20, 'code')}
      {text('playStoreUrl', 'Google Play link', limits.url, 'url')}
      {text(
        'deepLink',
        'Deep link',
        limits.url,
        'url',
        'A universal or app link (https) or your app’s scheme, such as shop://home',
      )}
      {text(
        'fallbackUrl',
        'Fallback page',
        limits.url,
        'url',
        'Where to go without the app when there is no store link',
      )}
      {number('deepLinkTimeoutMs', 'Deep link wait (ms)', config.deepLinkTimeoutMs, '250 to 5000')}
      <SelectField
        path="config.format"
        label="Format"
        errors={errors}
        labels={formatLabels}
        value={typeof config.format === 'string' ? config.format : 'smart_banner'}
        onChange={(value) => set('format', value)}
      />
      {config.format !== 'inline' && config.format !== 'popup' && (
        <SelectField
          path="config.position"
          label="Position"
          errors={errors}
          labels={positionLabels}
          value={config.position === 'bottom' ? 'bottom' : 'top'}
          onChange={(value) => set('position', value)}
        />
      )}
      <Checks
        path="config.platforms"
        legend="Show it to"
        labels={platformLabels}
        chosen={strings(config.platforms)}
        errors={errors}
        hint="Decided on the server from the visitor’s browser: others get no unit."
        onChange={(chosen) => set('platforms', chosen)}
      />
      <Toggle
        path="config.qr.enabled"
        label="QR code for desktop visitors"
        checked={qr.enabled !== false}
        errors={errors}
        onChange={(on) => set('qr.enabled', on)}
      />
      {qr.enabled !== false &&
        text('qr.url', 'QR code link (else the fallback page or a store)', limits.url, 'url')}
      {qr.enabled !== false && number('qr.sizePx', 'QR code size (px)', qr.sizePx, '96 to 512')}
      <Toggle
        path="config.dismissible"
        label="Visitors may close it"
        checked={config.dismissible !== false}
        errors={errors}
        onChange={(on) => set('dismissible', on)}
      />
    </div>
  )
}
