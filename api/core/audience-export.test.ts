import { describe, expect, it } from 'vitest'
import { exportRow, googleEmail, googlePhone, metaEmail, metaPhone, sha256Hex } from './audience-export'

// Published normalised values and their SHA-256: `janedoe@gmail.com` is the hashed-email example of the ad
// platforms' customer-file docs; the rest are the platforms' documented normalisation applied by hand.
const hashes = {
  'janedoe@gmail.com': 'd6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69',
  'jane.doe@gmail.com': '831f6494ad6be4fcb3a724c3d5fef22d3ceffa3c62ef3a7984e45a0ea177f982',
  'john_smith@example.com': '5ac3cbb303be9ca0f0ca5bdd9dde9f2d74309d33022cf5fa9bc90bbdbe9ea428',
  '16169547888': 'bb2fa2e6d2cea4746530c99686d0c7886ab2019875dca2d7e9e171c0e6ada00d',
  '+16169547888': '0a36809ca24463df1133c40c2e2fa2b7f180038fe7d86bd1923a32a1a54dfe58',
  'user-42': '6d894aa3ee802549d7f340e7c1cf0d1c1cb14cd84f768d92ffaa6785337c4997',
}

describe('normalisation', () => {
  it('Meta: emails trimmed and lower case, phones as country code and digits without +', () => {
    expect(metaEmail('  John_Smith@Example.COM ')).toBe('john_smith@example.com')
    expect(metaEmail('Jane.Doe@gmail.com')).toBe('jane.doe@gmail.com')
    expect(metaPhone('+1 (616) 954-7888')).toBe('16169547888')
    expect(metaPhone('001-616-954-7888')).toBe('16169547888')
  })

  it('Google: gmail.com and googlemail.com lose the periods before the domain; phones in E.164', () => {
    expect(googleEmail(' Jane.Doe@Gmail.com')).toBe('janedoe@gmail.com')
    expect(googleEmail('jane.doe@googlemail.com')).toBe('janedoe@googlemail.com')
    expect(googleEmail('Jane.Doe@example.com')).toBe('jane.doe@example.com')
    expect(googlePhone('+1 (616) 954-7888')).toBe('+16169547888')
  })

  it('leaves out a phone without its country code rather than hashing it wrong, and what is not an email', () => {
    expect(metaPhone('0616 954 788')).toBeUndefined()
    expect(googlePhone('(616) 954-7888')).toBeUndefined()
    expect(metaEmail('not an email')).toBeUndefined()
  })
})

describe('rows', () => {
  const person = { email: ' Jane.Doe@Gmail.com', phone: '+1 (616) 954-7888', userId: 'user-42' }

  it('hashes each value as the platform normalises it (the published example among them)', () => {
    expect(sha256Hex('janedoe@gmail.com')).toBe(hashes['janedoe@gmail.com'])
    expect(exportRow('meta', person)).toEqual([
      hashes['jane.doe@gmail.com'],
      hashes['16169547888'],
      hashes['user-42'],
    ])
    expect(exportRow('google', person)).toEqual([hashes['janedoe@gmail.com'], hashes['+16169547888']])
    expect(exportRow('meta', { email: 'John_Smith@example.com' })).toEqual([
      hashes['john_smith@example.com'],
      '',
      '',
    ])
  })

  it('has no row for a person with nothing that can be matched', () => {
    expect(exportRow('google', { phone: '616 954 7888', userId: 'user-42' })).toBeUndefined()
  })
})
