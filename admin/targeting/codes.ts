/**
 * The codes the targeting pickers offer: ISO 3166-1 alpha-2 countries (and XK, which geolocation reports for
 * Kosovo) and ISO 639-1 languages. Only the codes ride in the bundle; their names come from the browser's own
 * `Intl.DisplayNames`, in English, and a browser without it shows the codes.
 */
const countryCodes =
  `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT
BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK
FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE
JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO
RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW
TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW`.split(/\s+/)

const languageCodes =
  `aa ab af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv
dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it
iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb
nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss
st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu`.split(
    /\s+/,
  )

export interface CodeOption {
  code: string
  name: string
}

function namer(type: 'region' | 'language'): (code: string) => string {
  try {
    const names = new Intl.DisplayNames(['en'], { type })
    return (code) => {
      try {
        return names.of(code) ?? code
      } catch {
        return code
      }
    }
  } catch {
    return (code) => code
  }
}

let countries: CodeOption[] | undefined
let languages: CodeOption[] | undefined
const byName = (a: CodeOption, b: CodeOption) => a.name.localeCompare(b.name, 'en')

export function countryOptions(): CodeOption[] {
  if (!countries) {
    const name = namer('region')
    countries = countryCodes.map((code) => ({ code, name: name(code) })).sort(byName)
  }
  return countries
}

export function languageOptions(): CodeOption[] {
  if (!languages) {
    const name = namer('language')
    languages = languageCodes.map((code) => ({ code, name: name(code) })).sort(byName)
  }
  return languages
}

export const countryName = (code: string) =>
  countryOptions().find((option) => option.code === code)?.name ?? code
export const languageName = (code: string) =>
  languageOptions().find((option) => option.code === code)?.name ?? code

/** The options whose name or code contains the query (ignoring case and accents), best matches first. */
export function searchCodes(options: CodeOption[], query: string, limit = 8): CodeOption[] {
  const fold = (text: string) =>
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
  const q = fold(query.trim())
  if (!q) return []
  const score = (option: CodeOption) => {
    const name = fold(option.name)
    if (fold(option.code) === q) return 0
    if (name.startsWith(q)) return 1
    if (name.includes(q)) return 2
    return 3
  }
  return options
    .map((option) => ({ option, rank: score(option) }))
    .filter(({ rank }) => rank < 3)
    .sort((a, b) => a.rank - b.rank)
    .slice(0, limit)
    .map(({ option }) => option)
}
