import { useLayoutEffect, useRef } from 'preact/hooks'
import type { Creative } from '../../schema/campaign'
import { httpUrl } from './http-url'
import { type Track, trackVideo } from './video'

interface MediaProps {
  creative: Creative
  /** Width to height, reserved before anything loads so the page never shifts. */
  ratio: [number, number]
  /** The creative's video rather than its image, when it has one. */
  video?: boolean
  autoplay?: boolean
  loop?: boolean
  /** Where the video's progress events go; the admin preview has none. */
  track?: Track | undefined
}

/**
 * The unit's image (lazy, decoded off the main thread) or video (muted and inline, so it may autoplay, with
 * the poster until it plays), its box reserved by aspect ratio. Only http(s) sources are used.
 */
export function Media({ creative, ratio, video, autoplay, loop, track }: MediaProps) {
  const player = useRef<HTMLVideoElement>(null)
  useLayoutEffect(() => (player.current && track ? trackVideo(player.current, track) : undefined), [])
  const videoUrl = video ? httpUrl(creative.videoUrl) : undefined
  const image = httpUrl(creative.imageUrl)
  const size = { class: 'media', width: ratio[0], height: ratio[1] }
  // A visitor who asked for less motion starts the video themselves.
  const moving = autoplay && !matchMedia('(prefers-reduced-motion: reduce)').matches
  if (videoUrl) {
    return (
      <video
        ref={player}
        {...size}
        src={videoUrl}
        poster={httpUrl(creative.posterUrl)}
        controls
        muted
        playsInline
        autoplay={moving}
        loop={loop}
        preload={moving ? 'auto' : 'none'}
      />
    )
  }
  return image ? (
    <img {...size} src={image} alt={creative.imageAlt ?? ''} loading="lazy" decoding="async" />
  ) : null
}
