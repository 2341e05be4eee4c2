import { z } from 'zod'

/**
 * PROMO_PUBLIC_URL, on Node and Workers alike: an http(s) URL without query or fragment, kept without its
 * trailing slash so links append `/r/…` and `/d/…` to it.
 */
export const publicUrl = z
  .string()
  .url()
  .refine((value) => {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash
  }, 'must be an http(s) URL like https://promo.example.com, without query or fragment')
  .transform((value) => value.replace(/\/+$/, ''))
