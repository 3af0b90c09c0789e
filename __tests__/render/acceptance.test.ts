import { describe, expect, it } from '@jest/globals'
import type { Acceptance } from '../../src/budget/accept.js'
import { renderAcceptance } from '../../src/render/acceptance.js'

const byLabel: Acceptance = {
  ...{ status: 'accepted', via: 'label', label: 'image-size-accepted', by: 'maintainer' },
  ...{ at: '2026-12-03T08:40:12Z', byAuthor: false, rules: ['max-increase'] },
}

describe('renderAcceptance', () => {
  it('says who applied the label, when, and what it turned into a warning', () => {
    expect(renderAcceptance(byLabel)).toBe(
      '> [!NOTE]\n> **Increase accepted** by @&#8203;maintainer with the label `image-size-accepted` on 2026-12-03 08:40 UTC, for any increase: `max-increase` warns instead of failing. `secrets` is never accepted.',
    )
  })

  it("marks a label the PR's author applied", () => {
    expect(renderAcceptance({ ...byLabel, byAuthor: true })).toContain("(the PR's own author)")
  })

  it('escapes the login, label and reason: no mention, link, HTML or code span escape', () => {
    const hostile = renderAcceptance({
      ...byLabel,
      by: 'evil</sub><img src=x>',
      label: 'ok` <!-- x --> [a](https://e.test) @team',
      at: '<script>',
      rules: ['max-size', 'max-increase'],
    })
    expect(hostile).not.toMatch(/<img|<script|<!--/)
    // In one code span (its backtick dropped), where links and mentions are shown literally.
    expect(hostile).toContain(' the label `ok < !-- x --> [a](https://e.test) @team` on ')
    expect(hostile).toContain('`max-size`, `max-increase` warn instead')
    const refused = renderAcceptance({
      ...{ status: 'refused', via: 'body', by: 'x', byAuthor: true, rules: [] },
      ...{ amount: '+1MB', reason: 'the image grew +12.0 MB, more than +1MB <b>@all</b>' },
    })
    expect(refused).toBe(
      '> [!NOTE]\n> The acceptance line in the PR description (\\+1MB) is not used: the image grew \\+12.0 MB, more than \\+1MB &lt;b&gt;@&#8203;all&lt;/b&gt;.',
    )
  })

  it('names the amount and the author for a description line', () => {
    expect(
      renderAcceptance({
        ...{ status: 'accepted', via: 'body', by: 'contributor', byAuthor: true },
        ...{ amount: '+40MB', rules: ['max-size'] },
      }),
    ).toContain('up to \\+40MB by the line in the PR description of @&#8203;contributor')
  })
})
