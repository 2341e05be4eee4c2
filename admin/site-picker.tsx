import type { Site } from './api'

interface SitePickerProps {
  sites: Site[]
  site: Site | undefined
  onChange: (siteId: string) => void
}

/** Which of the organization's sites a page shows; nothing to choose with a single site. */
export function SitePicker({ sites, site, onChange }: SitePickerProps) {
  if (sites.length < 2) return null
  return (
    <div class="field field-inline">
      <label for="site-picker">Site</label>
      <select
        id="site-picker"
        value={site?.id ?? ''}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {sites.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
    </div>
  )
}
