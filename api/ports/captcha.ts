/**
 * The captcha port: a form with `captcha: true` sends the widget's token, and the submit is stored only if the
 * provider vouches for it. A verifier answers false for a token it refuses and throws when it cannot tell
 * (network, provider down): the caller fails closed either way, with different answers.
 */
export interface CaptchaVerifier {
  verify(token: string): Promise<boolean>
}
