import type { ContentItem } from '../answers'
import type { ContentBody } from './api'

/** The item editor's inputs, as typed: tags as one comma-separated line. */
export interface ContentForm {
  /** The stored item being edited; absent for a new one. */
  id?: string
  url: string
  title: string
  imageUrl: string
  summary: string
  tags: string
  category: string
  publishedAt: string
}

export const emptyContentForm = (): ContentForm => ({
  url: '',
  title: '',
  imageUrl: '',
  summary: '',
  tags: '',
  category: '',
  publishedAt: '',
})

export function contentFormFrom(item: ContentItem): ContentForm {
  return {
    id: item.id,
    url: item.url,
    title: item.title,
    imageUrl: item.imageUrl ?? '',
    summary: item.summary ?? '',
    tags: item.tags.join(', '),
    category: item.category ?? '',
    publishedAt: item.publishedAt ?? '',
  }
}

/** Empty optional inputs clear the field (null); the API trims, folds tags and checks the rest. */
export function contentBodyOf(form: ContentForm, siteId: string): ContentBody {
  const optional = (value: string) => (value.trim() === '' ? null : value.trim())
  return {
    siteId,
    url: form.url.trim(),
    title: form.title,
    imageUrl: optional(form.imageUrl),
    summary: optional(form.summary),
    tags: form.tags
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean),
    category: optional(form.category),
    publishedAt: optional(form.publishedAt),
  }
}
