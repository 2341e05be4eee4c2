/** Length limits shared by every public field, so the SDK, API and admin agree on them. */
export const limits = {
  id: 64,
  name: 200,
  shortText: 120,
  text: 2_000,
  url: 2_048,
  eventName: 100,
  slot: 100,
  props: 50,
  propKey: 100,
  propValue: 1_000,
  batch: 100,
  slots: 20,
  origins: 20,
  variants: 20,
  placements: 20,
} as const

/** Request bodies larger than this are refused with 413 before they are parsed. */
export const bodyLimits = {
  public: 256 * 1024,
  admin: 512 * 1024,
} as const
