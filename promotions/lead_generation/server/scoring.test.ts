import { describe, expect, it } from 'vitest'
import { leadGenerationConfig } from '../config'
import { gradeOf, scoreLead } from './scoring'

/** The blueprint's LeadScoringService, as a campaign config: senior titles +15, 2 points per filled field. */
const blueprint = leadGenerationConfig.parse({
  fields: [
    { name: 'email', type: 'email', label: 'Email', required: true },
    { name: 'first_name', type: 'text', label: 'First name', required: true },
    { name: 'last_name', type: 'text', label: 'Last name', required: true },
    { name: 'company', type: 'text', label: 'Company' },
    { name: 'job_title', type: 'text', label: 'Job title' },
    { name: 'phone', type: 'phone', label: 'Phone' },
    { name: 'terms', type: 'consent', label: 'I agree to receive updates' },
  ],
  scoring: {
    rules: [
      { field: 'job_title', when: 'contains', values: ['ceo', 'cto', 'vp', 'director', 'head'], points: 15 },
    ],
    pointsPerFilledField: 2,
  },
})
const score = (values: Record<string, string | boolean>, config = blueprint) =>
  scoreLead(values, config.fields, config.scoring)

describe("the blueprint's lead scoring", () => {
  it('gives a senior title 15 points and 2 for each of the five profile fields', () => {
    const lead = {
      email: 'ada@example.com',
      first_name: 'Ada',
      last_name: 'Lovelace',
      company: 'Analytical Engines',
      job_title: 'VP Engineering',
      phone: '+44 20 7946 0958',
    }
    expect(score(lead)).toEqual({ score: 25, grade: 'D' })
  })

  it('matches titles ignoring case and counts neither the email nor the consent box as profile', () => {
    expect(score({ email: 'a@x.io', first_name: 'A', job_title: 'Head of Growth', terms: true })).toEqual({
      score: 19,
      grade: 'D',
    })
    expect(score({ email: 'a@x.io', job_title: 'Engineer' }).score).toBe(2)
  })

  it('grades by the default thresholds 80 / 60 / 40 (the blueprint’s calculateGrade)', () => {
    const grades = blueprint.scoring.grades
    expect(grades).toEqual({ a: 80, b: 60, c: 40 })
    expect([100, 80, 79, 60, 59, 40, 39, 0].map((s) => gradeOf(s, grades))).toEqual([
      'A',
      'A',
      'B',
      'B',
      'C',
      'C',
      'D',
      'D',
    ])
  })
})

describe('campaign scoring rules', () => {
  const config = leadGenerationConfig.parse({
    fields: [
      { name: 'email', type: 'email', label: 'Email', required: true },
      {
        name: 'size',
        type: 'select',
        label: 'Company size',
        options: [
          { value: '1-10', label: 'Small' },
          { value: '500+', label: 'Enterprise' },
        ],
      },
      { name: 'budget', type: 'text', label: 'Budget' },
      { name: 'demo', type: 'checkbox', label: 'Book a demo' },
      { name: 'company', type: 'text', label: 'Company' },
    ],
    scoring: {
      rules: [
        { field: 'size', when: 'equals', values: ['500+'], points: 50 },
        { field: 'demo', when: 'filled', points: 30 },
        { field: 'budget', when: 'contains', values: ['none'], points: -40 },
        { field: 'company', when: 'contains', values: ['gmail'], points: -100 },
      ],
      pointsPerFilledField: 5,
      grades: { a: 90, b: 50, c: 20 },
    },
  })

  it('adds the points of each matching rule and of each filled field', () => {
    expect(score({ email: 'a@x.io', size: '500+', demo: true }, config)).toEqual({ score: 90, grade: 'A' })
    expect(score({ email: 'a@x.io', size: '1-10', demo: true }, config)).toEqual({ score: 40, grade: 'C' })
  })

  it('matches equals exactly (ignoring case) and contains anywhere in the value', () => {
    expect(score({ email: 'a@x.io', size: '500' }, config).score).toBe(5)
    expect(score({ email: 'a@x.io', budget: 'None yet' }, config).score).toBe(0)
  })

  it('does not match an unticked box or an empty value', () => {
    expect(score({ email: 'a@x.io', demo: false }, config).score).toBe(0)
    expect(score({ email: 'a@x.io', company: '' }, config).score).toBe(0)
  })

  it('clamps the score to 0–100', () => {
    expect(score({ email: 'a@x.io', company: 'gmail', budget: 'none' }, config)).toEqual({
      score: 0,
      grade: 'D',
    })
    const generous = { ...config.scoring, pointsPerFilledField: 100 }
    expect(scoreLead({ email: 'a@x.io', size: '500+', demo: true }, config.fields, generous)).toEqual({
      score: 100,
      grade: 'A',
    })
  })
})
