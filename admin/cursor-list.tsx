import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiError, type Page } from './api'

export interface CursorList<T> {
  items: T[]
  nextCursor: string | null
  loading: boolean
  error: string
  /** Appends the next page. */
  more: () => void
  /** Loads the first page again. */
  reload: () => void
  /** Changes the shown items in place (a row deleted or saved) without asking the API. */
  setItems: (update: (items: T[]) => T[]) => void
}

/**
 * A newest-first list read page by page with the API's cursor. It starts over whenever `key` changes (the site or
 * a filter); an answer that arrives after a newer request began is dropped.
 */
export function useCursorList<T>(
  key: string,
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  failure: string,
): CursorList<T> {
  const [items, setItemsState] = useState<T[]>([])
  const [nextCursor, setNextCursor] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState('')
  const latest = useRef(0)

  const load = async (cursor?: string) => {
    const request = ++latest.current
    setLoading(true)
    setError('')
    try {
      const page = await fetchPage(cursor)
      if (request !== latest.current) return
      setItemsState((current) => (cursor ? [...current, ...page.data] : page.data))
      setNextCursor(page.nextCursor)
    } catch (caught) {
      if (request !== latest.current) return
      setError(caught instanceof ApiError ? caught.message : failure)
    } finally {
      if (request === latest.current) setLoading(false)
    }
  }

  useEffect(() => {
    setItemsState([])
    setNextCursor(null)
    void load()
  }, [key])

  return {
    items,
    nextCursor,
    loading,
    error,
    more: () => {
      if (nextCursor) void load(nextCursor)
    },
    reload: () => void load(),
    setItems: (update) => setItemsState(update),
  }
}

/** Below a list: what went wrong (with a retry), that it is loading, or a button for the next page. */
export function ListFooter<T>({ list, loadingText }: { list: CursorList<T>; loadingText: string }) {
  return (
    <>
      {list.error && (
        <div class="alert alert-error" role="alert">
          <span>{list.error}</span>{' '}
          <button type="button" class="button button-small" onClick={list.reload}>
            Retry
          </button>
        </div>
      )}
      <p class="list-footer" role="status">
        {list.loading ? loadingText : ''}
      </p>
      {list.nextCursor && !list.loading && (
        <button type="button" class="button" onClick={list.more}>
          Show more
        </button>
      )}
    </>
  )
}
