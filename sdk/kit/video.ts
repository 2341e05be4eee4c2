/** How a format records one of its unit's own events; the loader sends it with the unit's ids. */
export type Track = (name: string, props?: Record<string, string | number | boolean>) => void

const quartiles = [25, 50, 75, 100]

/**
 * Reports a video's progress as the unit's events: `play` and each quartile (`video_25` … `video_100`) once,
 * every `pause` by the visitor, and each change of sound as `mute` or `unmute`. Returns the function that stops.
 */
export function trackVideo(video: HTMLVideoElement, track: Track): () => void {
  const sent = new Set<string>()
  const once = (name: string) => {
    if (!sent.has(name)) {
      sent.add(name)
      track(name)
    }
  }
  let muted = video.muted
  let last = 0
  const progress = () => {
    // Unknown duration reads as NaN, which passes no quartile.
    const share = video.ended ? 1 : video.currentTime / video.duration
    // A looping video never ends: jumping from its last quarter back to the start is the end.
    const looped = video.loop && last >= 0.75 && share < 0.25
    last = share
    for (const quartile of quartiles) if (looped || share >= quartile / 100) once(`video_${quartile}`)
  }
  const listeners: Record<string, () => void> = {
    play: () => once('play'),
    // A video that reaches its end pauses too; that is `video_100`, not the visitor's pause.
    pause: () => video.ended || track('pause', { seconds: Math.round(video.currentTime) }),
    timeupdate: progress,
    ended: progress,
    volumechange: () => {
      if (video.muted === muted) return
      muted = video.muted
      track(muted ? 'mute' : 'unmute')
    },
  }
  for (const name in listeners) video.addEventListener(name, listeners[name]!)
  return () => {
    for (const name in listeners) video.removeEventListener(name, listeners[name]!)
  }
}
